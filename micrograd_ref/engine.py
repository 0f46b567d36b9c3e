import math


class Value:
    """ stores a single scalar value and its gradient """

    __slots__ = ('data', 'grad', '_prev', '_local', '_op', 'label')

    def __init__(self, data, _children=(), _op='', label='', _local=()):
        self.data = data
        self.grad = 0.0
        # internal variables used for autograd graph construction
        self._prev = _children   # a tuple: the same child may appear twice, as in a + a
        self._local = _local     # d(self)/d(child) for each child, recorded in the forward pass
        self._op = _op           # the op that produced this node, for graphviz / debugging / etc
        self.label = label

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), '+', _local=(1.0, 1.0))

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), '*', _local=(other.data, self.data))

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        return Value(self.data**other, (self,), f'**{other}', _local=(other * self.data**(other - 1),))

    def exp(self):
        e = math.exp(self.data)
        return Value(e, (self,), 'exp', _local=(e,))

    def log(self):
        return Value(math.log(self.data), (self,), 'log', _local=(1.0 / self.data,))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), 'tanh', _local=(1 - t * t,))

    def relu(self):
        return Value(max(self.data, 0.0), (self,), 'ReLU', _local=(float(self.data > 0),))

    def __neg__(self): # -self
        return Value(-self.data, (self,), 'neg', _local=(-1.0,))

    def __sub__(self, other): # self - other
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data - other.data, (self, other), '-', _local=(1.0, -1.0))

    def __truediv__(self, other): # self / other
        other = other if isinstance(other, Value) else Value(other)
        q = self.data / other.data
        return Value(q, (self, other), '/', _local=(1.0 / other.data, -q / other.data))

    def __radd__(self, other): # other + self
        return self + other

    def __rmul__(self, other): # other * self
        return self * other

    def __rsub__(self, other): # other - self
        return Value(other) - self

    def __rtruediv__(self, other): # other / self
        return Value(other) / self

    def backward(self):
        # topological order all of the children in the graph: a depth-first walk that keeps its own
        # stack of (node, children still to visit), so deep graphs need no recursion
        topo, visited, stack = [], {self}, [(self, iter(self._prev))]
        while stack:
            v, children = stack[-1]
            for child in children:
                if child not in visited:
                    visited.add(child)
                    stack.append((child, iter(child._prev)))
                    break
            else:
                stack.pop()
                topo.append(v)

        # go one variable at a time and apply the chain rule to get its gradient
        self.grad = 1.0
        for v in reversed(topo):
            for child, local in zip(v._prev, v._local):
                child.grad += local * v.grad

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"
