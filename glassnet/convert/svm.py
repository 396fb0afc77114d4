"""Kernel support vector machines (SVC, NuSVC, SVR, NuSVR) as a kernel matrix and GEMMs.

A fitted SVM keeps its support vectors s₁ … s_m and, per decision, dual coefficients αᵢ
and an intercept b:

    f(x) = Σᵢ αᵢ K(x, sᵢ) + b

with libsvm's kernels (γ = the fitted ``_gamma``, r = ``coef0``, d = ``degree``)::

    linear    K(x, s) = x·s
    poly      K(x, s) = (γ x·s + r)^d
    rbf       K(x, s) = exp(−γ ‖x − s‖²)
    sigmoid   K(x, s) = tanh(γ x·s + r)

For a batch X (n × f) and the support vectors S (m × f) every kernel starts from the one
GEMM G = X·Sᵀ (n × m); the RBF distance is then ‖x − s‖² = ‖x‖² − 2 x·s + ‖s‖², i.e.
``rowsum(X²) − 2G + rowsum(S²)`` broadcast — no (n × m × f) difference tensor.

Regression (SVR, NuSVR): ``predict`` = f(x) = K·α + b.

Classification with k classes trains one classifier per pair of classes (one-vs-one,
P = k(k−1)/2 pairs (i, j), i < j, in that order). libsvm stores the coefficients of a
support vector of class c in the rows of ``dual_coef_`` for the other classes; arranged
as an (m × P) matrix A (zero where a support vector takes no part in a pair), all
pairwise decisions are one more GEMM:

    D = K·A + b        (n × P): D_p > 0 votes for i, otherwise for j

* ``predict`` (libsvm's rule): votes_c = number of pairs won by c; the class with the
  most votes, the first such on ties. With one-hot matrices Vᵢ, Vⱼ (P × k) of each
  pair's classes: votes = [D > 0]·Vᵢ + [D ≤ 0]·Vⱼ — two small GEMMs, then argmax.
  (``break_ties=True``: argmax of the "ovr" decision below.)
* ``decision_function_shape="ovo"``: D itself.
* ``decision_function_shape="ovr"`` (scikit-learn's ``_ovr_decision_function``): votes
  (counting D = 0 for i) plus the confidences squashed into (−⅓, ⅓) so they only break
  ties: c = D·(Vᵢ − Vⱼ), ovr = votes + c / (3(|c| + 1)).
* Two classes: scikit-learn reports −D (positive means ``classes_[1]``), shape (n,).

``predict_proba`` of ``SVC(probability=True)`` follows libsvm step by step:

1. Platt scaling per pair, with the fitted ``probA_``, ``probB_``:
   r_ij = 1 / (1 + e^(A_p·D_p + B_p)), clipped to [10⁻⁷, 1 − 10⁻⁷]; r_ji = 1 − r_ij.
2. Pairwise coupling (Wu, Lin & Weng 2004, method 2): find p on the simplex minimising
   Σ_{i≠j} (r_ji p_i − r_ij p_j)², i.e. p with Q·p = (pᵀQp)·1 for
   Q_tt = Σ_{j≠t} r_jt², Q_tj = −r_jt r_tj. libsvm iterates from p = 1/k, updating one
   class at a time (p_t += (pᵀQp − (Qp)_t)/Q_tt, then renormalising) until
   max_t |(Qp)_t − pᵀQp| < 0.005/k, at most max(100, k) sweeps — and stops early, so the
   result is *not* the exact minimiser. The operator runs the same sweeps on the whole
   batch at once, each sample freezing when it meets the stopping rule, which gives
   libsvm's numbers (to rounding) rather than an idealised version of them.
   scikit-learn's libsvm couples two classes this way too.
"""
from __future__ import annotations

import numpy as np

from .. import ops
from ..backend import xp
from .base import Operator, argmax, as_index, register_converter, wrap

KERNELS = ("linear", "poly", "rbf", "sigmoid")


