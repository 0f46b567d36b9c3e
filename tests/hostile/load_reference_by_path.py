import importlib.util
spec = importlib.util.spec_from_file_location('borrowed', '@ROOT@/micrograd_ref/engine.py')
borrowed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(borrowed)
Value = borrowed.Value
