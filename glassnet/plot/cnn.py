"""Seeing inside a convolutional network: its filters, and the feature maps an image produces.

* ``filters(conv_layer)``: a Conv2D kernel has shape (kh, kw, C_in, filters); each filter
  is a small kh × kw image per input channel. A first layer on RGB images shows each filter
  in colour (its three channels, min-max scaled together); otherwise one input channel is
  shown on a diverging scale — blue negative, white zero, red positive, one scale for all
  filters, so that strong and weak filters can be compared. Trained first layers show edge,
  bar and blob detectors.
* ``feature_maps(model, layer_name, x)``: the layer's output for one image — one map per
  filter, read with a second model ``Model(model.inputs, layer.output)`` that shares the
  weights (the feature-extraction pattern of transfer learning). Bright where the filter
  responded.
"""
from __future__ import annotations

import numpy as np

from ._figure import grid_shape, new_figure, save


def _kernel(conv_layer) -> np.ndarray:
    kernel = getattr(conv_layer, "kernel", None)
    if kernel is None:
        raise TypeError(f"filters: expected a built Conv2D layer, got {type(conv_layer).__name__} "
                        f"{getattr(conv_layer, 'name', '')!r} without a kernel")
    kernel = np.asarray(kernel.numpy() if hasattr(kernel, "numpy") else kernel)
    if kernel.ndim != 4:
        raise ValueError(f"filters: expected a 2-D convolution kernel (kh, kw, in, filters), got shape {kernel.shape}")
    return kernel


def filters(conv_layer, channel=0, max_filters=64, columns=8, to_file=None):
    """The learned kernels of a Conv2D layer, one small image per filter.

    Args:
        conv_layer: a built ``Conv2D`` layer (or anything with a 4-D ``kernel``).
        channel: the input channel to show when the layer has neither 1 nor 3 input
            channels (an RGB first layer is shown in colour).
        max_filters: show at most this many filters.
        columns: filters per row.
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure: one axes with one image per filter shown.
    """
    kernel = _kernel(conv_layer)
    kh, kw, c_in, count = kernel.shape
    count = min(count, int(max_filters))
    rows, columns = grid_shape(count, columns)
    figure, axes = new_figure(rows, columns, figsize=(1.1 * columns, 1.2 * rows + 0.5), squeeze=False,
                              layout="constrained")
    colour = c_in == 3
    if not colour and not 0 <= channel < c_in:
        raise ValueError(f"filters: channel must be in [0, {c_in}), got {channel}")
    limit = float(np.abs(kernel[:, :, channel if not colour else slice(None), :count]).max()) or 1.0
    for i, axis in enumerate(axes.flat):
        axis.set_axis_off()
        if i >= count:
            continue
        if colour:
            f = kernel[:, :, :, i]
            axis.imshow((f - f.min()) / (np.ptp(f) or 1.0))
        else:
            axis.imshow(kernel[:, :, channel, i], cmap="bwr", vmin=-limit, vmax=limit)
        axis.set_title(str(i), fontsize=7)
    what = "RGB" if colour else (f"input channel {channel}" if c_in > 1 else "")
    figure.suptitle(f"{getattr(conv_layer, 'name', 'conv')}: {count} filters {kh}×{kw} {what}".strip(), fontsize=10)
    return save(figure, to_file)


def feature_maps(model, layer_name, x, max_maps=32, columns=8, to_file=None):
    """The feature maps one input image produces at the layer ``layer_name``.

    Args:
        model: a built Sequential or functional model.
        layer_name: the name of a layer with a 4-D output (batch, h, w, channels).
        x: one image (h, w, c) or a batch of one (1, h, w, c).
        max_maps: show at most this many maps.
        columns: maps per row (the input image takes the first cell).
        to_file: optional path (.png, .svg or .pdf) to save the figure to.

    Returns:
        The matplotlib Figure: the input image, then one image per map.

    Raises:
        ValueError: an unknown layer name, or a layer whose output is not 4-D.
    """
    from ..models.functional import Functional

    layer = model.get_layer(layer_name)
    extractor = Functional(model.inputs, layer.output)
    image = np.asarray(x, dtype=np.float32)
    batch = image[None] if image.ndim == len(model.inputs[0].shape) - 1 else image
    if batch.shape[0] != 1:
        raise ValueError(f"feature_maps: x must be one image, got a batch of {batch.shape[0]}")
    maps = np.asarray(extractor.predict(batch, verbose=0))
    if maps.ndim != 4:
        raise ValueError(f"feature_maps: layer {layer_name!r} outputs shape {maps.shape[1:]}; "
                         "expected (h, w, channels)")
    count = min(maps.shape[-1], int(max_maps))
    rows, columns = grid_shape(count + 1, columns)
    figure, axes = new_figure(rows, columns, figsize=(1.3 * columns, 1.4 * rows + 0.5), squeeze=False,
                              layout="constrained")
    for axis in axes.flat:
        axis.set_axis_off()
    picture = batch[0]
    if picture.shape[-1] == 3:
        axes.flat[0].imshow((picture - picture.min()) / (np.ptp(picture) or 1.0))
    else:
        axes.flat[0].imshow(picture[..., 0], cmap="gray")
    axes.flat[0].set_title("input", fontsize=7)
    for i in range(count):
        axes.flat[i + 1].imshow(maps[0, :, :, i], cmap="viridis")
        axes.flat[i + 1].set_title(str(i), fontsize=7)
    figure.suptitle(f"{layer_name}: {count} of {maps.shape[-1]} feature maps, {maps.shape[1]}×{maps.shape[2]}",
                    fontsize=10)
    return save(figure, to_file)
