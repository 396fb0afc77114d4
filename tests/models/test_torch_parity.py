"""Parity with PyTorch: one epoch of SGD on a small MLP, identical initial weights, float64."""
import numpy as np
import pytest

from glassnet import losses, optimizers
from glassnet.layers import Dense, Input
from glassnet.models import Sequential

torch = pytest.importorskip("torch")


def test_one_epoch_of_sgd_matches_a_hand_written_torch_loop(float64):
    rng = np.random.default_rng(0)
    n, batch_size, lr = 50, 16, 0.1  # batches of 16, 16, 16 and a short one of 2
    x = rng.normal(size=(n, 5))
    y = rng.integers(0, 3, size=n)
    model = Sequential([Input((5,)), Dense(8, activation="relu"), Dense(3)])
    model.compile(optimizer=optimizers.SGD(learning_rate=lr),
                  loss=losses.SparseCategoricalCrossentropy(from_logits=True))
    W1, b1, W2, b2 = [torch.tensor(w, requires_grad=True) for w in model.get_weights()]
    history = model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)

    total = 0.0
    for start in range(0, n, batch_size):
        xb, yb = torch.tensor(x[start:start + batch_size]), torch.tensor(y[start:start + batch_size])
        logits = torch.relu(xb @ W1 + b1) @ W2 + b2
        loss = torch.nn.functional.cross_entropy(logits, yb)
        total += loss.item() * len(xb)
        for p in (W1, b1, W2, b2):
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in (W1, b1, W2, b2):
                p -= lr * p.grad

    for mine, theirs in zip(model.get_weights(), (W1, b1, W2, b2)):
        np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert history.history["loss"][0] == pytest.approx(total / n, rel=1e-10)
