import sys
sys.path.insert(0, '@ROOT@')
from solutions.engine import Value  # noqa: F401,E402
