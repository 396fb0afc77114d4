"""CategoryEncoding: integer category ids → one-hot / multi-hot / count vectors (Keras 3).

``encode_categorical`` is the encoding step every categorical layer ends with (Keras's
``numerical_utils.encode_categorical_inputs``): CategoryEncoding, Discretization, Hashing,
HashedCrossing, StringLookup, IntegerLookup and TextVectorization all call it.
"""
from __future__ import annotations

import numpy as np

from ...tensor import Tensor
from .. import node as node_module
from ..base import Layer, flatten

OUTPUT_MODES = ("one_hot", "multi_hot", "count")


def encode_categorical(indices, output_mode: str, depth: int, dtype, count_weights=None,
                       tensorflow_rule: bool = False) -> np.ndarray:
    """Encode integer ids in [0, depth) as vectors of length ``depth``.

    Formula (k indexes the last axis of the ids, j the output slot):
        one_hot:    out[..., k, j] = [ids[..., k] = j]       (a trailing axis of size 1 is replaced)
        multi_hot:  out[..., j]    = max_k [ids[..., k] = j]
        count:      out[..., j]    = Σ_k w[..., k]·[ids[..., k] = j]   (w = count_weights, else 1)

    A scalar id is one sample of one id. Ids < 0 are dropped (an all-zero one-hot row, no
    count): the lookups use −1 for their mask token in these modes, as Keras's bincount drops
    it. The caller checks the range of the ids.

    Args:
        indices: int array of ids.
        output_mode: "one_hot", "multi_hot" or "count" ("int" returns the ids as ``dtype``).
        depth: the number of slots.
        dtype: the output dtype (count_weights' dtype in "count" mode when they are given).
        count_weights: "count" mode only: one weight per id, the shape of ``indices``.
        tensorflow_rule: the layers Keras runs through TensorFlow (the lookups, Hashing,
            HashedCrossing) one-hot a scalar or a single id of shape (1,) to one vector of
            shape (depth,), not (1, depth).
    """
    indices = np.asarray(indices, dtype=np.int64)
    if output_mode == "int":
        return indices.astype(dtype)
    if indices.ndim == 0:
        indices = indices.reshape(1)
    if output_mode == "one_hot" and tensorflow_rule and indices.shape == (1,):
        output_mode = "multi_hot"
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices = indices[..., 0]
        output = np.zeros(indices.shape + (depth,), dtype=dtype)
        kept = indices >= 0
        np.put_along_axis(output, np.where(kept, indices, 0)[..., None], kept[..., None].astype(dtype), axis=-1)
        return output
    samples = indices.reshape(int(np.prod(indices.shape[:-1])), indices.shape[-1])   # one row per sample: the last axis
    weights = None
    if count_weights is not None:
        weights = np.broadcast_to(np.asarray(count_weights), indices.shape).reshape(samples.shape)
        dtype = weights.dtype
    rows = np.repeat(np.arange(len(samples)), samples.shape[1]).reshape(samples.shape)
    kept = samples >= 0
    flat = (rows * depth + samples)[kept]
    counts = np.bincount(flat, weights=None if weights is None else weights[kept].astype(np.float64),
                         minlength=len(samples) * depth).reshape(len(samples), depth)
    if output_mode == "multi_hot":
        counts = counts > 0
    return counts.astype(dtype).reshape(indices.shape[:-1] + (depth,))


