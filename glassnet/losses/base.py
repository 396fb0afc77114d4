"""The Loss contract: per-sample values, then sample weights, then one reduction.

A loss has two forms, as in Keras 3:

* the **function** (``mean_squared_error(y_true, y_pred)``) returns one value per sample
  (per sample *and* time step for sequences): the mean over the last axis where the
  formula averages over features, and **no** reduction over the batch;
* the **class** (``MeanSquaredError()``) calls the function and reduces the per-sample
  values ℓᵢ with the optional sample weights wᵢ to what the optimizer minimises.

Reduction (Keras's ``reduce_weighted_values``), with n the number of entries of ℓ::

    "sum_over_batch_size" (default), "mean":   L = Σᵢ wᵢ·ℓᵢ / n
    "mean_with_sample_weight":                 L = Σᵢ wᵢ·ℓᵢ / Σᵢ wᵢ
    "sum":                                     L = Σᵢ wᵢ·ℓᵢ
    "none" or None:                            the vector wᵢ·ℓᵢ

Note that "sum_over_batch_size" divides by n, not by Σ wᵢ: a sample weight of 0 still
counts in the denominator (Keras's rule; PyTorch's weighted means divide by Σ wᵢ).

Masks (Keras 3's ``Loss.__call__``): the mask a layer attached to ``y_pred``
(``y_pred._keras_mask``, e.g. from ``Embedding(mask_zero=True)`` through
``LSTM(return_sequences=True)`` and ``Dense``; True = the entry counts) is combined
(logical and) with the loss's own mask (``compute_mask``, e.g. ``ignore_class``). With
mᵢ ∈ {0, 1} the combined mask and n_valid = Σᵢ mᵢ, ``apply_mask`` turns it into a weight
mᵢ·n/n_valid multiplied into wᵢ, so the division by n leaves the padding out of the
numerator *and* the denominator::

    "sum_over_batch_size", "mean":   L = Σᵢ wᵢ·mᵢ·(n/n_valid)·ℓᵢ / n = Σᵢ wᵢ·mᵢ·ℓᵢ / n_valid
    "mean_with_sample_weight":       L = Σᵢ wᵢ·mᵢ·ℓᵢ / Σᵢ wᵢ·mᵢ
    "sum":                           L = Σᵢ wᵢ·mᵢ·ℓᵢ
    "none" or None:                  the vector wᵢ·mᵢ·ℓᵢ

The denominator n_valid counts the valid entries, not their weights (a sample weight of
0 on a valid entry still counts, as above). A fully masked batch (n_valid = 0) gives
L = 0 with zero gradients (Keras's ``divide_no_nan``).

Shapes: ``y_pred`` is a Tensor (or an array, which becomes one) and is differentiated;
``y_true`` is data (an array, or a Tensor whose values are taken) and is cast to
``y_pred``'s dtype. Where their ranks differ by one and the extra axis has size 1,
``squeeze_or_expand_to_same_rank`` lines them up as Keras does — targets of shape
``(N,)`` against predictions of shape ``(N, 1)`` work. Any other mismatch raises a
``ValueError`` naming both shapes (Keras would sometimes broadcast silently).
"""
from __future__ import annotations

import numpy as np

from .. import backend, ops
from ..registry import deserialize_item, to_snake_case
from ..tensor import Tensor

REDUCTIONS = ("sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight")


def standardize_reduction(reduction):
    """Check a reduction name; return it unchanged.

    Raises:
        ValueError: for anything not in ``REDUCTIONS``.
    """
    if not (reduction is None or isinstance(reduction, str)) or reduction not in REDUCTIONS:
        raise ValueError(f"Loss: invalid reduction={reduction!r}; expected one of {REDUCTIONS}")
    return reduction


# --- turning user input into (array, Tensor) ----------------------------------------------
def to_float_tensor(y_pred, dtype=None) -> Tensor:
    """``y_pred`` as a float Tensor (kept as is if it already is one and ``dtype`` is None).

    Integer or boolean predictions become ``dtype`` or ``backend.floatx()``.
    """
    if not isinstance(y_pred, Tensor):
        y_pred = Tensor(y_pred)
    target = np.dtype(dtype) if dtype is not None else (y_pred.dtype if y_pred.dtype.kind == "f" else np.dtype(backend.floatx()))
    return y_pred if y_pred.dtype == target else ops.cast(y_pred, target)


