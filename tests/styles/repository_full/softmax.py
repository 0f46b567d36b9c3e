def softmax(logits):
    counts = [z.exp() for z in logits]
    total = sum(counts)
    return [c / total for c in counts]


def nll(logits, target):
    return -softmax(logits)[target].log()
