"""Embedding: integer ids → dense vectors, the first layer of a text model."""
from __future__ import annotations

import numpy as np

from ... import constraints, initializers, regularizers
from ...ops.embedding import check_ids, embedding_lookup
from ...tensor import Tensor
from ..arguments import check_positive_int
from ..base import Layer
from ..registry import serialize_component


class Embedding(Layer):
    """Turns each integer id into a learned vector: one row of a (input_dim, output_dim) table.

    Formula: y[..., :] = E[id, :]   for each id of the input (any shape).

    Equivalent to one-hot(id) · E — a Dense layer without bias on a one-hot input — but
    reads one row instead of multiplying by a vector of zeros. Backward adds each output's
    gradient into the row it came from (a word used twice gets both).

    With ``mask_zero=True`` the id 0 means padding: the layer outputs a mask, True where
    id ≠ 0, that travels with its output so that the next layers (an LSTM, a
    GlobalAveragePooling1D) skip the padded steps; the vocabulary then needs
    ``input_dim`` = number of words + 1.

    Args:
        input_dim: the vocabulary size (ids are 0 … input_dim − 1).
        output_dim: the length of each vector.
        embeddings_initializer: initializer of E ("uniform": U(−0.05, 0.05), Keras's default).
        embeddings_regularizer, embeddings_constraint: on E.
        mask_zero: treat id 0 as padding (see above).
        weights: optional initial table, a list with one (input_dim, output_dim) array.

    Input shape:
        ids of any shape, e.g. (batch, time): ints, or floats that are whole numbers.

    Output shape:
        the input shape + (output_dim,).

    Raises:
        ValueError: for an id < 0 or ≥ input_dim (naming it and its position), before any
            weight changes.
    """

    shape_by_arithmetic = True       # functional graphs take compute_output_shape, not a probe run

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", embeddings_regularizer=None,
                 embeddings_constraint=None, mask_zero=False, weights=None, **kwargs):
        super().__init__(**kwargs)
        self.input_dim = check_positive_int("Embedding", "input_dim", input_dim)
        self.output_dim = check_positive_int("Embedding", "output_dim", output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self._initial_weights = weights

    def build(self, input_shape):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint, name="embeddings")
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def _convert_input(self, x):
        return x if isinstance(x, Tensor) else Tensor(np.asarray(x))   # ids stay integers (no float cast)

    def call(self, inputs):
        return embedding_lookup(self.embeddings, check_ids(inputs.data, self.input_dim, self.name))

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return Tensor(inputs).data != 0

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape), self.output_dim)

    def get_config(self) -> dict:
        return {**super().get_config(), "input_dim": self.input_dim, "output_dim": self.output_dim,
                "embeddings_initializer": serialize_component(initializers, self.embeddings_initializer),
                "embeddings_regularizer": serialize_component(regularizers, self.embeddings_regularizer),
                "embeddings_constraint": serialize_component(constraints, self.embeddings_constraint),
                "mask_zero": self.mask_zero}
