"""Plot every activation f(x) and its derivative f'(x) in one grid of small plots.

The derivative is not written out by hand here: it is what ``backward()`` returns, so the
picture shows what a network trained with glassnet actually uses. For an element-wise f,
backward with an upstream gradient of ones gives f'(x) at every point.

Run:  python examples/plot_activations.py [output.png]
"""
from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from glassnet import Tensor, activations  # noqa: E402

NAMES = ["binary_step", "sigmoid", "hard_sigmoid", "tanh", "softsign", "relu", "leaky_relu", "relu6", "elu",
         "selu", "gelu", "silu", "hard_silu", "softplus", "mish", "exponential", "linear"]


def value_and_derivative(fn, x: np.ndarray):
    """f(x) and f'(x), the latter from backward()."""
    t = Tensor(x, requires_grad=True)
    y = fn(t)
    if y is t:  # linear returns its input; its derivative is 1
        return x.copy(), np.ones_like(x)
    y.backward(np.ones_like(x))
    return y.numpy().copy(), t.grad


def softmax_panel(ax):
    """Softmax is not element-wise: show p₀ = softmax([z, 0])₀ = sigmoid(z) and ∂p₀/∂z."""
    z = np.linspace(-6, 6, 401)
    t = Tensor(np.stack([z, np.zeros_like(z)], axis=1), requires_grad=True)
    p = activations.softmax(t)
    upstream = np.zeros(p.shape)
    upstream[:, 0] = 1.0
    p.backward(upstream)
    ax.plot(z, p.numpy()[:, 0], label="softmax([z, 0])₀")
    ax.plot(z, t.grad[:, 0], "--", label="∂/∂z")
    ax.set_title("softmax (2 classes)")


def main(path: str) -> str:
    x = np.linspace(-5, 5, 1001)
    panels = len(NAMES) + 1
    cols = 6
    rows = -(-panels // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.6 * rows))
    axes = axes.ravel()
    for ax, name in zip(axes, NAMES):
        y, dy = value_and_derivative(activations.get(name), x)
        if name == "exponential":
            y, dy = np.minimum(y, 10), np.minimum(dy, 10)  # keep the axis readable
        ax.plot(x, y, label="f(x)")
        ax.plot(x, dy, "--", label="f'(x) (backward)")
        ax.set_title(name)
    softmax_panel(axes[len(NAMES)])
    for ax in axes[:panels]:
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.axvline(0, color="grey", linewidth=0.5)
        ax.grid(alpha=0.3)
    for ax in axes[panels:]:
        ax.axis("off")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("glassnet activations: f(x) solid, f'(x) from backward() dashed")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return os.path.abspath(path)


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join("glassnet_output", "activations.png")
    print(main(out))
