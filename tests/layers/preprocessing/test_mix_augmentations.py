"""MixUp and CutMix: images and labels mixed in training, hand-worked, gradients, configs, bad input."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.testing import layer_gradcheck

rng = np.random.default_rng(0)
IMAGES = rng.uniform(0, 1, (4, 5, 6, 3)).astype("float32")
LABELS = np.eye(4, dtype="float32")


@pytest.mark.parametrize("make", [lambda **kw: layers.MixUp(**kw), lambda **kw: layers.CutMix(**kw)],
                         ids=["mixup", "cutmix"])
def test_training_only_seeded_with_labels(make):
    x = gn.Tensor(IMAGES)
    assert make(seed=1)(x, training=False) is x
    data = {"images": IMAGES, "labels": LABELS}
    out = make(seed=1)(data, training=True)
    again = make(seed=1)(data, training=True)
    np.testing.assert_array_equal(out["images"].numpy(), again["images"].numpy())
    np.testing.assert_array_equal(out["labels"].numpy(), again["labels"].numpy())
    np.testing.assert_allclose(out["labels"].numpy().sum(axis=1), 1.0, rtol=1e-6)      # still distributions
    assert not np.allclose(out["images"].numpy(), IMAGES)
    assert out["images"].numpy().min() >= 0 and out["images"].numpy().max() <= 1      # convex mixes stay in range
    inference = make(seed=1)(data, training=False)
    np.testing.assert_array_equal(inference["labels"].numpy(), LABELS)
    np.testing.assert_array_equal(make(seed=1)(IMAGES[0], training=True).numpy(), IMAGES[0])   # one image: kept


def test_mix_up_by_hand():
    images = np.array([0.0, 10.0]).reshape(2, 1, 1, 1)
    transformation = {"mix_weight": np.array([0.25, 0.5]), "permutation_order": np.array([1, 0])}
    layer = layers.MixUp()
    # image 0: 0.25·0 + 0.75·10 = 7.5; image 1: 0.5·10 + 0.5·0 = 5
    np.testing.assert_allclose(layer.transform_images(images, transformation).numpy().ravel(), [7.5, 5.0])
    np.testing.assert_allclose(layer.transform_labels(np.eye(2), transformation).numpy(),
                               [[0.25, 0.75], [0.5, 0.5]])


def test_cut_mix_pastes_the_box_and_weights_labels_by_area():
    layer = layers.CutMix(seed=2)
    transformation = layer.get_random_transformation(IMAGES.shape)
    out = layer.transform_images(IMAGES, transformation).numpy()
    order, masks = transformation["permutation_order"], transformation["batch_masks"]
    np.testing.assert_array_equal(out[masks], IMAGES[order][masks])
    np.testing.assert_array_equal(out[~masks], IMAGES[~masks])
    labels = layer.transform_labels(LABELS, transformation).numpy()
    weight = transformation["mix_weight"].ravel()
    np.testing.assert_allclose(labels, weight[:, None] * LABELS + (1 - weight[:, None]) * LABELS[order], rtol=1e-5)
    assert np.all((weight >= 0) & (weight <= 1))


def test_mix_weights_follow_the_beta_distribution():
    weights = layers.MixUp(alpha=0.2, seed=0).get_random_transformation((2000, 1, 1, 1))["mix_weight"]
    assert abs(weights.mean() - 0.5) < 0.05 and ((weights < 0.1) | (weights > 0.9)).mean() > 0.6   # U-shaped


@pytest.mark.parametrize("make", [lambda: layers.MixUp(0.5, seed=1, dtype="float64"),
                                  lambda: layers.CutMix(0.7, seed=2, dtype="float64")])
def test_gradcheck(make):
    x = rng.standard_normal((3, 4, 5, 2))
    layer_gradcheck(make(), x, training=False)
    layer = make()

    def reseed():
        layer.seed_generator = np.random.default_rng(layer.seed)

    layer_gradcheck(layer, x, training=True, before_call=reseed)


@pytest.mark.parametrize("make", [lambda: layers.MixUp(0.3, seed=4), lambda: layers.CutMix((0.2, 0.8), seed=5)])
def test_config_round_trip_repeats_the_seeded_output(make):
    original = make()
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
    assert type(copy) is type(original) and copy.get_config() == original.get_config()
    np.testing.assert_array_equal(copy(IMAGES, training=True).numpy(), original(IMAGES, training=True).numpy())


@pytest.mark.parametrize("make, match", [
    (lambda: layers.MixUp(alpha=0.0), "MixUp: alpha"),
    (lambda: layers.MixUp(alpha="big"), "MixUp: alpha"),
    (lambda: layers.CutMix(factor=1.5), "CutMix: factor"),
    (lambda: layers.CutMix(data_format="channels_first"), "channels_first"),
])
def test_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_name_the_layer():
    with pytest.raises(ValueError, match="MixUp: a dict input needs the key 'images'"):
        layers.MixUp()({"pictures": IMAGES}, training=True)
    with pytest.raises(ValueError, match="CutMix .*got shape"):
        layers.CutMix()(np.zeros((4, 5), "float32"), training=True)


# --- RandAugment and AugMix ------------------------------------------------------------------------
PIXELS = rng.uniform(0, 255, (3, 5, 6, 3)).astype("float32")


@pytest.mark.parametrize("make", [lambda **kw: layers.RandAugment(num_ops=3, **kw),
                                  lambda **kw: layers.AugMix(**kw)], ids=["randaugment", "augmix"])
def test_composites_training_only_seeded_in_range(make):
    x = gn.Tensor(PIXELS)
    assert make(seed=1)(x, training=False) is x
    first = make(seed=1)(PIXELS, training=True).numpy()
    np.testing.assert_array_equal(first, make(seed=1)(PIXELS, training=True).numpy())
    assert first.shape == PIXELS.shape and first.min() >= 0 and first.max() <= 255
    assert not np.allclose(first, PIXELS)
    assert make(seed=2)(PIXELS[0], training=True).shape == PIXELS[0].shape


def test_rand_augment_applies_the_chosen_operations_in_turn():
    layer = layers.RandAugment(num_ops=2, factor=0.5, seed=0)
    transformation = layer.get_random_transformation(PIXELS.shape)
    assert set(transformation["transforms"]) == set(layer.AUGMENT_LAYERS)
    transformation["layer_idxes"] = np.array([1, 8])                       # translation, then solarization
    t = transformation["transforms"]
    expected = layer.solarization.transform_images(
        layer.random_translation.transform_images(PIXELS, t["random_translation"]), t["solarization"])
    np.testing.assert_allclose(layer.transform_images(PIXELS, transformation).numpy(), expected.numpy())
    assert layer.random_posterization.factor == (1, 4)                  # max(1, ⌊8·0.5⌋) bits at most
    assert layer.random_shear.x_factor == (0.0, 0.5)


def test_aug_mix_is_the_weighted_mean_of_its_chains():
    layer = layers.AugMix(num_chains=2, chain_depth=2, seed=3)
    transformation = layer.get_random_transformation(PIXELS.shape)
    chains = []
    for chain in transformation["chain_transforms"]:
        y = gn.Tensor(PIXELS)
        for step in chain:
            y = getattr(layer, step["layer_name"]).transform_images(y, step["transformation"])
        chains.append(y.numpy())
    m, w = transformation["chain_mixing_weights"], float(transformation["weight_sample"])
    assert m.sum() == pytest.approx(1.0) and 0 <= w <= 1
    expected = np.clip(w * PIXELS + (1 - w) * (m[0] * chains[0] + m[1] * chains[1]), 0, 255)
    np.testing.assert_allclose(layer.transform_images(PIXELS, transformation).numpy(), expected, rtol=1e-5,
                               atol=1e-3)
    assert "random_sharpness" not in layers.AugMix(all_ops=False).augment_layers


@pytest.mark.parametrize("make", [
    # the seeds draw translation twice; and the chains [shear], [contrast, rotation]
    lambda: layers.RandAugment(value_range=(-5, 5), num_ops=2, factor=0.4, seed=11, dtype="float64"),
    lambda: layers.AugMix(value_range=(-5, 5), num_chains=2, chain_depth=2, seed=5, dtype="float64"),
])
def test_composites_gradcheck(make):
    x = rng.uniform(-4, 4, (2, 4, 5, 3))
    layer_gradcheck(make(), x, training=False)
    layer = make()

    def reseed():
        layer.seed_generator = np.random.default_rng(layer.seed)

    layer_gradcheck(layer, x, training=True, before_call=reseed)


@pytest.mark.parametrize("make", [lambda: layers.RandAugment((0, 1), 3, (0.1, 0.4), "nearest", seed=4),
                                  lambda: layers.AugMix((0, 255), 2, 4, 0.5, 0.7, False, "nearest", seed=6)])
def test_composite_config_round_trip(make):
    original = make()
    copy = layers.deserialize(json.loads(json.dumps(layers.serialize(original))))
    assert type(copy) is type(original) and copy.get_config() == original.get_config()
    np.testing.assert_array_equal(copy(PIXELS, training=True).numpy(), original(PIXELS, training=True).numpy())


@pytest.mark.parametrize("make, match", [
    (lambda: layers.RandAugment(num_ops=-1), "RandAugment: num_ops"),
    (lambda: layers.RandAugment(factor=2.0), "RandAugment: factor"),
    (lambda: layers.RandAugment(interpolation="bicubic"), "RandAugment: interpolation"),
    (lambda: layers.AugMix(num_chains=0), "AugMix: num_chains"),
    (lambda: layers.AugMix(chain_depth=1.5), "AugMix: chain_depth"),
    (lambda: layers.AugMix(alpha=0), "AugMix: alpha"),
    (lambda: layers.AugMix(all_ops="yes"), "AugMix: all_ops"),
    (lambda: layers.AugMix(value_range=(1, 1)), "AugMix: value_range"),
])
def test_composite_bad_arguments(make, match):
    with pytest.raises(ValueError, match=match):
        make()
