"""IntegerLookup: integer values → vocabulary indices (or one-hot / multi-hot / counts / tf·idf), Keras 3."""
from __future__ import annotations

import numpy as np

from ...tensor import Tensor
from .. import node as node_module
from .category_encoding import integer_ids
from .index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps integer values (ids with gaps, years, zip codes) to contiguous vocabulary indices.

    Formula (index_lookup.py draws the layout):
        index(v) = token_start + i     for the vocabulary's i-th value v_i (most frequent first)
                 = 0                   for mask_token (output_mode "int")
                 = oov_start + (v mod num_oov_indices)     for any other value
                   (oov_method="farmhash": Fingerprint64 of the decimal text, SipHash with salt)
    The other output modes encode the indices as ``CategoryEncoding`` does (see StringLookup).

    Example (Keras's docstring): ``IntegerLookup(vocabulary=[12, 36, 1138, 42])`` maps
    ``[[12, 1138, 42], [42, 1000, 36]]`` to ``[[1, 3, 4], [4, 0, 2]]`` (1000 is OOV: index 0).

    Args:
        max_tokens, num_oov_indices, vocabulary, idf_weights, invert, output_mode,
        pad_to_max_tokens, sparse, name: as ``StringLookup``, for integers.
        mask_token: an int standing for padding (default None), e.g. 0.
        oov_token: the value ``invert=True`` gives for OOV indices (default −1).
        vocabulary_dtype: must be "int64" (as in Keras).
        oov_method: "floormod" (default: v mod num_oov_indices) or "farmhash".
        salt: with oov_method="farmhash": an int or two ints keying SipHash instead.

    Input shape:
        Integers of any shape (whole-number floats are accepted); with ``invert=True`` indices.

    Output shape:
        "int": the input's shape, int64; the others as ``StringLookup``.

    Unlike Keras: ``get_config`` holds the vocabulary (and idf weights) however they were
    set, and ``adapt`` on data with no tokens is an error.
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                 vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                 pad_to_max_tokens=False, oov_method="floormod", salt=None, name=None, **kwargs):
        if vocabulary_dtype != "int64":
            raise ValueError(f"IntegerLookup: only vocabulary_dtype='int64' is supported, got "
                             f"vocabulary_dtype={vocabulary_dtype!r}")
        for argument, value in (("mask_token", mask_token), ("oov_token", oov_token)):
            if value is not None and not isinstance(value, (int, np.integer)) or isinstance(value, bool):
                raise ValueError(f"IntegerLookup: {argument} must be an int or None, got {argument}={value!r}")
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token), vocabulary=vocabulary,
                         vocabulary_dtype=vocabulary_dtype, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens,
                         oov_method=oov_method, salt=salt, name=name, **kwargs)

    def _token_array(self, value, argument: str) -> np.ndarray:
        array = value.data if isinstance(value, Tensor) else np.asarray(value)
        if node_module.is_text(array):     # a vocabulary file's lines
            try:
                return np.array([int(v) for v in array.reshape(-1)], dtype=np.int64).reshape(array.shape)
            except ValueError:
                raise ValueError(f"IntegerLookup: {argument} must be integers, got strings such as "
                                 f"{array.reshape(-1)[0]!r}") from None
        return integer_ids(array, f"IntegerLookup: {argument}")

    def _token_of(self, value):
        return int(value)

    def _token_output(self, tokens: list, shape) -> Tensor:
        return Tensor(np.asarray(tokens, dtype=np.int64).reshape(shape))
