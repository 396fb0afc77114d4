"""Image preprocessing layers against Keras 3 itself (skipped without keras).

The deterministic layers (Rescaling, Normalization with adapt, Resizing, CenterCrop) are
called on the same images on both sides. The Random* layers draw from different random
streams, so each is compared through its transformation: the same fixed parameters (a dict
with Keras's keys, e.g. {"translations": ...}) go to Keras's ``transform_images`` and to
glassnet's, which must give the same image. Float32, atol 1e-5.
"""
import types

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers as G

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)

K = keras.layers
ATOL = 1e-5
rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 255, (3, 7, 9, 2)).astype("float32")
PIXELS = rng.integers(0, 256, (2, 6, 10, 3)).astype("uint8")


def numpy(x):
    return x.numpy() if isinstance(x, gn.Tensor) else keras.ops.convert_to_numpy(x)


def keras_dict(transformation):
    """The same parameters as Keras tensors (shapes and plain ints stay as they are)."""
    return {k: (keras.ops.convert_to_tensor(v.astype("float32") if v.dtype.kind == "f" else v)
                if isinstance(v, np.ndarray) else v) for k, v in transformation.items()}


def assert_same_transform(g_layer, k_layer, transformation, images=IMAGES):
    expected = numpy(k_layer.transform_images(keras.ops.convert_to_tensor(images), keras_dict(transformation),
                                              training=True))
    got = g_layer.transform_images(gn.Tensor(images), transformation, training=True).numpy()
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=ATOL * max(1.0, np.abs(images).max()), rtol=1e-5)


def config_keys(layer):
    return set(layer.get_config()) - {"dtype", "name", "trainable"}


# --- deterministic layers ------------------------------------------------------------------
@pytest.mark.parametrize("scale, offset", [(1 / 255, 0.0), (1 / 127.5, -1.0), ([0.5, 2.0, 1.0], [0.0, 1.0, -1.0])])
def test_rescaling(scale, offset):
    g, k = G.Rescaling(scale, offset), K.Rescaling(np.array(scale) if isinstance(scale, list) else scale,
                                                      np.array(offset) if isinstance(offset, list) else offset)
    for x in (PIXELS, PIXELS.astype("float32")):
        got, expected = g(x), numpy(k(x))
        assert got.dtype == expected.dtype == np.float32          # uint8 in, floatx out
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-6, atol=1e-6)
    assert config_keys(G.Rescaling(2.0)) == config_keys(K.Rescaling(2.0))


@pytest.mark.parametrize("axis", [-1, None, (1, 2), (-1, -2)])
def test_normalization_adapt_on_an_array(axis):
    g, k = G.Normalization(axis=axis), K.Normalization(axis=axis)
    g.adapt(IMAGES)
    k.adapt(IMAGES)
    for gw, kw in zip(g.get_weights(), k.get_weights()):
        assert gw.shape == kw.shape and gw.dtype == kw.dtype
        np.testing.assert_allclose(gw, kw, rtol=1e-5)
    np.testing.assert_allclose(g(IMAGES).numpy(), numpy(k(IMAGES)), atol=ATOL, rtol=1e-5)
    assert [w.name for w in g.weights] == [w.name for w in k.weights] == ["mean", "variance", "count"]


def test_normalization_adapt_on_batches_and_invert(monkeypatch):
    # Keras's adapt asks isinstance(data, tf.data.Dataset), importing TensorFlow; without it, a stand-in
    from keras.src.layers.preprocessing import normalization as keras_normalization
    no_tf = types.SimpleNamespace(data=types.SimpleNamespace(Dataset=type("NotADataset", (), {})))
    monkeypatch.setattr(keras_normalization, "tf", no_tf)
    batches = [IMAGES[:1], IMAGES[1:], PIXELS[:, :7, :9, :2].astype("float32")]
    g, k = G.Normalization(invert=True), K.Normalization(invert=True)
    g.adapt(batches)
    k.adapt(batches)
    np.testing.assert_allclose(g.get_weights()[0], k.get_weights()[0], rtol=1e-5)
    np.testing.assert_allclose(g.get_weights()[1], k.get_weights()[1], rtol=1e-5)
    x = rng.standard_normal((2, 4, 2)).astype("float32")
    np.testing.assert_allclose(g(x).numpy(), numpy(k(x)), atol=ATOL, rtol=1e-5)


