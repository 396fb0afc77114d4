"""The vocabulary and its lookup, shared by StringLookup, IntegerLookup and TextVectorization.

A vocabulary is its reserved entries, then the tokens:

    index:  0 ........ oov_start ............. token_start ..........................
            [mask]     [oov] × num_oov_indices  t_1, t_2, ...  (most frequent first)
    (the mask slot exists in output_mode "int" with a mask_token; oov_start = 1 then, else 0)

    lookup(t) = token_start + i        if t = t_i
              = 0                      if t is the mask token ("int" mode; other modes drop it)
              = oov_start + h(t)       otherwise, h(t) = 0 for one OOV index; for several,
                                       t mod num_oov_indices (integers, Keras's "floormod") or
                                       Fingerprint64(t) mod num_oov_indices (strings, or
                                       oov_method="farmhash"; SipHash with a salt)

``adapt`` counts every token; the vocabulary is sorted by descending count, ties by the
token itself in descending order (Keras: ``np.lexsort((tokens, counts))[::-1]``; strings in
code-point order, which is UTF-8 byte order), then cut to ``max_tokens`` entries, reserved
ones included. tf·idf weights, for N documents of which df(t) hold t:
    idf(t) = ln(1 + N / (1 + df(t))),  reserved entries get the mean idf of the tokens.
"""
from __future__ import annotations

import itertools
import os
from collections import Counter

import numpy as np

from ... import backend
from ...tensor import Tensor
from .. import node as node_module
from . import fingerprint
from .category_encoding import CategoricalLayer, encode_categorical, integer_ids

LOOKUP_OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
DEPRECATED_MODES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


# --------------------------------------------------------------------------- shared helpers

def rank_tokens(counts: Counter, limit=None) -> list:
    """The tokens of ``counts`` by descending count, ties by descending token; the first ``limit``."""
    ranked = sorted(counts, key=lambda token: (counts[token], token), reverse=True)
    return ranked if limit is None else ranked[:max(limit, 0)]


def inverse_document_frequency(document_frequency, num_documents):
    """Keras's idf weight: idf(t) = ln(1 + N / (1 + df(t))), N documents, df(t) containing t."""
    document_frequency = np.asarray(document_frequency, dtype=np.float64)
    return np.log(1.0 + num_documents / (1.0 + document_frequency))


def learned_idf_weights(tokens: list, document_counts: Counter, num_documents: int, num_reserved: int):
    """idf of each kept token (in floatx), led by ``num_reserved`` entries of their mean."""
    floatx = backend.floatx()
    learned = inverse_document_frequency([document_counts[t] for t in tokens], num_documents).astype(floatx)
    mean = learned.mean(dtype=floatx) if learned.size else np.zeros((), floatx)
    return np.concatenate([np.full(num_reserved, mean, dtype=floatx), learned])


def split_vocabulary(vocabulary: list, special: list, mask_token, owner: str, max_tokens=None, oov_token=None):
    """Check a given vocabulary; return (tokens without the reserved entries, whether it led with them).

    The reserved entries may lead the vocabulary, exactly in the order ``special``; elsewhere
    the mask token (and, for an inverting layer, ``oov_token``) is refused, as are repeated
    tokens and more than ``max_tokens`` entries.
    """
    if not vocabulary:
        raise ValueError(f"{owner}: cannot set an empty vocabulary")
    found_special = len(vocabulary) >= len(special) and vocabulary[:len(special)] == special
    tokens = vocabulary[len(special):] if found_special else list(vocabulary)
    repeated = [token for token, count in Counter(tokens).items() if count > 1]
    if repeated:
        raise ValueError(f"{owner}: the vocabulary has repeated tokens {repeated}; each token must appear once")
    for reserved, what in ((mask_token, "mask token"), (oov_token, "OOV token")):
        if reserved is not None and reserved in tokens:
            position = len(vocabulary) - len(tokens) + tokens.index(reserved)
            raise ValueError(f"{owner}: found the reserved {what} {reserved!r} at index {position}; leave the "
                             f"reserved tokens out, or put them first in exactly this order: {special}")
    size = len(special) + len(tokens)
    if max_tokens is not None and size > max_tokens:
        raise ValueError(f"{owner}: the vocabulary has {size} entries (reserved tokens included), more than "
                         f"max_tokens={max_tokens}")
    return tokens, found_special


