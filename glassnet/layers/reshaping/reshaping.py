"""Layers that only move values around: Flatten, Reshape, Permute, RepeatVector.

None of them has weights or changes a value; the gradient is moved back the same way
(reshaped back, permuted back, summed over the repeats) by the shape ops they use.
"""
from __future__ import annotations

import math

from ... import ops
from ..base import Layer
from ..arguments import check_positive_int, int_tuple
from .channels import standardize_data_format


def _known_size(shape) -> int | None:
    """The number of elements of a shape, or None if an axis is unknown."""
    return None if any(s is None for s in shape) else int(math.prod(shape))


class Flatten(Layer):
    """Flattens each sample into a vector (the batch axis is kept).

    Formula: y[b] = vec(x[b])  (row-major: the last axis varies fastest).

    Args:
        data_format: "channels_last" or "channels_first" (None: the backend's
            image_data_format, "channels_last" by default); with "channels_first" the channel
            axis is moved last before flattening, so the order matches a channels-last model's.

    Input shape:
        (batch, d1, ..., dk).

    Output shape:
        (batch, d1·…·dk); a 1-D input (batch,) becomes (batch, 1).
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = standardize_data_format("Flatten", data_format)

    def call(self, inputs):
        x = inputs
        if self.data_format == "channels_first" and x.ndim > 2:
            x = ops.transpose(x, (0, *range(2, x.ndim), 1))
        return ops.reshape(x, (x.shape[0], -1))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        return (input_shape[0], _known_size(input_shape[1:]))

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (the batch axis is kept).

    Formula: y[b] = x[b] viewed with shape target_shape (same elements, row-major).

    Args:
        target_shape: tuple of positive ints, without the batch axis; at most one entry may
            be −1, meaning "whatever length makes the sizes match".

    Input shape:
        (batch, ...), with as many elements per sample as ``target_shape``.

    Output shape:
        (batch, *target_shape).
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = int_tuple("Reshape", "target_shape", target_shape, allow_empty=True)
        if (any(s <= 0 and s != -1 for s in target_shape)
                or list(target_shape).count(-1) > 1):
            raise ValueError(f"Reshape: target_shape must hold positive ints and at most one -1, got {target_shape}")
        self.target_shape = tuple(int(s) for s in target_shape)

    def _resolve(self, input_shape) -> tuple:
        """``target_shape`` with −1 filled in (None if the input size is unknown)."""
        size = _known_size(input_shape[1:])
        known = math.prod(s for s in self.target_shape if s != -1)
        if size is None:
            return tuple(None if s == -1 else s for s in self.target_shape)
        if (-1 in self.target_shape and size % known) or (-1 not in self.target_shape and size != known):
            raise ValueError(f"{self.name}: cannot reshape samples of shape {tuple(input_shape[1:])} ({size} elements) "
                             f"into target_shape {self.target_shape}")
        return tuple(size // known if s == -1 else s for s in self.target_shape)

    def call(self, inputs):
        return ops.reshape(inputs, (inputs.shape[0], *self._resolve(inputs.shape)))

    def compute_output_shape(self, input_shape):
        return (tuple(input_shape)[0], *self._resolve(tuple(input_shape)))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Permute(Layer):
    """Permutes the axes of each sample (the batch axis stays first).

    Formula: y = transpose(x, (0, d1, …, dk)), i.e. axis j of y is axis d_j of x.

    Args:
        dims: a permutation of 1..k, indexed from 1 as Keras does (0 is the batch axis);
            ``Permute((2, 1))`` swaps the two axes of (batch, time, features).

    Input shape:
        (batch, n1, ..., nk).

    Output shape:
        (batch, n_{d1}, ..., n_{dk}).
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = int_tuple("Permute", "dims", dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Permute: dims must be a permutation of 1..{len(dims)} (1-indexed; the batch axis is "
                             f"not permuted), got {dims}")
        self.dims = tuple(int(d) for d in dims)

    def _check_rank(self, shape) -> None:
        if len(shape) != len(self.dims) + 1:
            raise ValueError(f"{self.name}: dims {self.dims} need inputs of rank {len(self.dims) + 1} "
                             f"(batch + {len(self.dims)} axes), got shape {tuple(shape)}")

    def call(self, inputs):
        self._check_rank(inputs.shape)
        return ops.transpose(inputs, (0, *self.dims))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return (input_shape[0], *(input_shape[d] for d in self.dims))

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": list(self.dims)}


class RepeatVector(Layer):
    """Repeats each sample vector n times along a new time axis.

    Formula: y[b, t, :] = x[b, :] for t = 1..n.  (Backward sums the n copies' gradients.)

    Args:
        n: number of repetitions (a positive int).

    Input shape:
        (batch, features).

    Output shape:
        (batch, n, features).
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = check_positive_int("RepeatVector", "n", n)

    def call(self, inputs):
        if inputs.ndim != 2:
            raise ValueError(f"{self.name}: expected inputs of shape (batch, features), got shape {inputs.shape}")
        batch, features = inputs.shape
        return ops.broadcast_to(ops.reshape(inputs, (batch, 1, features)), (batch, self.n, features))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
