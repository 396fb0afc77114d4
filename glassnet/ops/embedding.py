"""The embedding lookup: a row of a table per integer id, and its scatter-add gradient."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..tensor import Function


def check_ids(ids, input_dim: int, owner: str = "embedding") -> np.ndarray:
    """``ids`` as an int64 array, or a ValueError naming the first id outside [0, input_dim).

    Float ids (a model's default float Input) are accepted when they are whole numbers.
    """
    ids = np.asarray(ids)
    if ids.dtype.kind == "f":
        if not np.array_equal(ids, np.floor(ids)):
            bad = tuple(int(i) for i in np.argwhere(ids != np.floor(ids))[0])
            raise ValueError(f"{owner}: ids must be whole numbers, got {ids[bad]} at index {bad}")
    elif ids.dtype.kind not in "iub":
        raise ValueError(f"{owner}: ids must be integers, got an array of dtype {ids.dtype}")
    ids = ids.astype(np.int64, copy=False)
    if ids.size and (ids.min() < 0 or ids.max() >= input_dim):
        bad = tuple(int(i) for i in np.argwhere((ids < 0) | (ids >= input_dim))[0])
        raise ValueError(f"{owner}: id {ids[bad]} at index {bad} is outside [0, {input_dim}) "
                         f"(input_dim = {input_dim}; ids of shape {ids.shape})")
    return ids


class EmbeddingLookup(Function):
    """y[p, :] = W[ids[p], :]   for every position p of ``ids`` (any shape): W is (vocabulary, d).

    Local derivative: row v of ∂L/∂W is the sum of ∂L/∂y[p] over the positions p that read
    row v — a scatter-add (a word used twice in a batch gets both gradients; rows of words
    not in the batch get 0). Written as a matrix product, ∂L/∂W = Oᵀ · G with O the
    (positions × vocabulary) one-hot matrix of the ids and G the (positions × d) gradients;
    O is sparse, so that is one sparse × dense product (~8× faster than ``np.add.at``).
    """

    def forward(self, W, ids):
        self.ids, self.table_shape = ids, W.shape
        return W[ids]

    def backward(self, grad):
        rows = self.ids.reshape(-1)
        g = grad.reshape(len(rows), -1)
        one_hot_t = sp.csr_matrix((np.ones(len(rows), dtype=g.dtype), (rows, np.arange(len(rows)))),
                                  shape=(self.table_shape[0], len(rows)))
        return np.asarray(one_hot_t @ g, dtype=grad.dtype)


def embedding_lookup(W, ids):
    """The rows of the table ``W`` named by the integer ``ids``: shape ids.shape + (d,)."""
    return EmbeddingLookup.apply(W, ids=check_ids(ids, W.shape[0]))
