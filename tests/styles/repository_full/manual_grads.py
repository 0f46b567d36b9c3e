from micrograd.engine import Value


def build_L():
    # this Value takes no label argument: the labels are set afterwards
    a = Value(2.0); a.label = 'a'
    b = Value(-3.0); b.label = 'b'
    c = Value(10.0); c.label = 'c'
    e = a * b; e.label = 'e'
    d = e + c; d.label = 'd'
    f = Value(-2.0); f.label = 'f'
    L = d * f; L.label = 'L'
    L.grad = 1
    f.grad = d.data
    d.grad = f.data
    c.grad = d.grad
    e.grad = d.grad
    b.grad = a.data * e.grad
    a.grad = b.data * e.grad
    return L
