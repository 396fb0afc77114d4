"""HashedCrossing: a tuple of categorical features → the hash bucket of their combination (Keras 3)."""
from __future__ import annotations

import numpy as np

from ...tensor import Tensor
from .. import node as node_module
from ..base import Layer
from . import fingerprint
from .category_encoding import encode_categorical, one_array


class HashedCrossing(Layer):
    """Crosses categorical features with the hashing trick: one bin per combination of values.

    Formula (TensorFlow's ``tf.sparse.cross_hashed``, bit for bit; fingerprint.py):
        h_0 = 0xDECAFCAFFE
        h_i = FingerprintCat64(h_{i−1}, F(x_i))     F: Fingerprint64 of a string, an int as it is
        bin = h_n mod num_bins
    The order of the features matters: crossing (a, b) differs from (b, a).

    Example (Keras's docstring): ``HashedCrossing(num_bins=5)`` on
    ``(np.array(["A", "B", "A", "B", "A"]), np.array([101, 101, 101, 102, 102]))`` gives
    ``[1, 4, 1, 1, 3]``.

    Args:
        num_bins: the number of hash bins (an int ≥ 1).
        output_mode: "int" (default: bin indices, int64) or "one_hot" (vectors of num_bins).
        sparse: must be False: glassnet has no sparse tensors.
        name: layer name.
        dtype: the output dtype (default "int64" in "int" mode, floatx in "one_hot").

    Input shape:
        A list or tuple of two or more features of equal shape ``()``, ``(batch,)`` or
        ``(batch, 1)``, each strings or integers.

    Output shape:
        "int": the features' shape; "one_hot": ``(batch, num_bins)``.
    """

    _accepts_strings = True

    def __init__(self, num_bins, output_mode="int", sparse=False, name=None, dtype=None, **kwargs):
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("HashedCrossing: sparse=True is not supported: glassnet has no sparse tensors (Keras "
                             "supports it on the TensorFlow backend only); use sparse=False")
        if output_mode not in ("int", "one_hot"):
            raise ValueError(f"HashedCrossing: unknown output_mode={output_mode!r}; expected 'int' or 'one_hot'")
        if not isinstance(num_bins, (int, np.integer)) or isinstance(num_bins, bool) or num_bins < 1:
            raise ValueError(f"HashedCrossing: num_bins must be a positive int, got num_bins={num_bins!r}")
        self.num_bins = int(num_bins)
        self.output_mode = output_mode
        self.sparse = False

    def __call__(self, inputs, *args, **kwargs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(f"HashedCrossing {self.name!r}: call it on a list or tuple of at least two inputs, got "
                             f"{type(inputs).__name__}")
        if not any(isinstance(x, node_module.SymbolicTensor) for x in inputs):
            inputs = [x if isinstance(x, Tensor) else one_array(x) for x in inputs]
            self._check_kinds([x.data if isinstance(x, Tensor) else x for x in inputs])
        return super().__call__(list(inputs), *args, **kwargs)

    def _features(self, inputs) -> list:
        features = [x.data if isinstance(x, Tensor) else np.asarray(x) for x in inputs]
        shape = features[0].shape
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(f"HashedCrossing {self.name!r}: every input must have shape (), (batch,) or (batch, 1), "
                             f"got shape {shape}")
        if any(f.shape != shape for f in features[1:]):
            raise ValueError(f"HashedCrossing {self.name!r}: the inputs must have equal shapes, got "
                             f"{[f.shape for f in features]}")
        self._check_kinds(features)
        return features

    def _check_kinds(self, features) -> None:
        for f in features:     # before the base class casts floats to the layer's int dtype
            if not node_module.is_text(f) and f.dtype.kind not in "biu" and f.size:
                raise ValueError(f"HashedCrossing {self.name!r}: every input must hold integers or strings, got "
                                 f"{f.dtype} values")

    def call(self, inputs):
        features = self._features(inputs)
        shape = features[0].shape
        columns = [f.reshape(-1) for f in features]
        bins = []
        for row in zip(*columns):
            h = fingerprint.CROSS_HASH_KEY
            for value in row:
                h = fingerprint.fingerprint_cat64(h, fingerprint.cross_feature(value))
            bins.append(h % self.num_bins)
        indices = np.asarray(bins, dtype=np.int64).reshape(shape)
        return Tensor(encode_categorical(indices, self.output_mode, self.num_bins, self.dtype, tensorflow_rule=True))

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) < 2 or \
                not all(isinstance(s, tuple) for s in input_shape):
            raise ValueError(f"HashedCrossing {self.name!r}: expected the shapes of a list of at least 2 inputs, "
                             f"got input_shape={input_shape}")
        shape = tuple(input_shape[0])
        if self.output_mode == "int":
            return shape
        if not shape:
            return (self.num_bins,)
        return (shape + (self.num_bins,)) if shape[-1] != 1 else shape[:-1] + (self.num_bins,)

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape([tuple(x.shape) for x in inputs])
        return node_module.SymbolicTensor(shape, self.dtype)

    def get_config(self) -> dict:
        return {"num_bins": self.num_bins, "output_mode": self.output_mode, "sparse": False, "name": self.name,
                "dtype": self.dtype}
