"""Group/RMS/Unit/Spectral normalization, Wrapper, Identity, EinsumDense, ReversibleEmbedding,
Pipeline, GaussianDropout, AlphaDropout and SpatialDropout3D against Keras 3 (skipped without it).

Deterministic layers: the same weights (copied glassnet → Keras, which checks their shapes,
names and order), then outputs and gradients agree in float64. Random layers: the same formula
checked by hand here, and the statistics of their training outputs over a large input agree
with Keras's (the random streams differ).
"""
import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

from .test_layers_keras import assert_config_matches, assert_same_pass, assert_twins, build_twins

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

K = keras.layers
RTOL, ATOL = 1e-9, 1e-12

pytestmark = pytest.mark.usefixtures("keras_float64")   # conftest.py: both sides in float64


def _x(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape) * 2.0


def _randomize(g_layer, seed=1):
    rng = np.random.default_rng(seed)
    g_layer.set_weights([1 + 0.5 * rng.standard_normal(w.shape) for w in g_layer.weights])


def _twins_random(g_layer, k_layer, shape, training=False):
    """Build both, give glassnet's weights random values, copy them to Keras, compare a pass."""
    build_twins(g_layer, k_layer, [shape])
    _randomize(g_layer)
    k_layer.set_weights(g_layer.get_weights())
    return assert_same_pass(g_layer, k_layer, [_x(*shape)], training=training)


# --- normalization ----------------------------------------------------------------------------
# (Keras's teardown of each test, clear_session in conftest.py, costs more than these checks, so the
# cases of a class run in one test)
def test_group_normalization():
    for kwargs, shape in [({"groups": 2}, (3, 4)), ({"groups": 2}, (2, 5, 6)), ({"groups": -1}, (2, 5, 3)),
                          ({"groups": 3, "axis": 1}, (2, 6, 4)),
                          ({"groups": 2, "center": False, "epsilon": 1e-5}, (2, 3, 3, 4))]:
        _twins_random(G.GroupNormalization(**kwargs), K.GroupNormalization(**kwargs), shape)


def test_rms_and_unit_normalization():
    for kwargs, shape in [({}, (3, 5)), ({"axis": [-2, -1]}, (2, 3, 4)), ({"epsilon": 0.1}, (2, 3, 4))]:
        _twins_random(G.RMSNormalization(**kwargs), K.RMSNormalization(**kwargs), shape)
    for axis in (-1, 1, [1, 2]):
        assert_twins(G.UnitNormalization(axis=axis), K.UnitNormalization(axis=axis), [_x(2, 3, 4)])


SPECTRAL_CASES = [(lambda L: L.Dense(3), (4, 5), 1), (lambda L: L.Conv2D(2, 3), (2, 5, 5, 3), 3),
                  (lambda L: L.Embedding(6, 3), (2, 4), 2)]


def test_spectral_normalization_in_training_and_inference():
    for make, shape, power_iterations in SPECTRAL_CASES:
        _spectral_twins(make, shape, power_iterations)


def _spectral_twins(make, shape, power_iterations):
    g_layer = G.SpectralNormalization(make(G), power_iterations=power_iterations)
    k_layer = K.SpectralNormalization(make(K), power_iterations=power_iterations)
    build_twins(g_layer, k_layer, [shape])        # the same kernel and vector_u
    ids = shape == (2, 4)
    x = np.random.default_rng(3).integers(0, 6, shape) if ids else _x(*shape)
    for training in (True, True, False):          # two training steps rescale W and u, then inference
        y_g = g_layer(x, training=training).numpy()
        y_k = k_layer(torch.tensor(x), training=training).detach().numpy()
        if not ids:   # Keras casts the output to the input's dtype: an Embedding's vectors become int zeros
            np.testing.assert_allclose(y_g, y_k, rtol=RTOL, atol=ATOL)
        for w_g, w_k in zip(g_layer.get_weights(), k_layer.get_weights()):
            np.testing.assert_allclose(w_g, w_k, rtol=RTOL, atol=ATOL)
    if not ids:                                   # gradients (through layer(x) only, σ a constant)
        assert_same_pass(g_layer, k_layer, [x], training=True)


