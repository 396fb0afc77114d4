"""Optimizers on a 2-D loss surface: contours of f(x, y) and the path each optimizer takes.

Each optimizer starts at the same point and is driven by hand, the PyTorch way, with
glassnet's own update rules — nothing is re-implemented here::

    w = Variable([x₀, y₀])
    repeat `steps` times:
        loss = f(w[0], w[1])      # a glassnet Tensor expression
        loss.backward()           # w.grad = ∇f(w)
        optimizer.step([w])       # w ← update(w, ∇f(w))
        optimizer.zero_grad([w])

Built-in surfaces (each with its start, window and learning rates that show the contrast):

* ``"bowl"``: f = x²/10 + y², an elongated bowl, minimum (0, 0). Steep across, shallow
  along: plain gradient descent zigzags, momentum speeds up along the valley, the adaptive
  methods take diagonal first steps (each coordinate divided by its own gradient history).
* ``"rosenbrock"``: f = (1 − x)² + 100·(y − x²)², minimum (1, 1) at the end of a long,
  curved, flat-bottomed valley: reaching the valley is easy, following it is not.
* ``"beale"``: f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum
  (3, 0.5); plateaus and sharp ridges, gradients ranging over orders of magnitude.

A callable ``surface(x, y)`` works too: it must accept both glassnet Tensors (for
``backward``) and NumPy grids (for the contours), i.e. use only arithmetic operators.
"""
from __future__ import annotations

import numpy as np

from .. import optimizers as _optimizers
from ..tensor import Variable
from ._figure import new_figure, save


def bowl(x, y):
    """f(x, y) = x²/10 + y²."""
    return 0.1 * x * x + y * y


def rosenbrock(x, y):
    """f(x, y) = (1 − x)² + 100·(y − x²)²."""
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def beale(x, y):
    """f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²."""
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2


# name: (function, start, minimum, x limits, y limits, learning rate per optimizer)
SURFACES = {
    "bowl": (bowl, (-4.0, 2.0), (0.0, 0.0), (-5.0, 5.0), (-2.5, 2.5),
             {"SGD": 0.9, "momentum": 0.1, "Adagrad": 1.0, "RMSprop": 0.1, "Adam": 0.3}),
    "rosenbrock": (rosenbrock, (-1.5, 2.0), (1.0, 1.0), (-2.0, 2.0), (-1.0, 3.0),
                   {"SGD": 1e-3, "momentum": 1e-3, "Adagrad": 0.3, "RMSprop": 1e-2, "Adam": 0.1}),
    "beale": (beale, (1.0, 1.5), (3.0, 0.5), (-0.5, 4.0), (-1.0, 2.0),
              {"SGD": 1e-2, "momentum": 1e-3, "Adagrad": 0.3, "RMSprop": 1e-2, "Adam": 0.1}),
}
OPTIMIZERS = ("SGD", "momentum", "Adagrad", "RMSprop", "Adam")
COLORS = ("tab:red", "tab:orange", "tab:green", "tab:blue", "tab:purple", "tab:brown", "tab:pink", "tab:cyan")


def make_optimizer(name: str, learning_rate=None):
    """``"momentum"`` is SGD with momentum 0.9; other names go to ``glassnet.optimizers.get``.
    ``learning_rate=None`` keeps the optimizer's default (Keras's)."""
    optimizer = _optimizers.SGD(momentum=0.9) if name.lower() == "momentum" else _optimizers.get(name)
    if learning_rate is not None:
        optimizer.learning_rate = learning_rate
    return optimizer


def trajectory(surface, optimizer, start, steps: int) -> np.ndarray:
    """The points ``(steps + 1, 2)`` that ``optimizer`` visits minimising ``surface`` from ``start``."""
    w = Variable(np.array(start, dtype=np.float64), name="w", dtype="float64")
    path = [w.data.copy()]
    for _ in range(steps):
        loss = surface(w[0], w[1])
        loss.backward()
        optimizer.step([w])
        optimizer.zero_grad([w])
        path.append(w.data.copy())
    return np.array(path)