def test_normalization_with_given_statistics_and_a_zero_variance():
    mean, variance = [1.0, 2.0], [4.0, 0.0]       # σ = 0 is floored at 1e-7
    g, k = G.Normalization(axis=-1, mean=mean, variance=variance), K.Normalization(axis=-1, mean=mean, variance=variance)
    x = IMAGES[..., :2] / 255
    np.testing.assert_allclose(g(x).numpy(), numpy(k(x)), rtol=1e-5)
    assert config_keys(g) == config_keys(k)
    assert g.get_config()["mean"] == k.get_config()["mean"]


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("size", [(4, 5), (14, 3), (11, 20), (7, 9)])
@pytest.mark.parametrize("aspect", ["", "crop", "pad"])
def test_resizing(interpolation, size, aspect):
    options = {"crop_to_aspect_ratio": aspect == "crop", "pad_to_aspect_ratio": aspect == "pad"}
    g = G.Resizing(*size, interpolation=interpolation, fill_value=3.0, **options)
    k = K.Resizing(*size, interpolation=interpolation, fill_value=3.0, **options)
    np.testing.assert_allclose(g(IMAGES).numpy(), numpy(k(IMAGES)), atol=ATOL * 255, rtol=1e-5)
    np.testing.assert_allclose(g(IMAGES[0]).numpy(), numpy(k(IMAGES[0])), atol=ATOL * 255, rtol=1e-5)


def test_resizing_antialias_and_integer_pixels():
    g, k = G.Resizing(3, 4, antialias=True), K.Resizing(3, 4, antialias=True)
    np.testing.assert_allclose(g(IMAGES).numpy(), numpy(k(IMAGES)), atol=ATOL * 255, rtol=1e-5)
    g, k = G.Resizing(9, 4), K.Resizing(9, 4)
    got, expected = g(PIXELS), numpy(k(PIXELS))
    assert got.dtype == expected.dtype == np.uint8              # Keras keeps the integer dtype (rounded)
    # equal, except where the exact value is a tie x.5 that torch's float32 arithmetic lands just above
    exact = G.Resizing(9, 4, dtype="float64")(PIXELS.astype("float64")).numpy()
    differ = got.numpy() != expected
    np.testing.assert_allclose(np.abs(exact[differ] % 1 - 0.5), 0, atol=1e-6)
    assert np.abs(got.numpy().astype(int) - expected).max() <= 1 and differ.mean() < 0.05
    assert config_keys(g) == config_keys(k)


@pytest.mark.parametrize("size", [(3, 3), (4, 6), (7, 9), (6, 8), (10, 4), (12, 12)])
def test_center_crop(size):
    g, k = G.CenterCrop(*size), K.CenterCrop(*size)
    np.testing.assert_allclose(g(IMAGES).numpy(), numpy(k(IMAGES)), atol=ATOL * 255, rtol=1e-5)
    got = g(PIXELS)
    assert got.dtype == numpy(k(PIXELS)).dtype == np.float32
    np.testing.assert_allclose(got.numpy(), numpy(k(PIXELS)), atol=ATOL * 255, rtol=1e-5)
    assert config_keys(g) == config_keys(k)


# --- random layers: the same parameters through both transforms --------------------------------
@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip(mode):
    flips = np.array([True, False, True]).reshape(3, 1, 1, 1)
    g, k = G.RandomFlip(mode), K.RandomFlip(mode)
    assert_same_transform(g, k, {"flips": flips, "input_shape": IMAGES.shape})
    assert config_keys(g) == config_keys(k)


FILLS = [(m, i) for m in ("reflect", "wrap", "constant", "nearest") for i in ("bilinear", "nearest")]


@pytest.mark.parametrize("fill_mode, interpolation", FILLS)
def test_random_translation(fill_mode, interpolation):
    translations = np.array([[1.3, -2.6], [-4.2, 0.7], [9.5, 8.25]])     # [dx, dy] in pixels
    options = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 17.0}
    g, k = G.RandomTranslation(0.5, 0.5, **options), K.RandomTranslation(0.5, 0.5, **options)
    assert_same_transform(g, k, {"translations": translations, "input_shape": IMAGES.shape})
    assert config_keys(g) == config_keys(k)


