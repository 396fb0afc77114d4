"""Several cells as one: the output of each is the input of the next, at every step."""
from __future__ import annotations

import numpy as np

from ...tensor import Tensor
from ..base import Layer


class StackedRNNCells(Layer):
    """Cells stacked in depth: x_t → cell_1 → cell_2 → … → o_t, each with its own states.

    Equations (k = 1…K, with y⁰_t = x_t):
        y^k_t, s^k_t = cell_k(y^{k−1}_t, s^k_{t−1});     o_t = y^K_t

    Args:
        cells: a list of cells (Layers with ``state_size`` and ``call(inputs, states)``).

    ``state_size`` is the list of the cells' state sizes; the states passed to ``call`` are
    one entry per cell (a tensor, or a list for a cell with several states).
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
                raise ValueError(f"StackedRNNCells: every cell needs a call method and a state_size, got {cell!r}")
        self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [c.state_size for c in self.cells]

    @property
    def output_size(self) -> int:
        last = self.cells[-1]
        size = getattr(last, "output_size", None)
        if size is not None:
            return size
        return last.state_size[0] if isinstance(last.state_size, (list, tuple)) else last.state_size

    def get_initial_state(self, batch_size=None) -> list:
        states = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                own = make(batch_size=batch_size)
                states.append(own[0] if isinstance(cell.state_size, int) and isinstance(own, list) else own)
            elif isinstance(cell.state_size, int):
                states.append(Tensor(np.zeros((batch_size, cell.state_size), dtype=self.dtype)))
            else:
                states.append([Tensor(np.zeros((batch_size, s), dtype=self.dtype)) for s in cell.state_size])
        return states

    def build(self, input_shape):
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build_once(tuple(input_shape))
            size = getattr(cell, "output_size", None)
            if size is None:
                size = cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size
            input_shape = (input_shape[0], size)

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            nested = isinstance(cell_states, (list, tuple))
            kwargs = {"training": training} if not isinstance(cell, Layer) or cell._accepts("training") else {}
            inputs, cell_new = cell.call(inputs, list(cell_states) if nested else [cell_states], **kwargs)
            cell_new = list(cell_new) if isinstance(cell_new, (list, tuple)) else [cell_new]
            new_states.append(cell_new if nested else cell_new[0])
        return inputs, new_states

    def get_config(self) -> dict:
        from ..registry import serialize
        return {**super().get_config(), "cells": [serialize(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config):
        from ..registry import deserialize
        config = dict(config)
        return cls([deserialize(c) for c in config.pop("cells")], **config)
