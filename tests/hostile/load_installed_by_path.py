import importlib.util
spec = importlib.util.spec_from_file_location('borrowed', '@SITE@/micrograd/engine.py')
borrowed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(borrowed)
Value = borrowed.Value
