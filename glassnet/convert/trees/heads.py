"""The heads of the tree models: what turns the tree sum S into scikit-learn's outputs.

Every model below is ``S(x) = Σ_t v_t[leaf_t(x)] + base`` (one of the three strategies, see
``strategy.py``) followed by a small head, written as scikit-learn computes it:

    DecisionTree / RandomForest / ExtraTrees classifier   v_t = the leaf's class fractions
        proba = S / T;   predict = argmax proba          (class weights are in the fractions)
    DecisionTree / RandomForest / ExtraTrees regressor    v_t = the leaf's mean target
        predict = S / T                                  ((n,) or (n, n_outputs))
    GradientBoosting                                      v_t = learning_rate · leaf value,
        raw = S with base = init's raw prediction        (the class prior's log-odds / the mean,
                                                          or 0 for init="zero")
    HistGradientBoosting                                  v_t = leaf value (shrunk in fit),
        raw = S with base = the baseline prediction
        then for both: decision = raw ((n,) for two classes); proba = σ(raw) for two classes
        (σ(2·raw) for GradientBoosting's exponential loss), softmax(raw) for more;
        predict = raw > 0 (HistGB) or raw >= 0 (GB) for two classes, argmax raw for more;
        a regressor predicts link⁻¹(raw): raw itself, or e^raw for a log link (Poisson, gamma).
    IsolationForest                                       v_t = depth(leaf) + c(n_leaf) − 1
        score_samples = −2^(−S / (T·c(max_samples)));  decision = score_samples − offset_;
        predict = −1 where decision < 0, else 1,
        with c(m) = 2(ln(m − 1) + γ) − 2(m − 1)/m the average path length of an unsuccessful
        search in a binary search tree of m keys (c(1) = 0, c(2) = 1).

Which X the trees see: scikit-learn's trees, forests, GradientBoosting and IsolationForest cast
X to float32 before comparing (so the strategies compare in float32, exactly as they do);
HistGradientBoosting compares the float64 X itself, with its own NaN rule (``missing_go_to_left``).
"""
from __future__ import annotations

import numpy as np

from ... import ops
from ...backend import xp
from ..base import Operator, argmax, deserialize_operator, serialize_operator, wrap

LINKS = ("identity", "log", "logit", "half_logit", "softmax")


class _TreeHead(Operator):
    """A head over a tree-strategy operator ``trees`` (built, or its serialized config)."""

    def __init__(self, trees, **kwargs):
        super().__init__(**kwargs)
        self.trees = deserialize_operator(trees) if isinstance(trees, dict) else trees

    def build(self, input_shape):
        super().build(input_shape)
        if not self.trees.built:
            self.trees.build_once(input_shape)

    def get_config(self):
        return {**super().get_config(), "trees": serialize_operator(self.trees)}


class TreeClassifier(_TreeHead):
    """proba = S / T (the mean of the trees' class fractions), predict = argmax proba.

    Args:
        trees: the strategy operator (its K = the summed widths of ``n_classes``).
        n_classes: the number of classes of each output (one int per output column).
    """

    def __init__(self, trees, n_classes, **kwargs):
        super().__init__(trees, **kwargs)
        self.n_classes = [int(k) for k in np.atleast_1d(n_classes)]
        self.outputs = ("predict", "proba")

    def call(self, x, output="predict"):
        """One output: proba (n, k) or labels (n,). Several: proba is the (n, outputs·width)
        matrix of padded blocks (``ConvertedModel.predict_proba`` cuts it into sklearn's list of
        (n, k_j) arrays), labels are (n, outputs)."""
        output = self.check_output(output)
        proba = self.trees(x) / float(self.trees.n_trees)
        if len(self.n_classes) == 1 or output == "proba":
            return proba if output == "proba" else argmax(proba, axis=1)
        width = self.trees.n_outputs // len(self.n_classes)            # multi-output: padded blocks
        labels = [argmax(proba[:, j * width:j * width + k], axis=1).data for j, k in enumerate(self.n_classes)]
        return wrap(xp.stack(labels, axis=1))

    def get_config(self):
        return {**super().get_config(), "n_classes": self.n_classes}


class TreeRegressor(_TreeHead):
    """predict = S / T (the mean of the trees' leaf values); (n,) for one output."""

    outputs = ("predict",)

    def call(self, x, output="predict"):
        self.check_output(output)
        mean = self.trees(x) / float(self.trees.n_trees)
        return mean[:, 0] if self.trees.n_outputs == 1 else mean


class BoostedTrees(_TreeHead):
    """raw = S (base: the initial prediction), then the link (see the module docstring).

    Args:
        trees: the strategy operator (K = 1 for regression and two classes, else n_classes).
        link: how raw becomes a prediction: "identity", "log" (regressors), "logit",
            "half_logit", "softmax" (classifiers).
        n_classes: None for a regressor, else the number of classes.
        zero_is_positive: two classes: predict the second class when raw >= 0 (GradientBoosting)
            rather than raw > 0 (HistGradientBoosting).
    """

    def __init__(self, trees, link="identity", n_classes=None, zero_is_positive=False, **kwargs):
        super().__init__(trees, **kwargs)
        if link not in LINKS:
            raise ValueError(f"BoostedTrees: link must be one of {LINKS}, got {link!r}")
        self.link = link
        self.n_classes = None if n_classes is None else int(n_classes)
        self.zero_is_positive = bool(zero_is_positive)
        self.outputs = ("predict",) if self.n_classes is None else ("predict", "decision", "proba")

    def call(self, x, output="predict"):
        output = self.check_output(output)
        raw = self.trees(x)
        if self.n_classes is None:                                  # regressor
            raw = raw[:, 0]
            return ops.exp(raw) if self.link == "log" else raw
        if self.n_classes == 2:
            raw = raw[:, 0]
            if output == "decision":
                return raw
            if output == "predict":
                return wrap(((raw.data >= 0) if self.zero_is_positive else (raw.data > 0)).astype(np.int64))
            p = ops.sigmoid(2.0 * raw if self.link == "half_logit" else raw)
            return ops.stack([1.0 - p, p], axis=1)
        if output == "decision":
            return raw
        if output == "predict":
            return argmax(raw, axis=1)
        return ops.softmax(raw, axis=1)

    def get_config(self):
        return {**super().get_config(), "link": self.link, "n_classes": self.n_classes,
                "zero_is_positive": self.zero_is_positive}


class IsolationTrees(_TreeHead):
    """score_samples = −2^(−S / denominator); decision = score_samples − offset; predict ±1.

    Args:
        trees: the strategy operator summing each tree's path length (K = 1).
        denominator: T·c(max_samples) (0 only for a single training sample: the score is then −1/2).
        offset: scikit-learn's ``offset_``.
    """

    outputs = ("predict", "decision", "score_samples")

    def __init__(self, trees, denominator, offset, **kwargs):
        super().__init__(trees, **kwargs)
        self.denominator = float(denominator)
        self.offset = float(offset)

    def call(self, x, output="predict"):
        output = self.check_output(output)
        depths = self.trees(x)[:, 0]
        ratio = depths / self.denominator if self.denominator != 0 else depths * 0.0 + 1.0
        score = -ops.power(2.0, -ratio)
        if output == "score_samples":
            return score
        decision = score - self.offset
        if output == "decision":
            return decision
        return wrap(xp.where(decision.data < 0, -1, 1).astype(np.int64))

    def get_config(self):
        return {**super().get_config(), "denominator": self.denominator, "offset": self.offset}
