def hostile():
    return hostile()
