"""Preprocessing layers: text vectorization (and, for images, augmentation and rescaling)."""
from .text_vectorization import TextVectorization

__all__ = ["TextVectorization"]
