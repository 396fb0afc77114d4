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

import os
from collections import Counter

import numpy as np

from ... import backend
from .category_encoding import encode_categorical

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
        return encode_categorical(ids, output_mode, depth, floatx)
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
