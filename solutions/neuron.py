from engine import Value


def build_neuron():
    """ the lecture's single neuron: o = tanh(x1*w1 + x2*w2 + b) (checked as in docs/contract/neuron.md) """
    # inputs x1 = 2.0, x2 = 0.0; weights w1 = -3.0, w2 = 1.0; bias b = 6.8813735870195432
    # label the nodes x1, x2, w1, w2, b, n (the pre-activation) and o (the output), and return o
    # BEGIN SOLUTION neuron: build_neuron
    # inputs x1,x2
    x1 = Value(2.0, label='x1')
    x2 = Value(0.0, label='x2')
    # weights w1,w2
    w1 = Value(-3.0, label='w1')
    w2 = Value(1.0, label='w2')
    # bias of the neuron
    b = Value(6.8813735870195432, label='b')
    # x1*w1 + x2*w2 + b
    x1w1 = x1*w1; x1w1.label = 'x1*w1'
    x2w2 = x2*w2; x2w2.label = 'x2*w2'
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
    n = x1w1x2w2 + b; n.label = 'n'
    o = n.tanh(); o.label = 'o'
    return o
    # END SOLUTION


def build_neuron_exp():
    """ the same neuron, with tanh spelled out through exp: (e**2n - 1) / (e**2n + 1)
    (checked as in docs/contract/neuron.md) """
    # BEGIN SOLUTION neuron: build_neuron_exp
    x1 = Value(2.0, label='x1')
    x2 = Value(0.0, label='x2')
    w1 = Value(-3.0, label='w1')
    w2 = Value(1.0, label='w2')
    b = Value(6.8813735870195432, label='b')
    x1w1 = x1*w1; x1w1.label = 'x1*w1'
    x2w2 = x2*w2; x2w2.label = 'x2*w2'
    x1w1x2w2 = x1w1 + x2w2; x1w1x2w2.label = 'x1*w1 + x2*w2'
    n = x1w1x2w2 + b; n.label = 'n'
    e = (2*n).exp(); e.label = 'e'
    o = (e - 1) / (e + 1); o.label = 'o'
    return o
    # END SOLUTION


if __name__ == '__main__':
    o = build_neuron()
    o.backward()
    print(o)