def given_idf_weights(idf_weights, vocabulary_length: int, found_special: bool, num_reserved: int, owner: str):
    """Given idf weights (one per vocabulary entry) led by their mean for the reserved entries
    the vocabulary left out (Keras's front padding)."""
    weights = np.asarray(idf_weights, dtype=np.float64)
    if weights.ndim != 1 or len(weights) != vocabulary_length:
        raise ValueError(f"{owner}: idf_weights must be 1-D with one weight per vocabulary entry "
                         f"({vocabulary_length}), got shape {weights.shape}")
    if not found_special:
        weights = np.concatenate([np.full(num_reserved, weights.mean()), weights])
    return weights


def read_vocabulary_file(path: str, owner: str, encoding: str = "utf-8") -> list:
    """The lines of a vocabulary file (one token per line; trailing empty lines dropped)."""
    if not os.path.isfile(path):
        raise ValueError(f"{owner}: vocabulary file {path!r} does not exist")
    with open(path, encoding=encoding) as file:
        lines = file.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def encode_ids(ids: np.ndarray, output_mode: str, depth: int, idf_weights=None) -> np.ndarray:
    """Encode vocabulary ids (−1: dropped) as ``output_mode`` vectors of length ``depth`` in floatx;
    "tf_idf" is the counts times the idf weights (zero past their end)."""
    floatx = backend.floatx()
    if output_mode != "tf_idf":
        return encode_categorical(ids, output_mode, depth, floatx, tensorflow_rule=True)
    idf = np.zeros(depth, dtype=floatx)
    idf[:min(depth, len(idf_weights))] = idf_weights[:depth]
    return encode_categorical(ids, "count", depth, floatx) * idf


# --------------------------------------------------------------------------- the vocabulary

class Vocabulary:
    """Reserved entries and tokens, with the token → index table (see the module docstring).

    Args:
        mask_token: the mask entry's token, or None; it holds index 0 when ``with_mask_slot``.
        oov_token: the token shown for each OOV index.
        num_oov_indices: how many OOV indices follow the mask slot.
        with_mask_slot: whether index 0 is the mask (output_mode "int" with a mask token).
    """

    def __init__(self, mask_token, oov_token, num_oov_indices: int, with_mask_slot: bool):
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.num_oov_indices = num_oov_indices
        self.oov_start = 1 if with_mask_slot else 0
        self.token_start = self.oov_start + num_oov_indices
        self.tokens = None      # None: no vocabulary yet
        self.index = {}
        self.idf_weights = None

    def special(self) -> list:
        return [self.mask_token] * self.oov_start + [self.oov_token] * self.num_oov_indices

    def size(self) -> int:
        return self.token_start + len(self.tokens or [])

    def get(self, include_special_tokens: bool = True) -> list:
        tokens = list(self.tokens or [])
        return self.special() + tokens if include_special_tokens else tokens

    def install(self, tokens: list, idf_weights=None) -> None:
        self.tokens = list(tokens)
        self.index = {token: i for i, token in enumerate(self.tokens, start=self.token_start)}
        self.idf_weights = None if idf_weights is None else np.asarray(idf_weights)

    def lookup(self, tokens, oov_index=None) -> list:
        """The ids of ``tokens`` (an iterable): the mask token → 0 with a mask slot, −1 (dropped)
        without; a token off the vocabulary → ``oov_index(token)`` (default: oov_start)."""
        ids = []
        for token in tokens:
            i = self.index.get(token)
            if i is None:
                if self.mask_token is not None and token == self.mask_token:
                    i = 0 if self.oov_start else -1
                else:
                    i = self.oov_start if oov_index is None else oov_index(token)
            ids.append(i)
        return ids

    def token_of(self, index: int):
        """The token at ``index`` (inverse lookup): the mask at 0, the OOV token off the tokens."""
        if self.oov_start and index == 0:
            return self.mask_token
        i = index - self.token_start
        return self.tokens[i] if self.tokens is not None and 0 <= i < len(self.tokens) else self.oov_token


