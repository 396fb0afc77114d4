"""Keras's places for things glassnet has: keras.wrappers, keras.preprocessing, keras.device."""
import numpy as np
import pytest

import glassnet as gn


def _build(n_features_in, n_outputs):
    model = gn.Sequential([gn.Input((n_features_in,)), gn.layers.Dense(3, activation="tanh", name="embedding"),
                           gn.layers.Dense(n_outputs)])
    model.compile(gn.optimizers.Adam(0.05), "mse")
    return model


def test_sklearn_transformer_fits_then_transforms_with_the_model_output():
    pytest.importorskip("sklearn")
    from sklearn.linear_model import LinearRegression
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    y = X @ np.array([1.0, -2.0, 0.5, 0.0], np.float32)
    transformer = gn.wrappers.SKLearnTransformer(model=_build, fit_kwargs={"epochs": 30, "verbose": 0})
    assert gn.wrappers.SKLearnTransformer is gn.sklearn.KerasTransformer
    Z = transformer.fit(X, y).transform(X)
    np.testing.assert_allclose(Z, transformer.model_.predict(X, verbose=0), rtol=1e-6)
    assert Z.shape == (60, 1) and transformer.history_["loss"][-1] < transformer.history_["loss"][0]
    pipe = make_pipeline(gn.wrappers.SKLearnTransformer(model=_build, fit_kwargs={"epochs": 30, "verbose": 0}),
                         LinearRegression()).fit(X, y)
    assert pipe.score(X, y) > 0.5
    from sklearn.exceptions import NotFittedError
    with pytest.raises(NotFittedError):
        gn.wrappers.SKLearnTransformer(model=_build).transform(X)


def test_preprocessing_namespaces_are_utils_functions():
    from glassnet.preprocessing import image, sequence

    assert sequence.pad_sequences is gn.utils.pad_sequences and image.load_img is gn.utils.load_img
    assert gn.preprocessing.timeseries_dataset_from_array is gn.utils.timeseries_dataset_from_array


def test_smart_resize_crops_the_central_window_then_resizes():
    # a 4×8 image whose columns count 0..7: the central 4×4 window is columns 2..5; at 4×4 nothing resamples
    x = np.tile(np.arange(8, dtype=np.float32), (4, 1))[..., None]
    out = gn.preprocessing.image.smart_resize(x, (4, 4))
    np.testing.assert_allclose(out[..., 0], np.tile([2.0, 3.0, 4.0, 5.0], (4, 1)))
    first = gn.preprocessing.image.smart_resize(np.moveaxis(x, -1, 0)[None], (4, 4), data_format="channels_first")
    np.testing.assert_allclose(first[0, 0], out[..., 0])
    assert gn.preprocessing.image.smart_resize(np.zeros((2, 9, 6, 3), np.uint8), (3, 3)).shape == (2, 3, 3, 3)
    for bad in [dict(size=(0, 4)), dict(size=4), dict(size=(4, 4), data_format="nhwc")]:
        with pytest.raises(ValueError):
            gn.preprocessing.image.smart_resize(x, **bad)


def test_device_scope_accepts_the_cpu_and_names_what_is_missing():
    with gn.device("cpu:0") as name:
        assert name == "cpu:0" and float(gn.ops.sum(gn.ops.ones(3))) == 3.0
    with gn.device("CPU") as name:
        assert name == "CPU"
    with pytest.raises(ValueError, match="set_array_module"):
        gn.device("cuda:0").__enter__()                  # refused on entering the scope
    for bad in ["tpu", "cpu:x", "", 3]:
        with pytest.raises(ValueError):
            gn.device(bad).__enter__()