@pytest.mark.parametrize("fill_mode, interpolation", FILLS)
def test_random_zoom(fill_mode, interpolation):
    transformation = {"height_zoom": np.array([[0.7], [1.0], [1.6]]), "width_zoom": np.array([[1.3], [0.55], [1.6]]),
                      "input_shape": IMAGES.shape}
    options = {"fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 5.0}
    g, k = G.RandomZoom(0.5, 0.5, **options), K.RandomZoom(0.5, 0.5, **options)
    assert_same_transform(g, k, transformation)
    assert config_keys(g) == config_keys(k)


@pytest.mark.parametrize("fill_mode, interpolation", FILLS)
def test_random_rotation(fill_mode, interpolation):
    g = G.RandomRotation(0.5, fill_mode=fill_mode, interpolation=interpolation, fill_value=9.0)
    k = K.RandomRotation(0.5, fill_mode=fill_mode, interpolation=interpolation, fill_value=9.0)
    transformation = g.rotation_transformation(np.array([33.0, -100.0, 181.5]), 7, 9)
    assert_same_transform(g, k, transformation)
    assert config_keys(g) == config_keys(k)
    assert g.get_config()["factor"] == k.get_config()["factor"]


def test_random_rotation_matrix_is_keras_affine_matrix():
    angle = np.array([33.0, -100.0, 181.5])
    k = K.RandomRotation(0.5)
    expected = numpy(k._compute_affine_matrix(0.5, 0.5, keras.ops.convert_to_tensor(angle.astype("float32")),
                                              *[keras.ops.zeros(3)] * 2, keras.ops.ones(3), *[keras.ops.zeros(3)] * 2,
                                              7, 9))
    got = G.RandomRotation(0.5).rotation_transformation(angle, 7, 9)["rotation_matrix"]
    np.testing.assert_allclose(got, expected, atol=1e-5)


@pytest.mark.parametrize("factor, value_range", [((0.3, 0.6), (0, 255)), (0.9, (0, 1)), ((0.0, 1.0), (-1, 200))])
def test_random_contrast(factor, value_range):
    g, k = G.RandomContrast(factor, value_range=value_range), K.RandomContrast(factor, value_range=value_range)
    assert g.factor == k.factor                       # 0.9 becomes (0, 0.9) on both sides
    assert_same_transform(g, k, {"contrast_factor": np.array([0.5, 1.0, 1.9]).reshape(3, 1, 1, 1)},
                          images=IMAGES / 255 if value_range == (0, 1) else IMAGES)
    assert config_keys(g) == config_keys(k)


@pytest.mark.parametrize("value_range", [(0, 255), (255, 0), (-10, 100)])
def test_random_brightness(value_range):
    g, k = G.RandomBrightness(0.5, value_range=value_range), K.RandomBrightness(0.5, value_range=value_range)
    assert g.factor == k.factor
    assert g.value_range == list(k.value_range)
    assert_same_transform(g, k, {"rgb_delta": np.array([-60.0, 0.0, 90.5]).reshape(3, 1, 1, 1)})
    assert config_keys(g) == config_keys(k)


@pytest.mark.parametrize("size", [(4, 5), (7, 4), (7, 9), (9, 12)])
def test_random_crop_training(size):
    g, k = G.RandomCrop(*size), K.RandomCrop(*size)
    transformation = g.get_random_transformation(IMAGES.shape)
    if not (IMAGES.shape[1] > size[0] and IMAGES.shape[2] > size[1]):   # Keras's deterministic branch
        assert transformation == tuple(int(v) for v in k.get_random_transformation(IMAGES, training=True))
    expected = numpy(k.transform_images(keras.ops.convert_to_tensor(IMAGES), transformation, training=True))
    got = g.transform_images(gn.Tensor(IMAGES), transformation).numpy()
    np.testing.assert_allclose(got, expected, atol=ATOL * 255, rtol=1e-5)
    assert config_keys(g) == config_keys(k)
