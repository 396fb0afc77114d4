"""Embeddings projected to two dimensions: PCA or t-SNE (scikit-learn's).

Word vectors, a layer's activations or an autoencoder's codes live in many dimensions;
a 2-D projection shows which ones sit together.

* **PCA** keeps the two directions of largest variance: the top two eigenvectors of the
  covariance of the centred vectors, z = (v − mean)·[u₁ u₂]. Linear and faithful to large
  distances; clusters may overlap.
* **t-SNE** places points so that neighbour probabilities in 2-D (Student-t kernel) match
  those in the original space (Gaussian kernel with the given perplexity), by gradient
  descent on their KL divergence. Faithful to neighbourhoods, not to distances between
  clusters; slower (use a few thousand points at most). Below 200 points the forces are
  computed exactly, above with scikit-learn's Barnes-Hut approximation.

Labels that are numbers (class ids) colour the points; labels that are strings (words)
are written next to their points.
"""
from __future__ import annotations

import numpy as np

from ._figure import new_figure, save

METHODS = ("pca", "tsne")
EXACT_BELOW = 200
"""t-SNE computes every pairwise force exactly below this many points (O(n²) per step, but no
tree to build), and with the Barnes-Hut approximation (O(n log n)) from there on."""


def project(vectors, method="pca", random_state=0, perplexity=None) -> np.ndarray:
    """The (n, 2) projection of (n, d) ``vectors`` by ``method``."""
    vectors = np.asarray(vectors.numpy() if hasattr(vectors, "numpy") else vectors, dtype=float)
    if vectors.ndim != 2 or len(vectors) < 2:
        raise ValueError(f"embeddings: vectors must have shape (n ≥ 2, d), got {vectors.shape}")
    if method == "pca":
        from sklearn.decomposition import PCA

        components = min(2, vectors.shape[1])
        z = PCA(n_components=components, random_state=random_state).fit_transform(vectors)
        return np.c_[z, np.zeros(len(z))] if components == 1 else z
    if method == "tsne":
        from sklearn.manifold import TSNE

        perplexity = perplexity or min(30.0, (len(vectors) - 1) / 3)
        method = "exact" if len(vectors) < EXACT_BELOW else "barnes_hut"     # exact is faster for few points
        return TSNE(n_components=2, perplexity=perplexity, init="pca", method=method,
                    random_state=random_state).fit_transform(vectors)
    raise ValueError(f"embeddings: method must be one of {METHODS}, got {method!r}")


def embeddings(vectors, labels=None, method="pca", annotate=None, random_state=0, perplexity=None, to_file=None):
    """A 2-D scatter of ``vectors`` after PCA or t-SNE.

    Args:
        vectors: (n, d) array or Tensor (e.g. ``embedding_layer.embeddings``).
        labels: n labels: numbers colour the points, strings are written beside them.
        method: "pca" or "tsne".
        annotate: write the labels as text (default: when they are strings).
        random_state: seed for the projection.
        perplexity: t-SNE's perplexity (default min(30, (n − 1)/3)).
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure; the 2-D points are in ``figure.points``.
    """
    z = project(vectors, method, random_state, perplexity)
    labels = None if labels is None else np.asarray(labels)
    if labels is not None and len(labels) != len(z):
        raise ValueError(f"embeddings: {len(labels)} labels for {len(z)} vectors")
    if annotate is None:
        annotate = labels is not None and labels.dtype.kind in "USO"
    figure, axis = new_figure(figsize=(7.0, 6.0), layout="constrained")
    if labels is not None and not annotate:
        for c in np.unique(labels):
            mask = labels == c
            axis.scatter(z[mask, 0], z[mask, 1], s=14, alpha=0.8, label=str(c))
        axis.legend(fontsize=8, markerscale=1.5, loc="upper left", bbox_to_anchor=(1.01, 1.0), title="label")
    else:
        axis.scatter(z[:, 0], z[:, 1], s=14, alpha=0.8, color="tab:blue")
        if annotate:
            for (a, b), text in zip(z, labels):
                axis.annotate(str(text), (a, b), xytext=(3, 3), textcoords="offset points", fontsize=8)
    names = {"pca": ("PC 1", "PC 2"), "tsne": ("t-SNE 1", "t-SNE 2")}[method]
    axis.set(xlabel=names[0], ylabel=names[1], title=f"{len(z)} embeddings ({vectors_dim(vectors)}-D) by "
             f"{'PCA' if method == 'pca' else 't-SNE'}")
    axis.grid(alpha=0.3)
    figure.points = z
    return save(figure, to_file)


def vectors_dim(vectors) -> int:
    return int(np.shape(vectors.numpy() if hasattr(vectors, "numpy") else vectors)[-1])
