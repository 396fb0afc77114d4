"""The STFT initializer: a Conv1D kernel whose outputs are a windowed discrete Fourier transform."""
from __future__ import annotations

import numpy as np

from .initializer import Initializer, _resolve_dtype, _standardize_shape


class STFT(Initializer):
    """Kernels of a short-time Fourier transform, for a ``Conv1D`` over a signal.

    For the kernel shape ``(T, 1, F)`` (T = frame length, the window's size; F = the
    number of frequency bins kept, F = n_fft/2 + 1 with n_fft = 2·(F − 1)), entry
    (t, 0, k) is the DFT's basis function at time t and frequency k, times the window::

        θ(t, k)  = −2π · t · k / n_fft
        W[t,0,k] = cos θ(t, k) · w[t] / s          (side="real")
                   sin θ(t, k) · w[t] / s          (side="imag")
        s = √(Σ_t w[t]²)   (scaling="density"),   Σ_t |w[t]|   ("spectrum"),   1   (None)

    so a Conv1D with this kernel and stride = hop length turns each frame x of the
    signal into Σ_t x[t]·w[t]·e^{−2πi·t·k/n_fft} / s: its real (or imaginary) part,
    for the frequencies k = 0 … n_fft/2 (the rest are their complex conjugates).

    Args:
        side: "real" (the cosine part) or "imag" (the sine part). Defaults to "real".
        window: a window name that ``scipy.signal.get_window`` knows ("hann", "hamming",
            ...), a 1-D array of length T, or None (no window). Defaults to "hann".
        scaling: "density", "spectrum" or None, as above. Defaults to "density".
        periodic: make the named window periodic (for spectral analysis) rather than
            symmetric. Defaults to False.

    Raises:
        ValueError: for another ``side`` or ``scaling``, an unknown window name, a kernel
            shape that is not ``(T, C, F)``, or a window array not of length T.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"STFT: argument `side` must be 'real' or 'imag', got {side!r}")
        if isinstance(window, str):
            _named_window(window, 1, False)                  # refuses an unknown name now
        elif window is not None:
            window = np.asarray(window).tolist()
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(f"STFT: argument `scaling` must be None, 'density' or 'spectrum', got {scaling!r}")
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = bool(periodic)

    def __call__(self, shape, dtype=None) -> np.ndarray:
        shape = _standardize_shape(shape)
        if len(shape) != 3:
            raise ValueError(f"STFT: the kernel shape must be (frame_length, channels, fft_bins), got {shape}")
        dtype = _resolve_dtype(dtype)
        frame_length, _, bins = shape
        n_fft = (bins - 1) * 2
        k = (np.arange(bins, dtype=dtype) / dtype.type(n_fft)).reshape(1, 1, bins)
        t = np.arange(frame_length, dtype=dtype).reshape(frame_length, 1, 1)
        theta = (-2 * t) * k * np.arccos(dtype.type(-1))          # θ = −2π·t·k/n_fft
        kernel = np.cos(theta) if self.side == "real" else np.sin(theta)
        if self.window is None:
            return kernel.astype(dtype)
        if isinstance(self.window, str):
            w = _named_window(self.window, frame_length, self.periodic)
        else:
            w = np.asarray(self.window)
        w = w.astype(dtype)
        if w.shape != (frame_length,):
            raise ValueError(f"STFT: the window must have shape ({frame_length},) (the frame length), "
                             f"got {w.shape}")
        w = w.reshape(frame_length, 1, 1)
        s = dtype.type(1)
        if self.scaling == "density":
            s = np.sqrt(np.sum(np.square(w)))
        elif self.scaling == "spectrum":
            s = np.sum(np.abs(w))
        return ((kernel * w) / s).astype(dtype)

    def get_config(self) -> dict:
        return {"side": self.side, "window": self.window, "periodic": self.periodic, "scaling": self.scaling}


def _named_window(name: str, length: int, periodic: bool) -> np.ndarray:
    import scipy.signal

    try:
        return scipy.signal.get_window(name, length, fftbins=periodic)
    except ValueError as error:
        raise ValueError(f"STFT: unknown window {name!r} ({error})") from None
