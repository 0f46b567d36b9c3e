from engine import Value


def build_neuron():
    """ the lecture's single neuron: o = tanh(x1*w1 + x2*w2 + b) (checked as in docs/contract/neuron.md) """
    # inputs x1 = 2.0, x2 = 0.0; weights w1 = -3.0, w2 = 1.0; bias b = 6.8813735870195432
    # label the nodes x1, x2, w1, w2, b, n (the pre-activation) and o (the output), and return o
    raise NotImplementedError("neuron: build_neuron")


def build_neuron_exp():
    """ the same neuron, with tanh spelled out through exp: (e**2n - 1) / (e**2n + 1)
    (checked as in docs/contract/neuron.md) """
    raise NotImplementedError("neuron: build_neuron_exp")


if __name__ == '__main__':
    o = build_neuron()
    o.backward()
    print(o)
