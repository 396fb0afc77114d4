"""Decision regions of a classifier on two features.

The plane around the data is covered by a grid of ``resolution × resolution`` points; the
classifier labels every grid point, and the labels are drawn as filled regions (one colour
per class) under the training points (same colours, black edges). The border between two
colours is the *decision boundary* — a straight line for logistic regression, a curve for
an MLP or a kernel SVM.

Labels come from

* a glassnet model: ``model.predict(grid)`` gives probabilities; the class is
  ``argmax`` over the last axis, or ``p > 0.5`` for a single sigmoid output (then the
  p = 0.5 contour is drawn as a line too);
* any scikit-learn-style estimator: ``estimator.predict(grid)``, the labels themselves.
"""
from __future__ import annotations

import numpy as np

from ._figure import new_figure, save

COLORS = ("#4285f4", "#ea4335", "#fbbc04", "#34a853", "#a142f4", "#24c1e0", "#f538a0", "#9aa0a6")


def predict_labels(model_or_estimator, points: np.ndarray) -> tuple:
    """``(labels, p)`` for ``points``; ``p`` is the positive-class probability of a
    single-output glassnet model (else None)."""
    from ..models.model import Model

    if isinstance(model_or_estimator, Model):
        scores = np.asarray(model_or_estimator.predict(points.astype(np.float32), verbose=0))
        if scores.ndim == 1 or scores.shape[-1] == 1:
            p = scores.reshape(-1)
            return (p > 0.5).astype(int), p
        return scores.argmax(axis=-1), None
    if not hasattr(model_or_estimator, "predict"):
        raise TypeError("decision_boundary: expected a glassnet model or an estimator with predict(X), got "
                        f"{type(model_or_estimator).__name__}")
    return np.asarray(model_or_estimator.predict(points)), None


def decision_boundary(model_or_estimator, X, y, resolution=200, margin=0.5, title=None, to_file=None):
    """Filled decision regions of a 2-D classifier, with the data on top.

    Args:
        model_or_estimator: a trained glassnet model or scikit-learn-style estimator.
        X: (n, 2) features. y: (n,) class labels (ints or strings).
        resolution: grid points per axis.
        margin: extra room around the data, in feature units.
        title: the axes title (default: the model's class name).
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure (one axes: the regions, one scatter per class).

    Raises:
        ValueError: X not of shape (n, 2), or y not of length n.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary: X must have shape (n, 2) (two features), got {X.shape}")
    if y.shape != (len(X),):
        raise ValueError(f"decision_boundary: y must have shape ({len(X)},), got {y.shape}")
    (x0, y0), (x1, y1) = X.min(axis=0) - margin, X.max(axis=0) + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid_labels, p = predict_labels(model_or_estimator, np.c_[gx.ravel(), gy.ravel()])
    classes = np.unique(np.concatenate([y, grid_labels.astype(y.dtype, copy=False)]))
    z = np.searchsorted(classes, grid_labels.astype(y.dtype, copy=False)).reshape(gx.shape)
    colors = [COLORS[i % len(COLORS)] for i in range(len(classes))]
    figure, axis = new_figure(figsize=(6.4, 5.2), layout="constrained")
    from matplotlib.colors import ListedColormap

    axis.contourf(gx, gy, z, levels=np.arange(len(classes) + 1) - 0.5, cmap=ListedColormap(colors), alpha=0.3)
    if p is not None:
        axis.contour(gx, gy, p.reshape(gx.shape), levels=[0.5], colors="k", linewidths=1.2)
    for c, color in zip(classes, colors):
        mask = y == c
        if mask.any():
            axis.scatter(X[mask, 0], X[mask, 1], s=18, color=color, edgecolors="k", linewidths=0.5,
                         label=f"class {c}")
    axis.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="feature 0", ylabel="feature 1",
             title=title or f"decision regions: {type(model_or_estimator).__name__}")
    axis.legend(loc="best", fontsize=8, framealpha=0.9)
    return save(figure, to_file)
