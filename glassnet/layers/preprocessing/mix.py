"""Mixing augmentations: MixUp and CutMix combine each image (and its label) with another of the batch.

Each image i is paired with image π(i) of a random permutation π of the batch. The layers
take a batch of images, or Keras's dict ``{"images": ..., "labels": ...}`` (one-hot or soft
labels, (batch, classes)) and then return such a dict with the labels mixed as well:

    labels' = λ·labels + (1 − λ)·labels[π]       λ per image: the share of image i kept

They are the identity at inference, and on one unbatched image.
"""
from __future__ import annotations

import numpy as np

from ... import ops
from .base_augmentation import RandomAugmentation, _is_number, parse_factor
from .erasing import random_boxes


class MixAugmentation(RandomAugmentation):
    """Base of MixUp and CutMix: images or {"images", "labels"} in, the same structure out."""

    def images_of(self, data):
        """``data["images"]`` of a dict (refused without that key), else ``data`` itself."""
        if not isinstance(data, dict):
            return data
        if "images" not in data:
            raise ValueError(f"{type(self).__name__}: a dict input needs the key 'images', got keys {sorted(data)}")
        return data["images"]

    def build(self, input_shape):
        self.check_image_shape(self.images_of(input_shape))

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, dict):
            return {key: tuple(shape) for key, shape in input_shape.items()}
        return self.check_image_shape(input_shape)

    def transform_labels(self, labels, transformation, training=True):
        """λ·labels + (1 − λ)·labels[π], with λ = ``transformation["mix_weight"]``."""
        labels = self.to_float(labels)
        if not training:
            return labels
        weight = np.asarray(transformation["mix_weight"], labels.dtype).reshape(-1, 1)
        order = np.asarray(transformation["permutation_order"], np.int64)
        return labels * weight + ops.take(labels, order, axis=0) * (1.0 - weight)

    def call(self, inputs, training=None):
        data = inputs if isinstance(inputs, dict) else {"images": inputs}
        self.check_image_shape(self.images_of(data).shape)
        outputs = {**data, "images": self.to_float(data["images"])}
        if training and outputs["images"].ndim == 4:
            transformation = self.get_random_transformation(outputs["images"].shape)
            outputs["images"] = self.transform_images(outputs["images"], transformation)
            if "labels" in data:
                outputs["labels"] = self.transform_labels(data["labels"], transformation)
        return outputs if isinstance(inputs, dict) else outputs["images"]


class MixUp(MixAugmentation):
    """MixUp (Zhang et al., 2018): each image becomes a weighted mean of itself and another, in training.

    Formula: draw a permutation π of the batch and λ ~ Beta(α, α) per image;
        y = λ·x + (1 − λ)·x[π],      labels' = λ·labels + (1 − λ)·labels[π]

    Args:
        alpha: α > 0 of the Beta distribution (default 0.2: λ mostly near 0 or 1).
        data_format: "channels_last" (or None).
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.

    Input shape:
        (batch, height, width, channels), or a dict {"images": ..., "labels": (batch, classes)}.

    Output shape:
        Same as the input.
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if not _is_number(alpha) or alpha <= 0:
            raise ValueError(f"MixUp: alpha must be a positive number, got {alpha!r}")
        self.alpha = alpha

    def get_random_transformation(self, images_shape) -> dict:
        """{"mix_weight": λ (batch,), "permutation_order": π (batch,)}."""
        batch = images_shape[0]
        return {"mix_weight": self.generator.beta(self.alpha, self.alpha, (batch,)),
                "permutation_order": self.generator.permutation(batch)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        weight = np.asarray(transformation["mix_weight"], images.dtype).reshape(-1, 1, 1, 1)
        order = np.asarray(transformation["permutation_order"], np.int64)
        return images * weight + ops.take(images, order, axis=0) * (1.0 - weight)

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}


class CutMix(MixAugmentation):
    """CutMix (Yun et al., 2019): a random box of each image is pasted from another, in training.

    Formula: draw α ~ U[factor] (+10⁻⁶) for the batch, then per image λ₀ ~ Beta(α, α), a box
    with sides √(1 − λ₀) of the width and height placed uniformly (``erasing.random_boxes``),
    and a permutation π of the batch;
        y = x[π] inside the box, x outside,      λ = 1 − box area / image area
        labels' = λ·labels + (1 − λ)·labels[π]

    Args:
        factor: the range of α: a number f in [0, 1] (the pair (0, f)) or a pair; default 1.0.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels), or a dict {"images": ..., "labels": (batch, classes)}.

    Output shape:
        Same as the input.
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = parse_factor(type(self).__name__, factor, bounds=(0, 1))

    def get_random_transformation(self, images_shape) -> dict:
        """{"permutation_order": π (batch,), "batch_masks": boolean images_shape,
        "mix_weight": λ (batch, 1, 1, 1)}."""
        batch, height, width = images_shape[:3]
        alpha = self.generator.uniform(self.factor[0], self.factor[1]) + 1e-6
        ratio = np.sqrt(1.0 - self.generator.beta(alpha, alpha, (batch,)))
        masks, (x0, x1, y0, y1) = random_boxes(self.generator, images_shape, ratio, ratio)
        return {"permutation_order": self.generator.permutation(batch), "batch_masks": masks,
                "mix_weight": (1.0 - (x1 - x0) * (y1 - y0) / (width * height)).reshape(-1, 1, 1, 1)}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        order = np.asarray(transformation["permutation_order"], np.int64)
        masks = np.broadcast_to(np.asarray(transformation["batch_masks"], bool), images.shape)
        return ops.where(masks, ops.take(images, order, axis=0), images)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": self.factor}

