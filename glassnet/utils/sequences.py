"""Sequences and labels: Keras's ``pad_sequences``, ``to_categorical`` and ``normalize``."""
from __future__ import annotations

import numpy as np

from .. import backend


# --- sequences and labels (keras.utils.pad_sequences, keras.utils.to_categorical) --------------
_SIDES = ("pre", "post")


def _is_integer(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Sequences of different lengths in one array of shape ``(n, maxlen, *step_shape)``.

    Keras's ``keras.utils.pad_sequences``: row i holds sequence sᵢ of length ℓᵢ, cut to
    L = ``maxlen`` (default max ℓᵢ) steps and filled with ``value`` up to L::

        truncating="pre"  (default): keep the last L steps, sᵢ[ℓᵢ − L:]   (the end of a long text)
        truncating="post":           keep the first L steps, sᵢ[:L]
        padding="pre"     (default): row = [value]·(L − ℓ) + kept          (real steps at the end)
        padding="post":              row = kept + [value]·(L − ℓ)

    Example: ``pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2)`` → ``[[0, 1], [2, 3], [5, 6]]``.

    Args:
        sequences: a list (or anything with ``len``) of sequences: lists or arrays of ids, or
            of equally shaped steps (e.g. feature vectors; the shape of the first non-empty
            sequence's steps is the one expected).
        maxlen: the length L, a non-negative int, or None for the longest sequence.
        dtype: the result's dtype, "int32" by default (``object`` or a str dtype for tokens).
        padding, truncating: "pre" or "post", see above.
        value: the padding value (cast to ``dtype``, as NumPy casts: 0.0 → 0).

    Returns:
        A NumPy array ``(len(sequences), L, *step_shape)`` of ``dtype``. Values are cast
        as ``np.asarray(s, dtype)`` casts them (floats into ints truncate toward zero).

    Raises:
        ValueError: ``sequences`` without a length (a generator), an element that is not a
            sequence (a number, or a string: split text into tokens first), steps whose shape
            differs from the first sequence's, a padding or truncating other than "pre" or
            "post", a bad ``maxlen``, no sequences and no ``maxlen``, or a string ``value``
            with a numeric dtype — each error names the argument and, for a sequence, its index.

    One deliberate difference: Keras accepts ``maxlen=0`` only with ``truncating="post"``
    (``s[-0:]`` keeps the whole sequence); here it gives an ``(n, 0)`` array either way.
    """
    for argument, side in (("padding", padding), ("truncating", truncating)):
        if not isinstance(side, str) or side not in _SIDES:
            raise ValueError(f"pad_sequences: {argument} must be 'pre' or 'post', got {side!r}")
    if maxlen is not None and (not _is_integer(maxlen) or maxlen < 0):
        raise ValueError(f"pad_sequences: maxlen must be None or a non-negative int, got {maxlen!r}")
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise ValueError(f"pad_sequences: sequences must be a list of sequences (something with a length), got "
                         f"{type(sequences).__name__}")
    dtype = np.dtype(dtype)
    if isinstance(value, str) and dtype != object and dtype.kind not in "SU":
        raise ValueError(f"pad_sequences: value {value!r} is a string but dtype is {dtype}; use dtype=object "
                         "(or a str dtype) for sequences of tokens")
    lengths, step_shape = [], None
    for i, s in enumerate(sequences):
        if isinstance(s, (str, bytes)):
            raise ValueError(f"pad_sequences: sequences[{i}] is a string ({s!r:.40}); expected a sequence of ids or "
                             "tokens (split the text into tokens first)")
        try:
            length = len(s)
        except TypeError:
            raise ValueError(f"pad_sequences: sequences must be a list of sequences, but sequences[{i}] is "
                             f"{type(s).__name__} {s!r:.40}") from None
        lengths.append(length)
        if step_shape is None and length:
            step_shape = np.asarray(s).shape[1:]
    step_shape = step_shape or ()
    if maxlen is None:
        if not lengths:
            raise ValueError("pad_sequences: sequences is empty and maxlen is None; give maxlen for an empty batch")
        maxlen = max(lengths)
    out = np.full((len(lengths), maxlen) + step_shape, value, dtype=dtype)
    if maxlen == 0:
        return out
    for i, (s, length) in enumerate(zip(sequences, lengths)):
        if not length:
            continue
        kept = s[-maxlen:] if truncating == "pre" else s[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != step_shape:
            raise ValueError(f"pad_sequences: the steps of sequences[{i}] have shape {kept.shape[1:]}, but the first "
                             f"non-empty sequence's have shape {step_shape}; every step must have the same shape")
        if padding == "post":
            out[i, :len(kept)] = kept
        else:
            out[i, maxlen - len(kept):] = kept
    return out


def to_categorical(x, num_classes=None):
    """Integer class ids as one-hot vectors: ``y[..., c] = 1 if x[...] == c else 0``.

    Keras's ``keras.utils.to_categorical``: the class axis is added last, after a trailing
    axis of size 1 is dropped (ids of shape ``(n, 1)`` give ``(n, num_classes)``, not
    ``(n, 1, num_classes)``; a 1-D ``(1,)`` keeps its axis, a scalar gives ``(num_classes,)``).

    Example: ``to_categorical([0, 2, 1], 3)`` → ``[[1, 0, 0], [0, 0, 1], [0, 1, 0]]``.

    Args:
        x: ids, integers in [0, num_classes): a number, list or array of any shape (ints,
            bools, or floats with integer values), or a Tensor.
        num_classes: the number of classes C; None infers ``max(x) + 1``.

    Returns:
        A float64 NumPy array of shape ``x.shape (less a trailing 1) + (C,)``, as Keras
        returns for NumPy input; for a Tensor, a Tensor of ``backend.floatx()`` (Keras's
        tensor path returns a floatx tensor too).

    Raises:
        ValueError: negative ids, ids ≥ num_classes, non-integer or non-finite values,
            empty ids without num_classes, or a num_classes that is not a positive int.
            (Keras wraps a negative id round to the last class, truncates 1.7 to 1, and
            treats num_classes=0 as None; here each is an error.)
        TypeError: non-numeric ids (e.g. strings).
    """
    from ..tensor import Tensor

    is_tensor = isinstance(x, Tensor)
    ids = x.data if is_tensor else np.asarray(x)
    if ids.dtype.kind not in "biuf":
        raise TypeError(f"to_categorical: x must hold integer class ids, got dtype {ids.dtype}")
    if num_classes is not None and (not _is_integer(num_classes) or num_classes <= 0):
        raise ValueError(f"to_categorical: num_classes must be None or a positive int, got {num_classes!r}")
    if ids.dtype.kind == "f":
        if not np.all(np.isfinite(ids)):
            raise ValueError("to_categorical: x contains NaN or infinite values; expected integer class ids")
        if np.any(ids != np.round(ids)):
            bad = float(ids[ids != np.round(ids)].flat[0])
            raise ValueError(f"to_categorical: x must hold integer class ids, got the non-integer value {bad!r}")
    shape = ids.shape
    if len(shape) > 1 and shape[-1] == 1:
        shape = shape[:-1]
    flat = ids.reshape(-1).astype(np.int64)
    if flat.size and flat.min() < 0:
        raise ValueError(f"to_categorical: class ids must be non-negative, got {flat.min()}")
    if num_classes is None:
        if not flat.size:
            raise ValueError("to_categorical: x is empty and num_classes is None; give num_classes")
        num_classes = int(flat.max()) + 1
    elif flat.size and flat.max() >= num_classes:
        raise ValueError(f"to_categorical: class ids must be < num_classes={num_classes}, got {flat.max()}")
    one_hot = np.zeros((flat.size, num_classes))
    one_hot[np.arange(flat.size), flat] = 1.0
    one_hot = one_hot.reshape(tuple(shape) + (num_classes,))
    return Tensor(one_hot.astype(backend.floatx())) if is_tensor else one_hot


def normalize(x, axis=-1, order=2):
    """Each vector along ``axis`` divided by its Lᵖ norm: x / ‖x‖ₚ, ‖x‖ₚ = (Σ |xᵢ|ᵖ)^(1/p).

    Keras's ``keras.utils.normalize``. A zero vector stays zero (its norm is taken as 1).

    Example: ``normalize([[3.0, 4.0]])`` → ``[[0.6, 0.8]]`` (‖(3, 4)‖₂ = 5).

    Args:
        x: an array (or Tensor, or nested lists) of numbers.
        axis: the axis along which the vectors lie (default the last).
        order: p, the norm's order (2 for Euclidean, 1 for the sum of absolute values).

    Returns:
        A NumPy float array of x's shape (a Tensor for a Tensor; its gradient is not kept).

    Raises:
        ValueError: non-numeric x, an axis out of range, or an order that is not a positive number.
    """
    from ..tensor import Tensor

    is_tensor = isinstance(x, Tensor)
    array = x.data if is_tensor else np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"normalize: x must hold numbers, got dtype {array.dtype}")
    if not isinstance(order, (int, float, np.number)) or isinstance(order, bool) or not order > 0:
        raise ValueError(f"normalize: order must be a positive number, got {order!r}")
    if array.ndim == 0 or not -array.ndim <= axis < array.ndim:
        raise ValueError(f"normalize: axis {axis} is out of range for x of shape {array.shape}")
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    norm = np.linalg.norm(array, ord=order, axis=axis, keepdims=True)
    norm[norm == 0] = 1
    out = array / norm
    return Tensor(out) if is_tensor else out
