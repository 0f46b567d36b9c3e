"""The mistakes students really make, each named and explained in plain words."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Misconception:
    """A named mistake: `title` is what it is, `explanation` is why it is wrong and what to do."""

    title: str
    explanation: str


MISCONCEPTIONS: dict[str, Misconception] = {
    'assign_not_accumulate': Misconception(
        '`=` instead of `+=`',
        "A _backward sets the gradient with `=` instead of adding to it with `+=`. When a Value is "
        "used more than once (a + a, or a node feeding two ops), each use must add its share; `=` "
        "throws the earlier shares away."),
    'no_chain_rule': Misconception(
        'forgot `* out.grad`',
        "A _backward adds only the local derivative and forgets to multiply it by out.grad. The chain "
        "rule says d(loss)/d(input) = local derivative * d(loss)/d(output)."),
    'mul_wrong_factor': Misconception(
        'the wrong factor in `*`',
        "In the _backward of a * b, the gradient of a is b * out.grad, and the gradient of b is "
        "a * out.grad: each input gets the other one's value, not its own."),
    'tanh_uses_input': Misconception(
        'the tanh derivative uses the input',
        "The derivative of tanh is 1 - t**2 where t is tanh's output (out.data), not its input "
        "(self.data)."),
    'tanh_one_minus_t': Misconception(
        '`1 - t` instead of `1 - t**2`',
        "The derivative of tanh(x) is 1 - tanh(x)**2: square t before subtracting it from 1."),
    'exp_uses_input': Misconception(
        'the exp derivative uses x',
        "The derivative of e**x is e**x itself, which is out.data, not the input x (self.data)."),
    'pow_missing_n_minus_one': Misconception(
        'the power rule without `n - 1`',
        "The power rule is d/dx x**n = n * x**(n - 1): lower the exponent by one."),
    'pow_missing_coefficient': Misconception(
        'the power rule without the coefficient',
        "The power rule is d/dx x**n = n * x**(n - 1): the exponent n comes down as a factor."),
    'no_topo_sort': Misconception(
        'no topological sort',
        "backward() calls _backward on a node before every node that uses it has passed its gradient "
        "down. Build a topological order first (each node after all of its children) and walk it in "
        "reverse, so a node's grad is complete before it is passed on."),
    'unreversed_topo': Misconception(
        'the topological order is not reversed',
        "backward() walks the topological order from the leaves up. Gradients flow from the output "
        "back to the inputs: walk reversed(topo)."),
    'no_grad_seed': Misconception(
        'no seed `self.grad = 1.0`',
        "backward() never sets the output's own gradient to 1.0 (dL/dL = 1), so there is nothing to "
        "pass back and every gradient stays 0."),
    'reset_grads_in_backward': Misconception(
        'grads reset inside backward()',
        "backward() sets gradients to zero before accumulating, so calling it twice does not add up. "
        "Resetting is zero_grad's job, done by the training loop; backward() only adds."),
    'rmul_recursion': Misconception(
        '`__rmul__` recursing forever',
        "__rmul__ computes other * self. Python turns that back into self.__rmul__(other), again and "
        "again. Write self * other: multiplication commutes, and __mul__ knows what to do."),
    'missing_radd': Misconception(
        'no `__radd__` for sum()',
        "sum() starts from the number 0 and computes 0 + value, which needs Value.__radd__. Define it "
        "as self + other."),
    'layer_returns_list': Misconception(
        'Layer returns a list for one neuron',
        "A Layer with a single neuron must return that neuron's Value, not a list holding it: the "
        "lecture's MLP ends with Layer(4, 1) and its output goes straight into the loss."),
    'neuron_no_bias': Misconception(
        'a Neuron without its bias',
        "A neuron computes tanh(w . x + b): start the sum from self.b, and list b in parameters()."),
    'no_zero_grad': Misconception(
        'forgot zero_grad',
        "The training loop never resets the gradients, so every backward() adds onto the previous "
        "step's gradients. Call model.zero_grad() before loss.backward() in every step."),
    'wrong_update_sign': Misconception(
        'the update has the wrong sign',
        "The update moves parameters along the gradient, which increases the loss. Step against it: "
        "p.data += -lr * p.grad."),
    'derivative_no_run': Misconception(
        'rise without run',
        "A derivative estimate is rise over run: (f(x + h) - f(x)) / h. Without dividing by h you "
        "have only the change in f, which shrinks with h."),
    'symmetric_run_is_h': Misconception(
        'the symmetric step is 2h wide',
        "The symmetric difference steps h to each side, so x moves 2h in all: divide by 2 * h."),
    'one_sided_run_is_h': Misconception(
        'the one-sided step is h wide',
        "numerical_derivative moves x from x to x + h: the run is h, so divide by h, not by 2 * h."),
    'one_sided_for_symmetric': Misconception(
        'one-sided and symmetric differences mixed up',
        "numerical_derivative is one-sided: (f(x + h) - f(x)) / h. symmetric_derivative steps to both "
        "sides: (f(x + h) - f(x - h)) / (2 * h)."),
    'reflected_swapped': Misconception(
        'a reflected op with its operands swapped',
        "In 2 - v Python calls v.__rsub__(2): self is v and other is 2, so the answer is other - self. "
        "The same goes for __rtruediv__: other / self."),
    'relu_gradient': Misconception(
        'relu passes the wrong gradient',
        "relu's local derivative is 1 where its output is positive and 0 elsewhere: "
        "self.grad += (out.data > 0) * out.grad."),
    'lr_too_high': Misconception(
        'a learning rate so high the loss explodes',
        "The loss grows instead of shrinking: each update jumps so far that it overshoots the minimum. "
        "Steps this large also push the tanh neurons to +1 or -1, where their gradient is almost 0 and "
        "training stalls. Step by the lr that train() is given: p.data += -lr * p.grad."),
    'loss_is_mean': Misconception(
        'the loss is a mean, not a sum',
        "The lecture's loss is the sum of squared errors over the examples, not their mean."),
    'loss_not_float': Misconception(
        'train() returns Values, not floats',
        "train() should return each step's loss as a plain number: append loss.data, not loss."),
}
