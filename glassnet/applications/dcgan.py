"""DCGAN: a deep convolutional generative adversarial network (Radford, Metz & Chintala, 2016).

Two networks play a game (Goodfellow et al. 2014). The generator G maps noise z ~ N(0, I)
to an image; the discriminator D maps an image to the probability that it is real:

    min_G max_D  E_x[log D(x)] + E_z[log(1 − D(G(z)))]

One ``train_step`` on a batch of n real images x (two optimizers, one per network):

    1. D's step:  L_D = BCE(1 − s, D(x)) + BCE(0, D(G(z)))     grads w.r.t. D's weights only
                  (real images labelled 1 − s: one-sided label smoothing, s = 0.1)
    2. G's step:  L_G = BCE(1, D(G(z')))                        grads w.r.t. G's weights only
                  (the "non-saturating" loss: maximise log D(G(z)) rather than minimise
                  log(1 − D(G(z))), whose gradient vanishes while D easily spots fakes)

The DCGAN recipe, as built by ``dcgan_generator`` and ``dcgan_discriminator``:
  - no pooling: the generator upsamples with strided ``Conv2DTranspose``, the discriminator
    downsamples with strided ``Conv2D``;
  - ``BatchNormalization`` in the generator (not on its output) and in the discriminator
    (not on its input layer);
  - ReLU/LeakyReLU: ``LeakyReLU(0.2)`` in the discriminator (and here in the generator too),
    tanh on the generator's output, so images are scaled to [−1, 1];
  - Adam with learning rate 2·10⁻⁴ and β₁ = 0.5 for both networks.

Failure modes, and how this model guards against them:
  - **Discriminator overpowering.** If D separates real from fake perfectly, D(G(z)) → 0 and
    G's gradient carries no information; training stalls (d_loss → 0, g_loss grows).
    Guards: one-sided label smoothing (real targets 1 − s, so D is never rewarded for
    certainty on real images, while fake targets stay 0 so D cannot reward fakes);
    the non-saturating generator loss; Dropout before D's output; equal learning rates and
    one D step per G step. Watch ``d_real`` (mean D(x)) and ``d_fake`` (mean D(G(z))): in a
    healthy run they stay apart but neither sticks at 1 or 0.
  - **Mode collapse.** G maps many z to the same few images that currently fool D; the
    samples lose variety (a grid of samples shows repeats). Guards: BatchNormalization in G;
    real and fake images in *separate* batches through D (each batch's statistics are
    its own, so D sees when all fakes look alike); a fixed noise grid saved every epoch
    (``examples/dcgan_fashion_mnist.py``) and its spread — the mean pixel distance between
    generated samples — printed, which falls sharply when the generator collapses.
"""
from __future__ import annotations

import numbers

from .. import layers, losses, metrics, ops, optimizers, random
from ..autodiff import GradientTape
from ..models import Model, Sequential


def _check_shape(image_shape, owner: str) -> tuple:
    shape = tuple(image_shape)
    if len(shape) != 3 or any(isinstance(s, bool) or not isinstance(s, int) or s <= 0 for s in shape):
        raise ValueError(f"{owner}: image_shape must be (height, width, channels) of positive ints, "
                         f"got {image_shape!r}")
    if shape[0] % 4 or shape[1] % 4:
        raise ValueError(f"{owner}: height and width must be divisible by 4 (two stride-2 stages), got {shape}")
    return shape


