# Keep the reply channel busy forever, one byte at a time, so a deadline that waits for a quiet
# channel never comes.
def hostile():
    import json
    import os
    import sys
    import time
    fd = json.loads(sys.argv[1])['tx']
    os.write(fd, b'{"id": 1, "ok": true, "result": "')
    while True:
        os.write(fd, b'x')
        time.sleep(0.01)
