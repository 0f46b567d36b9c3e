def hostile():
    import os
    import sys
    os.write(int(sys.argv[3]), b'[' * 200000 + b'\n')
