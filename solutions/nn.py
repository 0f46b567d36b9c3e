import random
from engine import Value


class Module:
    """ what the checks call and read of Neuron, Layer and MLP: docs/contract/nn.md """

    def zero_grad(self):
        # nn: set the grad of every parameter to 0
        # BEGIN SOLUTION nn: Module.zero_grad
        for p in self.parameters():
            p.grad = 0.0
        # END SOLUTION

    def parameters(self):
        return []


class Neuron(Module):

    def __init__(self, nin, nonlin=True):
        # nn: self.w, a list of nin Values, and self.b, one Value, all random.uniform(-1, 1)
        # BEGIN SOLUTION nn: Neuron.__init__
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))
        self.nonlin = nonlin
        # END SOLUTION

    def __call__(self, x):
        # nn: w . x + b, through tanh when self.nonlin
        # BEGIN SOLUTION nn: Neuron.__call__
        # w * x + b
        act = sum((wi*xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh() if self.nonlin else act
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn: Neuron.parameters
        return self.w + [self.b]
        # END SOLUTION


class Layer(Module):

    def __init__(self, nin, nout, **kwargs):
        # nn: self.neurons, a list of nout Neurons of nin inputs each
        # BEGIN SOLUTION nn: Layer.__init__
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]
        # END SOLUTION

    def __call__(self, x):
        # nn: every neuron's output; a single Value when the layer has one neuron
        # BEGIN SOLUTION nn: Layer.__call__
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn: Layer.parameters
        return [p for neuron in self.neurons for p in neuron.parameters()]
        # END SOLUTION


class MLP(Module):

    def __init__(self, nin, nouts):
        # nn: self.layers, one Layer for each size in nouts, tanh neurons throughout
        # BEGIN SOLUTION nn: MLP.__init__
        sz = [nin] + nouts
        self.layers = [Layer(sz[i], sz[i+1]) for i in range(len(nouts))]
        # END SOLUTION

    def __call__(self, x):
        # BEGIN SOLUTION nn: MLP.__call__
        for layer in self.layers:
            x = layer(x)
        return x
        # END SOLUTION

    def parameters(self):
        # BEGIN SOLUTION nn: MLP.parameters
        return [p for layer in self.layers for p in layer.parameters()]
        # END SOLUTION
