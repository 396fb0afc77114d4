"""IdentityInitializer (Keras's other name of Identity) and the STFT initializer."""
import json

import numpy as np
import pytest

import glassnet as gn
from glassnet import initializers
from glassnet.initializers import STFT, Identity


def test_keras_names_of_identity_and_stft():
    assert initializers.IdentityInitializer is Identity
    assert initializers.STFTInitializer is STFT and initializers.stft is STFT
    for name in ("IdentityInitializer", "identity", "Identity"):
        assert type(initializers.get(name)) is Identity
    for name in ("STFT", "stft", "STFTInitializer"):
        assert type(initializers.get(name)) is STFT
    np.testing.assert_array_equal(initializers.IdentityInitializer(gain=2.0)((2, 3), dtype="float64"),
                                  [[2, 0, 0], [0, 2, 0]])


def test_stft_by_hand_without_window():
    # T = 4, F = 3 → n_fft = 4, θ = −2π·t·k/4:
    #   real: k = 0 → 1, 1, 1, 1;  k = 1 → cos(−πt/2) = 1, 0, −1, 0;  k = 2 → cos(−πt) = 1, −1, 1, −1
    #   imag: k = 1 → sin(−πt/2) = 0, −1, 0, 1
    real = STFT(window=None)((4, 1, 3), dtype="float64")[:, 0, :]
    np.testing.assert_allclose(real, [[1, 1, 1], [1, 0, -1], [1, -1, 1], [1, 0, -1]], atol=1e-15)
    imag = STFT(side="imag", window=None)((4, 1, 3), dtype="float64")[:, 0, :]
    np.testing.assert_allclose(imag[:, 1], [0, -1, 0, 1], atol=1e-15)


@pytest.mark.parametrize("scaling", ["density", "spectrum", None])
def test_stft_kernel_gives_the_windowed_rfft(scaling):
    # one frame x through the kernel = rfft(x·w) / s  (real and imaginary parts)
    x = np.random.default_rng(0).normal(size=16)
    w = np.hanning(16)                              # scipy's symmetric "hann" = NumPy's hanning
    s = {"density": np.sqrt(np.sum(w**2)), "spectrum": np.sum(w), None: 1.0}[scaling]
    spectrum = np.fft.rfft(x * w) / s
    real = STFT("real", scaling=scaling)((16, 1, 9), dtype="float64")[:, 0, :]
    imag = STFT("imag", scaling=scaling)((16, 1, 9), dtype="float64")[:, 0, :]
    np.testing.assert_allclose(x @ real, spectrum.real, atol=1e-12)
    np.testing.assert_allclose(x @ imag, spectrum.imag, atol=1e-12)


def test_stft_array_window_and_dtype():
    kernel = STFT(window=np.ones(8), scaling=None)((8, 1, 5))
    assert kernel.dtype == np.float32 and kernel.shape == (8, 1, 5)
    np.testing.assert_allclose(kernel, STFT(window=None)((8, 1, 5)), atol=1e-6)


def test_stft_as_a_conv1d_kernel():
    layer = gn.layers.Conv1D(5, 8, kernel_initializer=STFT(), use_bias=False)
    out = layer(np.random.default_rng(1).normal(size=(2, 20, 1)).astype("float32"))
    assert out.shape == (2, 13, 5)


def test_stft_config_json_round_trip():
    init = STFT(side="imag", window="hamming", scaling="spectrum", periodic=True)
    config = json.loads(json.dumps(initializers.serialize(init)))
    again = initializers.deserialize(config)
    assert again.get_config() == init.get_config()
    np.testing.assert_array_equal(again((6, 1, 4)), init((6, 1, 4)))


@pytest.mark.parametrize("make, match", [
    (lambda: STFT(side="both"), "side"),
    (lambda: STFT(window="no_such_window"), "window"),
    (lambda: STFT(scaling="energy"), "scaling"),
    (lambda: STFT()((4, 3)), "shape"),
    (lambda: STFT(window=np.ones(3))((4, 1, 3)), "window"),
])
def test_stft_bad_arguments_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()
