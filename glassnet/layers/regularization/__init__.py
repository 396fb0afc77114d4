"""Regularization layers: noise and penalties active in training only."""
from .activity_regularization import ActivityRegularization
from .dropout import Dropout
from .noise import GaussianNoise
from .spatial_dropout import SpatialDropout1D, SpatialDropout2D

__all__ = ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "GaussianNoise", "ActivityRegularization"]
