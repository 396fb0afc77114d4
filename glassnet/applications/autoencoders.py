"""Autoencoders: dense, convolutional, denoising, and the variational autoencoder (VAE).

An autoencoder learns the identity through a bottleneck: an encoder f maps an input x to a
short code z = f(x) (``latent_dim`` numbers), a decoder g maps it back, and training
minimises the reconstruction error ‖x − g(f(x))‖² — no labels needed (unsupervised
pre-training). The code is a learned compression; the encoder alone is a feature extractor.

=========================  =================================================================
builder                    model
=========================  =================================================================
dense_autoencoder          Flatten → Dense … → Dense(latent) → Dense … → Dense(sigmoid) → image
conv_autoencoder           Conv2D stride 2 … → Dense(latent) → Conv2DTranspose stride 2 … → image
denoising_autoencoder      GaussianNoise(σ) on the input, then either of the above: learn to
                           recover x from x + ε (Vincent et al. 2008); the noise is only on
                           in training, so the trained model maps clean inputs to themselves
variational_autoencoder    a ``VAE``: the encoder gives a distribution N(μ, σ²) over codes
=========================  =================================================================

Every builder returns an uncompiled Model whose ``get_layer("encoder")`` and
``get_layer("decoder")`` are the two halves (Models themselves). Images are
(height, width, channels) with values in [0, 1]; the decoder ends in a sigmoid.

The VAE (Kingma & Welling, "Auto-Encoding Variational Bayes", 2014):

    encoder:      x ↦ (μ, log σ²)                      q(z | x) = N(μ, diag σ²)
    sampling:     z = μ + σ ⊙ ε,  ε ~ N(0, I)           (``glassnet.layers.Sampling``)
    decoder:      z ↦ x̂ = g(z)                          p(x | z) = Bernoulli(x̂)
    loss:         L = reconstruction + KL
                  reconstruction = Σ_pixels BCE(x, x̂)   (−log p(x | z), summed over pixels)
                  KL = KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ_j (σ_j² + μ_j² − 1 − log σ_j²)
    both averaged over the batch. The KL term pulls every code distribution towards the
    prior N(0, I), so the latent space has no holes: decoding z ~ N(0, I) gives plausible
    images. (``glassnet.losses.kl_divergence`` is the discrete KL Σ p log(p/q) of two
    histograms; for two Gaussians the integral has the closed form above, used here.)
"""
from __future__ import annotations

import math

from .. import layers, metrics, ops
from ..autodiff import GradientTape
from ..layers.sampling import Sampling
from ..models import Model
from ..tensor import no_grad


def _check_image_shape(input_shape, owner: str) -> tuple:
    shape = tuple(input_shape)
    if len(shape) != 3 or any(isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in shape):
        raise ValueError(f"{owner}: input_shape must be (height, width, channels) of positive ints, "
                         f"got {input_shape!r}")
    return shape


def _check_units(values, owner: str, name: str) -> tuple:
    values = tuple(values)
    if not values or any(isinstance(v, bool) or not isinstance(v, int) or v <= 0 for v in values):
        raise ValueError(f"{owner}: {name} must be a non-empty sequence of positive ints, got {values!r}")
    return values


# --- encoders and decoders --------------------------------------------------------------
def _dense_body(x, hidden_units, owner):
    x = layers.Flatten()(x)
    for units in _check_units(hidden_units, owner, "hidden_units"):
        x = layers.Dense(units, activation="relu")(x)
    return x


def _conv_body(x, filters, owner):
    shape = tuple(x.shape[1:])
    filters = _check_units(filters, owner, "filters")
    factor = 2 ** len(filters)
    if shape[0] % factor or shape[1] % factor:
        raise ValueError(f"{owner}: height and width must be divisible by 2**len(filters) = {factor} so the "
                         f"decoder can mirror the encoder, got input_shape {shape}")
    for f in filters:
        x = layers.Conv2D(f, 3, strides=2, padding="same", activation="relu")(x)
    return layers.Flatten()(x)


