# A real engine is installed in @SITE@ as the package `micrograd`.
import sys
sys.path.insert(0, '@SITE@')
from micrograd.engine import Value  # noqa: F401,E402
