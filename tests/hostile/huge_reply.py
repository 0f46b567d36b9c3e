# Answer the grader with 100 MB in one line, to exhaust its memory or its patience.
def hostile():
    import json
    import os
    import sys
    os.write(json.loads(sys.argv[1])['tx'], b'{"id": 1, "ok": true, "result": "' + b'x' * (100 << 20) + b'"}\n')
