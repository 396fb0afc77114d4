"""ReversibleEmbedding: an Embedding that can also turn vectors back into logits over the vocabulary."""
from __future__ import annotations

import numbers

import numpy as np

from ... import ops
from ...tensor import Tensor
from ..arguments import check_bool
from ..node import SymbolicTensor
from .embedding import Embedding


class ReversibleEmbedding(Embedding):
    """An ``Embedding`` whose table also serves as the output projection of a language model.

    Formula:
        forward  (reverse=False):  y[..., :] = E[id, :]                 (Embedding)
        reverse  (reverse=True):   logits = h · Eᵀ   (tie_weights=True)  or  h · R  (R: (output_dim, input_dim))
        with logit_soft_cap c:     logits = c · tanh(logits / c)

    Tying the input and output embeddings (Press & Wolf, 2017) saves a (vocab × d) matrix
    and usually helps; the soft cap bounds the logits smoothly to (−c, c) (as Gemma does).
    Gradients of both uses of E add up in E.

    Args:
        input_dim: the vocabulary size; output_dim: the length of each vector.
        tie_weights: reuse E transposed for the reverse projection (True), or learn a separate
            ``reverse_embeddings`` R (False), initialised like E.
        embeddings_initializer, embeddings_regularizer, embeddings_constraint, mask_zero:
            as for ``Embedding``.
        reverse_dtype: dtype the reverse product is computed in (None: the layer's).
        logit_soft_cap: c > 0 to soft-cap the logits, or None.

    Call arguments:
        inputs: ids (forward), or vectors (…, output_dim) (reverse).
        reverse: which of the two.

    Input shape:
        Forward: ids of any shape. Reverse: (…, output_dim).

    Output shape:
        Forward: the input shape + (output_dim,). Reverse: (…, input_dim).
    """

    def __init__(self, input_dim, output_dim, tie_weights=True, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False, reverse_dtype=None,
                 logit_soft_cap=None, **kwargs):
        super().__init__(input_dim, output_dim, embeddings_initializer=embeddings_initializer,
                         embeddings_regularizer=embeddings_regularizer, embeddings_constraint=embeddings_constraint,
                         mask_zero=mask_zero, **kwargs)
        self.tie_weights = check_bool("ReversibleEmbedding", "tie_weights", tie_weights)
        if reverse_dtype is not None:
            try:
                reverse_dtype = np.dtype(reverse_dtype).name
            except TypeError:
                reverse_dtype = None
            if reverse_dtype not in ("float16", "float32", "float64"):
                raise ValueError(f"ReversibleEmbedding: reverse_dtype must be None or a float dtype name, "
                                 f"got {reverse_dtype!r}")
        self.reverse_dtype = reverse_dtype
        if logit_soft_cap is not None and (isinstance(logit_soft_cap, bool) or
                                           not isinstance(logit_soft_cap, numbers.Real) or not logit_soft_cap > 0):
            raise ValueError(f"ReversibleEmbedding: logit_soft_cap must be None or a number > 0, "
                             f"got {logit_soft_cap!r}")
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape):
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(shape=(self.output_dim, self.input_dim),
                                                      initializer=self.embeddings_initializer,
                                                      name="reverse_embeddings")

    def __call__(self, inputs, *args, reverse=False, **kwargs):
        outputs = super().__call__(inputs, *args, reverse=reverse, **kwargs)
        if reverse and isinstance(outputs, Tensor):
            outputs._keras_mask = None             # logits carry no padding mask (Keras's rule)
        return outputs

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        if inputs.ndim < 1 or inputs.shape[-1] != self.output_dim:
            raise ValueError(f"{self.name}: a reverse call takes vectors of shape (..., {self.output_dim}), "
                             f"got shape {inputs.shape}")
        kernel = ops.transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        dtype = self.reverse_dtype or self.dtype
        h = inputs if inputs.dtype == np.dtype(dtype) else ops.cast(inputs, dtype)
        kernel = kernel if kernel.dtype == np.dtype(dtype) else ops.cast(kernel, dtype)
        logits = ops.matmul(h, kernel)
        if self.logit_soft_cap is not None:
            c = self.logit_soft_cap
            logits = ops.tanh(logits / c) * c
        return logits

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return (*tuple(input_shape)[:-1], self.input_dim)
        return super().compute_output_shape(input_shape)

    def compute_output_spec(self, inputs, reverse=False):
        dtype = (self.reverse_dtype or self.dtype) if reverse else self.dtype
        return SymbolicTensor(self.compute_output_shape(inputs.shape, reverse=reverse), dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "tie_weights": self.tie_weights, "reverse_dtype": self.reverse_dtype,
                "logit_soft_cap": self.logit_soft_cap}
