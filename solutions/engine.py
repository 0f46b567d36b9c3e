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
        # BEGIN SOLUTION forward_ops: Value.__add__
        out = Value(self.data + other.data, (self, other), '+')
        # END SOLUTION

        def _backward():
            # local_backward: add this op's share of out.grad to self.grad and other.grad
            # BEGIN SOLUTION local_backward: the _backward of +
            self.grad += out.grad
            other.grad += out.grad
            # END SOLUTION
        out._backward = _backward

        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        # forward_ops: out is a new Value holding self.data * other.data, with children (self, other) and op '*'
        # BEGIN SOLUTION forward_ops: Value.__mul__
        out = Value(self.data * other.data, (self, other), '*')
        # END SOLUTION

        def _backward():
            # local_backward: add this op's share of out.grad to self.grad and other.grad
            # BEGIN SOLUTION local_backward: the _backward of *
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
            # END SOLUTION
        out._backward = _backward

        return out

    def __pow__(self, other):
        assert isinstance(other, (int, float)), "only supporting int/float powers for now"
        # local_backward: out holds self.data**other, with children (self,) and op f'**{other}';
        # its _backward adds the power rule's share of out.grad to self.grad
        # BEGIN SOLUTION local_backward: Value.__pow__
        out = Value(self.data**other, (self,), f'**{other}')

        def _backward():
            self.grad += other * self.data**(other - 1) * out.grad
        out._backward = _backward

        return out
        # END SOLUTION

    def exp(self):
        # local_backward: out holds math.exp(self.data); its _backward uses d/dx e**x = e**x
        # BEGIN SOLUTION local_backward: Value.exp
        out = Value(math.exp(self.data), (self,), 'exp')

        def _backward():
            self.grad += out.data * out.grad
        out._backward = _backward

        return out
        # END SOLUTION

    def tanh(self):
        # local_backward: out holds math.tanh(self.data); its _backward uses d/dx tanh(x) = 1 - tanh(x)**2
        # BEGIN SOLUTION local_backward: Value.tanh
        t = math.tanh(self.data)
        out = Value(t, (self,), 'tanh')

        def _backward():
            self.grad += (1 - t**2) * out.grad
        out._backward = _backward

        return out
        # END SOLUTION

    def backward(self):
        # backward: order the graph topologically, seed self.grad = 1.0,
        # then call _backward on every node from self back to the leaves
        # BEGIN SOLUTION backward: Value.backward
        # topological order all of the children in the graph
        topo = []
        visited = set()
        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)
        build_topo(self)

        # go one variable at a time and apply the chain rule to get its gradient
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
        # END SOLUTION

    def __neg__(self): # -self
        # BEGIN SOLUTION derived_ops: Value.__neg__
        return self * -1
        # END SOLUTION

    def __sub__(self, other): # self - other
        # BEGIN SOLUTION derived_ops: Value.__sub__
        return self + (-other)
        # END SOLUTION

    def __radd__(self, other): # other + self
        # BEGIN SOLUTION derived_ops: Value.__radd__
        return self + other
        # END SOLUTION

    def __rmul__(self, other): # other * self
        # BEGIN SOLUTION derived_ops: Value.__rmul__
        return self * other
        # END SOLUTION

    def __rsub__(self, other): # other - self
        # BEGIN SOLUTION derived_ops: Value.__rsub__
        return other + (-self)
        # END SOLUTION

    def __truediv__(self, other): # self / other
        # BEGIN SOLUTION derived_ops: Value.__truediv__
        return self * other**-1
        # END SOLUTION

    def __rtruediv__(self, other): # other / self
        # BEGIN SOLUTION derived_ops: Value.__rtruediv__
        return other * self**-1
        # END SOLUTION

    def relu(self):
        # derived_ops: out holds max(self.data, 0); its _backward passes out.grad only where out.data > 0
        # BEGIN SOLUTION derived_ops: Value.relu
        out = Value(0.0 if self.data < 0 else self.data, (self,), 'ReLU')

        def _backward():
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward

        return out
        # END SOLUTION

    def log(self):
        # softmax: out holds math.log(self.data); its _backward uses d/dx log(x) = 1/x
        # BEGIN SOLUTION softmax: Value.log
        out = Value(math.log(self.data), (self,), 'log')

        def _backward():
            self.grad += (1 / self.data) * out.grad
        out._backward = _backward

        return out
        # END SOLUTION
