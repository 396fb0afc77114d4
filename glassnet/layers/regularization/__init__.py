"""Regularization layers: noise and penalties active in training only."""
from .activity_regularization import ActivityRegularization
from .dropout import Dropout
from .noise import GaussianNoise

__all__ = ["Dropout", "GaussianNoise", "ActivityRegularization"]
