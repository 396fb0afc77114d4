"""Indexing: slicing, integer and boolean indexing, gather by index arrays."""
from __future__ import annotations

import numpy as np


from ..backend import xp
from ..slice_grad import SliceGrad
from ..tensor import Function, Tensor


def _plain_index(index):
    """Replace Tensors inside an index by their arrays."""
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index.data if isinstance(index, Tensor) else index


def _is_basic(index) -> bool:
    """True if the index only slices (ints, slices, None, ...): no element is read twice."""
    items = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, (int, np.integer, slice, type(None), type(Ellipsis))) for i in items)


class GetItem(Function):
    """f = x[index] — any NumPy index: slices, integers, boolean masks, index arrays.

    ∂L/∂x is zero except at the positions read, where ∂L/∂f is added. With an index
    array that repeats a position (an embedding lookup of a repeated word), the
    gradients of every read are *summed* there (``xp.add.at``), not overwritten.
    """

    def forward(self, x, index):
        self.shape, self.dtype, self.index = x.shape, x.dtype, index
        try:
            return x[index]
        except IndexError as error:
            raise IndexError(f"index {index!r} is invalid for a tensor of shape {x.shape}: {error}") from None

    def backward(self, grad):
        if _is_basic(self.index):   # kept as (index, values): see glassnet/slice_grad.py
            return SliceGrad(self.shape, self.index, grad)
        out = xp.zeros(self.shape, dtype=self.dtype)
        xp.add.at(out, self.index, grad)
        return out


def getitem(x, index) -> Tensor:
    """x[index] with gradient (see ``GetItem``)."""
    return GetItem.apply(x, index=_plain_index(index))