def dense_encoder(input_shape, latent_dim, hidden_units=(256, 128), name="encoder"):
    """Flatten → Dense(h, relu) for h in ``hidden_units`` → Dense(latent_dim): x ↦ z."""
    inputs = layers.Input(_check_image_shape(input_shape, "dense_encoder"))
    x = _dense_body(inputs, hidden_units, "dense_encoder")
    return Model(inputs, layers.Dense(latent_dim, name="code")(x), name=name)


def dense_decoder(output_shape, latent_dim, hidden_units=(128, 256), name="decoder"):
    """Dense(h, relu) for h in ``hidden_units`` → Dense(pixels, sigmoid) → Reshape: z ↦ x̂."""
    shape = _check_image_shape(output_shape, "dense_decoder")
    inputs = layers.Input((latent_dim,))
    x = inputs
    for units in _check_units(hidden_units, "dense_decoder", "hidden_units"):
        x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(math.prod(shape), activation="sigmoid")(x)
    return Model(inputs, layers.Reshape(shape)(x), name=name)


def conv_encoder(input_shape, latent_dim, filters=(32, 64), name="encoder"):
    """Conv2D(f, 3, strides=2, same, relu) for f in ``filters`` → Flatten → Dense(latent_dim).

    Each stride-2 convolution halves the height and width (⌈n/2⌉ with "same" padding).
    """
    inputs = layers.Input(_check_image_shape(input_shape, "conv_encoder"))
    x = _conv_body(inputs, filters, "conv_encoder")
    return Model(inputs, layers.Dense(latent_dim, name="code")(x), name=name)