def dcgan_generator(latent_dim=64, image_shape=(28, 28, 1), filters=(128, 64), name="generator"):
    """z ↦ image in [−1, 1]: Dense → BN → LeakyReLU → Reshape (h/4, w/4, filters[0]) →
    [Conv2DTranspose(f, 4, strides=2) → BN → LeakyReLU] for f in ``filters[1:]`` (×2) →
    Conv2DTranspose(channels, 4, strides=2, tanh) (×2).

    The BatchNormalization layers use momentum 0.9 (Keras's default is 0.99): ``predict``
    generates with the moving statistics, which then follow the fast-changing generator
    within tens of steps rather than hundreds."""
    h, w, c = _check_shape(image_shape, "dcgan_generator")
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim <= 0:
        raise ValueError(f"dcgan_generator: latent_dim must be a positive int, got {latent_dim!r}")
    if len(filters) != 2:
        raise ValueError(f"dcgan_generator: filters must be two ints (the 1/4- and 1/2-size stages), got {filters!r}")
    return Sequential([
        layers.Input((latent_dim,)),
        layers.Dense((h // 4) * (w // 4) * filters[0], use_bias=False),
        layers.BatchNormalization(momentum=0.9),
        layers.LeakyReLU(0.2),
        layers.Reshape((h // 4, w // 4, filters[0])),
        layers.Conv2DTranspose(filters[1], 4, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(momentum=0.9),
        layers.LeakyReLU(0.2),
        layers.Conv2DTranspose(c, 4, strides=2, padding="same", activation="tanh"),
    ], name=name)


def dcgan_discriminator(image_shape=(28, 28, 1), filters=(64, 128), dropout=0.3, name="discriminator"):
    """image ↦ P(real): Conv2D(f₀, 4, strides=2) → LeakyReLU → Conv2D(f₁, 4, strides=2) → BN →
    LeakyReLU → Flatten → Dropout → Dense(1, sigmoid)."""
    shape = _check_shape(image_shape, "dcgan_discriminator")
    if len(filters) != 2:
        raise ValueError(f"dcgan_discriminator: filters must be two ints, got {filters!r}")
    return Sequential([
        layers.Input(shape),
        layers.Conv2D(filters[0], 4, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Conv2D(filters[1], 4, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.LeakyReLU(0.2),
        layers.Flatten(),
        layers.Dropout(dropout),
        layers.Dense(1, activation="sigmoid"),
    ], name=name)


class DCGAN(Model):
    """A GAN with its own ``train_step`` (module docstring: the two steps and the guards).

    ``fit(x)`` takes real images scaled to [−1, 1] (no targets). Logs per epoch: "d_loss",
    "g_loss" (running means), "d_real" = mean D(x) and "d_fake" = mean D(G(z)).
    ``dcgan(z)`` / ``predict(z)`` generate images from noise.

    Args:
        generator: a Model z ↦ image (``dcgan_generator``).
        discriminator: a Model image ↦ P(real), shape (batch, 1) (``dcgan_discriminator``).
        latent_dim: length of z.
        label_smoothing: s of the one-sided smoothing: real images are labelled 1 − s, in [0, 0.5).
        seed: int for a repeatable noise stream.
    """

    def __init__(self, generator, discriminator, latent_dim, label_smoothing=0.1, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(generator, Model) or not isinstance(discriminator, Model):
            raise ValueError("DCGAN: generator and discriminator must be glassnet Models")
        if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, numbers.Real) \
                or not 0 <= label_smoothing < 0.5:
            raise ValueError(f"DCGAN: label_smoothing must be a number in [0, 0.5), got {label_smoothing!r}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(latent_dim)
        self.label_smoothing = float(label_smoothing)
        self.seed_generator = random.SeedGenerator(seed)
        self.bce = losses.BinaryCrossentropy()
        self.trackers = {name: metrics.Mean(name=name) for name in ("d_loss", "g_loss", "d_real", "d_fake")}
        self.build((None, self.latent_dim))          # built from the start, so it can be saved before fit

    def compile(self, d_optimizer=None, g_optimizer=None, **kwargs):
        """Two optimizers, one per network (default Adam(2e-4, β₁ = 0.5) each, the DCGAN paper's)."""
        super().compile(**kwargs)
        self.d_optimizer = optimizers.get(d_optimizer) if d_optimizer is not None else \
            optimizers.Adam(learning_rate=2e-4, beta_1=0.5)
        self.g_optimizer = optimizers.get(g_optimizer) if g_optimizer is not None else \
            optimizers.Adam(learning_rate=2e-4, beta_1=0.5)

    @property
    def metrics(self):
        return list(self.trackers.values())

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def noise(self, n: int):
        """z ~ N(0, I), shape (n, latent_dim)."""
        return random.normal((n, self.latent_dim), seed=self.seed_generator)

    def train_step(self, data):
        real = data[0] if isinstance(data, tuple) else data
        n = ops.shape(real)[0]

        # 1. the discriminator: real → 1 − s, fake → 0, each batch through D on its own
        fake = self.generator(self.noise(n), training=True).detach()
        with GradientTape() as tape:
            p_real = self.discriminator(real, training=True)
            p_fake = self.discriminator(fake, training=True)
            d_loss = (self.bce(ops.full((n, 1), 1.0 - self.label_smoothing), p_real)
                      + self.bce(ops.zeros((n, 1)), p_fake))
        weights = self.discriminator.trainable_weights
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, weights), weights))

        # 2. the generator: make D say "real" (1) to new fakes; only G's weights move
        with GradientTape() as tape:
            g_loss = self.bce(ops.ones((n, 1)), self.discriminator(self.generator(self.noise(n), training=True),
                                                                   training=True))
        weights = self.generator.trainable_weights
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, weights), weights))

        for name, value in (("d_loss", d_loss), ("g_loss", g_loss), ("d_real", ops.mean(p_real)),
                            ("d_fake", ops.mean(p_fake))):
            self.trackers[name].update_state(value.detach())
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def get_config(self) -> dict:
        return {"name": self.name, "generator": layers.serialize(self.generator),
                "discriminator": layers.serialize(self.discriminator), "latent_dim": self.latent_dim,
                "label_smoothing": self.label_smoothing, "seed": self.seed_generator.seed}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        generator = layers.deserialize(config.pop("generator"), custom_objects)
        discriminator = layers.deserialize(config.pop("discriminator"), custom_objects)
        return cls(generator, discriminator, **config)


def dcgan(latent_dim=64, image_shape=(28, 28, 1), label_smoothing=0.1, seed=None, name="dcgan"):
    """A compiled ``DCGAN`` with ``dcgan_generator`` and ``dcgan_discriminator`` and the paper's Adam settings."""
    model = DCGAN(dcgan_generator(latent_dim, image_shape), dcgan_discriminator(image_shape), latent_dim,
                  label_smoothing=label_smoothing, seed=seed, name=name)
    model.compile()
    return model


__all__ = ["dcgan_generator", "dcgan_discriminator", "DCGAN", "dcgan"]
