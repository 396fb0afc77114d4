"""Composite estimators as operators made of operators: Pipeline, ColumnTransformer,
FeatureUnion, OneVsRestClassifier.

A composite holds its converted steps as sub-operators (sublayers, so their constants are
saved with the model) and wires them:

* ``Pipeline`` — function composition. For steps T₁ … T_{m−1} and a final step F,
  ``output(x) = F(T_{m−1}(… T₁(x)))`` with each Tᵢ's "transform"; the final step decides
  the outputs (a classifier's predict/decision/proba, a regressor's predict, or a
  transformer's transform). "passthrough" / None steps are the identity (and left out).
  A scaler z = x·s + t followed by a step that begins with an affine map x·W + b (a
  linear model, PCA, an MLP) is folded into it: (x·s + t)·W + b = x·(diag(s)·W) + (t·W + b),
  so StandardScaler → LogisticRegression costs one GEMM over X, like the bare model.
* ``ColumnTransformer`` — Z = [w₁·T₁(X[:, C₁]) | w₂·T₂(X[:, C₂]) | …]: each transformer sees
  its columns Cᵢ (integer indices or a boolean mask, resolved by scikit-learn at fit), the
  results are concatenated in the fitted order, "passthrough" copies its columns, "drop"
  and empty selections are left out; ``remainder`` is one more branch.
  ``transformer_weights`` multiply a branch's output. The output is dense.
* ``FeatureUnion`` — the same with every branch seeing all columns:
  Z = [w₁·T₁(X) | w₂·T₂(X) | …].
* ``OneVsRestClassifier`` — k binary classifiers, one per class, each giving a score
  f_k(x) (its decision function, else its probability of the positive class):
  predict = argmax_k f_k(x); predict_proba = p_k / Σ_j p_j with p_k the positive-class
  probabilities (rows summing to 0 are left as they are, as scikit-learn does); with two
  classes (one estimator) predict = [f(x) > threshold] (0 for a decision, ½ for a
  probability) and decision_function/predict_proba are the estimator's own.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from ..tensor import no_grad
from .base import Operator, argmax, as_index, deserialize_operator, register_converter, serialize_operator


class Passthrough(Operator):
    """z = x ("passthrough"; an identity FunctionTransformer)."""

    outputs = ("transform",)

    def call(self, x, output="transform"):
        self.check_output(output)
        return x


class Chain(Operator):
    """output(x) = F(T_{m−1}(… T₁(x))): the Pipeline (the last step gives the outputs).

    Args:
        steps: the operators T₁ … T_{m−1}, F (or their serialized configs).
        widths: the number of input columns of each step.
    """

    def __init__(self, steps, widths, **kwargs):
        super().__init__(**kwargs)
        self.steps = [deserialize_operator(s) if isinstance(s, dict) else s for s in steps]
        self.widths = [int(w) for w in widths]
        if not self.steps or len(self.steps) != len(self.widths):
            raise ValueError(f"Chain: needs one width per step, got {len(self.steps)} steps and {len(self.widths)} widths")
        self.outputs = tuple(self.steps[-1].outputs)

    def build(self, input_shape):
        for step, width in zip(self.steps, self.widths):
            if not step.built:
                step.build_once((None, width))

    def call(self, x, output=None):
        output = self.check_output(output)
        for step in self.steps[:-1]:
            x = step(x, output="transform")
        return self.steps[-1](x, output=output)

    def get_config(self):
        return {**super().get_config(), "steps": [serialize_operator(s) for s in self.steps], "widths": self.widths}


class Concat(Operator):
    """Z = [w₁·T₁(X[:, C₁]) | … | w_m·T_m(X[:, C_m])] (ColumnTransformer, FeatureUnion).

    Args:
        branches: the operators Tᵢ (or their serialized configs).
        widths: the number of columns each branch reads (len(Cᵢ)).
        branch_weights: the multiplier wᵢ of each branch's output (None: 1).
        select: whether branch i reads the columns Cᵢ (constant ``columns_i``) rather than all of X.
    """

    outputs = ("transform",)

    def __init__(self, branches, widths, branch_weights=None, select=True, **kwargs):
        super().__init__(**kwargs)
        self.branches = [deserialize_operator(b) if isinstance(b, dict) else b for b in branches]
        self.widths = [int(w) for w in widths]
        self.branch_weights = [None if w is None else float(w)
                               for w in (branch_weights or [None] * len(self.branches))]
        self.select = bool(select)
        if not self.branches or not len(self.branches) == len(self.widths) == len(self.branch_weights):
            raise ValueError("Concat: needs one width and one weight per branch (and at least one branch)")

    def constant_specs(self):
        if not self.select:
            return {}
        return {f"columns_{i}": ((width,), "int64") for i, width in enumerate(self.widths)}

    def build(self, input_shape):
        super().build(input_shape)
        for branch, width in zip(self.branches, self.widths):
            if not branch.built:
                branch.build_once((None, width))

    def call(self, x, output="transform"):
        self.check_output(output)
        parts = []
        for i, (branch, weight) in enumerate(zip(self.branches, self.branch_weights)):
            columns = x[:, getattr(self, f"columns_{i}").data] if self.select else x
            z = branch(columns, output="transform")
            parts.append(z if weight is None else z * weight)
        return parts[0] if len(parts) == 1 else ops.concatenate(parts, axis=1)

    def get_config(self):
        return {**super().get_config(), "branches": [serialize_operator(b) for b in self.branches],
                "widths": self.widths, "branch_weights": self.branch_weights, "select": self.select}


class OneVsRest(Operator):
    """k binary classifiers f_k, one per class: predict = argmax_k f_k(x) (see the module docstring).

    Args:
        estimators: the binary operators (or their serialized configs).
        score: the output of each giving f_k: "decision" or "proba" (its second column).
    """

    def __init__(self, estimators, score="decision", **kwargs):
        super().__init__(**kwargs)
        self.estimators = [deserialize_operator(e) if isinstance(e, dict) else e for e in estimators]
        if score not in ("decision", "proba"):
            raise ValueError(f"OneVsRest: score must be 'decision' or 'proba', got {score!r}")
        self.score = score
        shared = set.intersection(*(set(e.outputs) for e in self.estimators))
        self.outputs = ("predict",) + tuple(o for o in ("decision", "proba") if o in shared)

    def build(self, input_shape):
        for estimator in self.estimators:
            if not estimator.built:
                estimator.build_once(input_shape)

    def _positive(self, estimator, x, output):
        z = estimator(x, output=output)
        return z[:, 1] if output == "proba" else z

    def call(self, x, output=None):
        output = self.check_output(output)
        if len(self.estimators) == 1:                      # two classes: the one estimator's own outputs
            if output != "predict":
                return self.estimators[0](x, output=output)
            score = self._positive(self.estimators[0], x, self.score)
            return as_index(score.data > (0.0 if self.score == "decision" else 0.5))
        if output == "predict":
            return argmax(ops.stack([self._positive(e, x, self.score) for e in self.estimators], axis=1), axis=1)
        columns = ops.stack([self._positive(e, x, output) for e in self.estimators], axis=1)
        if output == "decision":
            return columns
        total = ops.sum(columns, axis=1, keepdims=True)
        return columns / ops.where(total.data == 0, 1.0, total)

    def get_config(self):
        return {**super().get_config(), "estimators": [serialize_operator(e) for e in self.estimators],
                "score": self.score}


# --- converters ---------------------------------------------------------------------------------
def output_width(operator, n_features, dtype) -> int:
    """The number of columns ``operator``'s transform gives for ``n_features`` inputs (probed on zeros)."""
    with no_grad():
        return int(operator(np.zeros((1, n_features), dtype=dtype), output="transform").shape[1])


