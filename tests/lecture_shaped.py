"""A notebook written the way the lecture's is: no tags, a set-up cell of imports, scratch cells, and a
`Value` cell written again further down with more ops. Every exercise of the lecture is solved, in
its style (two-space indents), so grading those exercises must give full marks."""
from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import v4

# What these cells implement: the lecture's exercises. An exercise an instructor adds is not among them.
EXERCISES = ['derivatives', 'forward_ops', 'manual_grads', 'local_backward', 'backward', 'derived_ops', 'neuron', 'nn',
             'training', 'quiz', 'softmax']

SETUP = """import math
import random
%matplotlib inline"""

SCRATCH_F = """def f(x):
  return 3*x**2 - 4*x + 5
f(3.0)"""

DERIVATIVES = """def numerical_derivative(f, x, h=0.0001):
  return (f(x + h) - f(x))/h

def symmetric_derivative(f, x, h=0.0001):
  return (f(x + h) - f(x - h))/(2*h)

numerical_derivative(f, 3.0)"""

FIRST_VALUE = """class Value:

  def __init__(self, data, _children=(), _op='', label=''):
    self.data = data
    self.grad = 0.0
    self._prev = set(_children)
    self._op = _op
    self.label = label

  def __repr__(self):
    return f"Value(data={self.data})"

  def __add__(self, other):
    return Value(self.data + other.data, (self, other), '+')

  def __mul__(self, other):
    return Value(self.data * other.data, (self, other), '*')

a = Value(2.0, label='a')
b = Value(-3.0, label='b')
d = a*b + Value(10.0)
d"""

DRAW_DOT = """from graphviz import Digraph

def trace(root):
  nodes, edges = set(), set()
  def build(v):
    if v not in nodes:
      nodes.add(v)
      for child in v._prev:
        edges.add((child, v))
        build(child)
  build(root)
  return nodes, edges

def draw_dot(root):
  dot = Digraph(format='svg', graph_attr={'rankdir': 'LR'})
  nodes, edges = trace(root)
  for n in nodes:
    dot.node(name=str(id(n)), label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad), shape='record')
  for n1, n2 in edges:
    dot.edge(str(id(n1)), str(id(n2)))
  return dot"""

MANUAL = """def build_L():
  a = Value(2.0, label='a')
  b = Value(-3.0, label='b')
  c = Value(10.0, label='c')
  e = a*b; e.label = 'e'
  d = e + c; d.label = 'd'
  f = Value(-2.0, label='f')
  L = d * f; L.label = 'L'
  L.grad = 1.0
  f.grad = d.data
  d.grad = f.data
  c.grad = d.grad
  e.grad = d.grad
  a.grad = b.data * e.grad
  b.grad = a.data * e.grad
  return L

draw_dot(build_L())"""

TOPO = """def topo_order(root):
  # every node after all the nodes it was made from
  topo, visited = [], set()
  def build(v):
    if v not in visited:
      visited.add(v)
      for child in v._prev:
        build(child)
      topo.append(v)
  build(root)
  return topo"""

VALUE = """class Value:

  def __init__(self, data, _children=(), _op='', label=''):
    self.data = data
    self.grad = 0.0
    self._backward = lambda: None
    self._prev = set(_children)
    self._op = _op
    self.label = label

  def __repr__(self):
    return f"Value(data={self.data}, grad={self.grad})"

  def __add__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data + other.data, (self, other), '+')
    def _backward():
      self.grad += 1.0 * out.grad
      other.grad += 1.0 * out.grad
    out._backward = _backward
    return out

  def __mul__(self, other):
    other = other if isinstance(other, Value) else Value(other)
    out = Value(self.data * other.data, (self, other), '*')
    def _backward():
      self.grad += other.data * out.grad
      other.grad += self.data * out.grad
    out._backward = _backward
    return out

  def __pow__(self, other):
    assert isinstance(other, (int, float)), "only supporting int/float powers for now"
    out = Value(self.data**other, (self,), f'**{other}')
    def _backward():
      self.grad += other * self.data**(other - 1) * out.grad
    out._backward = _backward
    return out

  def exp(self):
    out = Value(math.exp(self.data), (self,), 'exp')
    def _backward():
      self.grad += out.data * out.grad
    out._backward = _backward
    return out

  def tanh(self):
    t = math.tanh(self.data)
    out = Value(t, (self,), 'tanh')
    def _backward():
      self.grad += (1 - t**2) * out.grad
    out._backward = _backward
    return out

  def relu(self):
    out = Value(self.data if self.data > 0 else 0.0, (self,), 'ReLU')
    def _backward():
      self.grad += (out.data > 0) * out.grad
    out._backward = _backward
    return out

  def log(self):
    out = Value(math.log(self.data), (self,), 'log')
    def _backward():
      self.grad += (1 / self.data) * out.grad
    out._backward = _backward
    return out

  def backward(self):
    self.grad = 1.0
    for node in reversed(topo_order(self)):
      node._backward()

  def __neg__(self): # -self
    return self * -1

  def __sub__(self, other): # self - other
    return self + (-other)

  def __radd__(self, other): # other + self
    return self + other

  def __rmul__(self, other): # other * self
    return self * other

  def __rsub__(self, other): # other - self
    return other + (-self)

  def __truediv__(self, other): # self / other
    return self * other**-1

  def __rtruediv__(self, other): # other / self
    return other * self**-1"""