# --- core -------------------------------------------------------------------------------------
def test_wrapper_subclass_and_identity():
    assert_twins(G.Identity(), K.Identity(), [_x(3, 4)])
    g_layer = G.Wrapper(G.Dense(3))
    k_layer = K.Wrapper(K.Dense(3))
    build_twins(g_layer, k_layer, [(2, 4)])
    assert k_layer.layer.built and [w.name for w in k_layer.weights] == ["kernel", "bias"]
    assert_config_matches(g_layer.get_config(), k_layer.get_config(), "Wrapper")


EINSUM_CASES = [
    ("ab,bc->ac", 4, "c", (3, 5)),
    ("abc,cd->abd", (4, 3), "d", (2, 4, 5)),
    ("abc,cde->abde", (4, 2, 3), "de", (2, 4, 5)),
    ("abc,cde->abde", (4, 2, 3), "d", (2, 4, 5)),
    ("abcd,cde->abe", (4, 3), "e", (2, 4, 2, 5)),
    ("...b,bc->...c", 3, "c", (2, 4, 5)),
    ("ab...,bc->ac...", 3, "c", (2, 5, 4)),
    ("abc,cd->abd", (None, 3), "b", (2, 4, 5)),
]


def test_einsum_dense():
    for case in EINSUM_CASES:
        _einsum_twins(*case)


def _einsum_twins(equation, output_shape, bias_axes, shape):
    kwargs = dict(output_shape=output_shape, bias_axes=bias_axes, activation="tanh")
    g_layer, k_layer = G.EinsumDense(equation, **kwargs), K.EinsumDense(equation, **kwargs)
    if bias_axes == "b":                         # a bias on an axis of unknown output size: both refuse
        with pytest.raises(ValueError, match=r"the bias's shape \(None, 1\) needs known sizes"):
            g_layer.build(shape)
        with pytest.raises(Exception):
            k_layer.build(shape)
        return
    _twins_random(g_layer, k_layer, shape)
    assert g_layer.compute_output_shape(shape) == tuple(k_layer.compute_output_shape(shape))
    assert_config_matches(g_layer.get_config(), k_layer.get_config(), "EinsumDense")


