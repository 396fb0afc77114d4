"""Reshaping layers: the same numbers in another shape."""
from .reshaping import Flatten, Permute, RepeatVector, Reshape

__all__ = ["Flatten", "Reshape", "Permute", "RepeatVector"]
