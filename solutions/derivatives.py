def f(x):
    return 3*x**2 - 4*x + 5


def numerical_derivative(f, x, h=0.0001):
    """ the slope of f at x: rise over run, from x to x + h (checked as in docs/contract/derivatives.md) """
    # BEGIN SOLUTION derivatives: numerical_derivative
    return (f(x + h) - f(x)) / h
    # END SOLUTION


def symmetric_derivative(f, x, h=0.0001):
    """ the slope of f at x from a step of h to either side: (f(x+h) - f(x-h)) / 2h
    (checked as in docs/contract/derivatives.md) """
    # BEGIN SOLUTION derivatives: symmetric_derivative
    return (f(x + h) - f(x - h)) / (2 * h)
    # END SOLUTION


if __name__ == '__main__':
    print(numerical_derivative(f, 3.0))   # close to 14
    print(symmetric_derivative(f, 3.0))   # closer still
