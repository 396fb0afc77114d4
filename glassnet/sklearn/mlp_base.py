"""The shared engine of ``MLPClassifier`` and ``MLPRegressor``: scikit-learn's multi-layer
perceptron semantics on glassnet's autograd (``glassnet.Tensor``, ``glassnet.ops``) and
optimizers (``glassnet.optimizers.Adam`` / ``SGD``).

The objective is scikit-learn's, so results are statistically comparable::

    loss = data_loss(y, out(z)) + (α / 2) · Σ_layers ‖W‖² / Σ sample_weight      (n samples if unweighted)

with data_loss the (sample-weighted) average over the batch of: cross-entropy of softmax
(multiclass), binary cross-entropy summed over the logistic outputs (binary, multi-label),
half the squared error averaged over the outputs (regression) or the half Poisson deviance.
Weights start Glorot-uniform with bound √(f / (fan_in + fan_out)), f = 2 for logistic hidden
units and 6 otherwise, drawn coefficient then intercept per layer from ``random_state``.
Stopping follows scikit-learn: an epoch counts as "no improvement" when the training loss
does not fall below best − tol (or the validation score does not rise above best + tol with
``early_stopping``); after more than ``n_iter_no_change`` such epochs training stops, except
that ``learning_rate="adaptive"`` (sgd) first divides the learning rate by 5 until it is ≤ 1e-6.
"""
from __future__ import annotations

import warnings

import numpy as np
import scipy.optimize
import scipy.sparse as sp
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from .. import ops
from ..optimizers import SGD, Adam
from ..tensor import Function, Tensor, no_grad

ACTIVATIONS = ("identity", "logistic", "tanh", "relu")
SOLVERS = ("lbfgs", "sgd", "adam")
LEARNING_RATES = ("constant", "invscaling", "adaptive")
STOCHASTIC = ("sgd", "adam")


class SparseInputMatMul(Function):
    """X @ W for a SciPy sparse X (data, not differentiated): ∂L/∂W = Xᵀ · ∂L/∂(XW)."""

    def forward(self, W, X=None):
        self.X = X
        return np.asarray(X @ W)

    def backward(self, grad):
        return np.asarray(self.X.T @ grad)


def _first_layer(X, W):
    """X @ W, for a dense array or a SciPy sparse matrix X."""
    return SparseInputMatMul.apply(W, X=X) if sp.issparse(X) else ops.matmul(Tensor(X), W)


def _activate(name, z):
    if name == "identity":
        return z
    if name == "logistic":
        return ops.sigmoid(z)
    if name == "tanh":
        return ops.tanh(z)
    return ops.relu(z)