def test_einsum_dense_with_two_leading_elided_axes():
    # "...b,bc->...c" on (2, 3, 4, 5): Keras's compute_output_shape says (2, 4, 3, 3) (it inserts the
    # elided sizes in reverse); its output, and glassnet's shape and output, are (2, 3, 4, 3)
    g_layer, k_layer = G.EinsumDense("...b,bc->...c", 3), K.EinsumDense("...b,bc->...c", 3)
    build_twins(g_layer, k_layer, [(2, 3, 4, 5)])
    x = _x(2, 3, 4, 5)
    y_g, y_k = g_layer(x).numpy(), k_layer(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(y_g, y_k, rtol=RTOL, atol=ATOL)
    assert g_layer.compute_output_shape((2, 3, 4, 5)) == y_k.shape == (2, 3, 4, 3)
    _einsum_initial_kernel_has_keras_scale()


def _einsum_initial_kernel_has_keras_scale():
    # Keras's glorot fans for "abc,cde->abde": fan_in = c, fan_out = d·e (not the conv rule)
    g_layer, k_layer = G.EinsumDense("abc,cde->abde", (3, 8, 16)), K.EinsumDense("abc,cde->abde", (3, 8, 16))
    g_layer.build((None, 3, 64))
    k_layer.build((None, 3, 64))
    g_std, k_std = g_layer.get_weights()[0].std(), k_layer.get_weights()[0].std()
    assert abs(g_std / k_std - 1) < 0.05


def test_reversible_embedding():
    for tie_weights, logit_soft_cap in [(True, None), (False, None), (True, 2.0), (False, 2.0)]:
        _reversible_twins(tie_weights, logit_soft_cap)


def _reversible_twins(tie_weights, logit_soft_cap):
    kwargs = dict(tie_weights=tie_weights, logit_soft_cap=logit_soft_cap)
    g_layer, k_layer = G.ReversibleEmbedding(7, 3, **kwargs), K.ReversibleEmbedding(7, 3, **kwargs)
    build_twins(g_layer, k_layer, [(None, 4)])
    _randomize(g_layer)
    k_layer.set_weights(g_layer.get_weights())
    ids = np.array([[1, 6, 0, 2], [3, 3, 5, 4]])
    np.testing.assert_allclose(g_layer(ids).numpy(), k_layer(ids).detach().numpy(), rtol=RTOL)
    h = _x(2, 4, 3)
    h_g = gn.Tensor(h.copy(), requires_grad=True)
    h_k = torch.tensor(h.copy(), requires_grad=True)
    y_g, y_k = g_layer(h_g, reverse=True), k_layer(h_k, reverse=True)
    np.testing.assert_allclose(y_g.numpy(), y_k.detach().numpy(), rtol=RTOL, atol=ATOL)
    upstream = _x(2, 4, 7, seed=9)
    (y_g * gn.Tensor(upstream)).sum().backward()
    (y_k * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(h_g.grad, h_k.grad.numpy(), rtol=RTOL, atol=ATOL)
    for w_g, w_k in zip(g_layer.trainable_weights, k_layer.trainable_weights):   # untied: E unused, no gradient
        assert (w_g.grad is None) == (w_k.value.grad is None)
        if w_g.grad is not None:
            np.testing.assert_allclose(w_g.grad, w_k.value.grad.numpy(), rtol=RTOL, atol=ATOL)
    assert_config_matches(g_layer.get_config(), k_layer.get_config(), "ReversibleEmbedding")


def test_pipeline():
    g_layer = G.Pipeline([G.Dense(4, activation="relu"), G.Dense(2)])
    k_layer = K.Pipeline([K.Dense(4, activation="relu"), K.Dense(2)])
    x = _x(3, 5)
    g_layer(x)
    k_layer(torch.tensor(x))
    assert [w.shape for w in g_layer.weights] == [tuple(w.shape) for w in k_layer.weights]
    k_layer.set_weights(g_layer.get_weights())
    np.testing.assert_allclose(g_layer(x).numpy(), k_layer(torch.tensor(x)).detach().numpy(), rtol=RTOL)
    ours, theirs = g_layer.get_config(), k_layer.get_config()
    assert set(ours) == set(theirs)
    for a, b in zip(ours["layers"], theirs["layers"]):
        assert_config_matches(a["config"], b["config"], "Pipeline.layers")


# --- random layers: the training statistics ---------------------------------------------------
def _stats(y):
    y = np.asarray(y.detach() if hasattr(y, "detach") else y.numpy())
    return y.mean(), y.var(), (y == 0).mean()


def test_random_layers_training_statistics_match_keras():
    # (mean, variance, fraction of zeros) of the training outputs, over 200,000 draws each (10,000 masks
    # for the one with noise_shape); seeded, so each run draws the same on both sides
    for make, x, tolerance in [
        (lambda L: L.GaussianDropout(0.3, seed=1), np.full((400, 500), 1.5), 0.01),
        (lambda L: L.AlphaDropout(0.2, seed=2), np.random.default_rng(0).standard_normal((400, 500)), 0.01),
        (lambda L: L.AlphaDropout(0.5, noise_shape=(None, 1), seed=3),
         np.random.default_rng(1).standard_normal((20000, 10)), 0.02),
        (lambda L: L.SpatialDropout3D(0.4, seed=4), np.ones((2000, 1, 2, 1, 100)), 0.01),
    ]:
        g_stats = _stats(make(G)(x, training=True))
        k_stats = _stats(make(K)(torch.tensor(x), training=True))
        np.testing.assert_allclose(g_stats, k_stats, atol=tolerance * max(1.0, abs(x).mean()))


def test_random_layers_at_inference():
    x = _x(2, 3, 2, 2, 4)
    for make in (lambda L: L.GaussianDropout(0.3), lambda L: L.AlphaDropout(0.3), lambda L: L.SpatialDropout3D(0.3)):
        y_k = make(K)(torch.tensor(x), training=False)
        np.testing.assert_array_equal(make(G)(x, training=False).numpy(), np.asarray(y_k))


def test_alpha_dropout_dropped_value_and_kept_scale_match_keras():
    # both map a kept x to a·x + b and a dropped unit to a·α' + b: the two values agree exactly
    x = np.full((100, 100), 0.7)
    ours = np.unique(np.round(G.AlphaDropout(0.25)(x, training=True).numpy(), 12))
    theirs = np.unique(np.round(K.AlphaDropout(0.25)(torch.tensor(x), training=True).detach().numpy(), 12))
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# --- configs ------------------------------------------------------------------------------------
CONFIG_CASES = [
    ("GroupNormalization", (), {"groups": 4, "axis": 1, "center": False, "gamma_regularizer": "l2"}),
    ("RMSNormalization", (), {"epsilon": 1e-5}), ("RMSNormalization", (), {"axis": [1, 2]}),
    ("UnitNormalization", (), {"axis": [1, 2]}), ("Identity", (), {}),
    ("EinsumDense", ("abc,cd->abd", (None, 4)), {"bias_axes": "d", "kernel_regularizer": "l1"}),
    ("ReversibleEmbedding", (9, 3), {"tie_weights": False, "logit_soft_cap": 30.0, "mask_zero": True}),
    ("GaussianDropout", (0.2,), {"seed": 1}), ("AlphaDropout", (0.2,), {"noise_shape": (None, 1)}),
    ("SpatialDropout3D", (0.2,), {"seed": 2}), ("GaussianDropout", (0.3,), {}), ("AlphaDropout", (0.3,), {}),
]


def test_configs_match_keras():
    for name, args, kwargs in CONFIG_CASES:
        ours = getattr(G, name)(*args, **kwargs).get_config()
        theirs = getattr(K, name)(*args, **kwargs).get_config()
        assert_config_matches(ours, theirs, name)
        # activity_regularizer only when set; glassnet's Embedding (ReversibleEmbedding's base) has no
        # quantization_config (reading a Keras config drops it at None)
        extra = set(theirs) - set(ours)
        assert extra <= {"activity_regularizer", "quantization_config"}, (name, sorted(extra))
    ours = G.SpectralNormalization(G.Dense(3), power_iterations=2).get_config()
    theirs = K.SpectralNormalization(K.Dense(3), power_iterations=2).get_config()
    layer_ours, layer_theirs = ours.pop("layer"), theirs.pop("layer")
    assert_config_matches(ours, theirs, "SpectralNormalization")
    assert layer_ours["class_name"] == layer_theirs["class_name"] == "Dense"


# --- .keras files: glassnet → Keras → glassnet ------------------------------------------------------
def _keras_file_models():
    rng = np.random.default_rng(0)
    yield gn.Sequential([G.Input((6, 4)), G.GroupNormalization(2), G.RMSNormalization(),
                         G.UnitNormalization(axis=[1, 2]), G.SpectralNormalization(G.Dense(3)), G.Identity()]), \
        rng.normal(size=(2, 6, 4))
    yield gn.Sequential([G.Input((5, 4)), G.EinsumDense("abc,cde->abde", (5, 2, 3), bias_axes="de"),
                         G.Reshape((5, 6)), G.EinsumDense("...b,bc->...c", 3, bias_axes="c", activation="relu"),
                         G.GaussianDropout(0.2), G.AlphaDropout(0.1), G.Reshape((5, 1, 1, 3)),
                         G.SpatialDropout3D(0.2)]), rng.normal(size=(2, 5, 4))
    yield gn.Sequential([G.Input((4,)), G.Pipeline([G.Dense(3), G.Dense(2), G.Dense(2)])]), rng.normal(size=(2, 4))
    ids = G.Input((5,), dtype="int32")
    embedding = G.ReversibleEmbedding(9, 4, tie_weights=False, logit_soft_cap=5.0)
    yield gn.Model(ids, embedding(G.Dense(4)(embedding(ids)), reverse=True)), rng.integers(0, 9, (2, 5))


def test_new_layers_in_keras_files(tmp_path):
    pytest.importorskip("h5py")
    import warnings

    for i, (model, x) in enumerate(_keras_file_models()):
        x = x.astype("int32" if x.dtype.kind == "i" else "float64")
        expected = model.predict(x, verbose=0)
        with warnings.catch_warnings():     # Keras can rebuild every one of them: no warning
            warnings.simplefilter("error", UserWarning)
            model.save(tmp_path / f"g{i}.keras")
        np.testing.assert_allclose(gn.saving.load_model(tmp_path / f"g{i}.keras").predict(x, verbose=0), expected,
                                   rtol=RTOL, atol=ATOL)
        theirs = keras.saving.load_model(tmp_path / f"g{i}.keras")
        np.testing.assert_allclose(np.asarray(theirs.predict(x, verbose=0)), expected, rtol=1e-7, atol=1e-9)
        theirs.save(tmp_path / f"k{i}.keras")
        np.testing.assert_allclose(gn.saving.load_model(tmp_path / f"k{i}.keras").predict(x, verbose=0), expected,
                                   rtol=1e-7, atol=1e-9)
