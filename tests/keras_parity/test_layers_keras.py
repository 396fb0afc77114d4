"""Layers, activations and initializers against Keras 3 itself (skipped without keras).

Each glassnet layer and its Keras twin are built for the same input shape; the Keras
layer gets the glassnet weights with ``set_weights(get_weights())`` (which also proves
the weights have Keras's shapes and order); then the outputs, the gradients w.r.t. the
inputs and the gradients w.r.t. the weights must agree in float64. Keras runs on its
PyTorch backend, so its gradients come from torch autograd through Keras's own code.

Keras's dtype promotion turns float64 results into float32 on every backend but
TensorFlow (``BIT64_TO_BIT32_DTYPE`` in keras/src/backend/common/dtypes.py, to copy JAX's
default), so a float64 Dense would compute its matmul in float32 there. The ``keras_float64``
fixture switches that off for the duration of a test, so the comparisons can be tight.
"""
import inspect

import numpy as np
import pytest

import glassnet as gn
from glassnet import activations as gact
from glassnet import initializers as ginit
from glassnet import layers as G

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)   # tiny tensors: one thread is ~10x faster than several contending on 2 cores

K = keras.layers
RTOL, ATOL = 1e-9, 1e-12


pytestmark = pytest.mark.usefixtures("keras_float64")   # conftest.py: both sides in float64


def _rng(seed=0):
    return np.random.default_rng(seed)


def _as_input(values):
    return values if len(values) > 1 else values[0]


def _glassnet_pass(layer, inputs, upstream, training):
    """Output, ∂L/∂inputs, ∂L/∂weights for L = Σ y ⊙ upstream."""
    tensors = [gn.Tensor(x.copy(), requires_grad=True) for x in inputs]
    y = layer(_as_input(tensors), training=training)
    (y * gn.Tensor(upstream)).sum().backward()
    return y.numpy(), [t.grad for t in tensors], [w.grad for w in layer.trainable_weights]


def _keras_pass(layer, inputs, upstream, training):
    tensors = [torch.tensor(x.copy(), requires_grad=True) for x in inputs]
    y = layer(_as_input(tensors), training=training)
    (y * torch.tensor(upstream)).sum().backward()
    return (y.detach().numpy(), [t.grad.numpy() for t in tensors],
            [w.value.grad.numpy() for w in layer.trainable_weights])


def build_twins(g_layer, k_layer, shapes):
    """Build both for ``shapes``; copy glassnet's weights into Keras (same shapes, same order)."""
    shape = _as_input([tuple(s) for s in shapes])
    g_layer.build(shape)
    k_layer.build(shape)
    assert [w.shape for w in g_layer.get_weights()] == [tuple(w.shape) for w in k_layer.get_weights()]
    assert [w.name for w in g_layer.weights] == [w.name for w in k_layer.weights]
    k_layer.set_weights(g_layer.get_weights())


def assert_same_pass(g_layer, k_layer, inputs, training=False, grad_rtol=RTOL):
    """One forward and backward through each; the outputs and all gradients agree."""
    output_shape = k_layer.compute_output_shape(_as_input([x.shape for x in inputs]))
    upstream = _rng(99).standard_normal(output_shape)
    y_g, dx_g, dw_g = _glassnet_pass(g_layer, inputs, upstream, training)
    y_k, dx_k, dw_k = _keras_pass(k_layer, inputs, upstream, training)
    np.testing.assert_allclose(y_g, y_k, rtol=RTOL, atol=ATOL)
    for a, b in zip(dx_g, dx_k):
        np.testing.assert_allclose(a, b, rtol=grad_rtol, atol=ATOL)
    assert len(dw_g) == len(dw_k)
    for a, b in zip(dw_g, dw_k):
        np.testing.assert_allclose(a, b, rtol=grad_rtol, atol=ATOL)
    return y_g


def assert_twins(g_layer, k_layer, inputs, training=False, grad_rtol=RTOL):
    build_twins(g_layer, k_layer, [x.shape for x in inputs])
    return assert_same_pass(g_layer, k_layer, inputs, training, grad_rtol)


