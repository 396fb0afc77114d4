"""``keras.preprocessing.sequence``: ``pad_sequences`` (glassnet.utils's)."""
from ..utils import pad_sequences

__all__ = ["pad_sequences"]