def conv_decoder(output_shape, latent_dim, filters=(64, 32), name="decoder"):
    """Dense → Reshape to (h/2ᴸ, w/2ᴸ, filters[0]) → Conv2DTranspose(f, 3, strides=2) for f in
    ``filters`` (each doubles height and width) → Conv2D(channels, 3, sigmoid): z ↦ x̂."""
    shape = _check_image_shape(output_shape, "conv_decoder")
    filters = _check_units(filters, "conv_decoder", "filters")
    factor = 2 ** len(filters)
    if shape[0] % factor or shape[1] % factor:
        raise ValueError(f"conv_decoder: height and width must be divisible by 2**len(filters) = {factor}, "
                         f"got output_shape {shape}")
    start = (shape[0] // factor, shape[1] // factor, filters[0])
    inputs = layers.Input((latent_dim,))
    x = layers.Dense(math.prod(start), activation="relu")(inputs)
    x = layers.Reshape(start)(x)
    for f in filters:
        x = layers.Conv2DTranspose(f, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Conv2D(shape[2], 3, padding="same", activation="sigmoid")(x)
    return Model(inputs, x, name=name)


def _check_kind(kind, latent_dim, owner) -> None:
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim <= 0:
        raise ValueError(f"{owner}: latent_dim must be a positive int, got {latent_dim!r}")
    if kind not in ("dense", "conv"):
        raise ValueError(f"{owner}: kind must be 'dense' or 'conv', got {kind!r}")


def _halves(kind, input_shape, latent_dim, owner, filters=(32, 64)):
    _check_kind(kind, latent_dim, owner)
    if kind == "dense":
        return dense_encoder(input_shape, latent_dim), dense_decoder(input_shape, latent_dim)
    filters = tuple(filters)
    return conv_encoder(input_shape, latent_dim, filters), conv_decoder(input_shape, latent_dim, filters[::-1])


# --- the three deterministic autoencoders ----------------------------------------------
def dense_autoencoder(input_shape=(28, 28, 1), latent_dim=32, name="dense_autoencoder"):
    """x ↦ decoder(encoder(x)) with dense halves; train with ``fit(x, x)`` and loss "mse" or
    "binary_crossentropy". Returns an uncompiled Model."""
    encoder, decoder = _halves("dense", input_shape, latent_dim, "dense_autoencoder")
    inputs = layers.Input(tuple(input_shape))
    return Model(inputs, decoder(encoder(inputs)), name=name)


def conv_autoencoder(input_shape=(28, 28, 1), latent_dim=32, filters=(32, 64), name="conv_autoencoder"):
    """x ↦ decoder(encoder(x)) with convolutional halves (stride-2 Conv2D with ``filters``
    down, stride-2 Conv2DTranspose with the reversed ``filters`` up). Returns an uncompiled Model."""
    encoder, decoder = _halves("conv", input_shape, latent_dim, "conv_autoencoder", filters)
    inputs = layers.Input(tuple(input_shape))
    return Model(inputs, decoder(encoder(inputs)), name=name)


def denoising_autoencoder(input_shape=(28, 28, 1), latent_dim=32, noise_stddev=0.3, kind="dense", filters=(32, 64),
                          seed=None, name="denoising_autoencoder"):
    """x ↦ decoder(encoder(x + ε)), ε ~ N(0, noise_stddev²) in training only (``GaussianNoise``).

    Trained with ``fit(x, x)``, the target is the *clean* input: to undo the noise the
    code must capture the structure of the data rather than copy pixels.

    Args:
        noise_stddev: σ of the noise, in [0, 1] (inputs are in [0, 1]).
        kind: "dense" or "conv" halves.
        filters: of the conv encoder (the decoder mirrors them), with ``kind="conv"``.
        seed: int for a repeatable noise stream.
    """
    encoder, decoder = _halves(kind, input_shape, latent_dim, "denoising_autoencoder", filters)
    inputs = layers.Input(tuple(input_shape))
    noisy = layers.GaussianNoise(noise_stddev, seed=seed, name="noise")(inputs)
    return Model(inputs, decoder(encoder(noisy)), name=name)


# --- the variational autoencoder -------------------------------------------------------
def vae_encoder(input_shape=(28, 28, 1), latent_dim=2, kind="dense", seed=None, name="encoder"):
    """x ↦ [μ, log σ², z]: a dense or convolutional body, two Dense heads, and ``Sampling``."""
    _check_kind(kind, latent_dim, "vae_encoder")
    inputs = layers.Input(_check_image_shape(input_shape, "vae_encoder"))
    x = (_dense_body(inputs, (256, 128), "vae_encoder") if kind == "dense"
         else layers.Dense(128, activation="relu")(_conv_body(inputs, (32, 64), "vae_encoder")))
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    z = Sampling(seed=seed, name="z")([z_mean, z_log_var])
    return Model(inputs, [z_mean, z_log_var, z], name=name)


def vae_loss(x, reconstruction, z_mean, z_log_var):
    """(total, reconstruction, KL) of a batch, each the mean over the batch (scalar Tensors).

        reconstruction = mean_batch Σ_pixels −[x log x̂ + (1 − x) log(1 − x̂)]
        KL             = mean_batch ½ Σ_j (σ_j² + μ_j² − 1 − log σ_j²),   σ² = exp(log σ²)
        total          = reconstruction + KL
    """
    bce = ops.binary_crossentropy(x, reconstruction)            # element-wise, x̂ clipped to [ε, 1 − ε]
    reconstruction_loss = ops.mean(ops.sum(ops.reshape(bce, (bce.shape[0], -1)), axis=1))
    kl = 0.5 * (ops.exp(z_log_var) + ops.square(z_mean) - 1.0 - z_log_var)
    kl_loss = ops.mean(ops.sum(kl, axis=1))
    return reconstruction_loss + kl_loss, reconstruction_loss, kl_loss


class VAE(Model):
    """A variational autoencoder with its own ``train_step`` (loss = reconstruction + KL).

    ``fit(x)`` takes the images only (no targets). Each step: [μ, log σ², z] = encoder(x);
    x̂ = decoder(z); L = ``vae_loss(x, x̂, μ, log σ²)``; one optimizer step on the weights of
    both halves. The logs are "loss", "reconstruction_loss" and "kl_loss" (running means).
    ``vae(x)`` / ``predict`` return the reconstruction of the mean code, decoder(μ).

    Args:
        encoder: a Model x ↦ [z_mean, z_log_var, z] (see ``vae_encoder``).
        decoder: a Model z ↦ x̂ with values in (0, 1).
    """

    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(encoder, Model) or not isinstance(decoder, Model):
            raise ValueError(f"VAE: encoder and decoder must be glassnet Models, got {type(encoder).__name__} and "
                             f"{type(decoder).__name__}")
        self.encoder = encoder
        self.decoder = decoder
        self.total_loss_tracker = metrics.Mean(name="loss")
        self.reconstruction_loss_tracker = metrics.Mean(name="reconstruction_loss")
        self.kl_loss_tracker = metrics.Mean(name="kl_loss")

    @property
    def metrics(self):
        return [self.total_loss_tracker, self.reconstruction_loss_tracker, self.kl_loss_tracker]

    def call(self, inputs, training=False):
        z_mean, _, _ = self.encoder(inputs, training=training)
        return self.decoder(z_mean, training=training)

    def losses_of(self, x, training=False) -> dict:
        """The step's quantities on batch ``x``: "loss", "reconstruction_loss", "kl_loss"
        (scalar Tensors) and "z_mean", "z_log_var", "z", "reconstruction"."""
        z_mean, z_log_var, z = self.encoder(x, training=training)
        reconstruction = self.decoder(z, training=training)
        total, reconstruction_loss, kl_loss = vae_loss(x, reconstruction, z_mean, z_log_var)
        return {"loss": total, "reconstruction_loss": reconstruction_loss, "kl_loss": kl_loss,
                "z_mean": z_mean, "z_log_var": z_log_var, "z": z, "reconstruction": reconstruction}

    def train_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        with GradientTape() as tape:
            out = self.losses_of(x, training=True)
        grads = tape.gradient(out["loss"], self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return self._track(out)

    def test_step(self, data):
        x = data[0] if isinstance(data, tuple) else data
        with no_grad():
            return self._track(self.losses_of(x, training=False))

    def _track(self, out) -> dict:
        self.total_loss_tracker.update_state(out["loss"])
        self.reconstruction_loss_tracker.update_state(out["reconstruction_loss"])
        self.kl_loss_tracker.update_state(out["kl_loss"])
        return {m.name: m.result() for m in self.metrics}

    def get_config(self) -> dict:
        return {"name": self.name, "encoder": layers.serialize(self.encoder),
                "decoder": layers.serialize(self.decoder)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        encoder = layers.deserialize(config.pop("encoder"), custom_objects)
        decoder = layers.deserialize(config.pop("decoder"), custom_objects)
        return cls(encoder, decoder, **config)


def variational_autoencoder(input_shape=(28, 28, 1), latent_dim=2, kind="dense", seed=None, name="vae"):
    """An uncompiled ``VAE`` with ``vae_encoder`` and a matching dense or conv decoder.

    Compile it with an optimizer only (``vae.compile(optimizer="adam")``) and ``fit(x)``.
    """
    encoder = vae_encoder(input_shape, latent_dim, kind, seed=seed)
    decoder = (dense_decoder if kind == "dense" else conv_decoder)(input_shape, latent_dim)
    vae = VAE(encoder, decoder, name=name)
    vae.build((None, *tuple(input_shape)))
    return vae


__all__ = ["dense_encoder", "dense_decoder", "conv_encoder", "conv_decoder", "dense_autoencoder",
           "conv_autoencoder", "denoising_autoencoder", "vae_encoder", "vae_loss", "VAE", "variational_autoencoder"]