NEURON = """def build_neuron():
  x1 = Value(2.0, label='x1')
  x2 = Value(0.0, label='x2')
  w1 = Value(-3.0, label='w1')
  w2 = Value(1.0, label='w2')
  b = Value(6.8813735870195432, label='b')
  n = x1*w1 + x2*w2 + b; n.label = 'n'
  o = n.tanh(); o.label = 'o'
  return o

def build_neuron_exp():
  x1 = Value(2.0, label='x1')
  x2 = Value(0.0, label='x2')
  w1 = Value(-3.0, label='w1')
  w2 = Value(1.0, label='w2')
  b = Value(6.8813735870195432, label='b')
  n = x1*w1 + x2*w2 + b; n.label = 'n'
  e = (2*n).exp()
  o = (e - 1) / (e + 1); o.label = 'o'
  return o

o = build_neuron()
o.backward()
draw_dot(o)"""

NN = """class Module:

  def zero_grad(self):
    for p in self.parameters():
      p.grad = 0.0

  def parameters(self):
    return []

class Neuron(Module):

  def __init__(self, nin, nonlin=True):
    self.w = [Value(random.uniform(-1,1)) for _ in range(nin)]
    self.b = Value(random.uniform(-1,1))
    self.nonlin = nonlin

  def __call__(self, x):
    act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
    return act.tanh() if self.nonlin else act

  def parameters(self):
    return self.w + [self.b]

class Layer(Module):

  def __init__(self, nin, nout, **kwargs):
    self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

  def __call__(self, x):
    outs = [n(x) for n in self.neurons]
    return outs[0] if len(outs) == 1 else outs

  def parameters(self):
    return [p for neuron in self.neurons for p in neuron.parameters()]

class MLP(Module):

  def __init__(self, nin, nouts):
    sz = [nin] + nouts
    self.layers = [Layer(sz[i], sz[i+1]) for i in range(len(nouts))]

  def __call__(self, x):
    for layer in self.layers:
      x = layer(x)
    return x

  def parameters(self):
    return [p for layer in self.layers for p in layer.parameters()]"""

DATA = """xs = [
  [2.0, 3.0, -1.0],
  [3.0, -1.0, 0.5],
  [0.5, 1.0, 1.0],
  [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0] # desired targets
n = MLP(3, [4, 4, 1])"""

TRAIN = """def mse_loss(ypred, ys):
  return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))

def train(model, xs, ys, steps=20, lr=0.05):
  losses = []
  for k in range(steps):
    ypred = [model(x) for x in xs]
    loss = mse_loss(ypred, ys)
    model.zero_grad()
    loss.backward()
    for p in model.parameters():
      p.data += -lr * p.grad
    losses.append(loss.data)
  return losses

train(n, xs, ys)"""

QUIZ = """q1 = "b"
q2 = 0.138
q3 = "b"
q4 = 2.0
q5 = "c"
q6 = "b"
q7 = "d"
q8 = 0.5
q9 = "a"
q10 = "b\""""

SOFTMAX = """def softmax(logits):
  counts = [logit.exp() for logit in logits]
  total = sum(counts)
  return [c / total for c in counts]

def nll(logits, target):
  return -softmax(logits)[target].log()"""

CELLS = {'setup': SETUP, 'f': SCRATCH_F, 'derivatives': DERIVATIVES, 'first_value': FIRST_VALUE,
         'draw_dot': DRAW_DOT, 'manual': MANUAL, 'topo': TOPO, 'value': VALUE, 'neuron': NEURON, 'nn': NN,
         'data': DATA, 'train': TRAIN, 'quiz': QUIZ, 'softmax': SOFTMAX}


def lecture_notebook(**changes: str | None) -> nbformat.NotebookNode:
    """The notebook, with some cells' sources changed (or, given None, the cell left out); a markdown cell first."""
    nb = v4.new_notebook(metadata={'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}})
    nb.cells.append(v4.new_markdown_cell('# micrograd, from the lecture'))
    for key, source in {**CELLS, **changes}.items():
        if source is not None:
            nb.cells.append(v4.new_code_cell(source))
    return nb


def number(nb: nbformat.NotebookNode, source: str) -> int:
    """The cell's place among all cells, counted from 1 as the grader's notes count them."""
    return next(i for i, c in enumerate(nb.cells, 1) if c.source == source)


def save(nb: nbformat.NotebookNode, folder: Path, name: str = 'lecture.ipynb') -> Path:
    path = Path(folder) / name
    nbformat.write(nb, path)
    return path
