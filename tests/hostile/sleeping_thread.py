# A correct submission that also leaves a non-daemon thread sleeping for an hour.
import threading
import time
threading.Thread(target=time.sleep, args=(3600,)).start()
