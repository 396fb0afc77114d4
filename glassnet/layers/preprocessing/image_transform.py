"""Geometric image transforms: affine/projective resampling and resizing, on channels-last images.

Every geometric augmentation layer (RandomTranslation, RandomZoom, RandomRotation) and the
resizing layers (Resizing, CenterCrop, RandomCrop) do their pixel work here, with the
semantics of Keras 3's ``keras.ops.image.affine_transform`` and ``keras.ops.image.resize``
(the NumPy/JAX/PyTorch backends). Images are ``(batch, height, width, channels)`` or one
``(height, width, channels)`` image. Everything is vectorised NumPy under glassnet ops
(a gather with index arrays, weighted sums, matrix products), so gradients reach the image:
∂out/∂image scatters each output gradient back to the pixels it was read from, with the
same interpolation weights.

Affine transform — output pixel (x, y) (x the column, y the row) reads the input at the
transformed point. With one transform [a0, a1, a2, b0, b1, b2, c0, c1] per image:

    k    = c0·x + c1·y + 1
    x_in = (a0·x + a1·y + a2) / k
    y_in = (b0·x + b1·y + b2) / k

(Keras's layers always pass c0 = c1 = 0, a plain affine map; the projective terms are
TensorFlow's ``ImageProjectiveTransform`` convention.) The value at (y_in, x_in) is

    bilinear:  x0 = ⌊x_in⌋, y0 = ⌊y_in⌋, u = x_in − x0, v = y_in − y0
               out = (1−v)(1−u)·I[y0, x0] + (1−v)·u·I[y0, x0+1] + v·(1−u)·I[y0+1, x0] + v·u·I[y0+1, x0+1]
    nearest:   out = I[round(y_in), round(x_in)]      (round half to even, as NumPy and torch)

A neighbour index outside the image is mapped back by ``fill_mode``, one neighbour at a time
(as JAX's ``map_coordinates``, which Keras's backends copy):

    reflect   (d c b a | a b c d | d c b a)   reflection about the edge of the last pixel
    mirror    (d c b | a b c d | c b a)       reflection about the centre of the last pixel
    wrap      (a b c d | a b c d | a b c d)
    nearest   (a a a a | a b c d | d d d d)
    constant  (k k k k | a b c d | k k k k)   the neighbour contributes k = fill_value

Resize — separable: each spatial axis of size n_in → n_out is a matrix product with a
weight matrix M (n_in, n_out) (the JAX/Keras ``scale_and_translate`` kernel weights):

    s = n_out / n_in,  sample point of output j:  t_j = (j + ½)/s − ½   (half-pixel centres)
    M[i, j] = K(|t_j − i| / σ) / Σ_i K(|t_j − i| / σ),   σ = max(1/s, 1) with antialias, else 1
    K = triangle max(0, 1 − |x|) (bilinear), Keys cubic a = −½ (bicubic), lanczos3 / lanczos5

and "nearest" reads input index ⌊(j + ½)·n_in / n_out⌋. Only axes whose size changes are
resampled.
"""
from __future__ import annotations

import numpy as np

from ... import ops
from ...tensor import Tensor

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
"""The fill modes of Keras's augmentation layers (the functions here also take "mirror")."""
INTERPOLATIONS = ("nearest", "bilinear")
"""The interpolations of ``affine_transform`` (and of Keras's augmentation layers)."""
RESIZE_INTERPOLATIONS = ("bilinear", "nearest", "bicubic", "lanczos3", "lanczos5")


def _check_option(owner: str, name: str, value, options) -> str:
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{owner}: {name} must be one of {options}, got {value!r}")
    return value


def _as_image_batch(owner: str, images) -> tuple:
    """(Tensor of shape (batch, h, w, c), whether the input was one unbatched image)."""
    images = images if isinstance(images, Tensor) else Tensor(np.asarray(images))
    if images.ndim not in (3, 4):
        raise ValueError(f"{owner}: expected images of shape (batch, height, width, channels) or "
                         f"(height, width, channels), got shape {tuple(images.shape)}")
    if images.ndim == 3:
        return ops.expand_dims(images, 0), True
    return images, False


def _float_weights(weights: np.ndarray, images: Tensor) -> np.ndarray:
    dtype = images.dtype if np.dtype(images.dtype).kind == "f" else np.float64
    return weights.astype(dtype)


# --- fill modes: bring an integer index back into [0, size) -----------------------------------
def _mirror_index(index: np.ndarray, size: int) -> np.ndarray:
    """Reflection about the centre of the edge pixels: a triangle wave of half-period size − 1."""
    if size == 1:
        return np.zeros_like(index)
    s = size - 1
    return np.abs((index + s) % (2 * s) - s)


