"""``KerasClassifier``, ``KerasRegressor`` and ``KerasTransformer``: any compiled glassnet model
as a scikit-learn estimator, so it sits in a ``Pipeline``, ``cross_val_score`` or ``GridSearchCV``.

You give a function that builds and compiles the model; its keyword arguments become the
estimator's parameters, which scikit-learn's tools can set and search::

    def build(n_features_in, n_classes, units=32, learning_rate=1e-3):
        model = glassnet.models.Sequential([
            glassnet.layers.Input((n_features_in,)),
            glassnet.layers.Dense(units, activation="relu"),
            glassnet.layers.Dense(n_classes, activation="softmax")])
        model.compile(glassnet.optimizers.Adam(learning_rate), "categorical_crossentropy")
        return model

    search = GridSearchCV(KerasClassifier(build, epochs=20), {"units": [16, 64]}, cv=3)
    search.fit(X, y)                     # build(units=16, ...) and build(units=64, ...)
    search.best_params_                  # {"units": 64}

How the build function is called: with the keyword arguments it names, out of

* ``X``, ``y``: the training data (``y`` as the model is trained on it: one-hot for a
  classifier, so ``y.shape[1]`` is the number of classes — Keras 3's convention);
* ``n_features_in``, ``n_classes`` (classifiers), ``n_outputs``: the shapes, for a function
  that does not want the data;
* the tunable parameters: every other keyword parameter of the function, read from the
  estimator (its default value unless set), plus any ``model_kwargs`` entry.

``model`` may also be a compiled glassnet ``Model``: each ``fit`` trains a fresh copy (same
architecture and compile settings, new weights), unless ``warm_start`` is True, which
keeps training the fitted model.

Targets of a classifier. Class labels of any type (strings included) are encoded; the model
is trained on what its loss expects: integer ids for ``sparse_categorical_crossentropy``, a
0/1 column for a model with one output unit (sigmoid and ``binary_crossentropy``), else a
one-hot matrix. ``predict_proba`` is the model's output (``[1 − p, p]`` for one unit);
``predict`` is the most probable class (``p > 0.5`` for one unit).

Keras 3 names these wrappers ``keras.wrappers.SKLearnClassifier``, ``SKLearnRegressor`` and
``SKLearnTransformer`` (``glassnet.wrappers`` has the same names), with the arguments
``model, warm_start, model_kwargs, fit_kwargs``: both names are here, the same classes, and Keras 3's usage (``SKLearnClassifier(model=f, model_kwargs={...})``, then
``fit(X, y, epochs=5)``) works unchanged.
"""
from __future__ import annotations

import inspect

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

_FIT_ARGUMENTS = ("epochs", "batch_size", "verbose", "validation_split", "shuffle", "callbacks")
_DATA_ARGUMENTS = ("X", "y", "n_features_in", "n_classes", "n_outputs")


def _keyword_parameters(function) -> dict:
    """The tunable keyword parameters of a build function, name → default (``None`` if none)."""
    parameters = inspect.signature(function).parameters.values()
    return {p.name: (None if p.default is inspect.Parameter.empty else p.default) for p in parameters
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in _DATA_ARGUMENTS}


def _accepts(function, name: str) -> bool:
    parameters = inspect.signature(function).parameters
    return name in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


