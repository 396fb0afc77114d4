"""Preprocessing and decomposition transformers as operators: each a short formula on X.

Scalers (one ``ElementwiseAffine``: z = x·s + t, per column, then an optional clip)::

    StandardScaler   z = (x − μ) / σ                s = 1/σ,        t = −μ/σ
    MinMaxScaler     z = x·scale_ + min_            (scale_ = (b − a)/(max − min), min_ = a − min·scale_)
                     clipped to [a, b] when ``clip=True``
    MaxAbsScaler     z = x / max|x|                 s = 1/max|x|,   t = 0
    RobustScaler     z = (x − median) / IQR         s = 1/IQR,      t = −median/IQR

(``with_mean=False`` and friends set μ = 0 or σ = 1.) ``Normalizer`` rescales each *row*:
z = x / ‖x‖ with ‖x‖₁ = Σ|xⱼ|, ‖x‖₂ = √(Σxⱼ²) or ‖x‖_max = max|xⱼ|; a zero norm leaves the
row unchanged, as in scikit-learn.

``PolynomialFeatures`` lists its output terms in ``powers_``: the term with powers
(p₀, …, p_{d−1}) is Π xⱼ^pⱼ. Written as a list of factor columns — x₀²x₂ is columns
(0, 0, 2) — padded to the degree with a column of ones, the whole expansion is D gathers
and D − 1 products: Z = X₁[:, T₀] ⊙ X₁[:, T₁] ⊙ … with X₁ = [X | 1].

``OneHotEncoder`` (numeric categories): output column k is [x_{f(k)} = c_k], one gather
and one comparison for all columns at once. An unknown category gives an all-zero block —
which is what ``handle_unknown="ignore"`` asks for; with ``handle_unknown="error"`` a graph
cannot raise, so the converted model also gives zeros instead of the error (documented
difference). ``drop`` removes the dropped categories' columns. The output is dense (sklearn
returns a sparse matrix by default: compare with ``.toarray()``).

``SimpleImputer`` (any strategy: the fitted ``statistics_`` are just numbers):
z = where(x is missing, statistic, x), columns with no statistic (all missing in fit)
dropped unless ``keep_empty_features``; ``add_indicator`` appends the 0/1 missing-masks
of the columns that had missing values in fit.

``PCA``: z = (x − μ)·Vᵀ, divided by √(explained variance) when whitening; ``TruncatedSVD``:
z = x·Vᵀ. Both are one ``LinearProjection``: z = x·W + b.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import xp
from .base import Operator, register_converter, wrap


class ElementwiseAffine(Operator):
    """z = x·s + t per column (s, t of shape (n_features,)), then clip to [low, high] if given.

    Args:
        n_features: the number of columns.
        clip_low, clip_high: optional bounds of the output (MinMaxScaler's ``clip``).
    """

    outputs = ("transform",)

    def __init__(self, n_features, clip_low=None, clip_high=None, **kwargs):
        super().__init__(**kwargs)
        self.n_features = int(n_features)
        self.clip_low = None if clip_low is None else float(clip_low)
        self.clip_high = None if clip_high is None else float(clip_high)

    def constant_specs(self):
        return {"scale": ((self.n_features,), self.dtype), "offset": ((self.n_features,), self.dtype)}

    def call(self, x, output="transform"):
        self.check_output(output)
        z = x * self.scale + self.offset
        if self.clip_low is not None:
            z = ops.clip(z, self.clip_low, self.clip_high)
        return z

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features, "clip_low": self.clip_low,
                "clip_high": self.clip_high}


class RowNormalizer(Operator):
    """z = x / ‖x‖ per row, ‖·‖ one of "l1", "l2", "max"; rows of norm 0 are left as they are."""

    outputs = ("transform",)

    def __init__(self, norm="l2", **kwargs):
        super().__init__(**kwargs)
        if norm not in ("l1", "l2", "max"):
            raise ValueError(f"RowNormalizer: norm must be 'l1', 'l2' or 'max', got {norm!r}")
        self.norm = norm

    def call(self, x, output="transform"):
        self.check_output(output)
        if self.norm == "l1":
            norms = ops.sum(ops.abs(x), axis=1, keepdims=True)
        elif self.norm == "l2":
            norms = ops.sqrt(ops.sum(ops.square(x), axis=1, keepdims=True))
        else:
            norms = ops.max(ops.abs(x), axis=1, keepdims=True)
        norms = ops.where(norms.data == 0, 1.0, norms)
        return x / norms

    def get_config(self):
        return {**super().get_config(), "norm": self.norm}


class PolynomialExpansion(Operator):
    """Z = X₁[:, T₀] ⊙ X₁[:, T₁] ⊙ … ⊙ X₁[:, T_{D−1}] with X₁ = [X | 1]: term k is the product
    of the columns ``terms[k]`` (index n_features is the column of ones, for padding).

    Args:
        n_features: the number of input columns.
        n_output: the number of terms (output columns).
        degree: the number of factors per term (the maximum total degree, at least 1).
    """

    outputs = ("transform",)

    def __init__(self, n_features, n_output, degree, **kwargs):
        super().__init__(**kwargs)
        self.n_features, self.n_output, self.degree = int(n_features), int(n_output), int(degree)

    def constant_specs(self):
        return {"terms": ((self.degree, self.n_output), "int64")}

    def call(self, x, output="transform"):
        self.check_output(output)
        ones = wrap(xp.ones((x.shape[0], 1), dtype=x.dtype))
        x1 = ops.concatenate([x, ones], axis=1)
        z = x1[:, self.terms.data[0]]
        for factor in range(1, self.degree):
            z = z * x1[:, self.terms.data[factor]]
        return z

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features, "n_output": self.n_output,
                "degree": self.degree}


class OneHot(Operator):
    """z_k = [x_{column_k} = category_k] (a NaN category matches NaN).

    Args:
        n_output: the number of output columns (kept categories of all features).
    """

    outputs = ("transform",)

    def __init__(self, n_output, **kwargs):
        super().__init__(**kwargs)
        self.n_output = int(n_output)

    def constant_specs(self):
        return {"columns": ((self.n_output,), "int64"), "categories": ((self.n_output,), self.dtype),
                "nan_category": ((self.n_output,), "bool")}

    def call(self, x, output="transform"):
        self.check_output(output)
        values = x.data[:, self.columns.data]
        hits = xp.where(self.nan_category.data, xp.isnan(values), values == self.categories.data)
        return wrap(hits.astype(x.dtype))

    def get_config(self):
        return {**super().get_config(), "n_output": self.n_output}


class Imputer(Operator):
    """z = where(missing(x), statistics, x)[:, kept], followed by missing(x)[:, indicated] as 0/1.

    Args:
        n_features: the number of input columns.
        n_kept: the number of imputed columns kept (features with a statistic).
        n_indicators: the number of missing-indicator columns appended.
        missing_values: the value that marks a missing entry (NaN by default).
    """

    outputs = ("transform",)

    def __init__(self, n_features, n_kept, n_indicators=0, missing_values=float("nan"), **kwargs):
        super().__init__(**kwargs)
        self.n_features, self.n_kept, self.n_indicators = int(n_features), int(n_kept), int(n_indicators)
        self.missing_values = float(missing_values)

    def constant_specs(self):
        return {"statistics": ((self.n_features,), self.dtype), "kept": ((self.n_kept,), "int64"),
                "indicated": ((self.n_indicators,), "int64")}

    def call(self, x, output="transform"):
        self.check_output(output)
        missing = xp.isnan(x.data) if np.isnan(self.missing_values) else x.data == self.missing_values
        filled = ops.where(missing, ops.broadcast_to(self.statistics, x.shape), x)
        if self.n_kept != self.n_features:
            filled = filled[:, self.kept.data]
        if not self.n_indicators:
            return filled
        indicator = wrap(missing[:, self.indicated.data].astype(x.dtype))
        return ops.concatenate([filled, indicator], axis=1)

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features, "n_kept": self.n_kept,
                "n_indicators": self.n_indicators, "missing_values": self.missing_values}


class LinearProjection(Operator):
    """z = x·W + b, W of shape (n_features, n_components) (PCA, TruncatedSVD)."""

    outputs = ("transform",)

    def __init__(self, n_features, n_components, **kwargs):
        super().__init__(**kwargs)
        self.n_features, self.n_components = int(n_features), int(n_components)

    def constant_specs(self):
        return {"kernel": ((self.n_features, self.n_components), self.dtype),
                "bias": ((self.n_components,), self.dtype)}

    def call(self, x, output="transform"):
        self.check_output(output)
        return ops.linear(x, self.kernel, self.bias)

    def input_affine(self):
        """The (kernel, bias) Variables of the first affine map x·W + b (a Pipeline folds a scaler into them)."""
        return self.kernel, self.bias

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features, "n_components": self.n_components}


# --- converters ---------------------------------------------------------------------------------
def _affine(n_features, scale, offset, context, clip=None):
    op = ElementwiseAffine(n_features, *(clip or (None, None)), dtype=context.dtype)
    op.build((None, n_features))
    return op.set_constants(scale=np.broadcast_to(scale, (n_features,)), offset=np.broadcast_to(offset, (n_features,)))


def _center_scale(n, center, scale, context):
    """s = 1/scale, t = −center/scale (None: center 0, scale 1)."""
    center = np.zeros(n) if center is None else np.asarray(center, dtype=np.float64)
    scale = np.ones(n) if scale is None else np.asarray(scale, dtype=np.float64)
    return _affine(n, 1.0 / scale, -center / scale, context)


@register_converter("StandardScaler")
def convert_standard_scaler(estimator, context):
    return _center_scale(estimator.n_features_in_, estimator.mean_ if estimator.with_mean else None,
                         estimator.scale_ if estimator.with_std else None, context)


@register_converter("RobustScaler")
def convert_robust_scaler(estimator, context):
    return _center_scale(estimator.n_features_in_, estimator.center_, estimator.scale_, context)


@register_converter("MaxAbsScaler")
def convert_max_abs_scaler(estimator, context):
    return _center_scale(estimator.n_features_in_, None, estimator.scale_, context)


@register_converter("MinMaxScaler")
def convert_min_max_scaler(estimator, context):
    clip = tuple(float(v) for v in estimator.feature_range) if estimator.clip else None
    return _affine(estimator.n_features_in_, estimator.scale_, estimator.min_, context, clip)


@register_converter("Normalizer")
def convert_normalizer(estimator, context):
    op = RowNormalizer(estimator.norm, dtype=context.dtype)
    op.build((None, context.n_features))
    return op


@register_converter("PolynomialFeatures")
def convert_polynomial_features(estimator, context):
    powers = np.asarray(estimator.powers_)
    n_features = powers.shape[1]
    degree = max(int(powers.sum(axis=1).max()), 1)
    terms = np.full((degree, powers.shape[0]), n_features, dtype=np.int64)   # padding: the column of ones
    for k, row in enumerate(powers):
        factors = np.repeat(np.arange(n_features), row)
        terms[:len(factors), k] = factors
    op = PolynomialExpansion(n_features, powers.shape[0], degree, dtype=context.dtype)
    op.build((None, n_features))
    return op.set_constants(terms=terms)


@register_converter("OneHotEncoder")
def convert_one_hot_encoder(estimator, context):
    name = type(estimator).__name__
    if getattr(estimator, "_infrequent_enabled", False) and any(
            c is not None for c in (getattr(estimator, "infrequent_categories_", None) or [])):
        raise ValueError(f"{name}: infrequent categories (min_frequency / max_categories) are not supported")
    drop_idx = getattr(estimator, "drop_idx_", None)
    columns, categories = [], []
    for feature, cats in enumerate(estimator.categories_):
        if np.asarray(cats).dtype.kind not in "biuf":
            raise ValueError(f"{name}: only numeric categories are supported; feature {feature} has categories "
                             f"of dtype {np.asarray(cats).dtype}")
        dropped = None if drop_idx is None else drop_idx[feature]
        for j, category in enumerate(np.asarray(cats, dtype=np.float64)):
            if dropped is None or j != dropped:
                columns.append(feature)
                categories.append(category)
    categories = np.asarray(categories, dtype=np.float64)
    op = OneHot(len(columns), dtype=context.dtype)
    op.build((None, estimator.n_features_in_))
    return op.set_constants(columns=columns, categories=np.nan_to_num(categories), nan_category=np.isnan(categories))


@register_converter("SimpleImputer")
def convert_simple_imputer(estimator, context):
    name = type(estimator).__name__
    try:        # strategy="constant" keeps an object array of numbers
        statistics = np.asarray(estimator.statistics_, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: only numeric data is supported (statistics {estimator.statistics_!r})") from None
    missing = estimator.missing_values
    if missing is None or isinstance(missing, str):
        raise ValueError(f"{name}: missing_values={missing!r} is not supported; use np.nan or a number")
    n = statistics.shape[0]
    kept = np.arange(n) if estimator.keep_empty_features else np.flatnonzero(~np.isnan(statistics))
    indicated = (np.asarray(estimator.indicator_.features_, dtype=np.int64)
                 if estimator.add_indicator and estimator.indicator_ is not None else np.zeros(0, np.int64))
    op = Imputer(n, len(kept), len(indicated), float(missing), dtype=context.dtype)
    op.build((None, n))
    return op.set_constants(statistics=np.nan_to_num(statistics), kept=kept, indicated=indicated)


@register_converter("PCA")
def convert_pca(estimator, context):
    components = np.asarray(estimator.components_, dtype=np.float64)
    W = components.T
    b = -np.asarray(estimator.mean_, dtype=np.float64) @ W
    if estimator.whiten:
        scale = np.sqrt(np.asarray(estimator.explained_variance_, dtype=np.float64))
        scale[scale < np.finfo(scale.dtype).eps] = np.finfo(scale.dtype).eps
        W, b = W / scale, b / scale
    return _projection(W, b, context)


@register_converter("TruncatedSVD")
def convert_truncated_svd(estimator, context):
    W = np.asarray(estimator.components_, dtype=np.float64).T
    return _projection(W, np.zeros(W.shape[1]), context)


def _projection(W, b, context):
    op = LinearProjection(W.shape[0], W.shape[1], dtype=context.dtype)
    op.build((None, W.shape[0]))
    return op.set_constants(kernel=W, bias=b)