def _fold(index: np.ndarray, size: int, fill_mode: str) -> np.ndarray:
    if fill_mode in ("constant", "nearest"):
        return np.clip(index, 0, size - 1)   # "constant" masks these neighbours out afterwards
    if fill_mode == "wrap":
        return index % size
    if fill_mode == "mirror":
        return _mirror_index(index, size)
    return (_mirror_index(2 * index + 1, 2 * size + 1) - 1) // 2      # reflect


def fix_index(index: np.ndarray, size: int, fill_mode: str) -> np.ndarray:
    """The in-range index that ``fill_mode`` reads for an integer ``index`` (any value)."""
    outside = (index < 0) | (index >= size)
    if not outside.any():
        return index
    fixed = index.copy()
    fixed[outside] = _fold(index[outside], size, fill_mode)     # the (few) indices outside the image
    return fixed


def _neighbours(coordinate: np.ndarray, interpolation: str) -> list:
    """[(integer index, weight), ...] of the 1-D interpolation at ``coordinate``."""
    if interpolation == "nearest":
        return [(np.rint(coordinate).astype(np.int64), np.ones_like(coordinate))]
    lower = np.floor(coordinate)
    upper_weight = coordinate - lower
    lower = lower.astype(np.int64)
    return [(lower, 1.0 - upper_weight), (lower + 1, upper_weight)]


def sample(images: Tensor, x: np.ndarray, y: np.ndarray, interpolation: str = "bilinear",
           fill_mode: str = "constant", fill_value: float = 0.0) -> Tensor:
    """Read ``images`` (batch, h, w, c) at the points (y, x), arrays that broadcast to (batch, h', w').

    One gather of all neighbours at once (index arrays into the image seen as rows of
    channels), then the weighted sum of the module docstring. Returns (batch, h', w', c).
    An axis-aligned transform (a shift, a zoom) passes x as (batch, 1, w') and y as
    (batch, h', 1), so the interpolation arithmetic runs on rows and columns, not on every pixel.
    """
    batch, height, width, channels = images.shape
    shape = np.broadcast_shapes(x.shape, y.shape, (batch, 1, 1))
    dtype = images.dtype if np.dtype(images.dtype).kind == "f" else np.float64
    first = (np.arange(batch) * (height * width)).reshape(-1, 1, 1)   # row of each image's pixel (0, 0)
    constant = fill_mode == "constant"
    rows = [(first + fix_index(i, height, fill_mode) * width, w.astype(dtype), (i >= 0) & (i < height))
            for i, w in _neighbours(y, interpolation)]
    columns = [(fix_index(j, width, fill_mode), w.astype(dtype), (j >= 0) & (j < width))
               for j, w in _neighbours(x, interpolation)]
    count = len(rows) * len(columns)
    indices, weights = np.empty((count, *shape), np.intp), np.empty((count, *shape), dtype)
    filled = np.zeros(shape, dtype) if constant else None
    n = 0
    for row, row_weight, row_inside in rows:
        for column, column_weight, column_inside in columns:
            np.add(row, column, out=indices[n])
            np.multiply(row_weight, column_weight, out=weights[n])
            if constant:                     # a neighbour outside the image contributes fill_value
                outside = np.broadcast_to(~(row_inside & column_inside), shape)
                filled[outside] += weights[n][outside]
                weights[n][outside] = 0.0
            n += 1
    pixels = ops.reshape(images, (batch * height * width, channels))
    gathered = ops.getitem(pixels, indices)                            # (neighbours, batch, h', w', c)
    out = ops.sum(gathered * weights[..., None], axis=0)
    if constant and fill_value != 0:
        out = out + (filled * np.asarray(fill_value, dtype))[..., None]
    return out