def encoded_shape(input_shape, output_mode: str, depth) -> tuple:
    """The shape ``encode_categorical`` gives for ids of ``input_shape`` (Keras's rule)."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot" and (len(input_shape) == 1 or input_shape[-1] != 1):
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


def integer_ids(inputs, owner: str) -> np.ndarray:
    """``inputs`` (a Tensor, array, list or number) as an int64 array; whole-number floats are
    accepted, anything else is a ValueError naming ``owner``."""
    array = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
    if node_module.is_text(array) or array.dtype.kind not in "biuf":
        raise ValueError(f"{owner}: inputs must be integers, got {array.dtype} values")
    if array.dtype.kind == "f":
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            raise ValueError(f"{owner}: inputs must be integers, got non-integer floats")
    return array.astype(np.int64)


def one_array(inputs) -> np.ndarray:
    """A (nested) list or tuple of values as one NumPy array; text as an object array of str."""
    array = np.asarray(inputs)
    if array.dtype.kind in "US":
        array = array.astype(object)
    return array


class CategoricalLayer(Layer):
    """Base of the layers that read categories (integer ids, strings) instead of numbers to
    differentiate: no weights, no gradient, and one array in (Keras's
    ``_allow_non_tensor_positional_args``): a list ``[3, 2, 0]`` or ``[["a"], ["b"]]`` is one
    input, not several. Their output shapes are formulas (``compute_output_spec``), never probed.
    """

    shape_by_arithmetic = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)) and \
                not any(isinstance(x, node_module.SymbolicTensor) for x in flatten(inputs)):
            inputs = one_array(inputs)
        return super().__call__(inputs, *args, **kwargs)


class CategoryEncoding(CategoricalLayer):
    """Encodes integer category ids, known to lie in [0, num_tokens), as dense vectors.

    Formula (see ``encode_categorical``), for ids x of a sample (its last axis):
        "one_hot":   y[k, j] = [x_k = j]            one row per id
        "multi_hot": y[j]    = max_k [x_k = j]      1 where the id occurs
        "count":     y[j]    = Σ_k w_k·[x_k = j]    how often (w = count_weights, else 1)

    Example (Keras's docstring): ``CategoryEncoding(num_tokens=4, output_mode="count")`` on
    ``[[0, 1], [0, 0], [1, 2], [3, 1]]`` gives ``[[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0],
    [0, 1, 0, 1]]``.

    Args:
        num_tokens: the number of categories (an int ≥ 1); every id must be in [0, num_tokens).
        output_mode: "multi_hot" (default), "one_hot" or "count" ("binary" is accepted as
            Keras's old name of "multi_hot").
        sparse: must be False: glassnet has no sparse tensors (Keras's sparse output exists
            on the TensorFlow backend only).

    Call arguments:
        inputs: integer ids, any shape (Keras documents rank ≤ 2).
        count_weights: "count" mode only: one weight per id, the shape of ``inputs``.

    Input shape:
        ``()``, ``(batch,)`` or ``(batch, k)`` integer ids.

    Output shape:
        "one_hot": ``inputs.shape + (num_tokens,)``, a trailing axis of 1 replaced;
        "multi_hot"/"count": ``inputs.shape[:-1] + (num_tokens,)``. In the layer's dtype
        (floatx), or count_weights' dtype.

    Unlike Keras: "count" on inputs of rank ≥ 3 counts over the last axis (Keras's generic
    path sums over axis 1, its documented limit being rank 2).
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"CategoryEncoding: unknown output_mode={output_mode!r}; expected one of "
                             f"{', '.join(repr(m) for m in OUTPUT_MODES)}")
        if num_tokens is None:
            raise ValueError("CategoryEncoding: num_tokens must be set to use this layer; if the number of tokens "
                             "is not known beforehand, use the IntegerLookup layer instead")
        if not isinstance(num_tokens, (int, np.integer)) or isinstance(num_tokens, bool) or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: num_tokens must be an int >= 1, got num_tokens={num_tokens!r}")
        if sparse:
            raise ValueError("CategoryEncoding: sparse=True is not supported: glassnet has no sparse tensors "
                             "(Keras supports it on the TensorFlow backend only); use sparse=False")
        self.num_tokens = int(num_tokens)
        self.output_mode = output_mode
        self.sparse = False

    def call(self, inputs, count_weights=None):
        ids = integer_ids(inputs, f"CategoryEncoding {self.name!r}")
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(f"CategoryEncoding {self.name!r}: count_weights is used only when output_mode is "
                                 f"'count', got output_mode={self.output_mode!r}")
            count_weights = count_weights.data if isinstance(count_weights, Tensor) else count_weights
            count_weights = np.asarray(count_weights, dtype=self.dtype)
            if count_weights.shape != ids.shape:
                raise ValueError(f"CategoryEncoding {self.name!r}: count_weights must have the shape of the inputs "
                                 f"{ids.shape}, got {count_weights.shape}")
        if ids.size and (ids.min() < 0 or ids.max() >= self.num_tokens):
            raise ValueError(f"CategoryEncoding {self.name!r}: every input must be in [0, num_tokens) = "
                             f"[0, {self.num_tokens}), got values from {ids.min()} to {ids.max()}")
        return Tensor(encode_categorical(ids, self.output_mode, self.num_tokens, self.dtype, count_weights))

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return node_module.SymbolicTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode}
