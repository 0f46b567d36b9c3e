def softmax(logits):
    ex = [x.exp() for x in logits]
    denom = sum(ex)
    return [x / denom for x in ex]


def nll(logits, target):
    # the negative log likelihood of the target class
    logp = softmax(logits)[target].log()
    return -logp