class BaseMLP(BaseEstimator):
    """The estimator logic common to the classifier and the regressor (not public)."""

    def __init__(self, hidden_layer_sizes, activation, solver, alpha, batch_size, learning_rate,
                 learning_rate_init, power_t, max_iter, loss, shuffle, random_state, tol, verbose,
                 warm_start, momentum, nesterovs_momentum, early_stopping, validation_fraction, beta_1,
                 beta_2, epsilon, n_iter_no_change, max_fun):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.loss = loss
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    # --- validation ----------------------------------------------------------------------
    def _check_params(self):
        name = type(self).__name__

        def bad(param, expected):
            raise ValueError(f"{name}: {param} must be {expected}, got {getattr(self, param)!r}")

        if self.activation not in ACTIVATIONS:
            bad("activation", f"one of {ACTIVATIONS}")
        if self.solver not in SOLVERS:
            bad("solver", f"one of {SOLVERS}")
        if self.learning_rate not in LEARNING_RATES:
            bad("learning_rate", f"one of {LEARNING_RATES}")
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if hasattr(sizes, "__iter__") else [sizes]
        if any(not isinstance(s, (int, np.integer)) or isinstance(s, bool) or s <= 0 for s in sizes):
            raise ValueError(f"{name}: hidden_layer_sizes must be positive integers, got {self.hidden_layer_sizes!r}")
        for param, low in (("alpha", 0), ("learning_rate_init", 0), ("power_t", 0), ("tol", 0), ("epsilon", 0)):
            value = getattr(self, param)
            if not isinstance(value, (int, float, np.number)) or isinstance(value, bool) or not value >= low \
                    or (param in ("learning_rate_init", "epsilon") and value == 0):
                bad(param, f"a number {'>' if param in ('learning_rate_init', 'epsilon') else '>='} {low}")
        for param in ("max_iter", "n_iter_no_change", "max_fun"):
            value = getattr(self, param)
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                bad(param, "an integer >= 1")
        if not (self.batch_size == "auto" or (isinstance(self.batch_size, (int, np.integer))
                                              and not isinstance(self.batch_size, bool) and self.batch_size >= 1)):
            bad("batch_size", "'auto' or an integer >= 1")
        if not 0 <= self.momentum <= 1:
            bad("momentum", "in [0, 1]")
        if not 0 < self.validation_fraction < 1:
            bad("validation_fraction", "in (0, 1)")
        for param in ("beta_1", "beta_2"):
            if not 0 <= getattr(self, param) < 1:
                bad(param, "in [0, 1)")
        return sizes

    # --- the network ---------------------------------------------------------------------
    def _initialize(self, y, layer_units, dtype):
        self.n_iter_ = 0
        self.t_ = 0
        self.n_outputs_ = y.shape[1]
        self.n_layers_ = len(layer_units)
        self.out_activation_ = self._output_activation()
        self.coefs_, self.intercepts_ = [], []
        factor = 2.0 if self.activation == "logistic" else 6.0
        for fan_in, fan_out in zip(layer_units[:-1], layer_units[1:]):
            bound = np.sqrt(factor / (fan_in + fan_out))
            self.coefs_.append(self._random_state.uniform(-bound, bound, (fan_in, fan_out)).astype(dtype))
            self.intercepts_.append(self._random_state.uniform(-bound, bound, fan_out).astype(dtype))
        self._best_coefs = [c.copy() for c in self.coefs_]
        self._best_intercepts = [b.copy() for b in self.intercepts_]
        if self.solver in STOCHASTIC:
            self.loss_curve_ = []
            self._no_improvement_count = 0
            if self.early_stopping:
                self.validation_scores_ = []
                self.best_validation_score_ = -np.inf
                self.best_loss_ = None
            else:
                self.best_loss_ = np.inf
                self.validation_scores_ = None
                self.best_validation_score_ = None

    def _forward(self, X, coefs, intercepts):
        """The output layer's pre-activation z (a Tensor) for X (an array or a sparse matrix)."""
        h = X
        last = len(coefs) - 1
        for i, (W, b) in enumerate(zip(coefs, intercepts)):
            h = (_first_layer(X, W) if i == 0 else ops.matmul(h, W)) + b
            if i < last:
                h = _activate(self.activation, h)
        return h

    def _output(self, z):
        """out(z) as a NumPy array, for prediction."""
        if self.out_activation_ == "softmax":
            return ops.softmax(z).data
        if self.out_activation_ == "logistic":
            return ops.sigmoid(z).data
        if self.out_activation_ == "exp":
            return np.exp(z.data)
        return z.data

    def _data_loss(self, z, y, sw):
        """The sample-weighted average data loss (a Tensor) of pre-activations z against 2-D y."""
        act = self.out_activation_
        if act == "softmax":
            per_sample = ops.softmax_cross_entropy(z, y)
        elif act == "logistic":                       # −[y log σ(z) + (1 − y) log(1 − σ(z))]
            per_sample = ops.sum(ops.softplus(z) - z * y, axis=1)
        elif act == "exp":                            # half Poisson deviance, summed over outputs
            y_log_y = np.where(y > 0, y * np.log(np.where(y > 0, y, 1)), 0)
            per_sample = ops.sum(ops.exp(z) - z * y + (y_log_y - y), axis=1)
        else:                                         # ½ (y − z)², averaged over the outputs
            diff = z - y
            per_sample = ops.mean(diff * diff, axis=1) * 0.5
        if sw is None:
            return ops.mean(per_sample)
        return ops.sum(per_sample * sw) * (1.0 / sw.sum())

    def _loss(self, X, y, sw, tensors, penalty=True):
        """The full objective on a batch (a Tensor), for ``tensors`` = coefs + intercepts.

        ``penalty=False`` leaves the L2 term out of the graph: ``_add_penalty`` then adds its
        value and its gradient (α/n)·W directly, one in-place pass per weight matrix
        instead of a graph node for W², its backward and a second gradient to sum.
        """
        n_layers = len(tensors) // 2
        coefs, intercepts = tensors[:n_layers], tensors[n_layers:]
        z = self._forward(X, coefs, intercepts)
        loss = self._data_loss(z, y, sw)
        if self.alpha and penalty:
            norm = sum(ops.sum(W * W) for W in coefs)
            loss = loss + norm * (0.5 * self.alpha / (X.shape[0] if sw is None else sw.sum()))
        return loss

    def _add_penalty(self, coefs, n) -> float:
        """∂/∂W of (α/2n)·Σ‖W‖² added into each ``W.grad`` (in place); returns the term's value."""
        if not self.alpha:
            return 0.0
        scale = self.alpha / n
        for W in coefs:
            W.grad += scale * W.data       # not BLAS axpy: a level-1 call leaves OpenBLAS's threads stalling
        return 0.5 * scale * sum(float(np.vdot(W.data, W.data)) for W in coefs)

    def _predict_output(self, X):
        with no_grad():
            z = self._forward(X, [Tensor(c) for c in self.coefs_], [Tensor(b) for b in self.intercepts_])
            return self._output(z)

    # --- fitting -------------------------------------------------------------------------
    def _fit(self, X, y, sample_weight=None, incremental=False):
        sizes = self._check_params()
        first_pass = not hasattr(self, "coefs_") or (not self.warm_start and not incremental)
        X, y = self._validate_input(X, y, incremental, reset=first_pass)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        y = y.astype(X.dtype)
        layer_units = [X.shape[1], *sizes, y.shape[1]]
        self._random_state = check_random_state(self.random_state)
        if first_pass:
            self._initialize(y, layer_units, X.dtype)
        elif [c.shape[0] for c in self.coefs_] + [self.coefs_[-1].shape[1]] != layer_units:
            raise ValueError(f"{type(self).__name__}: warm_start/partial_fit with a different architecture: "
                             f"the fitted layers are {[c.shape[0] for c in self.coefs_] + [self.coefs_[-1].shape[1]]},"
                             f" the data and hidden_layer_sizes give {layer_units}")
        self.coefs_ = [np.ascontiguousarray(c, dtype=X.dtype) for c in self.coefs_]
        self.intercepts_ = [np.ascontiguousarray(b, dtype=X.dtype) for b in self.intercepts_]
        if self.solver in STOCHASTIC:
            self._fit_stochastic(X, y, sample_weight, incremental)
        else:
            self._fit_lbfgs(X, y, sample_weight)
        if not all(np.isfinite(w).all() for w in (*self.coefs_, *self.intercepts_)):
            raise ValueError("Solver produced non-finite parameter weights. The input data may contain large values "
                             "and need to be preprocessed.")
        return self

    def _fit_lbfgs(self, X, y, sw):
        shapes = [a.shape for a in (*self.coefs_, *self.intercepts_)]
        sizes = [int(np.prod(s)) for s in shapes]
        splits = np.cumsum(sizes)[:-1]

        def unpack(packed):
            return [p.reshape(s) for p, s in zip(np.split(packed, splits), shapes)]

        def loss_grad(packed):
            tensors = [Tensor(a.astype(X.dtype), requires_grad=True) for a in unpack(packed)]
            loss = self._loss(X, y, sw, tensors)
            loss.backward()
            return float(loss.data), np.concatenate([t.grad.ravel() for t in tensors]).astype(np.float64)

        packed = np.concatenate([a.ravel() for a in (*self.coefs_, *self.intercepts_)]).astype(np.float64)
        iterations = 0

        def report(intermediate_result):        # verbose: one line per L-BFGS iteration, as the stochastic solvers
            nonlocal iterations
            iterations += 1
            print(f"Iteration {iterations}, loss = {intermediate_result.fun:.8f}")

        result = scipy.optimize.minimize(loss_grad, packed, method="L-BFGS-B", jac=True,
                                         callback=report if self.verbose else None,
                                         options={"maxfun": self.max_fun, "maxiter": self.max_iter, "gtol": self.tol})
        if result.status != 0:
            message = result.message.decode("latin1") if isinstance(result.message, bytes) else result.message
            warnings.warn(f"lbfgs failed to converge after {result.nit} iteration(s) (status={result.status}): "
                          f"{message}. Increase the number of iterations (max_iter) or scale the data.",
                          ConvergenceWarning, stacklevel=3)
        self.n_iter_ = min(result.nit, self.max_iter)
        self.loss_ = float(result.fun)
        params = [a.astype(X.dtype) for a in unpack(result.x)]
        n_layers = len(self.coefs_)
        self.coefs_, self.intercepts_ = params[:n_layers], params[n_layers:]

    def _make_optimizer(self):
        if self.solver == "sgd":
            return SGD(learning_rate=self.learning_rate_init, momentum=self.momentum,
                       nesterov=self.nesterovs_momentum and self.momentum > 0)
        return Adam(learning_rate=self.learning_rate_init, beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon)

    def _fit_stochastic(self, X, y, sw, incremental):
        if self.early_stopping and incremental:
            raise ValueError("partial_fit does not support early_stopping=True")
        arrays = [*self.coefs_, *self.intercepts_]
        if not incremental or not hasattr(self, "_optimizer"):
            self._tensors = [Tensor(a, requires_grad=True) for a in arrays]
            self._optimizer = self._make_optimizer()
        else:   # the same Tensors, so the optimizer's slots (moments, velocities) carry on
            for t, a in zip(self._tensors, arrays):
                if t.data is not a:
                    t.data[...] = a                  # coefs_ reassigned by the user since the last call
        tensors = self._tensors
        n_layers = len(self.coefs_)
        self.coefs_, self.intercepts_ = [t.data for t in tensors[:n_layers]], [t.data for t in tensors[n_layers:]]

        X_val = y_val = sw_val = None
        if self.early_stopping:
            stratify = y if is_classifier(self) and y.shape[1] == 1 else None     # binary only, as scikit-learn
            parts = train_test_split(X, y, *([] if sw is None else [sw]), random_state=self._random_state,
                                     test_size=self.validation_fraction, stratify=stratify)
            X, X_val, y, y_val = parts[:4]
            if sw is not None:
                sw, sw_val = parts[4:]
            if X_val.shape[0] < 2:
                raise ValueError("The validation set is too small. Increase 'validation_fraction' or the size of "
                                 "your dataset.")
            y_val = self._decode(y_val)
        n_samples = X.shape[0]
        if self.batch_size == "auto":
            batch_size = min(200, n_samples)
        else:
            if self.batch_size > n_samples:
                warnings.warn("Got `batch_size` less than 1 or larger than sample size. It is going to be clipped")
            batch_size = int(np.clip(self.batch_size, 1, n_samples))
        sample_idx = np.arange(n_samples)
        self.n_iter_ = 0
        for _ in range(self.max_iter):
            if self.shuffle:
                sample_idx = self._random_state.permutation(sample_idx)
            total = 0.0
            for batch in gen_batches(n_samples, batch_size):
                idx = sample_idx[batch]
                loss = self._loss(X[idx], y[idx], None if sw is None else sw[idx], tensors, penalty=False)
                loss.backward()
                penalty = self._add_penalty(tensors[:n_layers], len(idx) if sw is None else sw[idx].sum())
                self._optimizer.apply([t.grad for t in tensors], tensors)
                for t in tensors:
                    t.grad = None
                total += (float(loss.data) + penalty) * len(idx)
            self.n_iter_ += 1
            self.loss_ = total / n_samples
            self.t_ += n_samples
            self.loss_curve_.append(self.loss_)
            if self.verbose:
                print(f"Iteration {self.n_iter_}, loss = {self.loss_:.8f}")
            self._update_no_improvement_count(X_val, y_val, sw_val)
            if self.solver == "sgd" and self.learning_rate == "invscaling":
                self._optimizer.learning_rate = self.learning_rate_init / (self.t_ + 1) ** self.power_t
            if self._no_improvement_count > self.n_iter_no_change:
                what = "Validation score" if self.early_stopping else "Training loss"
                msg = (f"{what} did not improve more than tol={self.tol:f} for {self.n_iter_no_change} "
                       "consecutive epochs.")
                lr = self._optimizer.learning_rate
                if self.solver == "sgd" and self.learning_rate == "adaptive" and lr > 1e-6:
                    self._optimizer.learning_rate = lr / 5.0
                    if self.verbose:
                        print(msg + f" Setting learning rate to {lr / 5.0:f}")
                    self._no_improvement_count = 0
                else:
                    if self.verbose:
                        print(msg + " Stopping.")
                    break
            if incremental:
                break
            if self.n_iter_ == self.max_iter:
                warnings.warn(f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) reached and the "
                              "optimization hasn't converged yet.", ConvergenceWarning, stacklevel=3)
        if self.early_stopping:
            self.coefs_, self.intercepts_ = self._best_coefs, self._best_intercepts

    def _update_no_improvement_count(self, X_val, y_val, sw_val):
        if self.early_stopping:
            y_pred = self._predict_decoded(X_val)
            if np.issubdtype(np.asarray(y_pred).dtype, np.floating) and not np.isfinite(y_pred).all():
                score = np.nan
            else:
                score = self._score_function(y_val, y_pred, sample_weight=sw_val)
            self.validation_scores_.append(score)
            if self.verbose:
                print(f"Validation score: {score:f}")
            if score < self.best_validation_score_ + self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_coefs = [c.copy() for c in self.coefs_]
                self._best_intercepts = [b.copy() for b in self.intercepts_]
        else:
            if self.loss_curve_[-1] > self.best_loss_ - self.tol:
                self._no_improvement_count += 1
            else:
                self._no_improvement_count = 0
            self.best_loss_ = min(self.best_loss_, self.loss_curve_[-1])

    def _check_stochastic(self):
        if self.solver not in STOCHASTIC:
            raise AttributeError(f"partial_fit is only available for stochastic optimizers. {self.solver} is not "
                                 "stochastic.")
        return True

    def _validated_X(self, X):
        check_is_fitted(self)
        return validate_data(self, X, reset=False,
                             accept_sparse=["csr", "csc"], dtype=(np.float64, np.float32))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_optimizer", None)      # training state: partial_fit after unpickling starts a new optimizer
        state.pop("_tensors", None)
        return state
