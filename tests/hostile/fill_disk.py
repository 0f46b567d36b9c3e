# Fill the disk at import: 2 GB in one file.
with open('filler.bin', 'wb') as f:
    for _ in range(2048):
        f.write(bytes(1 << 20))