# --- activations ---------------------------------------------------------------------------
ACTIVATIONS = [name for name in gact.__all__ if name not in ("get", "serialize", "deserialize")
               and callable(getattr(gact, name))]
# Keras 3.15's sparsemax does not project onto the simplex (its τ sums the running sums instead of
# taking the k-th one, so rows need not sum to 1): glassnet's is checked by hand in tests/test_activations.py
# and against the textbook algorithm in tests/ops/keras_api/cases.py.
KERAS_WRONG = {"sparsemax"}
KERAS_ACTIVATIONS = [name for name in ACTIVATIONS if hasattr(keras.activations, name) and name not in KERAS_WRONG]
# arguments tried besides the defaults (Keras's spellings)
ACTIVATION_ARGUMENTS = {
    "relu": [{"negative_slope": 0.1}, {"max_value": 4.0}, {"threshold": 0.5},
             {"negative_slope": 0.1, "max_value": 4.0, "threshold": 0.5}],
    "leaky_relu": [{"negative_slope": 0.01}],
    "elu": [{"alpha": 0.5}],
    "gelu": [{"approximate": True}],
    "celu": [{"alpha": 0.5}],
    "hard_shrink": [{"threshold": 1.5}],
    "soft_shrink": [{"threshold": 1.5}],
    "squareplus": [{"b": 0.5}],
    "glu": [{"axis": 0}],
    "sparsemax": [{"axis": 0}],
}
# required arguments (Keras's threshold has no defaults for them)
REQUIRED_ARGUMENTS = {"threshold": {"threshold": 0.5, "default_value": -3.0}}
# a grid with the kinks (0, ±3, 6, the thresholds) and large |x|
GRID = np.concatenate([np.linspace(-7, 7, 281), [0.0, 1e-9, -1e-9, 0.5, 3.0, -3.0, 6.0, 4.0],
                       [-1000.0, -100.0, -40.0, -20.0, 20.0, 40.0, 100.0, 1000.0]])


def test_glassnet_activations_missing_from_keras_are_the_documented_extras():
    # binary_step (the perceptron's step) and crelu are glassnet's additions
    assert sorted(set(ACTIVATIONS) - set(KERAS_ACTIVATIONS) - KERAS_WRONG) == ["binary_step", "crelu"]


@pytest.mark.parametrize("name", KERAS_ACTIVATIONS)
def test_activation_arguments_and_defaults_equal_keras(name):
    ours = inspect.signature(getattr(gact, name)).parameters
    theirs = inspect.signature(getattr(keras.activations, name)).parameters
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


@pytest.mark.parametrize("name, arguments", [(n, a) for n in KERAS_ACTIVATIONS
                                             for a in [{}] + ACTIVATION_ARGUMENTS.get(n, [])])
