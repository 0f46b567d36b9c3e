import sys
for _ in range(20):
    sys.stdout.write('y' * (1 << 20))
