# the lecture's tiny data set: four examples, three inputs each, and the desired targets
xs = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0]


def mse_loss(ypred, ys):
    """ the lecture's loss: the sum of squared differences between predictions and targets
    (checked as in docs/contract/training.md) """
    # BEGIN SOLUTION training: mse_loss
    return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))
    # END SOLUTION


def train(model, xs, ys, steps=20, lr=0.05):
    """ gradient descent on mse_loss; returns the loss (a float) at each step
    (checked as in docs/contract/training.md) """
    # each step: forward pass, zero_grad, backward, then move every parameter against its grad
    # BEGIN SOLUTION training: train
    losses = []
    for k in range(steps):
        # forward pass
        ypred = [model(x) for x in xs]
        loss = mse_loss(ypred, ys)

        # backward pass
        model.zero_grad()
        loss.backward()

        # update
        for p in model.parameters():
            p.data += -lr * p.grad

        losses.append(loss.data)
    return losses
    # END SOLUTION


if __name__ == '__main__':
    from nn import MLP
    model = MLP(3, [4, 4, 1])
    for k, loss in enumerate(train(model, xs, ys)):
        print(k, loss)
