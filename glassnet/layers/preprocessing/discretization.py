"""Discretization: numbers → the index of their bin, bins given or learned as quantiles (Keras 3).

    bin_boundaries = [b_0, b_1, ..., b_{m−1}]  (ascending)
    index(x) = i   such that  b_{i−1} ≤ x < b_i     (b_{−1} = −∞, b_m = +∞)
             = number of boundaries ≤ x             (NumPy's ``digitize``)

``adapt(data)`` learns m = num_bins − 1 boundaries at the quantiles 1/num_bins, 2/num_bins, …
with Keras's approximate-quantile summary (exactly its arithmetic, so the boundaries agree):

    summarize(values, ε):  sort; step = max(n·ε, 1); keep every ⌊step⌋-th value starting at
        index ⌊step⌋ − 1, each with weight ``step``            → a summary (values, weights)
    merge(s1, s2, ε):      concatenate, sort by value, compress(·, ε)
    compress(s, ε):        if the summary has ≥ 1/ε entries: p = ε, 2ε, …, 1; interpolate the
        values and the cumulative weights at the cumulative-weight fractions p (NumPy ``interp``)
    boundaries = compress(summary, 1/num_bins).values[:-1]

Each batch of an iterable is summarized and merged into the running summary, in float32.
"""
from __future__ import annotations

import numpy as np

