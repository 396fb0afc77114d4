"""Batch, mini-batch and stochastic gradient descent: one optimizer, three batch sizes.

A linear regression, ŷ = X·w + b, fitted by minimising the mean squared error
J(w, b) = (1/B)·Σ (ŷ_i − y_i)² over a batch of B examples. The same ``SGD`` optimizer
with the same learning rate is driven by hand with

    batch GD        B = N    (one update per epoch, the exact gradient)
    mini-batch GD   B = 32   (N/32 updates per epoch)
    stochastic GD   B = 1    (N updates per epoch, one example each)

and the loss on the whole training set is recorded after every update. The plot (loss
against epochs, log scale) shows the trade-off of the course: batch GD descends
smoothly but slowly per epoch, stochastic GD makes fast, noisy progress and never
settles exactly, mini-batch sits in between and is what ``model.fit(batch_size=32)`` does.

Run:  python examples/gradient_descent_variants.py [--epochs 10] [--out glassnet_output/gradient_descent_variants.png]
"""
from __future__ import annotations

import argparse
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import glassnet as gn  # noqa: E402
from glassnet import optimizers  # noqa: E402

N, FEATURES, NOISE = 1000, 5, 0.1
LEARNING_RATE = 0.05


def make_data():
    rng = gn.backend.rng()
    X = rng.normal(size=(N, FEATURES))
    w_true, b_true = rng.normal(size=(FEATURES, 1)), 0.5
    y = X @ w_true + b_true + NOISE * rng.normal(size=(N, 1))
    return X, y


def train(X, y, batch_size: int, epochs: int):
    """Mini-batch SGD by hand; returns the full-data MSE after every update and the weights."""
    w = gn.Variable(np.zeros((FEATURES, 1)), name="w", dtype="float64")
    b = gn.Variable(np.zeros((1,)), name="b", dtype="float64")
    optimizer = optimizers.SGD(learning_rate=LEARNING_RATE)
    losses = [float(np.mean((X @ w.data + b.data - y) ** 2))]
    for _ in range(epochs):
        order = gn.backend.rng().permutation(N)             # reshuffle every epoch
        for start in range(0, N, batch_size):
            batch = order[start:start + batch_size]
            y_hat = gn.Tensor(X[batch]) @ w + b
            loss = ((y_hat - gn.Tensor(y[batch])) ** 2).mean()    # J = (1/B)·Σ (ŷ − y)²
            optimizer.zero_grad([w, b])
            loss.backward()
            optimizer.step([w, b])
            losses.append(float(np.mean((X @ w.data + b.data - y) ** 2)))
    return np.array(losses), w.data.ravel(), float(b.data[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--out", default=os.path.join("glassnet_output", "gradient_descent_variants.png"))
    args = parser.parse_args()

    gn.utils.set_random_seed(0)
    X, y = make_data()
    variants = {"batch GD (B = N = 1000)": N, "mini-batch GD (B = 32)": 32, "stochastic GD (B = 1)": 1}
    fig, ax = plt.subplots(figsize=(9, 5))
    for (label, batch_size), color in zip(variants.items(), ["tab:blue", "tab:green", "tab:red"]):
        losses, w, b = train(X, y, batch_size, args.epochs)
        epochs = np.arange(len(losses)) / (len(losses) - 1) * args.epochs
        ax.plot(epochs, losses, color=color, linewidth=1.0 if batch_size > 1 else 0.6, label=label,
                marker="o" if batch_size == N else None, markersize=3)   # batch GD: one dot per update
        print(f"{label:26s} {len(losses) - 1:5d} updates   final MSE {losses[-1]:.4f}   "
              f"w = {np.round(w, 2)}  b = {b:.2f}")
    ax.axhline(NOISE**2, color="0.4", linestyle="--", linewidth=0.8, label=f"noise floor σ² = {NOISE**2:g}")
    ax.set(yscale="log", xlabel="epoch", ylabel="training MSE (whole set)",
           title=f"SGD, η = {LEARNING_RATE}, linear regression with N = {N}: batch size is the only difference")
    ax.legend()
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    fig.savefig(args.out, dpi=120, bbox_inches="tight")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
