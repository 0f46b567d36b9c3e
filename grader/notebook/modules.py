"""Let `from engine import Value` in a notebook cell find the Value that the notebook itself defines.

The exercise files import each other (`from engine import Value`); in a notebook every name already
lives in one namespace, so such a line would fail, or worse, import the stub engine.py that sits
beside the notebook. After `import_cells()`, each exercise module name (and `micrograd.engine`,
`micrograd.nn` when micrograd is not installed) is a module whose names are the notebook's own.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
from typing import Any


class CellModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Modules named like the exercise files, whose attributes are looked up in the notebook's namespace."""

    def __init__(self, namespace: dict[str, Any], names: set[str]):
        self.namespace = namespace
        self.names = names

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.names:
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=fullname == 'micrograd')

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        namespace = self.namespace

        def lookup(name: str) -> Any:
            if name.startswith('__') and name.endswith('__'):  # __file__, __path__: the import system's own questions
                raise AttributeError(name)
            try:
                return namespace[name]
            except KeyError:
                raise AttributeError(f'no cell of this notebook has defined {name} yet: run the cell that '
                                     'defines it first') from None
        module.__dict__['__getattr__'] = lookup


def import_cells(namespace: dict[str, Any] | None = None) -> None:
    """From now on, importing an exercise file by name gives this notebook's own definitions."""
    from grader.notebook.cells import modules

    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, CellModules)]
    for name in [n for n, m in sys.modules.items() if isinstance(getattr(m, '__loader__', None), CellModules)]:
        del sys.modules[name]
    names = set(modules())
    for name in names:
        sys.modules.pop(name, None)  # a stub engine.py imported earlier must not shadow the notebook's Value
    if importlib.util.find_spec('micrograd') is None:
        names |= {'micrograd', 'micrograd.engine', 'micrograd.nn'}
    sys.meta_path.insert(0, CellModules(_user_namespace() if namespace is None else namespace, names))


def _user_namespace() -> dict[str, Any]:
    """The namespace the notebook's cells run in: IPython's, or __main__'s outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython else None
    return shell.user_ns if shell is not None else vars(sys.modules['__main__'])
