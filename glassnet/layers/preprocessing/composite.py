"""Augmentations made of other augmentation layers: RandomColorJitter, RandAugment, AugMix.

``CompositeAugmentation`` holds the sub-layers as attributes named as Keras names them
(``random_shear``, ``solarization``, ...); every sub-layer draws from the composite's own
random stream, so one ``seed`` makes the whole composite repeat. A transformation is a dict
of the sub-layers' transformations (Keras's structure), so the very same parameters can go
to Keras's ``transform_images``.
"""
from __future__ import annotations

import numbers

import numpy as np

from ... import ops
from . import colour_space, image_transform
from .base_augmentation import RandomAugmentation, _is_number, as_config_value, check_option, parse_factor
from .color import RandomColorDegeneration, RandomHue, RandomSaturation
from .filters import RandomSharpness
from .random_brightness import RandomBrightness
from .random_contrast import RandomContrast
from .random_rotation import RandomRotation
from .random_translation import RandomTranslation
from .shear import RandomShear
from .tone import AutoContrast, Equalization, RandomPosterization, Solarization


class CompositeAugmentation(RandomAugmentation):
    """Base of the composites: ``draw`` and ``apply`` one named sub-layer, from this layer's stream."""

    def draw(self, name: str, images_shape):
        """The sub-layer ``name``'s random transformation (None for AutoContrast and Equalization)."""
        layer = getattr(self, name)
        if not isinstance(layer, RandomAugmentation):
            return None
        layer.seed_generator = self.seed_generator
        return layer.get_random_transformation(images_shape)

    def apply(self, name: str, images, transformation):
        return getattr(self, name).transform_images(images, transformation)


def check_count(owner: str, name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{owner}: {name} must be an int ≥ {minimum}, got {value!r}")
    return int(value)


def make_augmentations(owner: CompositeAugmentation, names, factor: tuple, value_range, interpolation: str) -> None:
    """Set the sub-layers ``names`` of RandAugment / AugMix on ``owner``, each with the range ``factor``
    (posterization keeps max(1, ⌊8·upper⌋) bits at most), as Keras builds them."""
    kwargs = {"dtype": owner.dtype}
    geometry = {"interpolation": interpolation, **kwargs}
    colour = {"value_range": value_range, **kwargs}
    makers = {
        "random_shear": lambda: RandomShear(x_factor=factor, y_factor=factor, **geometry),
        "random_translation": lambda: RandomTranslation(height_factor=factor, width_factor=factor, **geometry),
        "random_rotation": lambda: RandomRotation(factor=factor, **geometry),
        "random_brightness": lambda: RandomBrightness(factor=factor, **colour),
        "random_color_degeneration": lambda: RandomColorDegeneration(factor=factor, **colour),
        "random_contrast": lambda: RandomContrast(factor=factor, **colour),
        "random_sharpness": lambda: RandomSharpness(factor=factor, **colour),
        "random_posterization": lambda: RandomPosterization(factor=max(1, int(8 * factor[1])), **colour),
        "solarization": lambda: Solarization(addition_factor=factor, threshold_factor=factor, **colour),
        "auto_contrast": lambda: AutoContrast(**colour),
        "equalization": lambda: Equalization(**colour),
    }
    for name in names:
        setattr(owner, name, makers[name]())


class RandomColorJitter(CompositeAugmentation):
    """Brightness, contrast, saturation and hue changed at random, in that order, in training.

    Formula: y = hue(saturation(contrast(brightness(x)))), each step the layer of that name
    (RandomBrightness, RandomContrast, RandomSaturation, RandomHue) with its factor and this
    ``value_range``; a step whose factor is None is skipped.

    Args:
        value_range: (low, high) the pixels live in, default (0, 255).
        brightness_factor, contrast_factor, saturation_factor, hue_factor: the factor of each
            step (see those layers), or None (default) to skip it.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, 3) or (height, width, 3) (other channel counts only without
        saturation and hue).

    Output shape:
        Same as the input.
    """

    STEPS = (("random_brightness", "brightness_factor", RandomBrightness),
             ("random_contrast", "contrast_factor", RandomContrast),
             ("random_saturation", "saturation_factor", RandomSaturation), ("random_hue", "hue_factor", RandomHue))

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None, saturation_factor=None,
                 hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = colour_space.given_value_range(type(self).__name__, value_range)
        factors = {"brightness_factor": brightness_factor, "contrast_factor": contrast_factor,
                   "saturation_factor": saturation_factor, "hue_factor": hue_factor}
        self.steps = []
        for name, argument, step_class in self.STEPS:
            setattr(self, argument, as_config_value(factors[argument]))
            if factors[argument] is not None:
                try:
                    setattr(self, name, step_class(factors[argument], value_range=value_range, dtype=self.dtype))
                except ValueError as error:
                    raise ValueError(f"RandomColorJitter: {argument}: {error}") from None
                self.steps.append(name)

    def get_random_transformation(self, images_shape) -> dict:
        """{step name: that step's transformation} for each step in use."""
        return {name: self.draw(name, images_shape) for name in self.steps}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        for name in self.steps:
            images = self.apply(name, images, transformation[name])
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range, "brightness_factor": self.brightness_factor,
                "contrast_factor": self.contrast_factor, "saturation_factor": self.saturation_factor,
                "hue_factor": self.hue_factor}