def to_array(x, argument: str, dtype=None) -> np.ndarray:
    """Data (targets, weights) as a NumPy array; a Tensor gives its values (no gradient).

    Raises:
        TypeError: if ``x`` is not numeric.
    """
    array = x.data if isinstance(x, Tensor) else np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{argument} must be numeric (bool, int or float), got dtype {array.dtype}")
    return array if dtype is None else array.astype(dtype, copy=False)


def _reshape(x, shape):
    return ops.reshape(x, shape) if isinstance(x, Tensor) else np.reshape(x, shape)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1: bool = True):
    """Line up two ranks that differ by one where the extra last axis has size 1.

    As Keras: if x1 has one axis more than x2 and x1's last axis is 1, then x2 gains a
    last axis when it is 1-D (and ``expand_rank_1``), otherwise x1 loses its last axis;
    and symmetrically. Works on Tensors (differentiably) and NumPy arrays.
    """
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = _reshape(x2, tuple(x2.shape) + (1,))
        else:
            x1 = _reshape(x1, tuple(x1.shape[:-1]))
    elif rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = _reshape(x1, tuple(x1.shape) + (1,))
        else:
            x2 = _reshape(x2, tuple(x2.shape[:-1]))
    return x1, x2


def prepare(y_true, y_pred, function: str, same_shape: bool = True):
    """The common start of every loss function: ``(y_true array, y_pred Tensor)``.

    ``y_pred`` becomes a float Tensor, ``y_true`` an array of the same dtype; their ranks
    are lined up (``squeeze_or_expand_to_same_rank``) and, if ``same_shape``, their shapes
    must then be equal.

    Raises:
        ValueError: naming ``function`` and both shapes, when they do not match or when
            ``y_pred`` is a scalar.
    """
    y_pred = to_float_tensor(y_pred)
    y_true = to_array(y_true, f"{function}: y_true", y_pred.dtype)
    if y_pred.ndim == 0:
        raise ValueError(f"{function}: y_pred must have at least one axis (batch, ...), got a scalar")
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    if same_shape and y_true.shape != y_pred.shape:
        raise ValueError(
            f"{function}: y_true has shape {y_true.shape} but y_pred has shape {y_pred.shape}; "
            "expected equal shapes (or (batch,) targets against (batch, 1) predictions)"
        )
    return y_true, y_pred


# --- masks --------------------------------------------------------------------------------
def keras_mask_of(y_pred):
    """The mask a layer attached to ``y_pred`` (``Tensor._keras_mask``) as a bool array, or None.

    Keras 3's ``backend.get_keras_mask(y_pred)``: arrays and Tensors without one give None.
    """
    mask = getattr(y_pred, "_keras_mask", None)
    if mask is None:
        return None
    mask = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    return mask.astype(bool, copy=False)


def combine_masks(in_mask, out_mask, name: str = "loss"):
    """in_mask ∧ out_mask (either may be None), as Keras's ``Loss.__call__`` combines them.

    Raises:
        ValueError: naming ``name`` and both shapes when they cannot be combined.
    """
    if in_mask is None or out_mask is None:
        return out_mask if in_mask is None else in_mask
    in_mask, out_mask = squeeze_or_expand_to_same_rank(np.asarray(in_mask), np.asarray(out_mask))
    try:
        return np.logical_and(in_mask, out_mask)
    except ValueError:
        raise ValueError(f"{name}: the mask of y_pred has shape {in_mask.shape} but the loss's own mask has "
                         f"shape {out_mask.shape}; expected equal shapes") from None


def check_mask(mask, values_shape: tuple, name: str = "loss"):
    """The mask lined up with per-sample losses of ``values_shape`` (ranks as ``squeeze_or_expand``).

    A mask covers the leading axes of the losses: shape ``(N, T)`` against losses ``(N, T)``
    (the usual case) or ``(N, T, …)``.

    Raises:
        ValueError: naming ``name`` and both shapes when the mask does not fit.
    """
    if mask is None:
        return None
    mask = np.asarray(mask)
    if len(values_shape) == 0:
        raise ValueError(f"{name}: y_pred carries a mask of shape {mask.shape} but the loss returned a scalar; "
                         "a masked loss must return per-sample values")
    if mask.ndim == len(values_shape) + 1 and mask.shape[-1] == 1:
        mask = mask.reshape(mask.shape[:-1])
    elif mask.ndim + 1 == len(values_shape) and values_shape[-1] == 1 and mask.ndim == 1:
        mask = mask.reshape(mask.shape + (1,))
    if mask.ndim > len(values_shape) or tuple(mask.shape) != tuple(values_shape[:mask.ndim]):
        raise ValueError(f"{name}: the mask of y_pred has shape {mask.shape} but the per-sample losses have shape "
                         f"{tuple(values_shape)}; expected the mask to cover the losses' leading axes "
                         f"(shape {tuple(values_shape)})")
    return mask


