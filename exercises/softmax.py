def softmax(logits):
    """ turn a list of Values into probabilities that sum to 1, using exp
    (checked as in docs/contract/softmax.md) """
    raise NotImplementedError("softmax: softmax")


def nll(logits, target):
    """ the negative log-likelihood of the class `target` under softmax(logits), using log
    (checked as in docs/contract/softmax.md) """
    raise NotImplementedError("softmax: nll")
