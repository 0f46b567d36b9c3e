def softmax(logits):
    """ turn a list of Values into probabilities that sum to 1, using exp
    (checked as in docs/contract/softmax.md) """
    # BEGIN SOLUTION softmax: softmax
    counts = [logit.exp() for logit in logits]
    denominator = sum(counts)
    return [c / denominator for c in counts]
    # END SOLUTION


def nll(logits, target):
    """ the negative log-likelihood of the class `target` under softmax(logits), using log
    (checked as in docs/contract/softmax.md) """
    # BEGIN SOLUTION softmax: nll
    probs = softmax(logits)
    return -probs[target].log()
    # END SOLUTION