# --- reduction ----------------------------------------------------------------------------
def apply_mask(sample_weight, mask, dtype, reduction):
    """Merge a mask (True = entry counts) into the sample weights, as Keras 3's ``apply_mask``.

    For the mean reductions ("sum_over_batch_size", "mean") the mask becomes the weight
    mᵢ·n_mask/n_valid (n_mask = the mask's size, n_valid = Σ mᵢ; 0 everywhere when
    n_valid = 0), so that the reduction's division by n gives Σ wᵢ·mᵢ·ℓᵢ / n_valid, the
    mean over the valid entries only; otherwise ("sum", "mean_with_sample_weight", "none",
    and the metrics, which pass "sum") the mask is a 0/1 weight. Then w ← w·mask. Weights
    of shape (N,) against a mask of shape (N, T) are one weight per sample.
    """
    if mask is None:
        return sample_weight
    mask = np.asarray(mask, dtype=dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.sum()
        mask = mask * (mask.size / valid if valid else 0.0)
    if sample_weight is None:
        return mask
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    if 0 < sample_weight.ndim < mask.ndim:  # one weight per sample, a mask entry per time step
        sample_weight = sample_weight.reshape(sample_weight.shape + (1,) * (mask.ndim - sample_weight.ndim))
    return sample_weight * mask


def _broadcast_weights(values: Tensor, sample_weight: np.ndarray) -> np.ndarray:
    """Sample weights shaped to broadcast against the per-sample losses.

    Weights of shape ``(N,)`` against losses of shape ``(N, T)`` get trailing axes
    (one weight per sample, as Keras 2 broadcast them; Keras 3 would broadcast them
    against the last axis T, which fails unless T = N — a deliberate difference).

    Raises:
        ValueError: when the weights cannot broadcast to the losses' shape.
    """
    if 0 < sample_weight.ndim < values.ndim:
        sample_weight = sample_weight.reshape(sample_weight.shape + (1,) * (values.ndim - sample_weight.ndim))
    try:
        shape = np.broadcast_shapes(values.shape, sample_weight.shape)
    except ValueError:
        shape = None
    if shape != values.shape:
        raise ValueError(
            f"sample_weight of shape {sample_weight.shape} cannot be broadcast to the per-sample "
            f"losses of shape {values.shape}; expected shape {values.shape[:1]} or {values.shape}"
        )
    return sample_weight


def reduce_values(values: Tensor, sample_weight=None, reduction="sum_over_batch_size") -> Tensor:
    """Reduce (already weighted) per-sample values: see the module docstring."""
    if reduction is None or reduction == "none" or values.ndim == 0:
        return values
    loss = ops.sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = float(np.sum(sample_weight))
        else:
            divisor = float(values.size)
        loss = loss / divisor if divisor != 0 else loss * 0.0
    return loss


def reduce_weighted_values(values: Tensor, sample_weight=None, mask=None, reduction="sum_over_batch_size") -> Tensor:
    """Multiply per-sample values by the sample weights (and mask), then reduce.

    Args:
        values: per-sample losses ℓ (a Tensor).
        sample_weight: optional weights w: a scalar, ``(N,)``, or the shape of ℓ.
        mask: optional boolean array of ℓ's shape (or of its leading axes); False entries
            are left out (and, for the mean reductions, not counted in n: see ``apply_mask``).
        reduction: one of ``REDUCTIONS``.

    Returns:
        A scalar Tensor (or the weighted vector for "none").
    """
    reduction = standardize_reduction(reduction)
    if sample_weight is not None:
        sample_weight = to_array(sample_weight, "sample_weight", values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None and values.ndim == 0 and sample_weight.ndim > 0:
        # one loss for the whole batch (Dice with axis=None): each weight scales it, as in Keras
        # (sum_over_batch_size then gives loss·mean(w))
        return reduce_values(values * sample_weight, sample_weight, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        sample_weight = _broadcast_weights(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


# --- the classes --------------------------------------------------------------------------
class Loss:
    """Base class of the losses: ``loss(y_true, y_pred, sample_weight=None)`` → scalar Tensor.

    Subclasses implement ``call(y_true, y_pred)`` returning per-sample values (a Tensor);
    ``__call__`` converts the inputs, calls it, and applies the sample weights and the
    reduction (see the module docstring). A subclass whose ``__init__`` takes extra
    arguments adds them to ``get_config`` so that ``from_config(get_config())`` rebuilds it.

    Args:
        name: a label (default: the class name in snake_case).
        reduction: "sum_over_batch_size" (default), "sum", "none"/None, "mean",
            "mean_with_sample_weight".
        dtype: compute dtype of ``y_pred``; None keeps a float ``y_pred``'s own dtype
            (Keras casts to ``floatx()``; here a float64 Tensor stays float64).

    Example::

        class MyMSE(Loss):
            def call(self, y_true, y_pred):
                return ops.mean(ops.square(y_pred - y_true), axis=-1)
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = None if dtype is None else str(np.dtype(dtype))

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor:
        """The reduced loss: ``reduce_weighted_values(call(y_true, y_pred), w, mask)``.

        ``mask`` = (the mask ``y_pred`` carries, ``y_pred._keras_mask``) ∧
        (``compute_mask(y_true, y_pred)``); see the module docstring for how it enters the
        numerator and the denominator.
        """
        in_mask = keras_mask_of(y_pred)                     # read before any cast makes a new Tensor
        y_pred = to_float_tensor(y_pred, self.dtype)
        y_true = to_array(y_true, f"{self.name}: y_true")  # data: labels keep their integer dtype
        values = self.call(y_true, y_pred)
        if not isinstance(values, Tensor):
            values = Tensor(values, dtype=y_pred.dtype)
        mask = combine_masks(in_mask, self.compute_mask(y_true, y_pred), self.name)
        mask = check_mask(mask, values.shape, self.name)
        return reduce_weighted_values(values, sample_weight=sample_weight, mask=mask, reduction=self.reduction)

    def call(self, y_true, y_pred) -> Tensor:
        """Per-sample loss values (no reduction over the batch). Subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def compute_mask(self, y_true, y_pred):
        """Boolean array of the per-sample values' shape, False where an entry is ignored.

        None (the default) means every entry counts; ``SparseCategoricalCrossentropy``
        with ``ignore_class`` overrides it.
        """
        return None

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name!r} reduction={self.reduction!r}>"


class LossFunctionWrapper(Loss):
    """A Loss made from a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Args:
        fn: the function (e.g. ``glassnet.losses.huber`` or your own).
        reduction: see ``Loss``.
        name: default ``fn.__name__``.
        dtype: see ``Loss``.
        **kwargs: passed to ``fn`` on every call (e.g. ``delta=2.0``).
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"LossFunctionWrapper: fn must be callable, got {type(fn).__name__}")
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred) -> Tensor:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from . import serialize  # the registry lives in the package

        config = super().get_config()
        config["fn"] = serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict):
        from . import deserialize

        return cls(**deserialize_item(config, "fn", deserialize))

    def __repr__(self) -> str:
        name = getattr(self.fn, "__name__", repr(self.fn))
        return f"<LossFunctionWrapper({name}, kwargs={self._fn_kwargs}) reduction={self.reduction!r}>"


class FunctionLoss(LossFunctionWrapper):
    """Base of the built-in loss classes: a fixed function and its keyword arguments.

    The keyword arguments become attributes (``Huber(delta=2.0).delta``) and, with the
    name and reduction, the config — so ``cls(**loss.get_config())`` rebuilds the loss.
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype, **kwargs)
        for key, value in kwargs.items():
            setattr(self, key, value)

    def get_config(self) -> dict:
        return {**Loss.get_config(self), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict):
        return cls(**config)

    def __repr__(self) -> str:
        arguments = "".join(f", {k}={v!r}" for k, v in self._fn_kwargs.items())
        return f"<{type(self).__name__} reduction={self.reduction!r}{arguments}>"
