"""The confusion matrix: how often each true class is predicted as each class.

C[i, j] = number of samples whose true label is labels[i] and predicted label labels[j]
(rows: truth, columns: prediction — scikit-learn's convention); the diagonal holds the
correct predictions. ``normalize`` divides, as ``sklearn.metrics.confusion_matrix`` does:

* ``"true"``: each row by its sum — row i is the distribution of predictions for class i,
  the diagonal the per-class recall;
* ``"pred"``: each column by its sum — the diagonal is the per-class precision;
* ``"all"``: by the number of samples.
"""
from __future__ import annotations

import numpy as np

from ._figure import new_figure, save


def confusion_counts(y_true, y_pred, labels=None, normalize=None) -> tuple:
    """``(C, labels)``: the (normalised) matrix and the label order of its rows and columns."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_pred.ndim == 2 and y_true.ndim == 1:          # probabilities or scores: the argmax class
        y_pred = y_pred.argmax(axis=1) if y_pred.shape[1] > 1 else (y_pred[:, 0] > 0.5).astype(int)
    if y_true.ndim == 2 and y_true.shape[1] > 1:       # one-hot truth
        y_true = y_true.argmax(axis=1)
    y_true, y_pred = y_true.reshape(-1), y_pred.reshape(-1)
    if len(y_true) != len(y_pred):
        raise ValueError(f"confusion_matrix: y_true has {len(y_true)} labels, y_pred {len(y_pred)}")
    if normalize not in (None, "true", "pred", "all"):
        raise ValueError(f"confusion_matrix: normalize must be None, 'true', 'pred' or 'all', got {normalize!r}")
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    index = {label: i for i, label in enumerate(labels.tolist())}
    C = np.zeros((len(labels), len(labels)))
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if t in index and p in index:
            C[index[t], index[p]] += 1
    with np.errstate(invalid="ignore", divide="ignore"):
        if normalize == "true":
            C = C / C.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            C = C / C.sum(axis=0, keepdims=True)
        elif normalize == "all":
            C = C / C.sum()
    return np.nan_to_num(C), labels


def confusion_matrix(y_true, y_pred, labels=None, normalize=None, display_labels=None, to_file=None):
    """A heat map of the confusion matrix with each cell's value written in it.

    Args:
        y_true: true labels (n,), or one-hot (n, k).
        y_pred: predicted labels (n,), or probabilities (n, k) (argmax taken).
        labels: the classes, in the order of rows and columns (default: sorted union).
        normalize: None (counts), "true", "pred" or "all" (see above).
        display_labels: names to show for the classes (e.g. "T-shirt/top").
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure; the matrix is in ``figure.matrix``.

    Raises:
        ValueError: lengths differ, a bad ``normalize``, or display_labels of the wrong length.
    """
    C, labels = confusion_counts(y_true, y_pred, labels, normalize)
    names = [str(label) for label in (labels if display_labels is None else display_labels)]
    if len(names) != len(labels):
        raise ValueError(f"confusion_matrix: {len(names)} display_labels for {len(labels)} classes")
    k = len(labels)
    side = max(3.5, 0.55 * k + 2.0)
    figure, axis = new_figure(figsize=(side + 1.0, side), layout="constrained")
    image = axis.imshow(C, cmap="Blues", vmin=0)
    figure.colorbar(image, ax=axis, shrink=0.8)
    threshold = C.max() / 2 if C.size else 0
    for i in range(k):
        for j in range(k):
            text = f"{C[i, j]:.0f}" if normalize is None else f"{C[i, j]:.2f}"
            axis.text(j, i, text, ha="center", va="center", fontsize=max(6, 11 - k // 3),
                      color="white" if C[i, j] > threshold else "black")
    axis.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 3 else 0, ha="right"
                    if max(map(len, names)) > 3 else "center")
    axis.set_yticks(range(k), names)
    axis.set(xlabel="predicted label", ylabel="true label",
             title="confusion matrix" + (f" (normalised over {normalize})" if normalize else ""))
    figure.matrix = C
    return save(figure, to_file)
