"""scikit-learn estimators built on glassnet: ``MLPClassifier`` and ``MLPRegressor`` (same
parameters, attributes and contract as ``sklearn.neural_network``'s)."""
from .mlp import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor"]
