"""Transfer learning: feature extraction from a trained model, freezing, a frozen BatchNormalization."""
import numpy as np

import glassnet as gn
from glassnet import layers


def trained_source():
    gn.utils.set_random_seed(0)
    inputs = layers.Input((8, 8, 1))
    x = layers.Conv2D(4, 3, padding="same", activation="relu", name="conv")(inputs)
    x = layers.BatchNormalization(name="bn")(x)
    x = layers.MaxPooling2D(2, name="pool")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(3, activation="softmax", name="head")(x)
    model = gn.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.random((64, 8, 8, 1), dtype=np.float32), rng.integers(0, 3, 64), epochs=2, verbose=0)
    return model


def test_feature_extraction_with_get_layer_output():
    source = trained_source()
    base = gn.Model(source.input, source.get_layer("pool").output)
    x = np.random.default_rng(1).random((5, 8, 8, 1), dtype=np.float32)
    features = base.predict(x, verbose=0)
    assert features.shape == (5, 4, 4, 4)
    # the same numbers the source computes on its way to the head
    probe = gn.Model(source.input, [source.get_layer("pool").output, source.output])
    np.testing.assert_allclose(probe.predict(x, verbose=0)[0], features, rtol=1e-6)


def test_frozen_base_with_batch_normalization_does_not_change():
    source = trained_source()
    base = gn.Model(source.input, source.get_layer("flatten").output)
    base.trainable = False
    before = [w.copy() for w in base.get_weights()]            # kernels and BN's moving statistics
    inputs = layers.Input((8, 8, 1))
    new = gn.Model(inputs, layers.Dense(2, activation="softmax")(base(inputs)))
    new.compile("adam", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(2)
    x = rng.random((32, 8, 8, 1), dtype=np.float32) * 5 + 3   # other statistics than the source data
    new.fit(x, rng.integers(0, 2, 32), epochs=2, verbose=0)
    for a, b in zip(before, base.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(new.trainable_weights) == 2                     # only the new head trains
    bn = source.get_layer("bn")
    # a frozen BatchNormalization uses its moving statistics even when called with training=True
    z = np.random.default_rng(3).random((4, 8, 8, 4), dtype=np.float32) * 7
    np.testing.assert_allclose(bn(z, training=True).numpy(), bn(z, training=False).numpy())


def test_fine_tuning_unfreezes_after_recompiling():
    source = trained_source()
    conv = source.get_layer("conv")
    conv.trainable = False
    source.compile(gn.optimizers.Adam(1e-4), "sparse_categorical_crossentropy")
    kernel = conv.kernel.numpy().copy()
    rng = np.random.default_rng(4)
    data = rng.random((16, 8, 8, 1), dtype=np.float32), rng.integers(0, 3, 16)
    source.fit(*data, epochs=1, verbose=0)
    np.testing.assert_array_equal(conv.kernel.numpy(), kernel)
    conv.trainable = True
    source.compile(gn.optimizers.Adam(1e-4), "sparse_categorical_crossentropy")
    source.fit(*data, epochs=1, verbose=0)
    assert not np.array_equal(conv.kernel.numpy(), kernel)
