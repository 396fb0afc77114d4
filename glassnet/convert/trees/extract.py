"""Fitted scikit-learn trees as plain arrays: what every tree strategy is built from.

A binary decision tree with nodes 0 … m−1 (node 0 the root) is five arrays, one entry per
node (scikit-learn's own ``tree_`` layout, which HistGradientBoosting's predictors share)::

    feature[i]        the column x[feature[i]] the node tests          (internal nodes)
    threshold[i]      go left when x[feature[i]] <= threshold[i]        (internal nodes)
    left[i], right[i] the children; −1 at a leaf
    missing_left[i]   where a NaN goes: left (True) or right (False)
    value[i, :]       what the leaf adds to the output, K numbers       (leaves)

Prediction walks from the root: at an internal node go left if x[f] <= t (a NaN goes where
``missing_left`` says), until a leaf; the leaf's ``value`` row is the tree's output.

``value`` is already what the ensemble adds, so the strategies only sum leaf values:

* a classification tree's leaf holds its class fractions (counts normalised to sum to 1,
  as ``predict_proba`` does — class weights included);
* a GradientBoosting tree's leaf holds learning_rate · v (``predict_stages`` adds
  ``scale * value``); a HistGradientBoosting leaf's value already includes the shrinkage;
* an isolation tree's leaf holds its path length, depth + c(n_leaf) − 1 (see ``ensembles``).

Exactness of the comparison. Trees and forests compare X cast to float32 with float64
thresholds: x₃₂ <= t₆₄. For a float32 x that is the same as x₃₂ <= ⌊t⌋₃₂, with ⌊t⌋₃₂ the
largest float32 not above t (any float32 at most t is at most ⌊t⌋₃₂, and the converse is
clear). So ``threshold_below(t, "float32")`` gives float32 thresholds that reproduce
scikit-learn's comparisons bit for bit while the whole traversal stays in float32.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class TreeArrays:
    """One tree as per-node arrays (see the module docstring); ``value`` is (n_nodes, K)."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    missing_left: np.ndarray
    value: np.ndarray

    def __post_init__(self):
        if len(self.left) == 0:
            raise ValueError("TreeArrays: a tree needs at least its root node")
        self.left = np.asarray(self.left, dtype=np.int64)
        self.right = np.asarray(self.right, dtype=np.int64)
        self.is_leaf = self.left < 0
        self.feature = np.where(self.is_leaf, 0, np.asarray(self.feature, dtype=np.int64))
        self.threshold = np.where(self.is_leaf, 0.0, np.asarray(self.threshold, dtype=np.float64))
        self.missing_left = np.asarray(self.missing_left, dtype=bool) & ~self.is_leaf
        self.value = np.asarray(self.value, dtype=np.float64).reshape(len(self.left), -1)

    @property
    def n_nodes(self) -> int:
        return len(self.left)

    @property
    def n_outputs(self) -> int:
        return self.value.shape[1]

    def node_depths(self) -> np.ndarray:
        """depth[i]: the number of tests on the way from the root to node i (root: 0).

        Children always come after their parent in both scikit-learn layouts, so one pass in
        node order fills it."""
        depth = np.zeros(self.n_nodes, dtype=np.int64)
        for i in np.flatnonzero(~self.is_leaf):
            depth[self.left[i]] = depth[self.right[i]] = depth[i] + 1
        return depth

    def max_depth(self) -> int:
        """The largest number of tests on a root-to-leaf path (0 for a lone leaf)."""
        return int(self.node_depths().max())


def sklearn_tree(tree, value, feature_map=None, missing=True) -> TreeArrays:
    """A fitted ``sklearn.tree._tree.Tree`` (``estimator.tree_``) as ``TreeArrays``.

    Args:
        tree: the ``tree_`` object.
        value: the (n_nodes, K) leaf values to use (the caller decides: fractions, scaled
            regression values, path lengths).
        feature_map: optional int array: the tree's feature j is the model's column
            ``feature_map[j]`` (IsolationForest's per-tree feature subsets).
        missing: use the tree's ``missing_go_to_left``; False sends every NaN right (what
            GradientBoosting's ``predict_stages`` does).
    """
    feature = np.asarray(tree.feature, dtype=np.int64)
    if feature_map is not None:
        feature = np.where(feature >= 0, np.asarray(feature_map, dtype=np.int64)[np.maximum(feature, 0)], 0)
    missing_left = getattr(tree, "missing_go_to_left", None)
    if missing_left is None or not missing:
        missing_left = np.zeros(tree.node_count, dtype=bool)
    return TreeArrays(feature, tree.threshold, tree.children_left, tree.children_right,
                      np.asarray(missing_left).astype(bool), value)


def hist_predictor(predictor) -> TreeArrays:
    """A HistGradientBoosting ``TreePredictor`` as ``TreeArrays`` (leaf values as stored).

    Raises:
        ValueError: if a node splits on a categorical feature (not supported).
    """
    nodes = predictor.nodes
    if np.any(nodes["is_categorical"].astype(bool) & ~nodes["is_leaf"].astype(bool)):
        raise ValueError("HistGradientBoosting with categorical_features is not supported by glassnet.convert "
                         "(its bitset splits have no tensor strategy here); one-hot or ordinal-encode the "
                         "categories in a Pipeline step and fit with categorical_features=None")
    leaf = nodes["is_leaf"].astype(bool)
    left = np.where(leaf, -1, nodes["left"].astype(np.int64))
    right = np.where(leaf, -1, nodes["right"].astype(np.int64))
    value = np.where(leaf, nodes["value"], 0.0)[:, None]
    return TreeArrays(nodes["feature_idx"], nodes["num_threshold"], left, right,
                      nodes["missing_go_to_left"].astype(bool), value)


def max_depth(trees) -> int:
    """The deepest tree's depth over a list of ``TreeArrays``."""
    return max(tree.max_depth() for tree in trees)


def threshold_below(threshold, dtype) -> np.ndarray:
    """⌊t⌋ in ``dtype``: the largest ``dtype`` number not above each float64 t.

    For any x of ``dtype``: x <= t (compared in float64) ⇔ x <= ⌊t⌋ (compared in ``dtype``).
    +inf stays +inf; a t beyond the dtype's range becomes its largest finite number.
    """
    threshold = np.asarray(threshold, dtype=np.float64)
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        return threshold.copy()
    with np.errstate(over="ignore"):
        rounded = threshold.astype(dtype)
    above = rounded.astype(np.float64) > threshold
    rounded[above] = np.nextafter(rounded[above], dtype.type(-np.inf))
    return rounded
