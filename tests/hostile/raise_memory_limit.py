import resource
resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
hog = [bytes(256 << 20) for _ in range(64)]
