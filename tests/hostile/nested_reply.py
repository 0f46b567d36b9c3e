def hostile():
    import json
    import os
    import sys
    os.write(json.loads(sys.argv[1])['tx'], b'[' * 200000 + b'\n')