# --------------------------------------------------------------------------- the layer

class IndexLookup(CategoricalLayer):
    """The base of StringLookup and IntegerLookup (Keras's ``IndexLookup``): a vocabulary, its
    lookup and its encodings; subclasses say what a token is (``_token_array``, ``_token_of``).
    See ``StringLookup`` for the arguments."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", name=None, salt=None, **kwargs):
        owner = type(self).__name__
        kwargs.pop("vocabulary_size", None)   # in Keras's config; the vocabulary itself decides it here
        has_input_vocabulary = bool(kwargs.pop("has_input_vocabulary", vocabulary is not None))
        if max_tokens is not None and (not _is_int(max_tokens) or max_tokens <= 1):
            raise ValueError(f"{owner}: max_tokens must be None or an int greater than 1, got "
                             f"max_tokens={max_tokens!r}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{owner}: pad_to_max_tokens=True needs max_tokens, got max_tokens=None")
        if not _is_int(num_oov_indices) or num_oov_indices < 0:
            raise ValueError(f"{owner}: num_oov_indices must be an int >= 0, got num_oov_indices={num_oov_indices!r}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"{owner}: unknown oov_method={oov_method!r}; expected 'floormod' or 'farmhash'")
        if salt is not None:
            if vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError(f"{owner}: salt can only be used when oov_method='farmhash', got "
                                 f"oov_method={oov_method!r}")
            salt = _check_salt(salt, owner)
        output_mode = DEPRECATED_MODES.get(output_mode, output_mode)
        if output_mode not in LOOKUP_OUTPUT_MODES:
            raise ValueError(f"{owner}: unknown output_mode={output_mode!r}; expected one of "
                             f"{', '.join(repr(m) for m in LOOKUP_OUTPUT_MODES)}")
        if invert and output_mode != "int":
            raise ValueError(f"{owner}: output_mode must be 'int' when invert=True, got output_mode={output_mode!r}")
        if sparse:
            raise ValueError(f"{owner}: sparse=True is not supported: glassnet has no sparse tensors (Keras supports "
                             f"it on the TensorFlow backend only); use sparse=False")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{owner}: idf_weights should only be set if output_mode is 'tf_idf', got "
                             f"output_mode={output_mode!r}")
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None:
            raise ValueError(f"{owner}: with output_mode='tf_idf' and a vocabulary, idf_weights must also be given "
                             f"(one weight per vocabulary entry)")
        super().__init__(name=name, **kwargs)
        self.invert = bool(invert)
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.num_oov_indices = int(num_oov_indices)
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = False
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = salt
        self._has_input_vocabulary = has_input_vocabulary
        self._vocabulary = Vocabulary(mask_token, oov_token, self.num_oov_indices,
                                      with_mask_slot=mask_token is not None and output_mode == "int")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # --- the vocabulary ------------------------------------------------------------------
    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary; with the reserved entries, entry i is the token of index i."""
        return self._vocabulary.get(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The vocabulary size, mask and OOV indices included."""
        return self._vocabulary.size()

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Set the vocabulary (and, in "tf_idf" mode, the idf weights) instead of ``adapt``.

        Args:
            vocabulary: a list/tuple/1-D array of tokens, or the path of a text file with one
                token per line. It may start with the reserved entries (mask, then the OOV
                tokens, exactly as ``get_vocabulary()`` lists them); else they are added.
            idf_weights: "tf_idf" mode only (and required there): one weight per entry of
                ``vocabulary``; reserved entries it leaves out get the mean weight.

        Raises:
            ValueError: an empty vocabulary, repeated tokens, a reserved token out of place,
                more than ``max_tokens`` entries, a missing file, or bad idf_weights.
        """
        owner = f"{type(self).__name__}.set_vocabulary"
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{owner}: idf_weights must be set if output_mode is 'tf_idf'")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{owner}: idf_weights should only be set if output_mode is 'tf_idf', got "
                             f"output_mode={self.output_mode!r}")
        if isinstance(vocabulary, (str, os.PathLike)):
            if self.output_mode == "tf_idf":
                raise ValueError(f"{owner}: output_mode 'tf_idf' does not support loading a vocabulary from a file; "
                                 f"pass a list and idf_weights")
            vocabulary = read_vocabulary_file(os.fspath(vocabulary), owner, getattr(self, "encoding", "utf-8"))
        array = self._token_array(vocabulary, "vocabulary")
        if array.ndim != 1:
            raise ValueError(f"{owner}: vocabulary must be 1-D (one token per entry), got shape {array.shape}")
        vocabulary = [self._token_of(t) for t in array]
        special = self._vocabulary.special()
        tokens, found_special = split_vocabulary(vocabulary, special, self.mask_token, owner, self.max_tokens,
                                                 self.oov_token if self.invert else None)
        weights = None
        if idf_weights is not None:
            weights = given_idf_weights(idf_weights, len(vocabulary), found_special, len(special), owner)
        self._vocabulary.install(tokens, weights)

    def adapt(self, data, steps=None) -> None:
        """Learn the vocabulary (and the idf weights in "tf_idf" mode) from ``data``: tokens by
        descending count, ties by descending token, cut to ``max_tokens`` entries.

        Args:
            data: a list, tuple, NumPy array or Tensor of tokens (one batch: each row, or each
                element of a 1-D array, is one document), or any other iterable of batches (a
                1-D batch is then one document, as in Keras).
            steps: for an iterable of batches, read at most this many.
        """
        owner = f"{type(self).__name__} {self.name!r}"
        if self._has_input_vocabulary:
            raise ValueError(f"{owner}: cannot adapt the layer after setting a static vocabulary via the "
                             f"vocabulary argument")
        if steps is not None and (not _is_int(steps) or steps <= 0):
            raise ValueError(f"{owner}: steps must be None or a positive int, got steps={steps!r}")
        if isinstance(data, (list, tuple, np.ndarray, Tensor)):
            array = self._token_array(data, "data")
            batches = [array.reshape(-1, 1) if array.ndim <= 1 else array]
        elif hasattr(data, "__iter__") and not isinstance(data, (str, bytes)):
            batches = (self._token_array(b, "data") for b in itertools.islice(data, steps))
        else:
            raise TypeError(f"{owner}: adapt() takes a list, a NumPy array or an iterable of batches, got "
                            f"{type(data).__name__}")
        counts, document_counts, num_documents = Counter(), Counter(), 0
        for batch in batches:
            batch = batch.reshape(1, -1) if batch.ndim <= 1 else batch
            counts.update(self._token_of(t) for t in batch.reshape(-1))
            if self.output_mode == "tf_idf":
                for document in batch:
                    document_counts.update({self._token_of(t) for t in np.reshape(document, -1)})
            num_documents += len(batch)
        for reserved in (self.mask_token, self.oov_token):
            counts.pop(reserved, None)
        if not counts:
            raise ValueError(f"{owner}: adapt() found no tokens (besides the mask and OOV tokens) in the data")
        token_start = self._vocabulary.token_start
        ranked = rank_tokens(counts, self.max_tokens - token_start if self.max_tokens else None)
        weights = None
        if self.output_mode == "tf_idf":
            weights = learned_idf_weights(ranked, document_counts, num_documents, token_start)
        self._vocabulary.install(ranked, weights)

    # --- the forward pass ----------------------------------------------------------------
    def _depth(self):
        if self.pad_to_max_tokens:
            return self.max_tokens
        return self.vocabulary_size() if self._vocabulary.tokens is not None else None

    def _input_is_tokens(self) -> bool:
        return not self.invert

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, node_module.SymbolicTensor):
            self._check_symbolic_input(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def _check_symbolic_input(self, inputs) -> None:
        """In a model: the input must hold tokens (or ids, inverting), and the width be known."""
        text = inputs.dtype == node_module.STRING
        wants_text = self.vocabulary_dtype == "string" and not self.invert
        if text != wants_text:
            wanted = 'dtype="string"' if wants_text else 'an integer dtype such as "int64"'
            raise TypeError(f"{type(self).__name__} {self.name!r}: its input must have {wanted}, got a symbolic "
                            f"tensor of dtype {inputs.dtype}")
        if self.output_mode != "int" and self._depth() is None:
            raise RuntimeError(f"{type(self).__name__} {self.name!r}: with output_mode={self.output_mode!r} and "
                               f"pad_to_max_tokens=False, set the vocabulary (adapt, vocabulary= or set_vocabulary) "
                               f"before putting the layer in a model")

    def call(self, inputs):
        owner = f"{type(self).__name__} {self.name!r}"
        if self.invert:
            ids = integer_ids(inputs, owner)
            tokens = [self._vocabulary.token_of(int(i)) for i in ids.reshape(-1)]
            return self._token_output(tokens, ids.shape)
        depth = self._depth()
        if self.output_mode != "int" and depth is None:
            raise RuntimeError(f"{owner}: with output_mode={self.output_mode!r} and pad_to_max_tokens=False, set "
                               f"the layer's vocabulary before calling it: pass vocabulary= or call adapt(data)")
        keys = self._token_array(inputs, "inputs")
        missing = []
        ids = np.asarray(self._vocabulary.lookup((self._token_of(t) for t in keys.reshape(-1)),
                                                 lambda token: self._oov_index(token, missing)),
                         dtype=np.int64).reshape(keys.shape)
        if missing:
            raise ValueError(f"{owner}: with num_oov_indices=0 all inputs should be in the vocabulary, found OOV "
                             f"values {missing[:10]}; consider setting num_oov_indices=1")
        if self.output_mode == "int":
            return Tensor(ids)
        return Tensor(encode_ids(ids, self.output_mode, depth, self._vocabulary.idf_weights))

    def _oov_index(self, token, missing: list) -> int:
        """The OOV index of ``token``: oov_start + its bucket (see the module docstring)."""
        n = self.num_oov_indices
        if n == 0:
            missing.append(token)
            return -1
        if n == 1:
            return self._vocabulary.oov_start
        if self.vocabulary_dtype != "string" and self.oov_method != "farmhash":
            bucket = int(token) % n
        else:
            data = fingerprint.as_bytes(token)
            bucket = (fingerprint.siphash24(self.salt, data) if self.salt is not None
                      else fingerprint.fingerprint64(data)) % n
        return self._vocabulary.oov_start + bucket

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        depth = self._depth()
        if self.output_mode == "one_hot" and not (len(input_shape) > 1 and input_shape[-1] == 1):
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs):
        if self.output_mode != "int":
            dtype = backend.floatx()
        else:
            dtype = node_module.STRING if self.invert and self.vocabulary_dtype == "string" else "int64"
        return node_module.SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    # --- configuration ---------------------------------------------------------------------
    def get_config(self) -> dict:
        has_vocabulary = self._vocabulary.tokens is not None
        idf = self._vocabulary.idf_weights
        return {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token, "mask_token": self.mask_token,
                "output_mode": self.output_mode, "sparse": False, "pad_to_max_tokens": self.pad_to_max_tokens,
                "vocabulary_dtype": self.vocabulary_dtype,
                "idf_weights": None if idf is None else [float(w) for w in idf],
                "vocabulary": self.get_vocabulary() if has_vocabulary else None,
                "vocabulary_size": self.vocabulary_size() if has_vocabulary else None,
                "oov_method": self.oov_method, "salt": self.salt,
                "has_input_vocabulary": self._has_input_vocabulary}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        """The layer of ``config``, which may hold Keras's "vocabulary_size" and glassnet's
        "has_input_vocabulary" (read by ``__init__``) besides the constructor's arguments."""
        return cls(**config)


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_salt(salt, owner: str) -> list:
    """Keras's salt: two ints (SipHash's key words) or one int used for both."""
    if isinstance(salt, (tuple, list)) and len(salt) == 2 and all(_is_int(s) for s in salt):
        return [int(s) for s in salt]
    if _is_int(salt):
        return [int(salt), int(salt)]
    raise ValueError(f"{owner}: salt must be a tuple of 2 integers or a single integer, got salt={salt!r}")
