def mse_loss(ypred, ys):
  return sum((yout - ygt)**2 for ygt, yout in zip(ys, ypred))


def train(n, xs, ys, steps=20, lr=0.05):
  losses = []
  for k in range(steps):

    # forward pass
    ypred = [n(x) for x in xs]
    loss = mse_loss(ypred, ys)

    # backward pass
    for p in n.parameters():
      p.grad = 0.0
    loss.backward()

    # update
    for p in n.parameters():
      p.data += -lr * p.grad

    losses.append(loss.data)
  return losses
