"""Five optimizers on one 2-D loss surface: gradient descent, momentum, Adagrad, RMSprop, Adam.

The surface is an elongated bowl, f(x, y) = x²/10 + y²: steep across (y), shallow along
(x), the shape that makes plain gradient descent zigzag. Each optimizer starts at the same
point and is driven by hand, the PyTorch way:

    loss = f(w)             # a glassnet Tensor expression
    loss.backward()         # fills w.grad = ∇f(w)
    optimizer.step([w])     # w ← update(w, w.grad)
    optimizer.zero_grad([w])

What to look for in the picture:
  * GD with a large step zigzags across the valley (y flips sign every step);
  * momentum smooths the zigzag and speeds up along the valley, overshooting a little;
  * Adagrad, RMSprop and Adam divide each coordinate by its own gradient history, so
    their first steps are diagonal (about the same size in x and y) rather than along
    the gradient; Adam's momentum then carries it past the minimum and back.

Run:  python examples/optimizers_on_a_surface.py [--steps 60] [--out glassnet_output/optimizers_on_a_surface.png]
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

START = (-4.0, 2.0)
CURVATURE = np.array([0.1, 1.0])            # f(x, y) = 0.1·x² + 1·y²


def f(w):
    """The loss surface; works on Tensors (for backward) and on NumPy grids (for the contours)."""
    return (gn.Tensor(CURVATURE) * w * w).sum() if isinstance(w, gn.Tensor) else 0.1 * w[0] ** 2 + w[1] ** 2


def trajectory(optimizer, steps: int) -> np.ndarray:
    w = gn.Variable(np.array(START), name="w", dtype="float64")
    path = [w.data.copy()]
    for _ in range(steps):
        loss = f(w)
        loss.backward()
        optimizer.step([w])
        optimizer.zero_grad([w])
        path.append(w.data.copy())
    return np.array(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--out", default=os.path.join("glassnet_output", "optimizers_on_a_surface.png"))
    args = parser.parse_args()

    contestants = {
        "GD (η = 0.9)": optimizers.SGD(learning_rate=0.9),
        "momentum (η = 0.1, γ = 0.9)": optimizers.SGD(learning_rate=0.1, momentum=0.9),
        "Adagrad (η = 1.0)": optimizers.Adagrad(learning_rate=1.0),
        "RMSprop (η = 0.1)": optimizers.RMSprop(learning_rate=0.1),
        "Adam (η = 0.3)": optimizers.Adam(learning_rate=0.3),
    }
    paths = {label: trajectory(opt, args.steps) for label, opt in contestants.items()}

    for label, path in paths.items():
        ends = " → ".join(f"({x:+.2f}, {y:+.2f})" for x, y in path[:: max(1, args.steps // 6)])
        print(f"{label:28s} f = {f(path[-1]):.2e}   {ends}")

    x, y = np.meshgrid(np.linspace(-5, 5, 300), np.linspace(-2.5, 2.5, 200))
    fig, ax = plt.subplots(figsize=(10, 5.5))
    ax.contour(x, y, f(np.stack([x, y])), levels=np.logspace(-2, 1.3, 14), colors="0.55", linewidths=0.7)
    for (label, path), color in zip(paths.items(), ["tab:red", "tab:orange", "tab:green", "tab:blue", "tab:purple"]):
        ax.plot(path[:, 0], path[:, 1], "-o", color=color, markersize=2.5, linewidth=1.2, label=label)
    ax.plot(*START, "ks", markersize=7)
    ax.plot(0, 0, "k*", markersize=12)
    ax.set(xlabel="x", ylabel="y", xlim=(-5, 5), ylim=(-2.5, 2.5), aspect="equal",
           title=f"f(x, y) = x²/10 + y², {args.steps} steps from {START}")
    ax.legend(loc="lower right", fontsize=9)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    fig.savefig(args.out, dpi=120, bbox_inches="tight")
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
