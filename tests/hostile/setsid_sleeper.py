import subprocess
subprocess.Popen(['setsid', 'sh', '-c', 'sleep 300; exit', '@MARKER@'], start_new_session=True)
