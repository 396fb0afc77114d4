"""A GAN trained with an overridden ``train_step``, as in Keras 3's "DCGAN overriding train_step".

The generator G maps noise z ~ N(0, I) to a number; the discriminator D says how likely a
number is to be real. Real data: x ~ N(3, 0.5²). One step on a batch of n real numbers:

    1. D's step:  fake = G(z);  labels 1 for fake, 0 for real (Keras's example's convention)
                  L_D = BCE(labels, D([fake; real]))          grads w.r.t. D's weights only
    2. G's step:  L_G = BCE(0, D(G(z)))                        "say my fakes are real"
                  grads w.r.t. G's weights only

Gradients come from ``glassnet.GradientTape``: ``tape.gradient(loss, weights)`` returns
d loss / d weights without touching any weight's ``.grad``, so G's loss, which runs through
D, leaves D's gradients alone. Everything else is ``fit``: epochs, callbacks, History.

Run: ``python examples/gan_custom_train_step.py`` (a few seconds, no files, no network).
"""
import numpy as np

import glassnet as keras
from glassnet import layers, ops

LATENT_DIM = 4


class GAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.seed_generator = keras.random.SeedGenerator(1337)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn
        self.d_loss_metric = keras.metrics.Mean(name="d_loss")
        self.g_loss_metric = keras.metrics.Mean(name="g_loss")

    @property
    def metrics(self):
        return [self.d_loss_metric, self.g_loss_metric]

    def train_step(self, real_samples):
        batch_size = ops.shape(real_samples)[0]
        z = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)

        # 1. the discriminator: fakes labelled 1, real samples 0 (with a little label noise)
        fake = self.generator(z)
        combined = ops.concatenate([fake, real_samples], axis=0)
        labels = ops.concatenate([ops.ones((batch_size, 1)), ops.zeros((batch_size, 1))], axis=0)
        labels = labels + 0.05 * keras.random.uniform(ops.shape(labels), seed=self.seed_generator)
        with keras.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(combined))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))

        # 2. the generator: make the discriminator say "real" (0) to new fakes
        z = keras.random.normal(shape=(batch_size, self.latent_dim), seed=self.seed_generator)
        misleading_labels = ops.zeros((batch_size, 1))
        with keras.GradientTape() as tape:
            g_loss = self.loss_fn(misleading_labels, self.discriminator(self.generator(z)))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))

        self.d_loss_metric.update_state(d_loss)
        self.g_loss_metric.update_state(g_loss)
        return {"d_loss": self.d_loss_metric.result(), "g_loss": self.g_loss_metric.result()}


def make_gan(latent_dim=LATENT_DIM):
    discriminator = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(16, activation="relu"),
                                      layers.Dense(1, activation="sigmoid")], name="discriminator")
    generator = keras.Sequential([keras.Input(shape=(latent_dim,)), layers.Dense(16, activation="relu"),
                                  layers.Dense(1)], name="generator")
    gan = GAN(discriminator=discriminator, generator=generator, latent_dim=latent_dim)
    gan.compile(d_optimizer=keras.optimizers.Adam(learning_rate=0.003),
                g_optimizer=keras.optimizers.Adam(learning_rate=0.003),
                loss_fn=keras.losses.BinaryCrossentropy())
    return gan


def generated_mean(gan, n=2000, seed=0):
    z = keras.random.normal((n, gan.latent_dim), seed=seed)
    return float(np.mean(gan.generator.predict(z.numpy(), verbose=0)))


def main(epochs=30, verbose=2):
    keras.utils.set_random_seed(0)
    real = np.random.default_rng(0).normal(3.0, 0.5, size=(2048, 1)).astype("float32")
    gan = make_gan()
    before = generated_mean(gan)
    history = gan.fit(real, batch_size=64, epochs=epochs, verbose=verbose)
    after = generated_mean(gan)
    print(f"mean of generated samples: {before:.2f} before training, {after:.2f} after (real data: 3.00)")
    return gan, history, before, after


if __name__ == "__main__":
    main()