def _identity(n_features, context):
    op = Passthrough(dtype=context.dtype)
    op.build((None, n_features))
    return op


def _is_passthrough(step):
    return step is None or (isinstance(step, str) and step == "passthrough")


@register_converter("FunctionTransformer")
def convert_function_transformer(estimator, context):
    if estimator.func is not None:
        raise ValueError("FunctionTransformer: only the identity (func=None, as ColumnTransformer's "
                         "'passthrough') can be converted; a Python function cannot become a tensor graph")
    return _identity(context.n_features, context)


def fold_scalers(steps: list, widths: list):
    """Fold each unclipped scaler z = x·s + t into a next step that starts with an affine map
    x·W + b (linear models, PCA, MLPs: ``input_affine()``), and drop identities:

        (x·s + t)·W + b = x·(diag(s)·W) + (t·W + b)

    so a StandardScaler → LogisticRegression pipeline is a single GEMM over X instead of
    two extra passes (the product is reassociated: equal up to rounding).
    """
    from .preprocessing import ElementwiseAffine

    kept_steps, kept_widths = [], []
    for index, (step, width) in enumerate(zip(steps, widths)):
        after = steps[index + 1] if index + 1 < len(steps) else None
        if after is not None and isinstance(step, Passthrough):
            continue
        if (after is not None and isinstance(step, ElementwiseAffine) and step.clip_low is None
                and hasattr(after, "input_affine")):
            W, b = after.input_affine()
            s, t = step.scale.data.astype(np.float64), step.offset.data.astype(np.float64)
            W64 = W.data.astype(np.float64)
            b.assign((b.data + t @ W64).astype(b.dtype))
            W.assign((s[:, None] * W64).astype(W.dtype))
            widths[index + 1] = width
            continue
        kept_steps.append(step)
        kept_widths.append(widths[index])
    return kept_steps, kept_widths