def affine_transform(images, transform, interpolation: str = "bilinear", fill_mode: str = "constant",
                     fill_value: float = 0.0) -> Tensor:
    """Resample images through a projective transform (see the module docstring).

    Args:
        images: (batch, height, width, channels) or (height, width, channels), Tensor or array.
        transform: (8,) for every image, or (batch, 8): [a0, a1, a2, b0, b1, b2, c0, c1],
            mapping output pixel (x, y) to the input point it reads.
        interpolation: "bilinear" or "nearest".
        fill_mode: "reflect", "wrap", "constant", "nearest" (or "mirror").
        fill_value: the value of points outside the image with ``fill_mode="constant"``.

    Returns:
        A Tensor of the shape of ``images``.
    """
    _check_option("affine_transform", "interpolation", interpolation, INTERPOLATIONS)
    _check_option("affine_transform", "fill_mode", fill_mode, FILL_MODES + ("mirror",))
    images, unbatched = _as_image_batch("affine_transform", images)
    transform = np.asarray(transform, dtype=np.float64)
    if transform.ndim == 1:
        transform = transform[None]
    if transform.ndim != 2 or transform.shape[1] != 8 or transform.shape[0] not in (1, images.shape[0]):
        raise ValueError(f"affine_transform: transform must have shape (8,) or ({images.shape[0]}, 8), "
                         f"got {transform.shape}")
    height, width = images.shape[1:3]
    x, y = np.arange(width, dtype=np.float64).reshape(1, 1, -1), np.arange(height, dtype=np.float64).reshape(1, -1, 1)
    a0, a1, a2, b0, b1, b2, c0, c1 = (t.reshape(-1, 1, 1) for t in transform.T)
    x_in, y_in = a0 * x + a2, b1 * y + b2            # (batch, 1, w) and (batch, h, 1) while axis-aligned
    if a1.any():
        x_in = x_in + a1 * y
    if b0.any():
        y_in = y_in + b0 * x
    if c0.any() or c1.any():
        k = c0 * x + c1 * y + 1.0
        x_in, y_in = x_in / k, y_in / k
    out = sample(images, x_in, y_in, interpolation, fill_mode, fill_value)
    return ops.squeeze(out, 0) if unbatched else out


# --- the transforms of the augmentation layers, as rows [a0, a1, a2, b0, b1, b2, c0, c1] -------
def translation_matrix(translations) -> np.ndarray:
    """Shift by (dx, dy) pixels: the output at (x, y) reads the input at (x − dx, y − dy).

    ``translations``: (batch, 2) of [dx, dy]; positive dx moves the picture right, dy down.
    """
    t = np.asarray(translations, dtype=np.float64).reshape(-1, 2)
    one, zero = np.ones(len(t)), np.zeros(len(t))
    return np.stack([one, zero, -t[:, 0], zero, one, -t[:, 1], zero, zero], axis=1)


def zoom_matrix(zooms, height: int, width: int) -> np.ndarray:
    """Scale about the image centre: x_in = z_x·(x − c_x) + c_x, c_x = (width − 1)/2 (same for y).

    ``zooms``: (batch, 2) of [z_x, z_y]; z > 1 reads a larger area (zoom out), z < 1 zooms in.
    """
    z = np.asarray(zooms, dtype=np.float64).reshape(-1, 2)
    zero = np.zeros(len(z))
    x_offset = (width - 1.0) / 2.0 * (1.0 - z[:, 0])
    y_offset = (height - 1.0) / 2.0 * (1.0 - z[:, 1])
    return np.stack([z[:, 0], zero, x_offset, zero, z[:, 1], y_offset, zero, zero], axis=1)


def rotation_matrix(angles, height: int, width: int) -> np.ndarray:
    """Rotate by ``angles`` (degrees, (batch,)) about the centre c = ((width − 1)/2, (height − 1)/2).

    x_in = cos θ·(x − c_x) − sin θ·(y − c_y) + c_x,   y_in = sin θ·(x − c_x) + cos θ·(y − c_y) + c_y.
    With y pointing down, a positive θ turns the picture counter-clockwise (θ = 90° is np.rot90).
    """
    theta = np.deg2rad(np.asarray(angles, dtype=np.float64).reshape(-1))
    cos, sin, zero = np.cos(theta), np.sin(theta), np.zeros(len(theta))
    cx, cy = 0.5 * (width - 1), 0.5 * (height - 1)
    return np.stack([cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos, zero, zero], axis=1)


# --- resizing ------------------------------------------------------------------------------------
def _triangle(x):
    return np.maximum(0.0, 1.0 - np.abs(x))


def _keys_cubic(x):
    """Keys' cubic convolution kernel with a = −½ (x ≥ 0)."""
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius):
    def kernel(x):
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        out = np.where(x > 1e-3, np.divide(y, np.where(x != 0, np.pi ** 2 * x ** 2, 1.0)), 1.0)
        return np.where(x > radius, 0.0, out)
    return kernel


_KERNELS = {"bilinear": _triangle, "bicubic": _keys_cubic, "lanczos3": _lanczos(3.0), "lanczos5": _lanczos(5.0)}


