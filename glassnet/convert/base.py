"""Fitted scikit-learn models as glassnet layers whose weights are constants (the Hummingbird idea).

A fitted estimator is a function of X with frozen numbers in it: a scaler is
``z = (x − μ) / σ``, a linear model ``s = x·W + b``, a forest a set of comparisons
``x[f] < t``. Put those numbers into tensors and write the function with glassnet ops, and
the model runs batched, wherever glassnet's array backend runs, and is saved and loaded like
any glassnet model. Three pieces do it:

* ``Operator`` — a ``Layer`` for one fitted estimator. Its ``__init__`` stores only the
  JSON-able shape/option arguments; ``constant_specs()`` names the constant arrays and their
  shapes; ``build`` creates them as non-trainable weights; the converter copies sklearn's
  fitted arrays in with ``set_constants``. ``call(x, output=...)`` computes one of the
  operator's ``outputs`` ("transform", "predict", "decision", "proba", "score_samples").
* converters — ``@register_converter("StandardScaler")`` functions that turn a fitted
  estimator into a built Operator. ``Context.convert`` dispatches on the estimator's class
  name, so composites (Pipeline, ColumnTransformer, ...) recurse through it.
* ``ConvertedModel`` — a glassnet ``Model`` holding the root Operator plus what sklearn's
  methods need around it (``classes_`` to turn indices into labels, ``n_features_in_`` to
  check the input). Its ``predict``, ``predict_proba``, ``decision_function``,
  ``transform`` and ``score_samples`` return what the sklearn estimator's return.

Saving works like any model: the config holds the operator tree's configs (shapes and
options), the weights file holds the constants, and ``glassnet.models.load_model`` rebuilds
it (``lookup_class`` imports ``glassnet.convert`` so every Operator class is found).
scikit-learn itself is imported only inside converters, never by ``import glassnet.convert``.
"""
from __future__ import annotations

import numbers

import numpy as np

from ..layers.base import Layer
from ..layers import registry
from ..models.model import Model
from ..tensor import Tensor, no_grad

OUTPUTS = ("transform", "predict", "decision", "proba", "score_samples")
STRATEGIES = ("auto", "gemm", "tree_trav", "perf_tree_trav")
DTYPES = ("float32", "float64")
_CONVERTERS: dict = {}      # sklearn class __name__ -> converter(estimator, context) -> Operator


# --- Operators --------------------------------------------------------------------------------
class Operator(Layer):
    """One fitted estimator (or step) as a layer whose weights are constants.

    A subclass sets ``outputs`` (a tuple drawn from ``OUTPUTS``), stores its shape and option
    arguments in ``__init__`` (returned by ``get_config``), declares its constant arrays in
    ``constant_specs`` and computes ``call(x, output)`` with glassnet ops. Example::

        class Shift(Operator):
            '''z = x − μ'''
            outputs = ("transform",)

            def __init__(self, n_features, **kwargs):
                super().__init__(**kwargs)
                self.n_features = n_features

            def constant_specs(self):
                return {"mu": ((self.n_features,), self.dtype)}

            def call(self, x, output="transform"):
                return x - self.mu

            def get_config(self):
                return {**super().get_config(), "n_features": self.n_features}

        op = Shift(3, dtype="float64"); op.build((None, 3)); op.set_constants(mu=[1.0, 2.0, 3.0])

    Sub-operators assigned as attributes (or lists of them) are tracked as sublayers, so
    their constants are saved with the model; a composite overrides ``build`` to build them
    and ``get_config``/``from_config`` to (de)serialize them with ``serialize_operator`` /
    ``deserialize_operator``.

    For a classifier, output "predict" gives int64 indices into the model's ``classes_``.
    """

    outputs: tuple = ()

    def __init__(self, **kwargs):
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)

    def constant_specs(self) -> dict:
        """``{name: (shape, dtype)}`` of the constant arrays; dtype is ``self.dtype`` for
        floats, or "int64"/"int32"/"bool" for indices and flags."""
        return {}

    def build(self, input_shape) -> None:
        """Create one non-trainable, zero-filled weight per ``constant_specs`` entry, set as
        the attribute of the same name (a Variable usable in glassnet ops)."""
        for key, (shape, dtype) in self.constant_specs().items():
            weight = self.add_weight(shape=tuple(int(s) for s in shape), initializer="zeros", dtype=dtype,
                                     trainable=False, name=key)
            setattr(self, key, weight)

    def set_constants(self, **arrays) -> "Operator":
        """Copy fitted arrays into the (built) constants, checking each shape; cast to its dtype.

        Raises:
            ValueError: if the operator is not built, a name is not one of its constants, or
                a shape differs from the declared one.
        """
        if not self.built:
            raise ValueError(f"{type(self).__name__} {self.name!r}: build((None, n_features)) before set_constants")
        specs = self.constant_specs()
        for key, value in arrays.items():
            if key not in specs:
                raise ValueError(f"{type(self).__name__}.set_constants: unknown constant {key!r}; "
                                 f"the operator has {sorted(specs)}")
            variable = getattr(self, key)
            array = np.asarray(value)
            if tuple(array.shape) != tuple(variable.shape):
                raise ValueError(f"{type(self).__name__}.set_constants: constant {key!r} has shape "
                                 f"{tuple(variable.shape)}, got an array of shape {tuple(array.shape)}")
            variable.assign(array.astype(variable.dtype, copy=False))
        return self

    def call(self, inputs, output=None):
        raise NotImplementedError(f"{type(self).__name__}.call is not implemented")

    def check_output(self, output) -> str:
        """``output`` (default: the first of ``outputs``), checked to be one this operator has."""
        output = self.outputs[0] if output is None else output
        if output not in self.outputs:
            raise ValueError(f"{type(self).__name__}: output {output!r} is not available; it has {list(self.outputs)}")
        return output


