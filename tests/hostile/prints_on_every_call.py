def hostile():
    print('called', 'x' * 2000)
