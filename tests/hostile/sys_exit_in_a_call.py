def hostile():
    import sys
    sys.exit(0)