def resize_weights(in_size: int, out_size: int, interpolation: str = "bilinear", antialias: bool = False) -> np.ndarray:
    """The (in_size, out_size) matrix M of one axis: resized = Σ_i image[i]·M[i, j]."""
    scale = out_size / in_size
    kernel_scale = max(1.0 / scale, 1.0) if antialias else 1.0
    t = (np.arange(out_size) + 0.5) / scale - 0.5                      # sample points, in input pixels
    weights = _KERNELS[interpolation](np.abs(t[None, :] - np.arange(in_size)[:, None]) / kernel_scale)
    total = weights.sum(axis=0, keepdims=True)
    weights = np.where(np.abs(total) > 1000.0 * np.finfo(np.float32).eps,
                       weights / np.where(total != 0, total, 1.0), 0.0)
    return np.where(((t >= -0.5) & (t <= in_size - 0.5))[None, :], weights, 0.0)


def nearest_indices(in_size: int, out_size: int) -> np.ndarray:
    """⌊(j + ½)·in_size / out_size⌋ for each output j, in exact integer arithmetic."""
    return ((2 * np.arange(out_size) + 1) * in_size) // (2 * out_size)


def aspect_ratio_crop_box(height: int, width: int, target_height: int, target_width: int) -> tuple:
    """(top, left, crop_height, crop_width): the largest central window with the target's aspect ratio."""
    crop_height = max(min(height, int(float(width * target_height) / target_width)), 1)
    crop_width = max(min(width, int(float(height * target_width) / target_height)), 1)
    return int(float(height - crop_height) / 2), int(float(width - crop_width) / 2), crop_height, crop_width


def _pad_to_aspect_ratio(images: Tensor, target_height: int, target_width: int, fill_value: float) -> Tensor:
    """Pad the short side evenly (the same amount on both sides, as Keras) with ``fill_value``."""
    height, width = images.shape[1:3]
    pad_height = max(height, int(float(width * target_height) / target_width))
    pad_width = max(width, int(float(height * target_width) / target_height))
    top, left = int(float(pad_height - height) / 2), int(float(pad_width - width) / 2)
    if top > 0:
        return ops.pad(images, ((0, 0), (top, top), (0, 0), (0, 0)), constant_values=fill_value)
    if left > 0:
        return ops.pad(images, ((0, 0), (0, 0), (left, left), (0, 0)), constant_values=fill_value)
    return images


def resize(images, height: int, width: int, interpolation: str = "bilinear", antialias: bool = False,
           crop_to_aspect_ratio: bool = False, pad_to_aspect_ratio: bool = False, fill_value: float = 0.0) -> Tensor:
    """Resize float images to (height, width) (see the module docstring).

    Args:
        images: (batch, h, w, c) or (h, w, c), float Tensor or array.
        height, width: the output size.
        interpolation: "bilinear", "nearest", "bicubic", "lanczos3" or "lanczos5".
        antialias: widen the kernel by the downscaling factor (a low-pass filter first).
        crop_to_aspect_ratio: first crop the largest central window of the target aspect ratio.
        pad_to_aspect_ratio: first pad the short side with ``fill_value`` to the target aspect ratio.

    Returns:
        A Tensor (batch, height, width, c) (or (height, width, c)).
    """
    _check_option("resize", "interpolation", interpolation, RESIZE_INTERPOLATIONS)
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("resize: only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True")
    images, unbatched = _as_image_batch("resize", images)
    if crop_to_aspect_ratio:
        top, left, crop_height, crop_width = aspect_ratio_crop_box(*images.shape[1:3], height, width)
        images = ops.getitem(images, (slice(None), slice(top, top + crop_height), slice(left, left + crop_width)))
    elif pad_to_aspect_ratio:
        images = _pad_to_aspect_ratio(images, height, width, fill_value)
    in_height, in_width = images.shape[1:3]
    if interpolation == "nearest":
        rows, columns = nearest_indices(in_height, height), nearest_indices(in_width, width)
        out = ops.getitem(images, (slice(None), rows[:, None], columns[None, :]))
    else:
        out = images
        if in_height != height:          # rows: (h_out, h_in) · (batch, h_in, w·c)
            M = _float_weights(resize_weights(in_height, height, interpolation, antialias), images)
            batch, _, w, c = out.shape
            out = ops.reshape(ops.matmul(M.T, ops.reshape(out, (batch, in_height, w * c))), (batch, height, w, c))
        if in_width != width:            # columns: (batch, h, c, w_in) · (w_in, w_out)
            M = _float_weights(resize_weights(in_width, width, interpolation, antialias), images)
            out = ops.transpose(ops.matmul(ops.transpose(out, (0, 1, 3, 2)), M), (0, 1, 3, 2))
    return ops.squeeze(out, 0) if unbatched else out


def smart_resize(images, height: int, width: int, interpolation: str = "bilinear") -> Tensor:
    """Crop the largest central window of the target aspect ratio, then resize it (Keras's
    ``smart_resize``: no distortion)."""
    return resize(images, height, width, interpolation=interpolation, crop_to_aspect_ratio=True)