class BaseWrapper(BaseEstimator):
    """What the classifier and the regressor share: parameters, building, fitting.

    Args:
        model: a function returning a compiled glassnet ``Model`` (see the module docstring
            for the arguments it receives), or a compiled ``Model`` to copy.
        warm_start: keep training the fitted model on the next ``fit`` instead of building
            a new one.
        model_kwargs: extra keyword arguments for ``model`` (Keras 3's way to pass them).
        fit_kwargs: extra keyword arguments for ``Model.fit`` (``fit(X, y, **kwargs)``
            overrides them, and they override the parameters below).
        epochs, batch_size, verbose, validation_split, shuffle, callbacks: ``Model.fit``'s
            arguments (``verbose`` defaults to 0: scikit-learn estimators are quiet).
        random_state: an int seeds glassnet (``glassnet.utils.set_random_seed``) before the
            model is built, so fits repeat exactly; None leaves the random stream alone.
        **build_params: values of the build function's keyword parameters.
    """

    def __init__(self, model=None, warm_start=False, model_kwargs=None, fit_kwargs=None, *, epochs=1,
                 batch_size=None, verbose=0, validation_split=0.0, shuffle=True, callbacks=None,
                 random_state=None, **build_params):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs
        self.epochs = epochs
        self.batch_size = batch_size
        self.verbose = verbose
        self.validation_split = validation_split
        self.shuffle = shuffle
        self.callbacks = callbacks
        self.random_state = random_state
        self._build_params = dict(build_params)   # private: scikit-learn's checks allow only parameters

    # --- parameters: the constructor's plus the build function's ----------------------------
    def _tunable_names(self) -> list:
        names = list(self._build_params)
        if callable(self.model) and not _is_model(self.model):
            names += [name for name in _keyword_parameters(self.model) if name not in names]
        return [name for name in names if name not in self._get_param_names()]

    def get_params(self, deep=True) -> dict:
        params = super().get_params(deep=deep)
        defaults = _keyword_parameters(self.model) if callable(self.model) and not _is_model(self.model) else {}
        for name in self._tunable_names():
            params[name] = self._build_params.get(name, defaults.get(name))
        return params

    def set_params(self, **params):
        known = set(self._get_param_names()) | set(self._tunable_names())
        for name in params:
            if name not in known and "__" not in name:
                raise ValueError(f"Invalid parameter {name!r} for estimator {type(self).__name__}: valid "
                                 f"parameters are {sorted(known)} (the build function's keyword "
                                 f"parameters are tunable; {self.model!r} does not take {name!r})")
        for name in [name for name in params if name not in self._get_param_names() and "__" not in name]:
            self._build_params[name] = params.pop(name)
        return super().set_params(**params)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags

    # --- building -------------------------------------------------------------------------
    def _build_arguments(self, X, y_built) -> dict:
        given = dict(self._build_params)
        for name, value in (self.model_kwargs or {}).items():
            if name in given:
                raise ValueError(f"{type(self).__name__}: {name!r} is given both as a parameter and in "
                                 "model_kwargs; give it once")
            given[name] = value
        data = {"X": X, "y": y_built, "n_features_in": X.shape[1], "n_outputs": self._n_outputs(y_built)}
        if isinstance(self, ClassifierMixin):
            data["n_classes"] = len(self.classes_)
        arguments = {name: value for name, value in data.items() if _accepts(self.model, name)}
        for name, value in given.items():
            if not _accepts(self.model, name):
                raise ValueError(f"{type(self).__name__}: the build function {self.model.__name__!r} takes no "
                                 f"argument {name!r}")
            arguments[name] = value
        return arguments

    def _new_model(self, X, y_built):
        from ..models import Model
        from ..utils import set_random_seed

        if self.random_state is not None:
            set_random_seed(int(self.random_state))
        if _is_model(self.model):
            model = _fresh_copy(self.model)
        elif callable(self.model):
            model = self.model(**self._build_arguments(X, y_built))
        else:
            raise TypeError(f"{type(self).__name__}: model must be a function returning a compiled glassnet "
                            f"Model, or a compiled Model; got {self.model!r}")
        if not isinstance(model, Model):
            raise TypeError(f"{type(self).__name__}: the build function returned {type(model).__name__}, "
                            "not a glassnet Model")
        if getattr(model, "optimizer", None) is None or model.loss is None:
            raise ValueError(f"{type(self).__name__}: the model must be compiled with an optimizer and a loss "
                             "(call model.compile(...) in the build function)")
        return model

    def _n_outputs(self, y_built) -> int:
        return 1 if y_built.ndim == 1 else y_built.shape[1]

    # --- fitting --------------------------------------------------------------------------
    def fit(self, X, y, sample_weight=None, **kwargs):
        """Build (or, with ``warm_start``, reuse) the model and train it on (X, y).

        ``kwargs`` are ``Model.fit`` arguments for this call (``epochs=5``, ...).
        """
        X, y = validate_data(self, X, y, dtype=(np.float64, np.float32), multi_output=self._multi_output,
                             reset=not (self.warm_start and hasattr(self, "model_")), y_numeric=False)
        y_built = self._encode_targets(y, reset=not (self.warm_start and hasattr(self, "model_")))
        if not (self.warm_start and hasattr(self, "model_")):
            self.model_ = self._new_model(X, y_built)
        y_fit = self._targets_for(self.model_, X, y_built)
        arguments = {name: getattr(self, name) for name in _FIT_ARGUMENTS}
        arguments.update(self.fit_kwargs or {})
        arguments.update(kwargs)
        if sample_weight is not None:
            arguments["sample_weight"] = _check_sample_weight(sample_weight, X, dtype=X.dtype, ensure_non_negative=True)
        self.history_ = self.model_.fit(X, y_fit, **arguments).history
        return self

    def _output(self, X) -> np.ndarray:
        check_is_fitted(self, "model_")
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        out = np.asarray(self.model_.predict(X, verbose=0, batch_size=self.batch_size))
        return out.astype(np.result_type(out.dtype, X.dtype), copy=False)   # float64 in, float64 out

    def _encode_targets(self, y, reset: bool):
        raise NotImplementedError(f"{type(self).__name__} must say how its targets are encoded")

    def _targets_for(self, model, X, y_built):
        return y_built

    def __getstate__(self):
        state = self.__dict__.copy()
        if "history_" in state:
            state["history_"] = dict(state["history_"])
        return state


