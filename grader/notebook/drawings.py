"""The notebook's drawing cells: after an exercise, draw the graph the student's own engine built."""
from __future__ import annotations

IMPORT = 'from grader.notebook.inline import draw  # a picture needs Graphviz; without it you get the DOT source\n\n'

DRAWINGS: dict[str, tuple[tuple[str, str], ...]] = {
    'manual_grads': (('draw:manual_grads', IMPORT + "draw(build_L(), 'L = d * f, with your grads by hand')"),),
    'backward': (('draw:backward', IMPORT + """a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='c')
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0, label='f')
L = d * f; L.label = 'L'
L.backward()
draw(L, 'L = d * f, with the grads of your backward()')"""),),
    'neuron': (('draw:neuron', IMPORT + """o = build_neuron()
o.backward()
draw(o, 'the neuron after o.backward()')"""),),
    'nn': (('draw:nn', IMPORT + """n = Neuron(2)
out = n([1.0, -2.0])
out.backward()
draw(out, 'one Neuron(2) on [1.0, -2.0], after backward()')"""),),
}