def _contestants(optimizers, rates) -> dict:
    if isinstance(optimizers, dict):
        return dict(optimizers)
    contestants = {}
    for entry in optimizers:
        if isinstance(entry, str):
            key = "SGD" if entry.lower() == "sgd" else entry
            optimizer = make_optimizer(entry, rates.get(key, rates.get(key.capitalize())))
            contestants[f"{entry} (η = {optimizer.learning_rate:g})"] = optimizer
        elif isinstance(entry, _optimizers.Optimizer):
            contestants[f"{type(entry).__name__} (η = {entry.learning_rate:g})"] = entry
        else:
            raise TypeError(f"optimizer_paths: optimizers must be names or Optimizer instances, got {entry!r}")
    return contestants


def optimizer_paths(surface="rosenbrock", optimizers=OPTIMIZERS, steps=300, start=None, xlim=None, ylim=None,
                    learning_rates=None, to_file=None):
    """Contours of a 2-D loss surface and each optimizer's path on it.

    Args:
        surface: "bowl", "rosenbrock", "beale", or a callable ``f(x, y)`` (see above).
        optimizers: names ("SGD", "momentum", "Adagrad", "RMSprop", "Adam", or any
            ``glassnet.optimizers.get`` name), Optimizer instances, or a dict
            ``{label: optimizer}``. A name gets the surface's learning rate from the table
            (a callable surface: the optimizer's default).
        steps: number of optimizer steps.
        start: the starting point (default: the surface's; (0, 0) for a callable).
        xlim, ylim: the window shown (default: the surface's; (-2, 2) for a callable).
        learning_rates: ``{name: η}`` overriding the table's rates for named optimizers.
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure (one axes: the contours, one line per optimizer, plus the
        start and minimum markers). The paths are in ``figure.paths`` (label → array).

    Raises:
        ValueError: an unknown surface name, or steps < 1.
    """
    if isinstance(surface, str):
        if surface not in SURFACES:
            raise ValueError(f"optimizer_paths: unknown surface {surface!r}; use one of {sorted(SURFACES)} "
                             "or a callable f(x, y)")
        name = surface
        function, default_start, minimum, default_xlim, default_ylim, rates = SURFACES[surface]
    elif callable(surface):
        name = getattr(surface, "__name__", "f")
        function, default_start, minimum, default_xlim, default_ylim, rates = (
            surface, (0.0, 0.0), None, (-2.0, 2.0), (-2.0, 2.0), {})
    else:
        raise TypeError(f"optimizer_paths: surface must be a name or a callable, got {type(surface).__name__}")
    if not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"optimizer_paths: steps must be a positive int, got {steps!r}")
    rates = {**rates, **(learning_rates or {})}
    start = tuple(float(v) for v in (start if start is not None else default_start))
    xlim, ylim = xlim or default_xlim, ylim or default_ylim
    paths = {label: trajectory(function, optimizer, start, steps)
             for label, optimizer in _contestants(optimizers, rates).items()}

    figure, axis = new_figure(figsize=(8.5, 6.0), layout="constrained")
    x, y = np.meshgrid(np.linspace(*xlim, 300), np.linspace(*ylim, 300))
    z = function(x, y)
    low = max(float(np.nanmin(z)), 1e-3)
    axis.contour(x, y, z, levels=np.geomspace(low, float(np.nanmax(z)), 18), colors="0.6", linewidths=0.7)
    for i, ((label, path), color) in enumerate(zip(paths.items(), COLORS * 4)):
        final = float(function(*path[-1]))
        axis.plot(path[:, 0], path[:, 1], "-o", color=color, markersize=2, linewidth=1.2, zorder=3 + len(paths) - i,
                  label=f"{label}: f = {final:.2g}")      # the first on top: slow paths are not hidden
    axis.plot(*start, "ks", markersize=7, label="start")
    if minimum is not None:
        axis.plot(*minimum, "k*", markersize=13, label="minimum")
    axis.set(xlabel="x", ylabel="y", xlim=xlim, ylim=ylim, aspect="equal",
             title=f"{name}: {steps} steps from {start}")
    axis.legend(loc="best", fontsize=8, framealpha=0.9)
    figure.paths = paths
    return save(figure, to_file)
