"""keras.ops.math Fourier transforms, on (real, imaginary) pairs as Keras passes them.

glassnet's tensors are real, and so are Keras's arguments here: a complex signal is the pair
``(real, imag)``. The discrete Fourier transform of x of length N is

    X_k = Σ_n x_n · e^(−2πi·kn/N) = Σ_n x_n · (cos θ_kn − i·sin θ_kn),   θ_kn = 2π·kn/N

so with the matrices C = cos θ and S = sin θ, for x = a + ib:

    Re X = a·C + b·S,      Im X = b·C − a·S                       (fft)
    Re x = (Re X·C − Im X·S)/N,   Im x = (Im X·C + Re X·S)/N      (the inverse)

Each transform is two or four matrix products (``MatMul``), O(N²) rather than the FFT's
O(N log N), and differentiable like any product. ``rfft`` keeps the N//2 + 1 non-redundant
bins of a real signal; ``irfft`` rebuilds the real signal from them (the other bins are their
conjugates); ``stft`` frames the signal (reflect-padded by fft_length//2 when centred),
multiplies each frame by the window and takes its ``rfft``; ``istft`` undoes it by overlap-add.
"""
from __future__ import annotations

import math

import numpy as np

from ..tensor import Tensor
from .elementwise import Add, Div, Mul, Sub
from .keras_base import constant, float_tensor, promoted_float
from .math_primitives import ScatterAdd
from .matmul_ops import MatMul
from .numpy_shape import pad, swapaxes
from .shape_ops import Transpose


def _angles(n_in: int, n_out: int, length: int, dtype) -> tuple:
    """C[n, k] = cos(2πkn/length), S[n, k] = sin(2πkn/length) for n < n_in, k < n_out."""
    theta = 2.0 * math.pi * np.outer(np.arange(n_in), np.arange(n_out)) / length
    return constant(np.cos(theta).astype(dtype)), constant(np.sin(theta).astype(dtype))


def _pair_of(x) -> tuple:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("expects a tuple (real, imag) of two tensors of the same shape")
    real, imag = promoted_float(*x)
    if real.shape != imag.shape:
        raise ValueError(f"real and imaginary parts differ in shape: {real.shape} and {imag.shape}")
    return real, imag


def _dft(real: Tensor, imag: Tensor, inverse: bool) -> tuple:
    n = real.shape[-1]
    c, s = _angles(n, n, n, real.dtype)
    if not inverse:
        return (Add.apply(MatMul.apply(real, c), MatMul.apply(imag, s)),
                Sub.apply(MatMul.apply(imag, c), MatMul.apply(real, s)))
    scale = constant(np.asarray(n, real.dtype))
    return (Div.apply(Sub.apply(MatMul.apply(real, c), MatMul.apply(imag, s)), scale),
            Div.apply(Add.apply(MatMul.apply(imag, c), MatMul.apply(real, s)), scale))


def fft(x) -> tuple:
    """The DFT of (real, imag) along the last axis."""
    return _dft(*_pair_of(x), inverse=False)


def fft2(x) -> tuple:
    """The 2-D DFT of (real, imag) over the last two axes."""
    real, imag = _dft(*_pair_of(x), inverse=False)
    real, imag = _dft(swapaxes(real, -1, -2), swapaxes(imag, -1, -2), inverse=False)
    return swapaxes(real, -1, -2), swapaxes(imag, -1, -2)


def ifft2(x) -> tuple:
    """The inverse 2-D DFT of (real, imag) over the last two axes."""
    real, imag = _dft(*_pair_of(x), inverse=True)
    real, imag = _dft(swapaxes(real, -1, -2), swapaxes(imag, -1, -2), inverse=True)
    return swapaxes(real, -1, -2), swapaxes(imag, -1, -2)


def _fit(x: Tensor, length: int) -> Tensor:
    """x cropped or zero-padded along its last axis to ``length``."""
    n = x.shape[-1]
    if n == length:
        return x
    if n > length:
        return x[..., :length]
    return pad(x, [(0, 0)] * (x.ndim - 1) + [(0, length - n)])


