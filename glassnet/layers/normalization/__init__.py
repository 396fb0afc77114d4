"""Normalization layers: y = γ·(x − μ)/√(σ² + ε) + β over a batch or over each sample."""
from .batch_normalization import BatchNormalization
from .layer_normalization import LayerNormalization

__all__ = ["BatchNormalization", "LayerNormalization"]
