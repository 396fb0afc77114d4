"""StringLookup: strings → vocabulary indices (or one-hot / multi-hot / counts / tf·idf), Keras 3."""
from __future__ import annotations

import codecs

import numpy as np

from .. import node as node_module
from .index_lookup import IndexLookup
from .text_pipeline import to_string_array


class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary (and back, with ``invert=True``).

    Formula (index_lookup.py draws the layout):
        index(t) = token_start + i     for the vocabulary's i-th token t_i (most frequent first)
                 = 0                   for mask_token (output_mode "int")
                 = oov_start + Fingerprint64(t) mod num_oov_indices   for any other string
                   (SipHash-2-4 with ``salt``; a single OOV index takes them all)
    The other output modes encode the indices as ``CategoryEncoding`` does, over
    ``vocabulary_size()`` slots (``max_tokens`` with ``pad_to_max_tokens``); "tf_idf" multiplies
    the counts by idf(t) = ln(1 + N / (1 + df(t))).

    Example (Keras's docstring): ``StringLookup(vocabulary=["a", "b", "c", "d"])`` maps
    ``[["a", "c", "d"], ["d", "z", "b"]]`` to ``[[1, 3, 4], [4, 0, 2]]`` ("z" is OOV: index 0).

    Args:
        max_tokens: the largest vocabulary, mask and OOV indices included (None: no limit).
        num_oov_indices: how many indices out-of-vocabulary strings share, by hash (default 1;
            0: an OOV string is an error).
        mask_token: a string standing for padding: index 0 in "int" mode, dropped in the others
            (default None: no mask).
        oov_token: the string ``invert=True`` gives for OOV indices (default "[UNK]").
        vocabulary: a list/tuple/1-D array of strings, or the path of a text file with one per
            line; else ``adapt`` learns it.
        idf_weights: "tf_idf" mode with ``vocabulary``: one weight per vocabulary entry.
        invert: map indices back to strings (output_mode "int" only).
        output_mode: "int" (default), "one_hot", "multi_hot", "count" or "tf_idf".
        pad_to_max_tokens: non-"int" modes: make the last axis ``max_tokens`` long.
        sparse: must be False: glassnet has no sparse tensors.
        encoding: the codec that decodes ``bytes`` inputs (default "utf-8").
        name: layer name.
        salt: an int or two ints: hash OOV strings with SipHash keyed by it instead of FarmHash.

    Input shape:
        Strings of any shape (``Input(shape=(1,), dtype="string")`` in a model); with
        ``invert=True``, integer indices.

    Output shape:
        "int": the input's shape, int64 indices (``invert``: a NumPy array of str — glassnet
        Tensors hold numbers); "one_hot": ``shape + (depth,)`` (a trailing 1 replaced); the
        others ``shape[:-1] + (depth,)``, in floatx.

    Unlike Keras: ``get_config`` holds the vocabulary (and idf weights) however they were
    set — glassnet writes no asset files — and ``adapt`` on data with no tokens is an error.
    """

    _accepts_strings = True
    _input_dtype = node_module.STRING   # what a Sequential without an Input feeds it

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                 encoding="utf-8", name=None, salt=None, **kwargs):
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ValueError(f"StringLookup: unknown encoding={encoding!r}; expected a Python codec name such as "
                             f"'utf-8'") from None
        kwargs.pop("vocabulary_dtype", None)
        self.encoding = encoding
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse, name=name,
                         salt=salt, vocabulary_dtype="string", **kwargs)

    def _token_array(self, value, argument: str) -> np.ndarray:
        return to_string_array(value, argument, self.encoding, owner="StringLookup")

    def _token_of(self, value):
        return value.decode(self.encoding) if isinstance(value, bytes) else value

    def _token_output(self, tokens: list, shape) -> np.ndarray:
        output = np.empty(len(tokens), dtype=object)
        output[:] = tokens
        return output.reshape(shape)

    def _convert_input(self, x):
        if self.invert or (isinstance(x, np.ndarray) and x.dtype == object):
            return super()._convert_input(x)
        return self._token_array(x, "inputs")

    def get_config(self) -> dict:
        config = super().get_config()
        del config["vocabulary_dtype"]   # strings have one dtype (as in Keras)
        return {**config, "encoding": self.encoding}