class RandAugment(CompositeAugmentation):
    """RandAugment (Cubuk et al., 2020): ``num_ops`` operations drawn at random, applied in turn, in training.

    Formula: draw num_ops indices (with replacement) into the 11 operations
        shear, translation, rotation, brightness, colour degeneration, contrast, sharpness,
        posterization, solarization, auto-contrast, equalization
    and one random transformation per operation (per image, from its own layer with the range
    ``factor``); then y = op_k(… op_1(x)). One draw picks the operations for the whole batch,
    as in Keras.

    Args:
        value_range: (low, high) the pixels live in, default (0, 255).
        num_ops: how many operations to apply (default 2).
        factor: the strength range: a number f in [0, 1] (the pair (0, f)) or a pair; default 0.5.
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    AUGMENT_LAYERS = ("random_shear", "random_translation", "random_rotation", "random_brightness",
                      "random_color_degeneration", "random_contrast", "random_sharpness", "random_posterization",
                      "solarization", "auto_contrast", "equalization")

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.value_range = colour_space.given_value_range(owner, value_range)
        self.num_ops = check_count(owner, "num_ops", num_ops, minimum=0)
        self.factor = parse_factor(owner, factor, bounds=(0, 1))
        self.interpolation = check_option(owner, "interpolation", interpolation, image_transform.INTERPOLATIONS)
        make_augmentations(self, self.AUGMENT_LAYERS, self.factor, value_range, interpolation)

    def get_random_transformation(self, images_shape) -> dict:
        """{"transforms": {operation: its transformation}, "layer_idxes": (num_ops,) indices}."""
        indices = self.generator.integers(0, len(self.AUGMENT_LAYERS), (self.num_ops,))
        return {"transforms": {name: self.draw(name, images_shape) for name in self.AUGMENT_LAYERS},
                "layer_idxes": indices}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        for index in np.asarray(transformation["layer_idxes"]).reshape(-1):
            name = self.AUGMENT_LAYERS[int(index)]
            images = self.apply(name, images, transformation["transforms"][name])
        return images

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range, "num_ops": self.num_ops,
                "factor": self.factor, "interpolation": self.interpolation}


class AugMix(CompositeAugmentation):
    """AugMix (Hendrycks et al., 2020): a random mixture of random augmentation chains, in training.

    Formula: draw chain weights m ~ Dirichlet(α, …, α) (``num_chains`` of them) and w ~ Beta(α, α);
    each chain applies up to ``chain_depth`` operations, each step an operation drawn uniformly
    from the list or (with the same chance) none; then
        y = clip(w·x + (1 − w)·Σ_c m_c·chain_c(x), low, high)          (low, high) = value_range
    The operations are shear, translation, rotation, posterization, solarization,
    auto-contrast, equalization and, with ``all_ops``, brightness, colour degeneration,
    contrast and sharpness. (Keras draws the steps from Python's unseeded ``random``;
    glassnet from the layer's stream, so a seed repeats them too.)

    Args:
        value_range: (low, high) the pixels live in, default (0, 255).
        num_chains: the number of chains (default 3).
        chain_depth: the most operations in a chain (default 3).
        factor: the strength range: a number f in [0, 1] (the pair (0, f)) or a pair; default 0.3.
        alpha: α > 0 of the Dirichlet and Beta draws (default 1.0).
        all_ops: also use the four colour operations (default True).
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: int for a layer-owned random stream, or None for ``glassnet.backend.rng()``.
        data_format: "channels_last" (or None).

    Input shape:
        (batch, height, width, channels) or (height, width, channels).

    Output shape:
        Same as the input.
    """

    AUGMENT_LAYERS = ("random_shear", "random_translation", "random_rotation", "random_posterization",
                      "solarization", "auto_contrast", "equalization")
    COLOUR_LAYERS = ("random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness")

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
                 interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        owner = type(self).__name__
        self.value_range = colour_space.given_value_range(owner, value_range)
        self.num_chains = check_count(owner, "num_chains", num_chains)
        self.chain_depth = check_count(owner, "chain_depth", chain_depth)
        self.factor = parse_factor(owner, factor, bounds=(0, 1))
        if not _is_number(alpha) or alpha <= 0:
            raise ValueError(f"AugMix: alpha must be a positive number, got {alpha!r}")
        self.alpha = alpha
        if not isinstance(all_ops, bool):
            raise ValueError(f"AugMix: all_ops must be True or False, got {all_ops!r}")
        self.all_ops = all_ops
        self.interpolation = check_option(owner, "interpolation", interpolation, image_transform.INTERPOLATIONS)
        self.augment_layers = self.AUGMENT_LAYERS + (self.COLOUR_LAYERS if all_ops else ())
        make_augmentations(self, self.augment_layers, self.factor, value_range, interpolation)

    def get_random_transformation(self, images_shape) -> dict:
        """{"chain_mixing_weights": m (num_chains,), "weight_sample": w, "chain_transforms": per chain a
        list of {"layer_name", "transformation"}}."""
        weights = self.generator.dirichlet([self.alpha] * self.num_chains)
        sample = self.generator.beta(self.alpha, self.alpha)
        choices = list(self.augment_layers) + [None]
        chains = []
        for _ in range(self.num_chains):
            names = [choices[i] for i in self.generator.integers(0, len(choices), self.chain_depth)]
            chains.append([{"layer_name": name, "transformation": self.draw(name, images_shape)}
                           for name in names if name is not None])
        return {"chain_mixing_weights": weights, "weight_sample": np.asarray(sample), "chain_transforms": chains}

    def transform_images(self, images, transformation, training=True):
        images = self.to_float(images)
        if not training:
            return images
        m = np.asarray(transformation["chain_mixing_weights"], images.dtype).reshape(-1)
        w = float(np.asarray(transformation["weight_sample"]))
        mixed = 0.0
        for c, chain in enumerate(transformation["chain_transforms"]):
            chained = images
            for step in chain:
                chained = self.apply(step["layer_name"], chained, step["transformation"])
            mixed = mixed + chained * m[c]
        return ops.clip(images * w + mixed * (1.0 - w), *self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "value_range": self.value_range, "num_chains": self.num_chains,
                "chain_depth": self.chain_depth, "factor": self.factor, "alpha": self.alpha,
                "all_ops": self.all_ops, "interpolation": self.interpolation}
