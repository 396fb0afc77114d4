"""Losses, with Keras 3's names, defaults and reduction rules.

Two forms of each loss (see ``glassnet.losses.base`` for the reduction rules):

* functions — ``mean_squared_error(y_true, y_pred)`` → one value per sample;
* classes   — ``MeanSquaredError()(y_true, y_pred, sample_weight=None)`` → a scalar
  Tensor to call ``.backward()`` on.

================  ====================================================================
file              losses
================  ====================================================================
regression.py     mean_squared_error (mse), mean_absolute_error (mae),
                  mean_absolute_percentage_error (mape), mean_squared_logarithmic_error
                  (msle), root_mean_squared_error (rmse), huber, log_cosh,
                  cosine_similarity
probabilistic.py  binary_crossentropy (bce), binary_focal_crossentropy,
                  categorical_crossentropy, categorical_focal_crossentropy,
                  sparse_categorical_crossentropy, kl_divergence (kld), poisson
hinge.py          hinge, squared_hinge, categorical_hinge
segmentation.py   dice, tversky
circle.py         circle
generalized_crossentropy.py  categorical_generalized_cross_entropy
ctc.py            ctc
================  ====================================================================

Looking losses up::

    losses.get("mse")                  # the function mean_squared_error (as Keras)
    losses.get("MeanSquaredError")     # an instance of the class
    losses.get({"class_name": "Huber", "config": {"delta": 2.0}})
    losses.as_loss("mse")              # always a Loss object: MeanSquaredError()
    losses.as_loss(my_function)        # LossFunctionWrapper(my_function)

``Model.compile(loss=...)`` uses ``as_loss``.
"""
from __future__ import annotations

import inspect

from ..registry import KerasRegistry
from .base import (REDUCTIONS, FunctionLoss, Loss, LossFunctionWrapper, reduce_values, reduce_weighted_values,
                   squeeze_or_expand_to_same_rank, standardize_reduction)
from .circle import Circle, circle
from .ctc import CTC, ctc
from .generalized_crossentropy import CategoricalGeneralizedCrossEntropy, categorical_generalized_cross_entropy
from .hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from .probabilistic import (BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
                            CategoricalFocalCrossentropy, KLDivergence, Poisson, SparseCategoricalCrossentropy,
                            binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
                            categorical_focal_crossentropy, kl_divergence, poisson, sparse_categorical_crossentropy)
from .regression import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError, MeanAbsolutePercentageError,
                         MeanSquaredError, MeanSquaredLogarithmicError, RootMeanSquaredError, cosine_similarity, huber,
                         log_cosh, mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                         mean_squared_logarithmic_error, root_mean_squared_error)
from .segmentation import Dice, Tversky, dice, tversky

# Each function with its class (the class is what ``as_loss`` builds from the function's name).
FUNCTION_TO_CLASS = {
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    root_mean_squared_error: RootMeanSquaredError,
    huber: Huber,
    log_cosh: LogCosh,
    cosine_similarity: CosineSimilarity,
    binary_crossentropy: BinaryCrossentropy,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_crossentropy: CategoricalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge,
    dice: Dice,
    tversky: Tversky,
    circle: Circle,
    categorical_generalized_cross_entropy: CategoricalGeneralizedCrossEntropy,
    ctc: CTC,
}

ALL_OBJECTS_DICT = {obj.__name__: obj for obj in [Loss, LossFunctionWrapper, *FUNCTION_TO_CLASS, *FUNCTION_TO_CLASS.values()]}
ALL_OBJECTS_DICT.update({
    "mse": mean_squared_error, "MSE": mean_squared_error,
    "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "rmse": root_mean_squared_error, "RMSE": root_mean_squared_error,
    "bce": binary_crossentropy, "BCE": binary_crossentropy,
    "kld": kl_divergence, "KLD": kl_divergence, "kullback_leibler_divergence": kl_divergence,
    "logcosh": log_cosh, "huber_loss": huber,
})


_REGISTRY = KerasRegistry("losses", "loss", ALL_OBJECTS_DICT, base=Loss)


def serialize(loss):
    """A loss as a JSON-able value.

    A Loss instance gives ``{"module": "glassnet.losses", "class_name": ..., "config":
    loss.get_config()}``; a function gives ``{"module": ..., "class_name": "function",
    "config": its name}`` (Keras's layout).
    """
    return _REGISTRY.serialize(loss)


def deserialize(config, custom_objects=None):
    """Inverse of ``serialize``: a dict (or a name) → a Loss instance or a loss function.

    Args:
        config: ``{"class_name": ..., "config": ...}`` as ``serialize`` writes it, or a name.
        custom_objects: ``{name: class_or_function}`` for your own losses.
    """
    return _REGISTRY.deserialize(config, custom_objects)


def get(identifier):
    """A loss from its identifier, as ``keras.losses.get``.

    * a string names a function (``"mse"`` → ``mean_squared_error``) or a class
      (``"MeanSquaredError"`` → a new instance);
    * a dict is deserialized (``{"class_name": "Huber", "config": {"delta": 2.0}}``);
    * a callable (function or Loss instance) is returned as is; a Loss class is instantiated;
    * None gives None.

    Raises:
        ValueError: for an unknown name or an uninterpretable identifier.
    """
    return _REGISTRY.get(identifier)


def as_loss(identifier):
    """Always a ``Loss`` object (what ``Model.compile(loss=...)`` uses), or None for None.

    * a Loss instance is returned as is; a Loss class is instantiated;
    * a string or a dict: the loss ``get`` finds — a built-in function is replaced by its
      class with default arguments (``"mse"`` → ``MeanSquaredError()``,
      ``"sparse_categorical_crossentropy"`` → ``SparseCategoricalCrossentropy()``);
    * a built-in function likewise gives its class; any other function
      ``fn(y_true, y_pred)`` returning per-sample values is wrapped in
      ``LossFunctionWrapper(fn)`` (reduction "sum_over_batch_size", name ``fn.__name__``).

    Raises:
        ValueError: for an unknown name; TypeError for something that is not a loss.
    """
    if identifier is None:
        return None
    obj = get(identifier) if isinstance(identifier, (str, dict)) else identifier
    if inspect.isclass(obj) and issubclass(obj, Loss):
        return obj()
    if isinstance(obj, Loss):
        return obj
    for function, cls in FUNCTION_TO_CLASS.items():
        if obj is function:
            return cls()
    if callable(obj):
        return LossFunctionWrapper(obj)
    raise TypeError(f"as_loss: expected a loss name, config dict, Loss or function, got {type(identifier).__name__}")


__all__ = [
    "Loss", "LossFunctionWrapper", "FunctionLoss", "REDUCTIONS", "standardize_reduction",
    "squeeze_or_expand_to_same_rank", "reduce_values", "reduce_weighted_values",
    "get", "serialize", "deserialize", "as_loss", "ALL_OBJECTS_DICT", "FUNCTION_TO_CLASS",
    *[f.__name__ for f in FUNCTION_TO_CLASS], *[c.__name__ for c in FUNCTION_TO_CLASS.values()],
]