class KernelMachine(Operator):
    """D = K(X, S)·A + b, then regression (predict = D) or one-vs-one voting (see the module docstring).

    Args:
        n_features: the number of input columns f.
        n_support: the number of support vectors m.
        n_classes: k for a classifier, 0 for a regressor.
        kernel, gamma, degree, coef0: the kernel (libsvm's names and values).
        decision_shape: "ovr" or "ovo" (a classifier's decision_function with k > 2).
        break_ties: predict = argmax of the "ovr" decision instead of libsvm's vote.
        probability: a classifier has ``predict_proba`` (constants ``prob_a``, ``prob_b``).
    """

    def __init__(self, n_features, n_support, n_classes=0, kernel="rbf", gamma=1.0, degree=3, coef0=0.0,
                 decision_shape="ovr", break_ties=False, probability=False, **kwargs):
        super().__init__(**kwargs)
        if kernel not in KERNELS:
            raise ValueError(f"KernelMachine: kernel must be one of {KERNELS}, got {kernel!r}")
        if decision_shape not in ("ovr", "ovo"):
            raise ValueError(f"KernelMachine: decision_shape must be 'ovr' or 'ovo', got {decision_shape!r}")
        self.n_features, self.n_support, self.n_classes = int(n_features), int(n_support), int(n_classes)
        self.kernel, self.gamma, self.degree, self.coef0 = kernel, float(gamma), int(degree), float(coef0)
        self.decision_shape, self.break_ties = decision_shape, bool(break_ties)
        self.probability = bool(probability) and self.n_classes > 0
        self.outputs = ("predict", "decision") + (("proba",) if self.probability else ()) if self.n_classes \
            else ("predict",)

    @property
    def n_pairs(self) -> int:
        k = self.n_classes
        return k * (k - 1) // 2 if k else 1

    def constant_specs(self):
        m, P, k = self.n_support, self.n_pairs, max(self.n_classes, 1)
        specs = {"support_t": ((self.n_features, m), self.dtype), "support_sq": ((m,), self.dtype),
                 "coefficients": ((m, P), self.dtype), "intercept": ((P,), self.dtype),
                 "votes_i": ((P, k), self.dtype), "votes_j": ((P, k), self.dtype)}
        if self.probability:
            specs.update(prob_a=((P,), self.dtype), prob_b=((P,), self.dtype))
        return specs

    def kernel_matrix(self, x):
        """K (n × m): one GEMM G = X·Sᵀ, then the kernel's formula applied to G in place
        (K is the largest array of the model: no temporaries of its size are made)."""
        K = ops.matmul(x, self.support_t).data                   # G, a fresh array
        gamma, r = self.gamma, self.coef0
        if self.kernel == "poly":                                # (γG + r)^d
            K *= gamma
            K += r
            xp.power(K, self.degree, out=K)
        elif self.kernel == "sigmoid":                           # tanh(γG + r)
            K *= gamma
            K += r
            xp.tanh(K, out=K)
        elif self.kernel == "rbf":                               # exp(−γ(‖x‖² − 2G + ‖s‖²))
            K *= 2.0 * gamma
            K -= gamma * (x.data * x.data).sum(axis=1, keepdims=True)
            K -= gamma * self.support_sq.data
            xp.minimum(K, 0.0, out=K)                            # ‖x − s‖² ≥ 0 despite rounding
            xp.exp(K, out=K)
        return wrap(K)

    def call(self, x, output=None):
        output = self.check_output(output)
        D = ops.linear(self.kernel_matrix(x), self.coefficients, self.intercept)
        if not self.n_classes:
            return D[:, 0]
        if output == "proba":
            return wrap(self.coupled_probabilities(D.data))
        if self.n_classes == 2:
            if output == "decision":
                return -D[:, 0]
            return as_index(D.data[:, 0] <= 0)          # D > 0 votes for classes_[0]
        if output == "decision":
            return D if self.decision_shape == "ovo" else self.ovr_decision(D)
        if self.break_ties:
            return argmax(self.ovr_decision(D), axis=1)
        wins = wrap((D.data > 0).astype(D.dtype))
        votes = ops.matmul(wins, self.votes_i) + ops.matmul(1.0 - wins, self.votes_j)
        return argmax(votes, axis=1)

    def ovr_decision(self, D):
        """votes + c / (3(|c| + 1)) with c = D·(Vᵢ − Vⱼ) (scikit-learn's ``_ovr_decision_function``)."""
        wins = wrap((D.data >= 0).astype(D.dtype))
        votes = ops.matmul(wins, self.votes_i) + ops.matmul(1.0 - wins, self.votes_j)
        confidence = ops.matmul(D, self.votes_i - self.votes_j)
        return votes + confidence / (3.0 * (ops.abs(confidence) + 1.0))

    def coupled_probabilities(self, D):
        """libsvm's ``svm_predict_probability`` for the pairwise decisions D (n × P), batched."""
        k = self.n_classes
        f = D * self.prob_a.data + self.prob_b.data                     # Platt: r = 1 / (1 + e^f)
        e = xp.exp(-xp.abs(f))
        r_pair = xp.clip(xp.where(f >= 0, e / (1.0 + e), 1.0 / (1.0 + e)), 1e-7, 1 - 1e-7)
        r = xp.zeros((D.shape[0], k, k), dtype=D.dtype)                 # r[:, i, j]: P(i | i or j)
        for p, (i, j) in enumerate((i, j) for i in range(k) for j in range(i + 1, k)):
            r[:, i, j], r[:, j, i] = r_pair[:, p], 1.0 - r_pair[:, p]
        Q = -r.transpose(0, 2, 1) * r                                   # Q_tj = −r_jt r_tj
        diagonal = xp.arange(k)
        Q[:, diagonal, diagonal] = (r * r).sum(axis=1)                    # Σ_{j≠t} r_jt² (r_tt = 0)
        p = xp.full((D.shape[0], k), 1.0 / k, dtype=D.dtype)
        active = xp.ones(D.shape[0], dtype=bool)
        for _ in range(max(100, k)):
            Qp = xp.einsum("ntj,nj->nt", Q, p)
            pQp = (p * Qp).sum(axis=1)
            active &= xp.abs(Qp - pQp[:, None]).max(axis=1) >= 0.005 / k
            if not active.any():
                break
            Qa, pa, Qpa, pQpa = Q[active], p[active], Qp[active], pQp[active]
            for t in range(k):
                Qtt = Qa[:, t, t]
                diff = (-Qpa[:, t] + pQpa) / Qtt
                pa[:, t] += diff
                pQpa = (pQpa + diff * (diff * Qtt + 2 * Qpa[:, t])) / (1 + diff) / (1 + diff)
                Qpa = (Qpa + diff[:, None] * Qa[:, t, :]) / (1 + diff[:, None])
                pa = pa / (1 + diff[:, None])
            p[active] = pa
        return p

    def get_config(self):
        return {**super().get_config(), "n_features": self.n_features, "n_support": self.n_support,
                "n_classes": self.n_classes, "kernel": self.kernel, "gamma": self.gamma, "degree": self.degree,
                "coef0": self.coef0, "decision_shape": self.decision_shape, "break_ties": self.break_ties,
                "probability": self.probability}


