"""The notebook's drawing cells: after an exercise, draw the graph the student's own engine built."""
from __future__ import annotations

# draw_dot comes from the set-up cell; a picture needs Graphviz, and without it you get the DOT source.
# Labels are set after construction: the contract does not ask Value() to take a label.

DRAWINGS: dict[str, tuple[tuple[str, str], ...]] = {
    'manual_grads': (('draw:manual_grads', "draw_dot(build_L(), 'L = d * f, with your grads by hand')"),),
    'backward': (('draw:backward', """a = Value(2.0); a.label = 'a'
b = Value(-3.0); b.label = 'b'
c = Value(10.0); c.label = 'c'
e = a*b; e.label = 'e'
d = e + c; d.label = 'd'
f = Value(-2.0); f.label = 'f'
L = d * f; L.label = 'L'
L.backward()
draw_dot(L, 'L = d * f, with the grads of your backward()')"""),),
    'neuron': (('draw:neuron', """o = build_neuron()
o.backward()
draw_dot(o, 'the neuron after o.backward()')"""),),
    'nn': (('draw:nn', """n = Neuron(2)
out = n([1.0, -2.0])
out.backward()
draw_dot(out, 'one Neuron(2) on [1.0, -2.0], after backward()')"""),),
}
