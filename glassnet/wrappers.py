"""Keras 3's ``keras.wrappers``: a compiled glassnet model as a scikit-learn classifier,
regressor or transformer. The classes live in ``glassnet.sklearn.wrappers`` (needs
scikit-learn); this module gives them Keras's names and place."""
from .sklearn.wrappers import SKLearnClassifier, SKLearnRegressor, SKLearnTransformer

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]
