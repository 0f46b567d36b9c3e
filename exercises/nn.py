import random
from engine import Value


class Module:
    """ what the checks call and read of Neuron, Layer and MLP: docs/contract/nn.md """

    def zero_grad(self):
        # nn: set the grad of every parameter to 0
        raise NotImplementedError("nn: Module.zero_grad")

    def parameters(self):
        return []


class Neuron(Module):

    def __init__(self, nin, nonlin=True):
        # nn: self.w, a list of nin Values, and self.b, one Value, all random.uniform(-1, 1)
        raise NotImplementedError("nn: Neuron.__init__")

    def __call__(self, x):
        # nn: w . x + b, through tanh when self.nonlin
        raise NotImplementedError("nn: Neuron.__call__")

    def parameters(self):
        raise NotImplementedError("nn: Neuron.parameters")


class Layer(Module):

    def __init__(self, nin, nout, **kwargs):
        # nn: self.neurons, a list of nout Neurons of nin inputs each
        raise NotImplementedError("nn: Layer.__init__")

    def __call__(self, x):
        # nn: every neuron's output; a single Value when the layer has one neuron
        raise NotImplementedError("nn: Layer.__call__")

    def parameters(self):
        raise NotImplementedError("nn: Layer.parameters")


class MLP(Module):

    def __init__(self, nin, nouts):
        # nn: self.layers, one Layer for each size in nouts, tanh neurons throughout
        raise NotImplementedError("nn: MLP.__init__")

    def __call__(self, x):
        raise NotImplementedError("nn: MLP.__call__")

    def parameters(self):
        raise NotImplementedError("nn: MLP.parameters")
