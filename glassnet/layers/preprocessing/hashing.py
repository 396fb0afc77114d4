"""Hashing: strings or integers → one of num_bins hash buckets, FarmHash64 / SipHash (Keras 3)."""
from __future__ import annotations

import numpy as np

from ... import backend
from ...tensor import Tensor
from .. import node as node_module
from . import fingerprint
from .category_encoding import CategoricalLayer, encode_categorical, encoded_shape
from .index_lookup import _check_salt

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def hash_buckets(values: np.ndarray, num_buckets: int, salt=None) -> np.ndarray:
    """``tf.strings.to_hash_bucket_fast`` (salt None) or ``..._strong`` (salt = [k0, k1]) of each
    value: Fingerprint64(bytes) mod n, or SipHash-2-4_salt(bytes) mod n; an integer is hashed
    as its decimal text (``tf.as_string``)."""
    flat = [fingerprint.as_bytes(v) for v in values.reshape(-1)]
    if salt is None:
        hashes = [fingerprint.fingerprint64(b) % num_buckets for b in flat]
    else:
        hashes = [fingerprint.siphash24(salt, b) % num_buckets for b in flat]
    return np.asarray(hashes, dtype=np.int64).reshape(values.shape)


class Hashing(CategoricalLayer):
    """Hashes each string or integer into one of ``num_bins`` bins — the "hashing trick" for
    categories too many (or too open) for a vocabulary.

    Formula:
        bin(v) = Fingerprint64(v) mod num_bins                      (FarmHash64, TF's hash)
               = SipHash-2-4_salt(v) mod num_bins                   (with ``salt``)
        with mask_value m:  bin(m) = 0,  bin(v) = 1 + hash(v) mod (num_bins − 1)
    An integer v is hashed as its decimal text, a float first truncated to an integer; the
    bins are exactly TensorFlow's (fingerprint.py), so a model hashes as Keras's does.

    Example (Keras's docstring): ``Hashing(num_bins=3)`` on ``[["A"], ["B"], ["C"], ["D"], ["E"]]``
    gives ``[[1], [0], [1], [1], [2]]``; with ``salt=[133, 137]``, ``[[1], [2], [1], [0], [2]]``.

    Args:
        num_bins: the number of bins, the mask's bin included (an int ≥ 1).
        mask_value: a value that goes to bin 0 (others to 1 … num_bins − 1), or None.
        salt: None (FarmHash64), an int or two ints: the SipHash key (an int k means [k, k]).
        output_mode: "int" (default: bin indices), "one_hot", "multi_hot" or "count"
            (encoded as ``CategoryEncoding`` does over num_bins slots).
        sparse: must be False: glassnet has no sparse tensors.
        dtype: the output dtype: default "int64" in "int" mode (int32 or int64 allowed there),
            floatx otherwise.

    Input shape:
        Strings or integers (or floats) of any shape.

    Output shape:
        "int": the input's shape; the others as ``CategoryEncoding``.
    """

    _accepts_strings = True

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or not isinstance(num_bins, (int, np.integer)) or isinstance(num_bins, bool) or \
                num_bins <= 0:
            raise ValueError(f"Hashing: num_bins must be a positive int, got num_bins={num_bins!r}")
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Hashing: unknown output_mode={output_mode!r}; expected one of "
                             f"{', '.join(repr(m) for m in OUTPUT_MODES)}")
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(f"Hashing: with output_mode='int', dtype must be 'int32' or 'int64', got "
                             f"dtype={kwargs['dtype']!r}")
        if sparse:
            raise ValueError("Hashing: sparse=True is not supported: glassnet has no sparse tensors (Keras supports "
                             "it on the TensorFlow backend only); use sparse=False")
        self.num_bins = int(num_bins)
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.salt = None if salt is None else _check_salt(salt, "Hashing")
        self.output_mode = output_mode
        self.sparse = False

    def call(self, inputs):
        values = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
        if not node_module.is_text(values) and values.dtype.kind not in "biuf":
            raise ValueError(f"Hashing {self.name!r}: inputs must be strings or numbers, got {values.dtype} values")
        bins = self.num_bins
        mask = None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = values == self.mask_value
        if values.dtype.kind == "f":
            values = values.astype(np.int64)     # tf.cast: truncation toward zero
        indices = hash_buckets(values, bins, self.salt)
        if mask is not None:
            indices = np.where(mask, 0, indices + 1)
        return Tensor(encode_categorical(indices, self.output_mode, self.num_bins, self.dtype,
                                         tensorflow_rule=True))

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs):
        return node_module.SymbolicTensor(self.compute_output_shape(inputs.shape), self.dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": False}
