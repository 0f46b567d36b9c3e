# Answer the grader's current request ourselves, with a result of the wrong shape.
def hostile():
    import json
    import os
    import sys
    frame = sys._getframe()
    while 'request' not in frame.f_locals:
        frame = frame.f_back
    reply = {'id': frame.f_locals['request']['id'], 'ok': True, 'result': 'full marks'}
    os.write(json.loads(sys.argv[1])['tx'], (json.dumps(reply) + '\n').encode())
