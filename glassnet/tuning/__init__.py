"""Hyperparameter tuning on Optuna: ``Tuner`` runs the search, ``HyperParameters`` is the
``hp`` a build function draws from. Optuna is imported when a ``Tuner`` is made, so this
package imports without it; a Tuner then raises ImportError ("pip install glassnet[tuning]").
"""
from .hyperparameters import HyperParameters
from .tuner import Tuner

__all__ = ["Tuner", "HyperParameters"]
