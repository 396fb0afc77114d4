"""glassnet.convert: fitted scikit-learn models compiled into glassnet tensor graphs.

    model = glassnet.convert.from_sklearn(fitted_estimator)      # a glassnet Model
    model.predict(X)            # == fitted_estimator.predict(X)  (labels, exactly)
    model.predict_proba(X)      # == ...predict_proba(X)           (to ~1e-12 in float64)
    model.save("m.glassnet"); glassnet.models.load_model("m.glassnet")

The idea is Hummingbird's (Nakandala et al., OSDI 2020): a trained "traditional" model is
a fixed function of X whose numbers can be put into tensors — a scaler is one subtraction
and one division, a linear model one matrix product, an SVM a kernel matrix (one GEMM)
and a weighted sum, a tree ensemble a few GEMMs or gathers (see ``trees``). Written with
glassnet ops, the whole model runs batched, on the GPU backend too.

Modules (each one family of estimators, with its formulas in the docstring):

=================  ==================================================================
base.py            Operator (a layer of constants), the converter registry, Context,
                   ConvertedModel, from_sklearn
linear.py          linear regressors and classifiers (s = x·W + b, then the link)
svm.py             kernel SVMs (SVC, SVR, NuSVC, NuSVR): kernels, one-vs-one voting
preprocessing.py   scalers, Normalizer, PolynomialFeatures, OneHotEncoder,
                   SimpleImputer, PCA, TruncatedSVD
composition.py     Pipeline, ColumnTransformer, FeatureUnion
neural.py          MLPClassifier / MLPRegressor (sklearn's and glassnet.sklearn's)
trees/             decision trees and ensembles: GEMM, tree traversal, perfect trees
=================  ==================================================================

``supported_estimators()`` lists the class names converted. scikit-learn is never imported
by ``import glassnet.convert`` — only when a converter runs.
"""
from __future__ import annotations

from .base import (Context, ConvertedModel, Operator, from_sklearn, register_converter,  # noqa: F401
                   supported_estimators)
from . import composition, linear, neural, preprocessing, svm, trees  # noqa: F401,E402  (register converters)

__all__ = ["Context", "ConvertedModel", "Operator", "from_sklearn", "register_converter", "supported_estimators"]
