from engine import Value


def build_L():
    """ the lecture's L = d * f, with every .grad filled in by hand
    (checked as in docs/contract/manual_grads.md) """
    a = Value(2.0); a.label = 'a'
    b = Value(-3.0); b.label = 'b'
    c = Value(10.0); c.label = 'c'
    e = a*b; e.label = 'e'
    d = e + c; d.label = 'd'
    f = Value(-2.0); f.label = 'f'
    L = d * f; L.label = 'L'

    # backpropagate by hand, from L towards the leaves, with the chain rule:
    # set L.grad, d.grad, f.grad, e.grad, c.grad, a.grad and b.grad
    # BEGIN SOLUTION manual_grads: build_L
    L.grad = 1.0
    d.grad = f.data * L.grad   # dL/dd = f
    f.grad = d.data * L.grad   # dL/df = d
    e.grad = 1.0 * d.grad      # + routes the gradient unchanged
    c.grad = 1.0 * d.grad
    a.grad = b.data * e.grad   # de/da = b
    b.grad = a.data * e.grad   # de/db = a
    # END SOLUTION
    return L