from ...tensor import Tensor
from .. import node as node_module
from .category_encoding import CategoricalLayer, encode_categorical, encoded_shape

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def summarize(values, epsilon: float) -> np.ndarray:
    """A (2, k) summary of ``values`` (any shape, flattened): sampled sorted values and weights."""
    values = np.sort(np.reshape(values, -1))
    step = max(values.size / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1)::int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Resample a summary at the cumulative-weight fractions ε, 2ε, …, 1 (if it is long enough)."""
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    fractions = cum_weights / cum_weights[-1]
    new_values = np.interp(percents, fractions, summary[0])
    new_cum_weights = np.interp(percents, fractions, cum_weights)
    new_weights = new_cum_weights - np.concatenate(([0], new_cum_weights[:-1]))
    return np.stack((new_values, new_weights)).astype("float32")


def merge_summaries(first: np.ndarray, second: np.ndarray, epsilon: float) -> np.ndarray:
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def bin_boundaries_from_summary(summary: np.ndarray, num_bins: int) -> np.ndarray:
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]


class Discretization(CategoricalLayer):
    """Buckets numbers into bins: each value becomes the index of the bin it falls in.

    Formula:  y = #{i : b_i ≤ x}   for the ascending boundaries b (so bins are [b_{i−1}, b_i))
        e.g. b = [0., 1., 2.]:  −1.5 → 0,  0. → 1,  1.5 → 2,  2. → 3

    The boundaries are given (``bin_boundaries``) or learned by ``adapt(data)`` as the
    approximate ``num_bins``-quantiles of the data (see the module docstring).

    Args:
        bin_boundaries: a list of ascending floats, or None (then set ``num_bins`` and adapt).
        num_bins: the number of bins ``adapt`` learns (an int ≥ 0); not with bin_boundaries.
        epsilon: the error tolerance of the quantile summary (default 0.01: about 1/ε = 100
            sampled values per batch).
        output_mode: "int" (default: the bin indices, int32), "one_hot", "multi_hot" or
            "count" (vectors of length len(bin_boundaries) + 1, as ``CategoryEncoding``).
        sparse: must be False: glassnet has no sparse tensors.
        dtype: the dtype of the non-"int" outputs (default floatx).
        name: layer name.

    Input shape:
        Numbers of any shape.

    Output shape:
        "int": the input's shape, int32; the others as ``CategoryEncoding``.
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int", sparse=False,
                 dtype=None, name=None, **kwargs):
        super().__init__(name=name, dtype=dtype, **kwargs)
        if sparse:
            raise ValueError("Discretization: sparse=True is not supported: glassnet has no sparse tensors "
                             "(Keras supports it on the TensorFlow backend only); use sparse=False")
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"Discretization: unknown output_mode={output_mode!r}; expected one of "
                             f"{', '.join(repr(m) for m in OUTPUT_MODES)}")
        if num_bins is not None and (not isinstance(num_bins, (int, np.integer)) or num_bins < 0):
            raise ValueError(f"Discretization: num_bins must be an int >= 0, got num_bins={num_bins!r}")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(f"Discretization: set num_bins or bin_boundaries, not both; got num_bins={num_bins!r} "
                             f"and bin_boundaries={bin_boundaries!r}")
        if num_bins is None and bin_boundaries is None:
            raise ValueError("Discretization: set either num_bins (then call adapt) or bin_boundaries")
        if not isinstance(epsilon, (int, float)) or not 0 < epsilon <= 1:
            raise ValueError(f"Discretization: epsilon must be a number in (0, 1], got epsilon={epsilon!r}")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in np.asarray(bin_boundaries, dtype=np.float64).reshape(-1)]
            if any(b > a for b, a in zip(bin_boundaries, bin_boundaries[1:])):
                raise ValueError(f"Discretization: bin_boundaries must be ascending, got {bin_boundaries}")
        self.bin_boundaries = bin_boundaries
        self.num_bins = None if num_bins is None else int(num_bins)
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = False
        self.summary = None if bin_boundaries else np.array([[], []], dtype="float32")

    @property
    def output_dtype(self) -> str:
        return self.dtype if self.output_mode != "int" else "int32"

    # --- adapt -------------------------------------------------------------------------
    def adapt(self, data, steps=None) -> None:
        """Learn ``num_bins − 1`` boundaries from ``data``: a NumPy array or Tensor (one batch), or
        an iterable of batches — a list too, as in Keras: each element is a batch, summarized
        and merged in turn (``steps``: read at most that many)."""
        if self.num_bins is None:
            raise ValueError(f"Discretization {self.name!r}: cannot adapt a layer initialized with bin_boundaries; "
                             f"use num_bins instead")
        self.reset_state()
        if isinstance(data, (np.ndarray, Tensor, float, int)):
            if steps is not None:
                raise ValueError(f"Discretization {self.name!r}: steps applies to an iterable of batches, not to "
                                 f"an array")
            self.update_state(data)
        elif hasattr(data, "__iter__") and not isinstance(data, (str, bytes)):
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch[0] if isinstance(batch, tuple) else batch)
        else:
            raise TypeError(f"Discretization {self.name!r}: adapt() takes a NumPy array, a list or an iterable of "
                            f"batches, got {type(data).__name__}")
        self.finalize_state()

    def update_state(self, data) -> None:
        values = np.asarray(data.data if isinstance(data, Tensor) else data)
        if node_module.is_text(values) or values.dtype.kind not in "biuf":
            raise ValueError(f"Discretization {self.name!r}: adapt() needs numbers, got {values.dtype} values")
        values = values.astype("float32")
        if values.size == 0:
            raise ValueError(f"Discretization {self.name!r}: adapt() got an empty batch")
        self.summary = merge_summaries(summarize(values, self.epsilon), self.summary, self.epsilon)

    def finalize_state(self) -> None:
        if self.num_bins is not None:
            self.bin_boundaries = bin_boundaries_from_summary(self.summary, self.num_bins).tolist()

    def reset_state(self) -> None:
        if self.num_bins is not None:
            self.summary = np.array([[], []], dtype="float32")

    # --- the forward pass ----------------------------------------------------------------
    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(f"Discretization {self.name!r}: pass bin_boundaries at construction or call "
                             f"adapt(data) before using the layer")
        x = inputs.data if isinstance(inputs, Tensor) else np.asarray(inputs)
        if node_module.is_text(x) or x.dtype.kind not in "biuf":
            raise ValueError(f"Discretization {self.name!r}: inputs must be numbers, got {x.dtype} values")
        indices = np.digitize(x, np.asarray(self.bin_boundaries, dtype=x.dtype if x.dtype.kind == "f" else None))
        return Tensor(encode_categorical(indices, self.output_mode, len(self.bin_boundaries) + 1, self.output_dtype))

    def _depth(self):
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs):
        return node_module.SymbolicTensor(self.compute_output_shape(inputs.shape), self.output_dtype)

    def get_config(self) -> dict:
        return {"bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins, "epsilon": self.epsilon,
                "output_mode": self.output_mode, "sparse": False, "name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        # after adapt both are set; the constructor takes one, the boundaries go in afterwards
        boundaries = config.pop("bin_boundaries", None) if config.get("num_bins") is not None else None
        layer = cls(**config)
        if boundaries is not None:
            layer.bin_boundaries = [float(b) for b in boundaries]
        return layer
