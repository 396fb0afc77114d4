"""Multi-layer perceptrons (scikit-learn's and glassnet.sklearn's MLPClassifier / MLPRegressor).

A fitted MLP is a stack of dense layers with the fitted ``coefs_`` (Wₗ, shape (in, out))
and ``intercepts_`` (bₗ): the forward pass of the course,

    a⁰ = x,     aˡ = g(aˡ⁻¹·Wₗ + bₗ)  for the hidden layers,     z = a^{L−1}·W_L + b_L

with g the hidden ``activation`` (identity, logistic σ, tanh or relu), then the output
activation ``out_activation_``:

* identity (regression):      predict = z  (1-D for one target);
* exp (Poisson regression):   predict = e^z;
* softmax (k > 2 classes):    proba = softmax(z), predict = argmax_k proba_k;
* logistic, one unit (2 classes): p = σ(z), proba = [1 − p, p], predict = [p > ½];
* logistic, L units (multi-label): proba = σ(z) (n × L), predict = [σ(z) > ½] (0/1 matrix).

Each layer is one ``ops.linear`` (GEMM + bias) — the same weights give the same numbers
as the estimator's own ``_forward_pass_fast``.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from .base import Operator, argmax, as_index, register_converter

HIDDEN = {"identity": lambda a: a, "logistic": ops.sigmoid, "tanh": ops.tanh, "relu": ops.relu}
OUTPUT = ("identity", "exp", "softmax", "logistic")


class MultilayerPerceptron(Operator):
    """aˡ = g(aˡ⁻¹·Wₗ + bₗ) through the hidden layers, then the output activation (module docstring).

    Args:
        layer_sizes: the widths [n_features, hidden₁, …, n_outputs].
        activation: the hidden activation g: "identity", "logistic", "tanh" or "relu".
        out_activation: "identity", "exp", "softmax" or "logistic".
        classifier: outputs predict/proba (True) or predict (False).
    """

    def __init__(self, layer_sizes, activation="relu", out_activation="identity", classifier=False, **kwargs):
        super().__init__(**kwargs)
        self.layer_sizes = [int(s) for s in layer_sizes]
        if len(self.layer_sizes) < 2:
            raise ValueError(f"MultilayerPerceptron: layer_sizes needs at least 2 widths, got {layer_sizes!r}")
        if activation not in HIDDEN or out_activation not in OUTPUT:
            raise ValueError(f"MultilayerPerceptron: activation must be one of {sorted(HIDDEN)} and out_activation "
                             f"one of {list(OUTPUT)}, got {activation!r} and {out_activation!r}")
        self.activation, self.out_activation, self.classifier = activation, out_activation, bool(classifier)
        self.outputs = ("predict", "proba") if self.classifier else ("predict",)

    def constant_specs(self):
        specs = {}
        for l, (n_in, n_out) in enumerate(zip(self.layer_sizes[:-1], self.layer_sizes[1:])):
            specs[f"kernel_{l}"] = ((n_in, n_out), self.dtype)
            specs[f"bias_{l}"] = ((n_out,), self.dtype)
        return specs

    def input_affine(self):
        """The (kernel, bias) Variables of the first affine map x·W + b (a Pipeline folds a scaler into them)."""
        return self.kernel_0, self.bias_0

    def forward(self, x):
        """The output layer's activation y = out(z)."""
        g, last = HIDDEN[self.activation], len(self.layer_sizes) - 2
        a = x
        for l in range(last + 1):
            hidden_relu = l < last and self.activation == "relu"         # fused into the GEMM's output
            a = ops.linear(a, getattr(self, f"kernel_{l}"), getattr(self, f"bias_{l}"), relu=hidden_relu)
            if l < last and not hidden_relu:
                a = g(a)
        if self.out_activation == "softmax":
            return ops.softmax(a, axis=1)
        if self.out_activation == "logistic":
            return ops.sigmoid(a)
        return ops.exp(a) if self.out_activation == "exp" else a

    def call(self, x, output=None):
        output = self.check_output(output)
        y = self.forward(x)
        n_outputs = self.layer_sizes[-1]
        if not self.classifier:
            return y[:, 0] if n_outputs == 1 else y
        if self.out_activation == "softmax":
            return argmax(y, axis=1) if output == "predict" else y
        if n_outputs == 1:                                  # binary: one logistic unit
            return as_index(y.data[:, 0] > 0.5) if output == "predict" else ops.concatenate([1.0 - y, y], axis=1)
        return as_index(y.data > 0.5) if output == "predict" else y     # multi-label

    def get_config(self):
        return {**super().get_config(), "layer_sizes": self.layer_sizes, "activation": self.activation,
                "out_activation": self.out_activation, "classifier": self.classifier}


@register_converter("MLPClassifier", "MLPRegressor")
def convert_mlp(estimator, context):
    coefs = [np.asarray(W, dtype=np.float64) for W in estimator.coefs_]
    intercepts = [np.asarray(b, dtype=np.float64) for b in estimator.intercepts_]
    name = type(estimator).__name__
    if estimator.activation not in HIDDEN:
        raise ValueError(f"{name}: activation={estimator.activation!r} is not supported; supported: {sorted(HIDDEN)}")
    if estimator.out_activation_ not in OUTPUT:
        raise ValueError(f"{name}: output activation {estimator.out_activation_!r} is not supported")
    sizes = [coefs[0].shape[0]] + [W.shape[1] for W in coefs]
    op = MultilayerPerceptron(sizes, estimator.activation, estimator.out_activation_,
                              classifier=hasattr(estimator, "classes_"), dtype=context.dtype)
    op.build((None, sizes[0]))
    constants = {f"kernel_{l}": W for l, W in enumerate(coefs)}
    constants.update({f"bias_{l}": b for l, b in enumerate(intercepts)})
    return op.set_constants(**constants)