@register_converter("Pipeline")
def convert_pipeline(estimator, context):
    steps, widths, width = [], [], context.n_features
    for index, (_, step) in enumerate(estimator.steps):
        op = _identity(width, context) if _is_passthrough(step) else context.convert(step, n_features=width)
        steps.append(op)
        widths.append(width)
        if index < len(estimator.steps) - 1:
            width = output_width(op, width, context.dtype)
    steps, widths = fold_scalers(steps, widths)
    op = Chain(steps, widths, dtype=context.dtype)
    op.build((None, context.n_features))
    return op


@register_converter("ColumnTransformer")
def convert_column_transformer(estimator, context):
    weights_by_name = estimator.transformer_weights or {}
    branches, columns, weights = [], [], []
    for name, transformer, _ in estimator.transformers_:
        indices = np.asarray(estimator._transformer_to_input_indices.get(name, []), dtype=np.int64)
        if (isinstance(transformer, str) and transformer == "drop") or len(indices) == 0:
            continue
        if _is_passthrough(transformer):
            branches.append(_identity(len(indices), context))
        else:
            branches.append(context.convert(transformer, n_features=len(indices)))
        columns.append(indices)
        weights.append(weights_by_name.get(name))
    if not branches:
        raise ValueError("ColumnTransformer: every column is dropped; nothing to convert")
    op = Concat(branches, [len(c) for c in columns], weights, select=True, dtype=context.dtype)
    op.build((None, context.n_features))
    return op.set_constants(**{f"columns_{i}": c for i, c in enumerate(columns)})


@register_converter("FeatureUnion")
def convert_feature_union(estimator, context):
    weights_by_name = estimator.transformer_weights or {}
    branches, weights = [], []
    for name, transformer in estimator.transformer_list:
        if isinstance(transformer, str) and transformer == "drop":
            continue
        branches.append(_identity(context.n_features, context) if _is_passthrough(transformer)
                        else context.convert(transformer, n_features=context.n_features))
        weights.append(weights_by_name.get(name))
    if not branches:
        raise ValueError("FeatureUnion: every transformer is 'drop'; nothing to convert")
    op = Concat(branches, [context.n_features] * len(branches), weights, select=False, dtype=context.dtype)
    op.build((None, context.n_features))
    return op


@register_converter("OneVsRestClassifier")
def convert_one_vs_rest(estimator, context):
    if estimator.multilabel_:
        raise ValueError("OneVsRestClassifier: multi-label targets are not supported")
    estimators = [context.convert(e, n_features=context.n_features) for e in estimator.estimators_]
    has_decision = all("decision" in e.outputs for e in estimators)
    if not has_decision and not all("proba" in e.outputs for e in estimators):
        raise ValueError("OneVsRestClassifier: each binary estimator needs a decision function or predict_proba")
    op = OneVsRest(estimators, score="decision" if has_decision else "proba", dtype=context.dtype)
    op.build((None, context.n_features))
    return op
