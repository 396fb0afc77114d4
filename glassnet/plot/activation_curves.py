"""Every activation f(x) next to its derivative f'(x) — the course's table of curves.

The derivative is not written out by hand: it is what glassnet's autograd computes. For an
element-wise f, ``y = f(x)`` followed by ``y.backward(ones)`` leaves f'(xᵢ) in ``x.grad``
(∂Σⱼ f(xⱼ)/∂xᵢ = f'(xᵢ)), so the dashed curve is exactly the slope a network trained with
glassnet uses. Softmax is not element-wise; it is shown for two classes, where
softmax([z, 0])₀ = σ(z) and ∂/∂z of it = σ(z)(1 − σ(z)).
"""
from __future__ import annotations

import numpy as np

from .. import activations as _activations
from ..tensor import Tensor
from ._figure import grid_shape, new_figure, save

ELEMENTWISE = ("binary_step", "sigmoid", "hard_sigmoid", "tanh", "softsign", "relu", "leaky_relu", "relu6", "elu",
               "selu", "gelu", "silu", "hard_silu", "softplus", "mish", "exponential", "linear")
NAMES = ELEMENTWISE + ("softmax",)


def value_and_derivative(name: str, x: np.ndarray) -> tuple:
    """``(f(x), f'(x))`` for the activation ``name``, the derivative from ``backward()``."""
    if name == "softmax":
        z = Tensor(np.stack([x, np.zeros_like(x)], axis=1), requires_grad=True, dtype="float64")
        p = _activations.softmax(z)
        upstream = np.zeros(p.shape)
        upstream[:, 0] = 1.0
        p.backward(upstream)
        return p.numpy()[:, 0].copy(), z.grad[:, 0].copy()
    t = Tensor(x, requires_grad=True, dtype="float64")
    y = _activations.get(name)(t)
    if y is t:                       # linear returns its input: f'(x) = 1
        return x.copy(), np.ones_like(x)
    y.backward(np.ones_like(x))
    return y.numpy().copy(), t.grad.copy()


def activations(names=None, x_range=(-7.0, 7.0), to_file=None):
    """A grid of small plots: each activation (solid) and its derivative (dashed).

    Args:
        names: activation names (``glassnet.activations.get`` names, plus "softmax");
            default all of ``NAMES``.
        x_range: the interval of x shown.
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure; one axes per activation, each with two lines.

    Raises:
        ValueError: an unknown activation name.
    """
    names = list(NAMES if names is None else ([names] if isinstance(names, str) else names))
    if not names:
        raise ValueError("activations: names is empty")
    for name in names:
        if name != "softmax":
            _activations.get(name)   # raises ValueError naming the unknown activation
    x = np.linspace(float(x_range[0]), float(x_range[1]), 801)
    rows, columns = grid_shape(len(names), 6)
    figure, axes = new_figure(rows, columns, figsize=(2.9 * columns, 2.4 * rows), squeeze=False,
                              layout="constrained")
    for axis, name in zip(axes.flat, names):
        y, dy = value_and_derivative(name, x)
        if name == "exponential":    # keep the axis readable
            y, dy = np.minimum(y, 10), np.minimum(dy, 10)
        axis.axhline(0, color="0.6", linewidth=0.5)
        axis.axvline(0, color="0.6", linewidth=0.5)
        axis.plot(x, y, label="f(x)")
        axis.plot(x, dy, "--", label="f'(x) (backward)")
        title = {"softmax": "softmax([z, 0])₀", "exponential": "exponential (cut at 10)"}.get(name, name)
        axis.set_title(title, fontsize=10)
        axis.tick_params(labelsize=8)
        axis.grid(alpha=0.3)
    for axis in list(axes.flat)[len(names):]:
        axis.set_visible(False)
    axes.flat[0].legend(loc="upper left", fontsize=7)
    figure.suptitle("activations: f(x) solid, f'(x) from backward() dashed")
    return save(figure, to_file)
