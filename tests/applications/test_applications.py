"""LeNet5, AlexNet and VGG16: their published shapes and weight counts, Keras's layer names, and a forward pass."""
import numpy as np
import pytest

import glassnet as gn
from glassnet import applications, layers


def test_vgg16_has_the_published_weight_count_and_keras_names(capsys):
    model = applications.VGG16()
    assert model.count_params() == 138_357_544
    model.summary()
    assert "138,357,544" in capsys.readouterr().out
    names = [layer.name for layer in model.layers[1:]]
    assert names[:3] == ["block1_conv1", "block1_conv2", "block1_pool"]
    assert names[-4:] == ["flatten", "fc1", "fc2", "predictions"]
    assert sum(isinstance(layer, layers.Conv2D) for layer in model.layers) == 13
    assert sum(isinstance(layer, layers.MaxPooling2D) for layer in model.layers) == 5
    assert model.get_layer("block5_pool").output.shape == (None, 7, 7, 512)
    assert model.get_layer("fc1").count_params() == 102_764_544


@pytest.mark.parametrize("pooling, shape", [(None, (None, 1, 1, 512)), ("avg", (None, 512)), ("max", (None, 512))])
def test_vgg16_base_for_small_images(pooling, shape):
    base = applications.VGG16(include_top=False, input_shape=(32, 32, 3), pooling=pooling)
    assert base.count_params() == 14_714_688
    assert base.output.shape == shape
    y = base.predict(np.random.default_rng(0).random((2, 32, 32, 3), dtype=np.float32), verbose=0)
    assert y.shape == (2, *shape[1:])


def test_vgg16_small_top_trains_one_step():
    gn.utils.set_random_seed(0)
    model = applications.VGG16(input_shape=(32, 32, 3), classes=3)
    model.compile("sgd", "sparse_categorical_crossentropy")
    loss = model.train_on_batch(np.random.default_rng(0).random((2, 32, 32, 3), dtype=np.float32), np.array([0, 2]))
    assert np.isfinite(loss)


def test_alexnet_sizes_follow_the_course_formula():
    model = applications.AlexNet()
    shapes = {layer.name: layer.output.shape for layer in model.layers[1:]}
    assert shapes["conv1"] == (None, 55, 55, 96)            # (227 − 11)/4 + 1
    assert shapes["pool1"] == (None, 27, 27, 96)            # (55 − 3)/2 + 1, overlapping windows
    assert shapes["conv2"] == (None, 27, 27, 256)
    assert shapes["pool2"] == (None, 13, 13, 256)
    assert shapes["conv5"] == (None, 13, 13, 256)
    assert shapes["pool5"] == (None, 6, 6, 256)
    assert shapes["predictions"] == (None, 1000)
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("Conv2D") == 5 and kinds.count("MaxPooling2D") == 3
    assert kinds.count("BatchNormalization") == 2 and kinds.count("Dense") == 3
    assert model.count_params() == 62_379_752
    assert applications.AlexNet(normalization=None).count_params() == 62_378_344
    y = model.predict(np.random.default_rng(0).random((1, 227, 227, 3), dtype=np.float32), verbose=0)
    assert y.shape == (1, 1000) and abs(float(y.sum()) - 1.0) < 1e-5


def test_lenet5_weight_count_and_training():
    model = applications.LeNet5()
    assert model.count_params() == 61_706
    assert [layer.output.shape for layer in model.layers[1:5]] == [
        (None, 28, 28, 6), (None, 14, 14, 6), (None, 10, 10, 16), (None, 5, 5, 16)]
    mnist_sized = applications.LeNet5(input_shape=(28, 28, 1), padding="same", activation="relu", pooling="max")
    gn.utils.set_random_seed(0)
    x = np.random.default_rng(0).random((16, 28, 28, 1), dtype=np.float32)
    y = np.arange(16) % 10
    mnist_sized.compile(gn.optimizers.Adam(0.01), "sparse_categorical_crossentropy")
    first = mnist_sized.train_on_batch(x, y)
    for _ in range(60):
        last = mnist_sized.train_on_batch(x, y)
    assert last < first / 3                             # it can fit (memorise) 16 images


def test_bad_arguments():
    with pytest.raises(ValueError, match="no pretrained ImageNet weights"):
        applications.VGG16(weights="imagenet")
    with pytest.raises(ValueError, match="at least 32×32"):
        applications.VGG16(input_shape=(16, 16, 3))
    with pytest.raises(ValueError, match="pooling"):
        applications.VGG16(include_top=False, input_shape=(32, 32, 3), pooling="mean")
    with pytest.raises(ValueError, match="normalization"):
        applications.AlexNet(normalization="lrn")
    with pytest.raises(ValueError, match="at least 67×67"):
        applications.AlexNet(input_shape=(64, 64, 3))


def test_weights_from_a_file(tmp_path):
    model = applications.LeNet5()
    model.save_weights(tmp_path / "lenet.weights.npz")
    again = applications.LeNet5(weights=tmp_path / "lenet.weights.npz")
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
