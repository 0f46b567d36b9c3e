"""The toolkit that the hidden check modules in grader/checks are written with."""
from grader.checking.compare import close, expect_graph, name, number_or_fail
from grader.checking.recipe import Graph
from grader.checking.student import CheckFailed, Student

__all__ = ['CheckFailed', 'Graph', 'Student', 'close', 'expect_graph', 'name', 'number_or_fail']
