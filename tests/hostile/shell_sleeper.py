import os
os.system("setsid sh -c 'sleep 300; exit' @MARKER@ &")
