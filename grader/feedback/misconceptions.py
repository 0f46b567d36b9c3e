"""The mistakes students really make, each named and explained in plain words."""
from __future__ import annotations

from dataclasses import dataclass


GRAD_LINE = r'\.grad\s*\+?=(?!=)'  # a line that sets or adds to a gradient
UPDATE_LINE = r'\.data\s*[-+]?=(?!=)'  # the update step of a training loop


@dataclass(frozen=True)
class Misconception:
    """A named mistake: `title` is what it is, `explanation` is why it is wrong and what to do."""

    title: str
    explanation: str
    line: str = GRAD_LINE  # a regex for the offending line in the function where the mistake lives


MISCONCEPTIONS: dict[str, Misconception] = {
    'assign_not_accumulate': Misconception(
        '`=` instead of `+=`',
        "A _backward sets the gradient with `=` instead of adding to it with `+=`. When a Value is "
        "used more than once (a + a, or a node feeding two ops), each use must add its share; `=` "
        "throws the earlier shares away.", r'\.grad\s*=(?!=)'),
    'no_chain_rule': Misconception(
        'forgot `* out.grad`',
        "A _backward adds only the local derivative and forgets to multiply it by out.grad. The chain "
        "rule says d(loss)/d(input) = local derivative * d(loss)/d(output).", r'\.grad\s*\+=(?!.*out\.grad)'),
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
    'tanh_square_of_one_minus_t': Misconception(
        '`(1 - t)**2` instead of `1 - t**2`',
        "The derivative of tanh is 1 - t**2: square t first, then subtract it from 1. (1 - t)**2 "
        "subtracts first and squares the difference, which is a different number."),
    'tanh_overflow': Misconception(
        'tanh through math.exp(2*x) overflows',
        "For a large input, math.exp(2*x) is bigger than the largest float (about x > 354), and Python "
        "raises OverflowError. tanh itself is fine there: it is 1.0 (or -1.0). Use math.tanh(x), or "
        "write tanh with exp(-2*abs(x)), which can only get small.", ''),
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
        "reverse, so a node's grad is complete before it is passed on.", r'_backward\(\)'),
    'unreversed_topo': Misconception(
        'the topological order is not reversed',
        "backward() walks the topological order from the leaves up. Gradients flow from the output "
        "back to the inputs: walk reversed(topo).", r'for\s.*\bin\b(?!.*reversed)(?!.*_prev)'),
    'no_grad_seed': Misconception(
        'no seed `self.grad = 1.0`',
        "backward() never sets the output's own gradient to 1.0 (dL/dL = 1), so there is nothing to "
        "pass back and every gradient stays 0.", ''),
    'reset_grads_in_backward': Misconception(
        'grads reset inside backward()',
        "backward() sets gradients to zero before accumulating, so calling it twice does not add up. "
        "Resetting is zero_grad's job, done by the training loop; backward() only adds.", r'\.grad\s*=\s*0'),
    'rmul_recursion': Misconception(
        '`__rmul__` recursing forever',
        "__rmul__ computes other * self. Python turns that back into self.__rmul__(other), again and "
        "again. Write self * other: multiplication commutes, and __mul__ knows what to do.", ''),
    'missing_radd': Misconception(
        'no `__radd__` for sum()',
        "sum() starts from the number 0 and computes 0 + value, which needs Value.__radd__. Define it "
        "as self + other.", ''),
    'parameters_list_plus_value': Misconception(
        '`self.w + self.b` adds a list and a Value',
        "self.w is a list of Values and self.b is one Value: + cannot join them, so Python hands the "
        "list to your Value's __radd__, which fails inside engine.py. The bug is in parameters(), not "
        "in the engine: put b in a list of its own, self.w + [self.b].", ''),
    'mlp_last_layer_linear': Misconception(
        "the MLP's last layer is linear",
        "Your MLP builds its last layer with nonlin=False, as micrograd's repository does for its "
        "classifier. The lecture's MLP, the one this exercise asks for, uses tanh neurons in every "
        "layer, the last one too: its outputs lie between -1 and 1, like the targets.", r'nonlin|Layer\('),
    'neuron_no_tanh': Misconception(
        'the Neuron never applies tanh',
        "Your Neuron returns w . x + b as it is. The lecture's neuron squashes it through tanh: return "
        "act.tanh() (or act itself only when nonlin is False).", r'return'),
    'neuron_no_bias': Misconception(
        'a Neuron without its bias',
        "A neuron computes tanh(w . x + b): start the sum from self.b, and list b in parameters().",
        r'sum\(|return'),
    'no_zero_grad': Misconception(
        'forgot zero_grad',
        "The training loop never resets the gradients, so every backward() adds onto the previous "
        "step's gradients. Call model.zero_grad() before loss.backward() in every step.", r'\.backward\('),
    'zero_grad_after_backward': Misconception(
        'zero_grad() after backward()',
        "Your weights never change: zero_grad() runs after loss.backward(), so it wipes the gradients "
        "that backward() just computed, and the update then steps by 0. Reset the grads before "
        "loss.backward(), and update after it.", r'zero_grad\(|\.grad\s*=\s*0'),
    'wrong_update_sign': Misconception(
        'the update has the wrong sign',
        "The update moves parameters along the gradient, which increases the loss. Step against it: "
        "p.data += -lr * p.grad.", UPDATE_LINE),
    'derivative_no_run': Misconception(
        'rise without run',
        "A derivative estimate is rise over run: (f(x + h) - f(x)) / h. Without dividing by h you "
        "have only the change in f, which shrinks with h.", r'return'),
    'symmetric_run_is_h': Misconception(
        'the symmetric step is 2h wide',
        "The symmetric difference steps h to each side, so x moves 2h in all: divide by 2 * h.", r'return'),
    'symmetric_precedence': Misconception(
        '`/ 2*h` divides by 2, then multiplies by h',
        "Python reads a / 2*h as (a / 2) * h: / and * have the same precedence and go left to right. "
        "Put the run in parentheses: / (2 * h).", r'return'),
    'one_sided_run_is_h': Misconception(
        'the one-sided step is h wide',
        "numerical_derivative moves x from x to x + h: the run is h, so divide by h, not by 2 * h.", r'return'),
    'one_sided_for_symmetric': Misconception(
        'one-sided and symmetric differences mixed up',
        "numerical_derivative is one-sided: (f(x + h) - f(x)) / h. symmetric_derivative steps to both "
        "sides: (f(x + h) - f(x - h)) / (2 * h).", r'return'),
    'reflected_swapped': Misconception(
        'a reflected op with its operands swapped',
        "In 2 - v Python calls v.__rsub__(2): self is v and other is 2, so the answer is other - self. "
        "The same goes for __rtruediv__: other / self.", r'return'),
    'relu_gradient': Misconception(
        'relu passes the wrong gradient',
        "relu's local derivative is 1 where its output is positive and 0 elsewhere: "
        "self.grad += (out.data > 0) * out.grad."),
    'lr_too_high': Misconception(
        'a learning rate so high the loss explodes',
        "The loss grows instead of shrinking: each update jumps so far that it overshoots the minimum. "
        "Steps this large also push the tanh neurons to +1 or -1, where their gradient is almost 0 and "
        "training stalls. Step by the lr that train() is given: p.data += -lr * p.grad.", UPDATE_LINE),
    'loss_is_mean': Misconception(
        'the loss is a mean, not a sum',
        "The lecture's loss is the sum of squared errors over the examples, not their mean.", r'/|mean|return'),
    'loss_not_float': Misconception(
        'train() returns Values, not floats',
        "train() should return each step's loss as a plain number: append loss.data, not loss.",
        r'append|return'),
    'neuron_returns_n': Misconception(
        'the neuron returns n, not o = tanh(n)',
        "n = x1*w1 + x2*w2 + b is only the neuron's weighted sum. Its output is o = n.tanh() (or, "
        "in build_neuron_exp, o = (e - 1) / (e + 1)): return o.", r'return'),
    'softmax_not_normalised': Misconception(
        'softmax is not normalised',
        "softmax divides each count exp(z_i) by the sum of all the counts, so that the probabilities "
        "add up to 1. Compute total = sum(counts) and return [c / total for c in counts].", r'return'),
    'nll_no_minus': Misconception(
        'nll without its minus sign',
        "The log of a probability is negative (or 0), and a loss must shrink as the right class gets "
        "likelier: the negative log-likelihood is -p.log().", r'return'),
    'non_stdlib_import': Misconception(
        'an import that is not in the standard library',
        "The exercises use only Python's standard library (math, random, ...) and your own exercise "
        "files: every op works on plain floats, so numpy is not needed, and the grader runs your code "
        "without any installed package. Remove the import.", ''),
}