def serialize_operator(operator: Operator) -> dict:
    """``{"class_name", "config"}`` of an operator (for a composite's ``get_config``)."""
    return registry.serialize(operator)


def deserialize_operator(config: dict, custom_objects=None) -> Operator:
    """The operator ``serialize_operator`` described (unbuilt; constants come from the weights)."""
    operator = registry.deserialize(config, custom_objects)
    if not isinstance(operator, Operator):
        raise ValueError(f"deserialize_operator: {config.get('class_name')!r} is not a glassnet.convert Operator")
    return operator


def wrap(array) -> Tensor:
    """A plain backend array (a comparison's booleans, an index array) as a Tensor, no graph."""
    return Tensor._wrap(array)


def argmax(x, axis=-1) -> Tensor:
    """Index of the largest entry along ``axis`` as an int64 Tensor (first one on ties, as
    NumPy and scikit-learn); not differentiable."""
    data = x.data if isinstance(x, Tensor) else x
    return Tensor._wrap(data.argmax(axis=axis).astype(np.int64))


def as_index(condition) -> Tensor:
    """A boolean array/Tensor as an int64 Tensor of 0s and 1s (e.g. ``decision > 0``)."""
    data = condition.data if isinstance(condition, Tensor) else condition
    return Tensor._wrap(data.astype(np.int64))


# --- converters -------------------------------------------------------------------------------
def register_converter(*names):
    """Decorator: ``converter(estimator, context) -> Operator`` handles the sklearn classes
    called ``names`` (a name covers every class so called, e.g. sklearn's and glassnet's MLPs).

    Raises:
        ValueError: for no names, or a name that is not a non-empty string.
    """
    if not names or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"register_converter: give one or more estimator class names, got {names!r}")

    def decorator(converter):
        for name in names:
            _CONVERTERS[name] = converter
        return converter

    return decorator


def supported_estimators() -> list:
    """The class names of the estimators ``from_sklearn`` converts, sorted."""
    return sorted(_CONVERTERS)


def n_features_of(estimator, default=None):
    """``estimator.n_features_in_`` as an int, or ``default`` if it has none."""
    n = getattr(estimator, "n_features_in_", None)
    return int(n) if n is not None else default


