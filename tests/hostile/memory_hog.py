# 16 GiB of zeroed bytes (calloc'd, so nothing is touched before the limit stops it).
hog = [bytes(256 << 20) for _ in range(64)]