def test_activation_values_and_derivatives(name, arguments):
    x = GRID if name != "exponential" else GRID[GRID < 80]   # e^1000 overflows in both
    arguments = {**REQUIRED_ARGUMENTS.get(name, {}), **arguments}
    if name in ("softmax", "log_softmax", "sparsemax"):
        x = x[: x.size // 7 * 7].reshape(-1, 7)   # rows of 7 scores
    if name == "glu":
        x = x[: x.size // 8 * 8].reshape(-1, 8)   # halves of 4 along the last axis
        x = x[: x.shape[0] // 2 * 2]              # and an even number of rows, for axis=0
    g = gn.Tensor(x.copy(), requires_grad=True)
    y_g = getattr(gact, name)(g, **arguments)
    t = torch.tensor(x.copy(), requires_grad=True)
    y_k = getattr(keras.activations, name)(t, **arguments)
    np.testing.assert_allclose(y_g.numpy(), y_k.detach().numpy(), rtol=1e-12, atol=1e-15)
    upstream = _rng(1).standard_normal(y_g.shape)
    (y_g * gn.Tensor(upstream)).sum().backward()
    (y_k * torch.tensor(upstream)).sum().backward()
    # torch's hardsigmoid backward multiplies by a float32 1/6 (≈ 5e-9 relative off)
    rtol = 1e-7 if name == "hard_sigmoid" else 1e-10
    np.testing.assert_allclose(g.grad, t.grad.numpy(), rtol=rtol, atol=1e-14)


# --- layers: outputs and gradients ------------------------------------------------------------
def _x(*shape, seed=0, scale=2.0, shift=0.0):
    return _rng(seed).standard_normal(shape) * scale + shift


# threshold needs arguments; glu halves the units, which Keras's Dense.compute_output_shape (used by
# the harness for the upstream gradient) does not know
@pytest.mark.parametrize("activation", [n for n in KERAS_ACTIVATIONS if n not in REQUIRED_ARGUMENTS and n != "glu"])
def test_dense_with_every_activation(activation):
    grad_rtol = 1e-7 if activation == "hard_sigmoid" else RTOL   # torch's float32 1/6, see above
    assert_twins(G.Dense(3, activation=activation), K.Dense(3, activation=activation), [_x(5, 4)],
                 grad_rtol=grad_rtol)


def test_dense_on_3d_input_and_without_bias():
    assert_twins(G.Dense(3), K.Dense(3), [_x(5, 2, 4)])
    assert_twins(G.Dense(3, use_bias=False), K.Dense(3, use_bias=False), [_x(5, 2, 4)])


ELEMENTWISE = [
    ("Activation(tanh)", lambda L: L.Activation("tanh")),
    ("Activation(softmax)", lambda L: L.Activation("softmax")),
    ("ReLU()", lambda L: L.ReLU()),
    ("ReLU(negative_slope)", lambda L: L.ReLU(negative_slope=0.2)),
    ("ReLU(max_value)", lambda L: L.ReLU(max_value=1.0)),
    ("ReLU(threshold)", lambda L: L.ReLU(threshold=0.3)),
    ("ReLU(all three)", lambda L: L.ReLU(negative_slope=0.1, max_value=1.5, threshold=0.3)),
    ("LeakyReLU()", lambda L: L.LeakyReLU()),
    ("LeakyReLU(0.05)", lambda L: L.LeakyReLU(negative_slope=0.05)),
    ("ELU()", lambda L: L.ELU()),
    ("ELU(0.5)", lambda L: L.ELU(alpha=0.5)),
    ("Softmax(-1)", lambda L: L.Softmax()),
    ("Softmax(1)", lambda L: L.Softmax(axis=1)),
    ("Softmax(2)", lambda L: L.Softmax(axis=2)),
    ("Dropout (inference)", lambda L: L.Dropout(0.5)),
    ("GaussianNoise (inference)", lambda L: L.GaussianNoise(0.5)),
    ("Flatten", lambda L: L.Flatten()),
    ("Reshape(-1)", lambda L: L.Reshape((-1,))),
    ("Reshape(5, -1)", lambda L: L.Reshape((5, -1))),
    ("Permute(3, 1, 2)", lambda L: L.Permute((3, 1, 2))),
]


@pytest.mark.parametrize("make", [m for _, m in ELEMENTWISE], ids=[i for i, _ in ELEMENTWISE])
def test_weightless_layers(make):
    x = _x(4, 3, 2, 5)
    x.flat[:4] = [0.0, 0.3, 1.5, 1.0]   # the kinks of the ReLU variants
    assert_twins(make(G), make(K), [x])


@pytest.mark.parametrize("mask", [
    np.array([[True, False, True, True, False]] * 4),          # bool, one per entry
    np.array([[0.9, 0.3, 0.6, 1.0, 0.0]]),                      # numbers: kept where > 0.5; broadcast
    np.array([[True] * 5, [False] * 5, [True] * 5, [False, True, False, False, False]]),   # a fully masked row
])
def test_softmax_with_mask(mask):
    x = _x(4, 5)
    y_g, y_k = G.Softmax()(x, mask=mask), K.Softmax()(torch.tensor(x), mask=torch.tensor(mask))
    np.testing.assert_allclose(y_g.numpy(), y_k.numpy(), rtol=RTOL, atol=1e-300)


def test_repeat_vector():
    assert_twins(G.RepeatVector(3), K.RepeatVector(3), [_x(5, 4)])


@pytest.mark.parametrize("shared_axes", [None, [1], [1, 2], 2, [3]])
def test_prelu_with_shared_axes(shared_axes):
    g = G.PReLU(alpha_initializer="random_normal", shared_axes=shared_axes)
    assert_twins(g, K.PReLU(shared_axes=shared_axes), [_x(4, 3, 2, 5)])


@pytest.mark.parametrize("name", ["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"])
def test_elementwise_merges(name):
    assert_twins(getattr(G, name)(), getattr(K, name)(), [_x(5, 3, 4), _x(5, 3, 4, seed=1)])
    if name != "Subtract":   # three inputs, one broadcasting on an axis of length 1
        assert_twins(getattr(G, name)(), getattr(K, name)(),
                     [_x(5, 3, 4), _x(5, 3, 4, seed=1), _x(5, 1, 4, seed=2)])


@pytest.mark.parametrize("axis, shapes", [(-1, [(5, 3, 4), (5, 3, 2)]), (1, [(5, 3, 4), (5, 2, 4)]),
                                          (-1, [(5, 4), (5, 1), (5, 3)])])
def test_concatenate(axis, shapes):
    inputs = [_x(*s, seed=i) for i, s in enumerate(shapes)]
    assert_twins(G.Concatenate(axis=axis), K.Concatenate(axis=axis), inputs)


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("axes, shapes", [(1, [(5, 4), (5, 4)]), (-1, [(5, 4), (5, 4)]),
                                          ((2, 2), [(5, 3, 4), (5, 6, 4)]), ((2, 1), [(5, 3, 4), (5, 4, 6)]),
                                          ((1, 1), [(5, 3, 4), (5, 3, 6)]), (-1, [(5, 3, 4), (5, 6, 4)])])
def test_dot(axes, shapes, normalize):
    inputs = [_x(*s, seed=i) for i, s in enumerate(shapes)]
    assert_twins(G.Dot(axes, normalize=normalize), K.Dot(axes, normalize=normalize), inputs)


# Keras on torch sends a contiguous run of axes to torch's layer_norm, which can only
# normalise trailing axes, so Keras itself fails on e.g. axis=1 of a 4-D input; [1, 3] is
# not contiguous and takes Keras's general path (moments over the axes), which is compared.
@pytest.mark.parametrize("axis, shape", [(-1, (6, 3, 4, 5)), ([-2, -1], (6, 3, 4, 5)), ([1, 2, 3], (6, 3, 4, 5)),
                                         ([1, 3], (6, 3, 4, 5)), (1, (6, 5))])
@pytest.mark.parametrize("center, scale", [(True, True), (False, True), (True, False)])
def test_layer_normalization(axis, shape, center, scale):
    g = G.LayerNormalization(axis=axis, center=center, scale=scale,
                             gamma_initializer="random_normal", beta_initializer="random_normal")
    assert_twins(g, K.LayerNormalization(axis=axis, center=center, scale=scale), [_x(*shape, shift=1.0)])


def _batch_norm_twins(shape, **arguments):
    g = G.BatchNormalization(gamma_initializer=gn.initializers.RandomUniform(0.5, 1.5),
                             beta_initializer="random_normal", **arguments)
    k = K.BatchNormalization(**arguments)
    build_twins(g, k, [shape])
    return g, k


BATCH_NORM_CASES = [({}, (8, 5)), ({"axis": -1}, (6, 3, 4, 5)), ({"axis": 1}, (6, 3, 4, 5)),
                    ({"center": False}, (8, 5)), ({"scale": False}, (8, 5)),
                    ({"center": False, "scale": False}, (6, 3, 4, 5)), ({"momentum": 0.9, "epsilon": 1e-5}, (8, 5))]


@pytest.mark.parametrize("arguments, shape", BATCH_NORM_CASES)
def test_batch_normalization_training_moving_statistics_and_inference(arguments, shape):
    g, k = _batch_norm_twins(shape, **arguments)
    for step in range(4):   # training mode: batch statistics; the moving ones follow them
        assert_same_pass(g, k, [_x(*shape, seed=step, shift=3.0)], training=True)
        for a, b in zip(g.get_weights(), k.get_weights()):
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)
    assert not np.allclose(g.moving_mean.numpy(), 0.0)
    # inference: the moving statistics
    assert_same_pass(g, k, [_x(*shape, seed=10)], training=False)
    # a frozen layer runs in inference mode even when called with training=True
    g.trainable = k.trainable = False
    np.testing.assert_allclose(g(_x(*shape, seed=11), training=True).numpy(),
                               k(torch.tensor(_x(*shape, seed=11)), training=True).numpy(), rtol=RTOL, atol=ATOL)
    for a, b in zip(g.get_weights(), k.get_weights()):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


# --- layers: training-mode randomness, penalties ------------------------------------------------
@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_dropout_in_training_drops_rate_and_scales_by_one_over_keep(rate):
    x = np.ones((400, 500))
    for y in (G.Dropout(rate, seed=3)(x, training=True).numpy(),
              K.Dropout(rate, seed=3)(torch.tensor(x), training=True).numpy()):
        assert abs(np.mean(y == 0.0) - rate) < 0.005
        np.testing.assert_allclose(np.unique(y[y != 0.0]), [1.0 / (1.0 - rate)], rtol=1e-12)


def test_gaussian_noise_in_training_has_the_same_spread():
    x = np.full((400, 500), 2.0)
    g = G.GaussianNoise(0.3, seed=3)(x, training=True).numpy()
    k = K.GaussianNoise(0.3, seed=3)(torch.tensor(x), training=True).numpy()
    for y in (g, k):
        assert abs(y.mean() - 2.0) < 0.003 and abs(y.std() - 0.3) < 0.003


def _loss_values(layer):
    """The layer's penalties (glassnet Tensors or torch tensors) as sorted floats."""
    return sorted(float(loss.detach().numpy() if isinstance(loss, torch.Tensor) else loss.numpy())
                  for loss in layer.losses)


def test_activity_regularization_penalty_is_divided_by_the_batch_size():
    x = _x(4, 3)
    g, k = G.ActivityRegularization(l1=0.1, l2=0.01), K.ActivityRegularization(l1=0.1, l2=0.01)
    g(x)
    k(torch.tensor(x))
    # (0.1·Σ|x| + 0.01·Σx²) / 4 rows
    expected = (0.1 * np.abs(x).sum() + 0.01 * np.square(x).sum()) / 4
    assert _loss_values(g) == pytest.approx([expected], rel=1e-12)
    assert _loss_values(g) == pytest.approx(_loss_values(k), rel=1e-12)


def test_dense_weight_and_activity_penalties():
    def arguments(framework):
        return dict(kernel_regularizer="l2", bias_regularizer="l1",
                    activity_regularizer=framework.regularizers.L1L2(l1=0.01, l2=0.02))

    g = G.Dense(3, bias_initializer="random_normal", **arguments(gn))
    k = K.Dense(3, **arguments(keras))
    build_twins(g, k, [(5, 4)])
    x = _x(5, 4)
    g(x)
    k(torch.tensor(x))
    assert _loss_values(g) == pytest.approx(_loss_values(k), rel=1e-12)


# --- layers: constructor defaults, get_config, compute_output_shape -----------------------------
def _same_identifier(a, b) -> bool:
    """'zeros' and 'Zeros' name the same thing."""
    return isinstance(a, str) and isinstance(b, str) and a.replace("_", "").lower() == b.replace("_", "").lower()


SHARED_CLASSES = [name for name in G.__all__ if inspect.isclass(getattr(G, name)) and hasattr(K, name)]


@pytest.mark.parametrize("name", SHARED_CLASSES)
def test_constructor_defaults_equal_keras(name):
    ours = inspect.signature(getattr(G, name).__init__).parameters
    theirs = inspect.signature(getattr(K, name).__init__).parameters
    for argument in set(ours) & set(theirs) - {"self", "kwargs"}:
        a, b = ours[argument].default, theirs[argument].default
        assert a == b or _same_identifier(a, b), f"{name}({argument}=...): glassnet {a!r}, Keras {b!r}"


def assert_config_matches(ours: dict, theirs: dict, where: str) -> None:
    """glassnet's keys are Keras's (maybe fewer); the values of the shared keys agree."""
    assert set(ours) <= set(theirs), f"{where}: keys Keras does not have: {sorted(set(ours) - set(theirs))}"
    for key, a in ours.items():
        b = theirs[key]
        if key == "name":
            continue
        if key == "dtype" and isinstance(b, dict):   # Keras writes a DTypePolicy
            b = b["config"]["name"]
        if isinstance(b, dict) and "class_name" in b:   # a serialized initializer, regularizer, ...
            assert isinstance(a, dict) and a["class_name"] == b["class_name"], f"{where}.{key}: {a!r} vs {b!r}"
            assert_config_matches(a.get("config") or {}, b.get("config") or {}, f"{where}.{key}")
        elif isinstance(b, (tuple, list)):
            assert list(a) == list(b), f"{where}.{key}: {a!r} vs {b!r}"
        else:
            assert a == b or _same_identifier(a, b), f"{where}.{key}: {a!r} vs {b!r}"


CONFIG_CASES = [
    ("Dense", (4,), {}), ("Dense", (4,), {"activation": "relu", "use_bias": False, "kernel_regularizer": "l2",
                                          "kernel_initializer": "he_normal", "bias_constraint": "non_neg"}),
    ("Activation", ("tanh",), {}), ("ReLU", (), {}), ("ReLU", (), {"max_value": 6.0, "negative_slope": 0.1}),
    ("LeakyReLU", (), {}), ("PReLU", (), {}), ("PReLU", (), {"shared_axes": [1, 2]}), ("ELU", (), {}),
    ("Softmax", (), {}), ("Softmax", (), {"axis": 1}), ("Dropout", (0.5,), {}),
    ("Dropout", (0.5,), {"noise_shape": (None, 1), "seed": 3}), ("GaussianNoise", (0.1,), {}),
    ("ActivityRegularization", (), {}), ("ActivityRegularization", (), {"l1": 0.1, "l2": 0.2}),
    ("BatchNormalization", (), {}), ("BatchNormalization", (), {"axis": 1, "center": False}),
    ("LayerNormalization", (), {}), ("LayerNormalization", (), {"axis": [1, 2], "scale": False}),
    ("Flatten", (), {}), ("Reshape", ((-1,),), {}), ("Permute", ((2, 1),), {}), ("RepeatVector", (3,), {}),
    ("Add", (), {}), ("Subtract", (), {}), ("Multiply", (), {}), ("Average", (), {}), ("Maximum", (), {}),
    ("Minimum", (), {}), ("Concatenate", (), {}), ("Concatenate", (), {"axis": 1}), ("Dot", (1,), {}),
    ("Dot", ((1, 2),), {"normalize": True}),
]


@pytest.mark.parametrize("name, args, kwargs", CONFIG_CASES,
                         ids=[f"{n}{i}" for i, (n, _, _) in enumerate(CONFIG_CASES)])
def test_get_config_keys_and_values(name, args, kwargs):
    ours, theirs = getattr(G, name)(*args, **kwargs).get_config(), getattr(K, name)(*args, **kwargs).get_config()
    assert_config_matches(ours, theirs, name)


def test_shared_defaults_of_note():
    # the ones easiest to get wrong (PyTorch differs): checked by value, not only "as Keras"
    assert K.LeakyReLU().get_config()["negative_slope"] == G.LeakyReLU().get_config()["negative_slope"] == 0.3
    bn_k, bn_g = K.BatchNormalization().get_config(), G.BatchNormalization().get_config()
    assert (bn_g["momentum"], bn_g["epsilon"]) == (bn_k["momentum"], bn_k["epsilon"]) == (0.99, 1e-3)
    assert G.LayerNormalization().get_config()["epsilon"] == K.LayerNormalization().get_config()["epsilon"] == 1e-3


SHAPE_CASES = [
    ("Dense", (3,), (None, 5, 4)), ("Flatten", (), (None, 3, 4, 5)), ("Flatten", (), (None, None, 4)),
    ("Reshape", ((-1,),), (None, 3, 4)), ("Reshape", ((2, -1),), (None, 3, 4)),
    ("Reshape", ((-1, 2),), (None, None, 4)),
    ("Permute", ((2, 1),), (None, 3, 4)), ("RepeatVector", (3,), (None, 4)), ("Softmax", (), (None, 3)),
    ("PReLU", (), (None, 3)), ("BatchNormalization", (), (None, 3)), ("LayerNormalization", (), (None, 3, 2)),
    ("Dropout", (0.1,), (None, 3)), ("Activation", ("relu",), (None, 3)),
    ("Add", (), [(None, 3), (None, 3)]), ("Add", (), [(None, 1), (None, 3)]), ("Maximum", (), [(None, 4), (None, 4)]),
    ("Concatenate", (), [(None, 3), (None, 2)]), ("Concatenate", (1,), [(None, 3, 4), (None, 2, 4)]),
    ("Dot", (1,), [(None, 3), (None, 3)]), ("Dot", ((2, 2),), [(None, 3, 4), (None, 5, 4)]),
    ("Dot", ((1, 1),), [(None, 3, 4), (None, 3, 5)]), ("Dot", ((2, 1),), [(None, 3, 4), (None, 4, 6)]),
]


@pytest.mark.parametrize("name, args, shape", SHAPE_CASES, ids=[f"{n}{i}" for i, (n, _, _) in enumerate(SHAPE_CASES)])
def test_compute_output_shape(name, args, shape):
    assert tuple(getattr(G, name)(*args).compute_output_shape(shape)) == \
        tuple(getattr(K, name)(*args).compute_output_shape(shape))


# --- initializers -------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(), (3,), (7, 5), (3, 16), (5, 4, 3), (3, 3, 16, 32), (2, 3, 4, 5, 6)])
def test_compute_fans(shape):
    from keras.src.initializers.random_initializers import compute_fans

    assert ginit.compute_fans(shape) == compute_fans(shape)


INITIALIZERS = ["Zeros", "Ones", "Constant", "Identity", "RandomNormal", "RandomUniform", "TruncatedNormal",
                "VarianceScaling", "GlorotUniform", "GlorotNormal", "HeUniform", "HeNormal", "LecunUniform",
                "LecunNormal", "Orthogonal"]


@pytest.mark.parametrize("name", INITIALIZERS)
def test_initializer_defaults_and_config(name):
    ours = inspect.signature(getattr(ginit, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.initializers, name).__init__).parameters
    for argument in set(ours) & set(theirs) - {"self"}:
        assert ours[argument].default == theirs[argument].default, f"{name}({argument}=...)"
    ours, theirs = getattr(ginit, name)().get_config(), getattr(keras.initializers, name)().get_config()
    if name == "Identity":
        # Keras 3's Identity.get_config() returns {} (it forgets gain, so Identity(gain=2)
        # would come back with gain 1); glassnet keeps it
        assert theirs == {} and ours == {"gain": 1.0}
        return
    assert_config_matches(ours, theirs, name)
    if name != "Constant":   # keras.initializers.get("Constant") fails: its from_config needs "value"
        # the class name as a string identifier resolves to the same class in both
        assert type(ginit.get(name)).__name__ == type(keras.initializers.get(name)).__name__


def _sample_pair(make, shape=(500, 1000)):
    return (make(ginit)(shape, dtype="float64"),
            np.asarray(make(keras.initializers)(shape, dtype="float64")))


RANDOM_CASES = {
    # name: (factory, bounded) — bounded draws are compared by min/max, the others by the
    # 0.5% and 99.5% quantiles (a sample's extreme of an unbounded draw is noise)
    "random_normal": (lambda m: m.RandomNormal(mean=0.5, stddev=0.2, seed=1), False),
    "random_uniform": (lambda m: m.RandomUniform(-0.3, 0.7, seed=1), True),
    "truncated_normal": (lambda m: m.TruncatedNormal(mean=0.1, stddev=0.2, seed=1), False),
    "glorot_uniform": (lambda m: m.GlorotUniform(seed=1), True),
    "glorot_normal": (lambda m: m.GlorotNormal(seed=1), False),
    "he_uniform": (lambda m: m.HeUniform(seed=1), True),
    "he_normal": (lambda m: m.HeNormal(seed=1), False),
    "lecun_uniform": (lambda m: m.LecunUniform(seed=1), True),
    "lecun_normal": (lambda m: m.LecunNormal(seed=1), False),
    "vs_fan_out_untruncated": (lambda m: m.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=1), False),
    "vs_fan_avg_uniform": (lambda m: m.VarianceScaling(0.5, "fan_avg", "uniform", seed=1), True),
    "vs_normal_means_truncated": (lambda m: m.VarianceScaling(1.5, "fan_in", "normal", seed=1), False),
    "orthogonal": (lambda m: m.Orthogonal(gain=1.5, seed=1), False),
}


@pytest.mark.parametrize("name", RANDOM_CASES)
def test_random_initializer_statistics(name):
    make, bounded = RANDOM_CASES[name]
    shapes = [(300, 400)] if name == "orthogonal" else [(500, 1000), (3, 3, 256, 256)]   # QR is slow
    for shape in shapes:
        ours, theirs = _sample_pair(make, shape)
        assert ours.shape == theirs.shape == shape
        assert ours.std() == pytest.approx(theirs.std(), rel=0.02)
        assert ours.mean() == pytest.approx(theirs.mean(), abs=0.02 * theirs.std())
        if bounded:
            assert ours.min() == pytest.approx(theirs.min(), rel=0.02)
            assert ours.max() == pytest.approx(theirs.max(), rel=0.02)
        else:   # the tails, measured from each sample's mean
            for q in (0.005, 0.995):
                assert np.quantile(ours, q) - ours.mean() == pytest.approx(np.quantile(theirs, q) - theirs.mean(),
                                                                          rel=0.02)


# (name, mean, σ before the cut) for a (500, 1000) kernel: fan_in 500, fan_out 1000
TRUNCATED = [("truncated_normal", 0.1, 0.2), ("glorot_normal", 0.0, (1 / 750) ** 0.5 / 0.87962566103423978),
             ("he_normal", 0.0, (2 / 500) ** 0.5 / 0.87962566103423978),
             ("lecun_normal", 0.0, (1 / 500) ** 0.5 / 0.87962566103423978),
             ("vs_normal_means_truncated", 0.0, (1.5 / 500) ** 0.5 / 0.87962566103423978)]


@pytest.mark.parametrize("name, center, sigma", TRUNCATED)
def test_truncated_draws_are_cut_at_two_standard_deviations(name, center, sigma):
    # Keras's truncated normal keeps values inside mean ± 2σ (its docstring; TF and JAX cut
    # exactly there). Its torch backend draws 4 candidates per entry and keeps the first
    # inside, so about 4e-6 of its entries (all 4 outside) escape the cut: compare below that.
    ours, theirs = _sample_pair(RANDOM_CASES[name][0])
    assert np.abs(ours - center).max() <= 2 * sigma * 1.0001
    assert np.mean(np.abs(theirs - center) > 2 * sigma * 1.0001) < 2e-5
    np.testing.assert_allclose(np.quantile(np.abs(ours - center), 0.9999),
                               np.quantile(np.abs(theirs - center), 0.9999), rtol=0.01)


@pytest.mark.parametrize("shape", [(30, 20), (20, 30), (3, 3, 4, 8), (25, 25)])
def test_orthogonal_properties_match(shape):
    for W in _sample_pair(lambda m: m.Orthogonal(gain=2.0, seed=4), shape):
        assert W.shape == shape
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        M = W.reshape(rows, cols) / 2.0
        gram = M.T @ M if rows >= cols else M @ M.T   # orthonormal columns, or rows
        np.testing.assert_allclose(gram, np.eye(min(rows, cols)), atol=1e-12)


@pytest.mark.parametrize("shape", [(3, 3), (3, 5), (5, 2)])
def test_constant_initializers_equal(shape):
    for make in (lambda m: m.Zeros(), lambda m: m.Ones(), lambda m: m.Constant(0.7), lambda m: m.Identity(gain=2.5)):
        ours, theirs = _sample_pair(make, shape)
        np.testing.assert_array_equal(ours, theirs)