def rfft(x, fft_length=None) -> tuple:
    """The DFT of a real signal along the last axis, bins 0 … N//2: (real, imag)."""
    x = float_tensor(x)
    n = x.shape[-1] if fft_length is None else int(fft_length)
    x = _fit(x, n)
    c, s = _angles(n, n // 2 + 1, n, x.dtype)
    return MatMul.apply(x, c), Mul.apply(MatMul.apply(x, s), constant(np.asarray(-1.0, x.dtype)))


def irfft(x, fft_length=None) -> Tensor:
    """The real signal of length N (default 2·(bins − 1)) whose rfft is (real, imag).

    x_n = (1/N) Σ_k w_k (Re X_k cos θ_kn − Im X_k sin θ_kn), with w = 1 for the DC (and, for
    even N, the Nyquist) bin and 2 for the others, which stand for their conjugate twins.
    """
    real, imag = _pair_of(x)
    n = 2 * (real.shape[-1] - 1) if fft_length is None else int(fft_length)
    bins = n // 2 + 1
    real, imag = _fit(real, bins), _fit(imag, bins)
    theta = 2.0 * math.pi * np.outer(np.arange(bins), np.arange(n)) / n
    weight = np.full((bins, 1), 2.0)
    weight[0] = 1.0
    if n % 2 == 0:
        weight[-1] = 1.0
    c = constant((weight * np.cos(theta) / n).astype(real.dtype))
    s = constant((weight * np.sin(theta) / n).astype(real.dtype))
    return Sub.apply(MatMul.apply(real, c), MatMul.apply(imag, s))


def _window(window, length: int, dtype):
    if window is None:
        return np.ones(length, dtype)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"stft: window must be 'hann', 'hamming', a tensor or None, got {window!r}")
        n = np.arange(length)
        a = 0.5 if window == "hann" else 0.54
        return (a - (1 - a) * np.cos(2 * math.pi * n / length)).astype(dtype)    # periodic, as torch
    values = np.asarray(float_tensor(window).data, dtype)
    if values.shape != (length,):
        raise ValueError(f"stft: window must have shape ({length},), got {values.shape}")
    return values


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True) -> tuple:
    """The short-time Fourier transform of real signals (…, samples): (real, imag) of shape
    (…, frames, fft_length//2 + 1). Frames of ``fft_length`` every ``sequence_stride`` samples,
    each multiplied by the window (length ``sequence_length``, centred and zero-padded)."""
    x = float_tensor(x)
    if fft_length < sequence_length:
        raise ValueError(f"stft: fft_length {fft_length} must be at least sequence_length {sequence_length}")
    win = np.zeros(fft_length, x.dtype)
    left = (fft_length - sequence_length) // 2
    win[left:left + sequence_length] = _window(window, sequence_length, x.dtype)
    if center:
        x = pad(x, [(0, 0)] * (x.ndim - 1) + [(fft_length // 2, fft_length // 2)], mode="reflect")
    count = 1 + (x.shape[-1] - fft_length) // sequence_stride
    index = np.arange(count)[:, None] * sequence_stride + np.arange(fft_length)[None, :]
    frames = x[..., index]                                                      # (…, frames, fft_length)
    return rfft(Mul.apply(frames, constant(win)), fft_length)


def _overlap_add(frames: Tensor, stride: int) -> Tensor:
    """Σ over frames t of frame_t placed at sample t·stride: (…, F, N) -> (…, N + stride·(F − 1))."""
    count, n = frames.shape[-2:]
    lead = frames.ndim - 2
    positions = np.arange(count)[:, None] * stride + np.arange(n)[None, :]
    moved = Transpose.apply(frames, axes=(lead, lead + 1, *range(lead)))                 # (F, N, …)
    placed = ScatterAdd.apply(moved, index=(positions,), shape=(n + stride * (count - 1), *frames.shape[:lead]))
    return Transpose.apply(placed, axes=(*range(1, lead + 1), 0))


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann", center=True) -> Tensor:
    """The signal whose ``stft`` is x = (real, imag) of shape (…, frames, fft_length//2 + 1).

    Each frame is ``irfft``-ed, multiplied by the window and overlap-added, then divided by the
    overlap-added squared window so that istft(stft(s)) = s. As Keras: with sequence_length =
    fft_length and ``center`` (torch.istft's case) the divisor is the exact envelope
    Σ_t w²(n − t·stride); otherwise the steady-state sum Σ_j w²((n mod stride) + j·stride) of
    TensorFlow's ``inverse_stft_window_fn``. ``center`` trims fft_length//2 from both ends;
    ``length`` sets the number of samples returned.
    """
    frames = irfft(x, fft_length)
    count = frames.shape[-2]
    total = fft_length + sequence_stride * (count - 1)
    if window is None:
        signal = _overlap_add(frames, sequence_stride)
    else:
        win = np.zeros(fft_length)
        left = (fft_length - sequence_length) // 2
        win[left:left + sequence_length] = _window(window, sequence_length, np.float64)
        if sequence_length == fft_length and center:
            positions = np.arange(count)[:, None] * sequence_stride + np.arange(fft_length)[None, :]
            envelope = np.zeros(total)
            np.add.at(envelope, positions, np.broadcast_to(win * win, positions.shape))
            signal = _overlap_add(Mul.apply(frames, constant(win.astype(frames.dtype))), sequence_stride)
            signal = Div.apply(signal, constant(np.where(envelope > 1e-11, envelope, 1.0).astype(frames.dtype)))
        else:
            overlaps = -(-fft_length // sequence_stride)
            squares = np.pad(win * win, (0, overlaps * sequence_stride - fft_length))
            period = squares.reshape(overlaps, sequence_stride).sum(axis=0)
            scaled = win / np.tile(period, overlaps)[:fft_length]
            signal = _overlap_add(Mul.apply(frames, constant(scaled.astype(frames.dtype))), sequence_stride)
    start = fft_length // 2 if center else 0
    end = start + length if length is not None else (total - fft_length // 2 if center else total)
    return signal[..., start:end]


__all__ = ["fft", "fft2", "ifft2", "rfft", "irfft", "stft", "istft"]
