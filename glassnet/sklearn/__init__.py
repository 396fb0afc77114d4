"""scikit-learn estimators built on glassnet: ``MLPClassifier`` and ``MLPRegressor`` (same
parameters, attributes and contract as ``sklearn.neural_network``'s), and ``KerasClassifier``
/ ``KerasRegressor`` / ``KerasTransformer`` (any compiled glassnet model as an estimator; Keras 3's
names ``SKLearnClassifier`` / ``SKLearnRegressor`` / ``SKLearnTransformer`` too)."""
from .mlp import MLPClassifier, MLPRegressor
from .wrappers import (KerasClassifier, KerasRegressor, KerasTransformer, SKLearnClassifier, SKLearnRegressor,
                       SKLearnTransformer)

__all__ = ["MLPClassifier", "MLPRegressor", "KerasClassifier", "KerasRegressor", "SKLearnClassifier",
           "SKLearnRegressor", "KerasTransformer", "SKLearnTransformer"]
