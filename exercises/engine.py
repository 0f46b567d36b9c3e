import math


class Value:
    """ stores a single scalar value and its gradient

    What the checks call and read, exercise by exercise, is in docs/contract/: forward_ops.md
    (+ and *), local_backward.md (their _backward, **, exp and tanh), backward.md (backward),
    derived_ops.md (-, /, the reflected ops, relu and sum) and softmax.md (log).
    """

    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self.grad = 0.0
        # internal variables used for autograd graph construction
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op # the op that produced this node, for graphviz / debugging / etc
        self.label = label

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        # forward_ops: out is a new Value holding self.data + other.data, with children (self, other) and op '+'
        raise NotImplementedError("forward_ops: Value.__add__")

        def _backward():
            # local_backward: add this op's share of out.grad to self.grad and other.grad
            raise NotImplementedError("local_backward: the _backward of +")
        out._backward = _backward

        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        # forward_ops: out is a new Value holding self.data * other.data, with children (self, other) and op '*'
        raise NotImplementedError("forward_ops: Value.__mul__")

        def _backward():
            # local_backward: add this op's share of out.grad to self.grad and other.grad
            raise NotImplementedError("local_backward: the _backward of *")
        out._backward = _backward

        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        # local_backward: out holds self.data**other, with children (self,) and op f'**{other}';
        # its _backward adds the power rule's share of out.grad to self.grad
        raise NotImplementedError("local_backward: Value.__pow__")

    def exp(self):
        # local_backward: out holds math.exp(self.data); its _backward uses d/dx e**x = e**x
        raise NotImplementedError("local_backward: Value.exp")

    def tanh(self):
        # local_backward: out holds math.tanh(self.data); its _backward uses d/dx tanh(x) = 1 - tanh(x)**2
        raise NotImplementedError("local_backward: Value.tanh")

    def backward(self):
        # backward: order the graph topologically, seed self.grad = 1.0,
        # then call _backward on every node from self back to the leaves
        raise NotImplementedError("backward: Value.backward")

    def __neg__(self): # -self
        raise NotImplementedError("derived_ops: Value.__neg__")

    def __sub__(self, other): # self - other
        raise NotImplementedError("derived_ops: Value.__sub__")

    def __radd__(self, other): # other + self
        raise NotImplementedError("derived_ops: Value.__radd__")

    def __rmul__(self, other): # other * self
        raise NotImplementedError("derived_ops: Value.__rmul__")

    def __rsub__(self, other): # other - self
        raise NotImplementedError("derived_ops: Value.__rsub__")

    def __truediv__(self, other): # self / other
        raise NotImplementedError("derived_ops: Value.__truediv__")

    def __rtruediv__(self, other): # other / self
        raise NotImplementedError("derived_ops: Value.__rtruediv__")

    def relu(self):
        # derived_ops: out holds max(self.data, 0); its _backward passes out.grad only where out.data > 0
        raise NotImplementedError("derived_ops: Value.relu")

    def log(self):
        # softmax: out holds math.log(self.data); its _backward uses d/dx log(x) = 1/x
        raise NotImplementedError("softmax: Value.log")
