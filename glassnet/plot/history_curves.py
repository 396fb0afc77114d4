"""Learning curves: each metric's training value per epoch next to its validation value.

``history(fit_result)`` draws one panel per metric — ``loss``, ``accuracy``, … — with the
training curve (solid) and, when the history has it, the ``val_`` curve (dashed) on the
same axes: the gap between them is the generalisation gap, a validation curve that turns
up while training keeps falling is over-fitting. The epoch with the best validation value
is marked (the lowest for losses and errors, the highest for accuracies and AUC).
"""
from __future__ import annotations

import numpy as np

from ._figure import grid_shape, new_figure, save


def _as_dict(history_or_dict) -> dict:
    if isinstance(history_or_dict, dict):
        logs = history_or_dict
    elif isinstance(getattr(history_or_dict, "history", None), dict):
        logs = history_or_dict.history
    else:
        raise TypeError("history: expected the History returned by fit (or its .history dict), got "
                        f"{type(history_or_dict).__name__}")
    if not logs:
        raise ValueError("history: the history is empty (was fit run for at least one epoch?)")
    return logs


def _is_maximized(name: str) -> bool:
    from ..callbacks.monitor import MAXIMIZED

    base = name[4:] if name.startswith("val_") else name
    return base in MAXIMIZED or base.rstrip("_0123456789") in MAXIMIZED


def history(history_or_dict, metrics=None, to_file=None):
    """Train vs validation curves, one panel per metric.

    Args:
        history_or_dict: the ``History`` that ``fit`` returns, or its ``.history`` dict
            (``{"loss": [...], "val_loss": [...], ...}``).
        metrics: names to plot (without ``val_``); default every training metric in the
            history except the learning rate.
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure.

    Raises:
        TypeError: neither a History nor a dict.
        ValueError: an empty history, or a name in ``metrics`` it does not hold.
    """
    logs = _as_dict(history_or_dict)
    if metrics is None:
        metrics = [k for k in logs if not k.startswith("val_") and k not in ("lr", "learning_rate")]
        metrics += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]
    elif isinstance(metrics, str):
        metrics = [metrics]
    missing = [m for m in metrics if m not in logs and "val_" + m not in logs]
    if missing:
        raise ValueError(f"history: no {missing} in the history; it holds {sorted(logs)}")
    rows, columns = grid_shape(len(metrics), 3)
    figure, axes = new_figure(rows, columns, figsize=(4.6 * columns, 3.4 * rows), squeeze=False,
                              layout="constrained")
    for axis, name in zip(axes.flat, metrics):
        for key, style, label in ((name, "-", "train"), ("val_" + name, "--", "validation")):
            if key in logs:
                values = np.asarray(logs[key], dtype=float)
                epochs = np.arange(1, len(values) + 1)
                axis.plot(epochs, values, style, marker="o" if len(values) < 30 else None, markersize=3,
                          label=label)
        best_key = "val_" + name if "val_" + name in logs else name
        values = np.asarray(logs[best_key], dtype=float)
        if len(values) and np.isfinite(values).any():
            best = int(np.nanargmax(values) if _is_maximized(name) else np.nanargmin(values))
            axis.plot(best + 1, values[best], "k*", markersize=10, label=f"best: {values[best]:.4g} (epoch {best + 1})")
        axis.set(title=name, xlabel="epoch", ylabel=name)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=8)
    for axis in list(axes.flat)[len(metrics):]:
        axis.set_visible(False)
    return save(figure, to_file)
