# Another interpreter in the same process runs with no audit hook at all.
for name in ('_interpreters', '_xxsubinterpreters'):
    try:
        interpreters = __import__(name)
        break
    except ModuleNotFoundError:
        continue
interpreter = interpreters.create()
interpreters.run_string(interpreter, "open('@VICTIM@', 'w').write('gone')")
