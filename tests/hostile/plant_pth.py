# Past the hook, plant a .pth file in the grader's environment, so later runs execute our code.
try:
    escape('open("@PURELIB@/hostile-@MARKER@.pth", "w").write("import os\\n")')
except Exception:
    pass