class KerasClassifier(ClassifierMixin, BaseWrapper):
    """A compiled glassnet model as a scikit-learn classifier (binary or multiclass labels).

    Parameters: see ``BaseWrapper`` and the module docstring. Fitted attributes: ``model_``,
    ``history_`` (``fit``'s history dict), ``classes_``, ``n_features_in_`` (and
    ``feature_names_in_`` for named columns).
    """

    _multi_output = False      # a column of labels is raveled, with scikit-learn's DataConversionWarning

    def _encode_targets(self, y, reset: bool):
        check_classification_targets(y)     # y is 1-D here (validate_data ravels a column)
        if reset:
            self._encoder = LabelEncoder().fit(y)
            self.classes_ = self._encoder.classes_
            if len(self.classes_) < 2:
                raise ValueError(f"KerasClassifier needs samples of at least 2 classes in the data, but the data "
                                 f"contain only one class: {self.classes_[0]!r}")
        ids = self._encoder.transform(y)
        return np.eye(len(self.classes_), dtype=np.float32)[ids]

    def _targets_for(self, model, X, one_hot):
        """What the model's loss expects: integer ids, a 0/1 column, or the one-hot matrix."""
        ids = one_hot.argmax(axis=1)
        width = self._output_width(model, X)
        loss = model.loss if isinstance(model.loss, str) else getattr(model.loss, "name", None) or \
            getattr(model.loss, "__name__", "")
        if "sparse" in str(loss):
            return ids
        if width == 1:
            if len(self.classes_) != 2:
                raise ValueError(f"KerasClassifier: the model has one output unit but the data have "
                                 f"{len(self.classes_)} classes; give it {len(self.classes_)} (softmax)")
            return ids.astype(np.float32)[:, None]
        if width != len(self.classes_):
            raise ValueError(f"KerasClassifier: the model has {width} output units but the data have "
                             f"{len(self.classes_)} classes")
        return one_hot

    @staticmethod
    def _output_width(model, X) -> int:
        from ..tensor import no_grad

        with no_grad():
            return int(np.prod(np.asarray(model(X[:1], training=False)).shape[1:]))

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, (n_samples, n_classes), columns in the order of ``classes_``."""
        p = self._output(X)
        p = p.reshape(len(p), -1)
        return np.hstack([1 - p, p]) if p.shape[1] == 1 else p

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sample, as the labels given to ``fit``."""
        index = self.predict_proba(X).argmax(axis=1)
        return self.classes_[index]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        tags.classifier_tags.multi_class = True
        return tags


class _RealTargets(BaseWrapper):
    """Targets taken as real numbers (float64 kept, anything else float32), one or several columns."""

    _multi_output = True

    def _encode_targets(self, y, reset: bool):
        y = np.asarray(y, dtype=np.float32 if np.asarray(y).dtype != np.float64 else np.float64)
        if reset:
            self._y_ndim = y.ndim
        return y


class KerasRegressor(RegressorMixin, _RealTargets):
    """A compiled glassnet model as a scikit-learn regressor (one or several outputs).

    Parameters: see ``BaseWrapper`` and the module docstring. Fitted attributes: ``model_``,
    ``history_``, ``n_features_in_`` (and ``feature_names_in_`` for named columns).
    """

    def predict(self, X) -> np.ndarray:
        """The model's output, (n_samples,) for a 1-D target, else (n_samples, n_outputs)."""
        out = self._output(X)
        return out.reshape(len(out)) if self._y_ndim == 1 and out.ndim == 2 and out.shape[1] == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        tags.target_tags.multi_output = True
        return tags


class KerasTransformer(TransformerMixin, _RealTargets):
    """A compiled glassnet model as a scikit-learn transformer: ``transform(X)`` is the model's
    output (Keras 3's ``SKLearnTransformer``), e.g. an embedding step before another estimator.

    ``fit(X, y)`` trains the model on (X, y) as ``KerasRegressor`` does; wrap the transformer in
    scikit-learn's ``FrozenEstimator`` to use a trained model without training it again.
    """

    def transform(self, X) -> np.ndarray:
        """The model's output for X, (n_samples, ...)."""
        return self._output(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.target_tags.required = True
        return tags


SKLearnClassifier = KerasClassifier
"""Keras 3's name (``keras.wrappers.SKLearnClassifier``) for ``KerasClassifier``."""
SKLearnRegressor = KerasRegressor
"""Keras 3's name (``keras.wrappers.SKLearnRegressor``) for ``KerasRegressor``."""
SKLearnTransformer = KerasTransformer
"""Keras 3's name (``keras.wrappers.SKLearnTransformer``) for ``KerasTransformer``."""


def _is_model(obj) -> bool:
    from ..models import Model

    return isinstance(obj, Model)


def _fresh_copy(model):
    """The same architecture and compile settings as ``model``, with new weights."""
    from ..saving.serialization import compile_from_config, deserialize_model, serialize_model

    spec = serialize_model(model)
    if spec["compile_config"] is None:
        raise ValueError("KerasClassifier/KerasRegressor: the model given must be compiled")
    copy = deserialize_model(spec)
    compile_from_config(copy, spec["compile_config"])
    return copy