NAN_PASSING = ("StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "FunctionTransformer")
"""Transformers that accept NaN and hand it on, column for column (the next step decides)."""


def refused_nan_columns(estimator, n_features: int) -> list:
    """The input columns in which NaN (or ±inf) makes ``estimator.predict``/``transform`` raise
    (so the converted model raises too). A leaf estimator refuses all its columns unless its
    ``allow_nan`` tag says it handles missing values. Composites follow their parts: a
    Pipeline's first steps that pass NaN on (scalers) add their refusals to those of the
    first step that does not; a ColumnTransformer maps each transformer's refusals to its
    columns; a FeatureUnion or OneVsRestClassifier refuses what any part refuses. Where a
    part is unknown the columns are accepted (no check rather than a false error)."""
    name = type(estimator).__name__
    if estimator is None or isinstance(estimator, str):            # "passthrough", "drop"
        return []
    if name == "Pipeline":
        refused = set()
        for _, step in estimator.steps:
            refused.update(refused_nan_columns(step, n_features))
            if step is not None and not isinstance(step, str) and type(step).__name__ not in NAN_PASSING:
                break
        return sorted(refused)
    if name == "ColumnTransformer":
        refused = set()
        for part, transformer, _ in estimator.transformers_:
            columns = list(getattr(estimator, "_transformer_to_input_indices", {}).get(part, []))
            refused.update(columns[j] for j in refused_nan_columns(transformer, len(columns)))
        return sorted(refused)
    if name in ("FeatureUnion", "OneVsRestClassifier"):
        parts = estimator.transformer_list if name == "FeatureUnion" else [(None, e) for e in estimator.estimators_]
        return sorted(set().union(*(refused_nan_columns(part, n_features) for _, part in parts)))
    if name == "FunctionTransformer" and estimator.func is None:
        return []
    try:
        from sklearn.utils import get_tags
        allowed = bool(get_tags(estimator).input_tags.allow_nan)
    except (ImportError, AttributeError, TypeError, ValueError):
        allowed = False
    return [] if allowed else list(range(n_features))


class Context:
    """What a converter needs besides the estimator.

    Args:
        dtype: "float64" (default) or "float32": the operators' float dtype.
        strategy: for trees: "auto", "gemm", "tree_trav" or "perf_tree_trav".
        n_features: the number of input columns of the estimator being converted.
    """

    def __init__(self, dtype="float64", strategy="auto", n_features=None):
        self.dtype = check_dtype(dtype)
        self.strategy = check_strategy(strategy)
        self.n_features = None if n_features is None else int(n_features)

    def convert(self, estimator, n_features=None) -> Operator:
        """The built Operator for ``estimator`` (a step of a composite, or the root).

        Args:
            estimator: a fitted estimator whose class name has a registered converter.
            n_features: its number of input columns (default: its ``n_features_in_``,
                else this context's).

        Raises:
            TypeError: for an estimator no converter handles (the message lists them).
            sklearn.exceptions.NotFittedError: for an unfitted estimator.
        """
        name = type(estimator).__name__
        converter = _CONVERTERS.get(name)
        if converter is None:
            raise TypeError(f"glassnet.convert: cannot convert {name}: it is not supported. Supported estimators: "
                            f"{', '.join(supported_estimators())}")
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(estimator)
        n = n_features if n_features is not None else n_features_of(estimator, self.n_features)
        operator = converter(estimator, Context(self.dtype, self.strategy, n))
        if not isinstance(operator, Operator) or not operator.built:
            raise TypeError(f"glassnet.convert: the converter for {name} returned {operator!r}; "
                            "expected a built Operator")
        return operator


def check_dtype(dtype) -> str:
    name = np.dtype(dtype).name if dtype is not None else None
    if name not in DTYPES:
        raise ValueError(f"glassnet.convert: dtype must be 'float32' or 'float64', got {dtype!r}")
    return name


def check_strategy(strategy) -> str:
    if strategy not in STRATEGIES:
        raise ValueError(f"glassnet.convert: strategy must be one of {list(STRATEGIES)}, got {strategy!r}")
    return strategy


# --- the model --------------------------------------------------------------------------------
def _jsonable(value):
    """NumPy scalars/arrays (class labels) as plain Python values, lists for arrays."""
    if isinstance(value, np.ndarray):
        return [_jsonable(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if value is None or isinstance(value, str):
        return value
    return str(value)


class _OutputMethod:
    """A method of ConvertedModel that exists only when the root operator has ``output``
    (``hasattr(model, "predict_proba")`` is False as it is for the sklearn estimator)."""

    def __init__(self, output, function):
        self.output, self.function = output, function
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, model, owner=None):
        if model is None:
            return self
        if self.output not in model.operator_outputs:
            raise AttributeError(f"This converted {model.estimator} has no attribute {self.name!r} "
                                 f"(the {model.estimator} has no {self.name})")
        return self.function.__get__(model, owner)


class ConvertedModel(Model):
    """A fitted scikit-learn estimator compiled into a glassnet model (``from_sklearn`` makes one).

    Its ``predict``, ``predict_proba``, ``decision_function``, ``transform`` and
    ``score_samples`` take array-like X of shape (n_samples, n_features_in_) and return NumPy
    arrays equal to the sklearn estimator's; each exists only where the estimator has it.

    Args:
        operator: the root Operator (built or not).
        classes_: the class labels (JSON-able list) for a classifier, else None. A list of
            lists is a multi-output classifier: one list per output column.
        n_features_in_: the number of input columns.
        estimator: the sklearn class name (informative).
        outputs: the operator's outputs (default: ``operator.outputs``); kept as
            ``model.operator_outputs`` (``Model.outputs`` means symbolic tensors in glassnet).
        batch_size: rows per forward pass in the methods above (None: all at once).
        refuse_nan: the input columns that must be finite: NaN or ±inf there raise a
            ValueError, as the sklearn estimator's input validation does (see
            ``refused_nan_columns``); empty: X is not checked.
    """

    def __init__(self, operator, classes_=None, n_features_in_=None, estimator=None, outputs=None,
                 batch_size=None, refuse_nan=(), **kwargs):
        super().__init__(**kwargs)
        if isinstance(operator, dict):
            operator = deserialize_operator(operator)
        if not isinstance(operator, Operator):
            raise TypeError(f"ConvertedModel: operator must be a glassnet.convert Operator, got {type(operator).__name__}")
        if n_features_in_ is None or int(n_features_in_) < 1:
            raise ValueError(f"ConvertedModel: n_features_in_ must be a positive int, got {n_features_in_!r}")
        self.operator = operator
        self.classes_ = None if classes_ is None else _jsonable(classes_)
        self.n_features_in_ = int(n_features_in_)
        self.estimator = estimator or type(operator).__name__
        self.operator_outputs = tuple(outputs if outputs is not None else operator.outputs)
        if batch_size is not None and int(batch_size) < 1:
            raise ValueError(f"ConvertedModel: batch_size must be a positive int or None, got {batch_size!r}")
        self.batch_size = None if batch_size is None else int(batch_size)
        self.refuse_nan = [int(c) for c in refuse_nan]

    def call(self, inputs, output=None):
        return self.operator(inputs, output=output or self.operator_outputs[0])

    def get_config(self) -> dict:
        return {**Layer.get_config(self), "operator": serialize_operator(self.operator),
                "classes_": self.classes_, "n_features_in_": self.n_features_in_, "estimator": self.estimator,
                "outputs": list(self.operator_outputs), "batch_size": self.batch_size,
                "refuse_nan": self.refuse_nan}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["operator"] = deserialize_operator(config["operator"], custom_objects)
        return cls(**config)

    # --- running ------------------------------------------------------------------------
    def _check_x(self, X) -> np.ndarray:
        if isinstance(X, Tensor):
            X = X.numpy()
        X = np.asarray(X)
        if X.dtype.kind not in "biuf":
            try:
                X = X.astype(self.dtype)
            except (TypeError, ValueError):
                raise ValueError(f"{self.estimator} (converted): X must be numeric, got dtype {X.dtype}") from None
        if X.ndim != 2:
            raise ValueError(f"{self.estimator} (converted): expected a 2-D array of shape (n_samples, "
                             f"{self.n_features_in_}), got shape {X.shape}; reshape a single sample with "
                             "X.reshape(1, -1)")
        if X.shape[0] == 0:
            raise ValueError(f"{self.estimator} (converted): found an array with 0 samples (shape {X.shape}); "
                             "a minimum of 1 is required")
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but the converted {self.estimator} is expecting "
                             f"{self.n_features_in_} features as input")
        X = X.astype(self.dtype, copy=False)
        checked = X if len(self.refuse_nan) == X.shape[1] else X[:, self.refuse_nan]
        if self.refuse_nan and not np.isfinite(checked).all():
            what = "NaN" if np.isnan(checked).any() else "infinity"
            raise ValueError(f"Input X contains {what}; the converted {self.estimator} does not accept missing "
                             "values (put a SimpleImputer in front of it, or use an estimator that handles NaN)")
        return X

    def run(self, X, output: str) -> np.ndarray:
        """The operator's ``output`` for X, computed batch by batch without gradients."""
        from ..backend import to_numpy, xp
        X = self._check_x(X)
        step = self.batch_size or len(X)
        parts = []
        with no_grad():
            for start in range(0, len(X), step):
                batch = Tensor(xp.asarray(X[start:start + step]))
                parts.append(to_numpy(self.operator(batch, output=output).data))
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=0)

    def _labels(self, indices: np.ndarray) -> np.ndarray:
        classes = self.classes_
        if classes is None:
            return indices
        if classes and isinstance(classes[0], list):        # multi-output: one list of labels per column
            return np.stack([np.asarray(c)[indices[:, j]] for j, c in enumerate(classes)], axis=1)
        if indices.ndim == 2:                                # multi-label indicator matrix: already 0/1
            return indices
        return np.asarray(classes)[indices]

    def _predict(self, X):
        """Predicted class labels (classifiers), values (regressors) or inlier flags, as sklearn's ``predict``."""
        return self._labels(self.run(X, "predict"))

    def _predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes), as sklearn's ``predict_proba`` (for
        several outputs, sklearn's list of one (n_samples, n_classes_j) array per output)."""
        proba = self.run(X, "proba")
        classes = self.classes_
        if classes and isinstance(classes[0], list):        # multi-output: padded blocks of equal width
            width = proba.shape[1] // len(classes)
            return [proba[:, j * width:j * width + len(c)] for j, c in enumerate(classes)]
        return proba

    def _decision_function(self, X):
        """Decision scores, as sklearn's ``decision_function`` ((n,) for two classes)."""
        return self.run(X, "decision")

    def _transform(self, X):
        """The transformed features, as sklearn's ``transform``."""
        return self.run(X, "transform")

    def _score_samples(self, X):
        """Per-sample scores, as sklearn's ``score_samples``."""
        return self.run(X, "score_samples")

    predict = _OutputMethod("predict", _predict)
    predict_proba = _OutputMethod("proba", _predict_proba)
    decision_function = _OutputMethod("decision", _decision_function)
    transform = _OutputMethod("transform", _transform)
    score_samples = _OutputMethod("score_samples", _score_samples)

    def __repr__(self) -> str:
        return f"<ConvertedModel of {self.estimator} outputs={list(self.operator_outputs)}>"


