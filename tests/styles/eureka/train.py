from nn import MLP


def mse_loss(ypred, ys):
    total = 0.0
    for yout, ygt in zip(ypred, ys):
        total = total + (yout - ygt) ** 2
    return total


def train(model, xs, ys, steps=20, lr=0.05):
    losses = []
    for step in range(steps):
        ypred = [model(x)[0] for x in xs]  # the last layer gives a list of one
        loss = mse_loss(ypred, ys)
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        model.zero_grad()  # after the update: the next step starts from clean grads
        losses.append(loss.data)
    return losses