def _check_kernel(estimator):
    name = type(estimator).__name__
    if not isinstance(estimator.kernel, str) or estimator.kernel not in KERNELS:
        raise ValueError(f"{name}: kernel={estimator.kernel!r} is not supported; supported kernels: {list(KERNELS)}")
    if estimator.support_vectors_.shape[0] and hasattr(estimator.support_vectors_, "toarray"):
        raise ValueError(f"{name}: a model fitted on sparse input is not supported")


def _machine(estimator, context, n_classes, A, b, decision_shape="ovr", break_ties=False, probability=False):
    S = np.asarray(estimator.support_vectors_, dtype=np.float64)
    k = max(n_classes, 1)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)] or [(0, 0)]
    votes_i, votes_j = np.zeros((len(pairs), k)), np.zeros((len(pairs), k))
    for p, (i, j) in enumerate(pairs):
        votes_i[p, i], votes_j[p, j] = 1.0, 1.0
    op = KernelMachine(S.shape[1], S.shape[0], n_classes, estimator.kernel, estimator._gamma, estimator.degree,
                       estimator.coef0, decision_shape, break_ties, probability, dtype=context.dtype)
    op.build((None, S.shape[1]))
    op.set_constants(support_t=S.T, support_sq=(S * S).sum(axis=1), coefficients=A, intercept=b,
                     votes_i=votes_i, votes_j=votes_j)
    if op.probability:
        op.set_constants(prob_a=estimator._probA, prob_b=estimator._probB)
    return op


@register_converter("SVC", "NuSVC")
def convert_svc(estimator, context):
    _check_kernel(estimator)
    dual = np.asarray(estimator._dual_coef_, dtype=np.float64)       # libsvm's own (unflipped) coefficients
    n_support = np.asarray(estimator.n_support_)
    starts = np.concatenate([[0], np.cumsum(n_support)])
    k = len(estimator.classes_)
    pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
    A = np.zeros((dual.shape[1], len(pairs)))
    for p, (i, j) in enumerate(pairs):
        A[starts[i]:starts[i + 1], p] = dual[j - 1, starts[i]:starts[i + 1]]
        A[starts[j]:starts[j + 1], p] = dual[i, starts[j]:starts[j + 1]]
    probability = estimator.probability is True and len(getattr(estimator, "_probA", ())) == len(pairs)
    return _machine(estimator, context, k, A, np.asarray(estimator._intercept_, dtype=np.float64),
                    estimator.decision_function_shape, bool(estimator.break_ties), probability)


@register_converter("SVR", "NuSVR")
def convert_svr(estimator, context):
    _check_kernel(estimator)
    A = np.asarray(estimator._dual_coef_, dtype=np.float64).T          # (m, 1)
    return _machine(estimator, context, 0, A, np.asarray(estimator._intercept_, dtype=np.float64))