def from_sklearn(estimator, strategy="auto", dtype="float64", batch_size=None) -> ConvertedModel:
    """Compile a fitted scikit-learn estimator into a glassnet ``ConvertedModel``.

    Args:
        estimator: a fitted estimator of one of ``supported_estimators()`` (a Pipeline,
            ColumnTransformer or FeatureUnion of them too).
        strategy: how trees are evaluated: "gemm", "tree_trav", "perf_tree_trav", or "auto"
            (chosen per model by depth and size; see ``glassnet.convert.trees``).
        dtype: "float64" (default: outputs equal sklearn's to ~1e-12) or "float32".
        batch_size: rows per forward pass (None: all rows at once). Models whose
            intermediate arrays are wide — a kernel SVM's (rows × support vectors) kernel
            matrix, a forest's (rows × nodes) GEMM — run faster in batches of a few thousand
            rows, which keep those arrays in cache.

    Raises:
        TypeError: for an unsupported estimator (the message lists the supported ones).
        sklearn.exceptions.NotFittedError: for an unfitted estimator.
        ValueError: for an unsupported option, dtype or strategy.
    """
    dtype, strategy = check_dtype(dtype), check_strategy(strategy)
    context = Context(dtype, strategy, n_features_of(estimator))
    operator = context.convert(estimator)
    n_features = n_features_of(estimator)
    if n_features is None:
        raise ValueError(f"glassnet.convert: {type(estimator).__name__} has no n_features_in_; fit it on a 2-D array")
    classes = getattr(estimator, "classes_", None)
    model = ConvertedModel(operator, classes_=classes, n_features_in_=n_features,
                           estimator=type(estimator).__name__, batch_size=batch_size,
                           refuse_nan=refused_nan_columns(estimator, n_features), dtype=dtype)
    model.build((None, n_features))
    return model
