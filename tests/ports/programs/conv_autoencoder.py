"""A convolutional denoising autoencoder (keras.io, "Convolutional autoencoder for image
denoising"): Conv2D + MaxPooling2D encoder, Conv2DTranspose decoder, sigmoid output,
binary cross-entropy between the clean image and the reconstruction of a noisy one."""
import numpy as np

import glassnet as keras
from glassnet import layers

SIZE = 8


def make_images(n=256, seed=0):
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:SIZE, 0:SIZE]
    centers = rng.uniform(2, SIZE - 2, size=(n, 2))
    images = np.exp(-((rows - centers[:, :1, None]) ** 2 + (cols - centers[:, 1:, None]) ** 2) / 4.0)
    clean = images[..., None].astype("float32")
    noisy = np.clip(clean + rng.normal(scale=0.2, size=clean.shape), 0.0, 1.0).astype("float32")
    return clean, noisy


def build_model():
    input = layers.Input(shape=(SIZE, SIZE, 1))
    # Encoder
    x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(input)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    x = layers.Conv2D(8, (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D((2, 2), padding="same")(x)
    # Decoder
    x = layers.Conv2DTranspose(8, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(8, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2D(1, (3, 3), activation="sigmoid", padding="same")(x)
    return keras.Model(input, x)


def main():
    keras.utils.set_random_seed(0)
    clean, noisy = make_images()
    autoencoder = build_model()
    autoencoder.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy")
    history = autoencoder.fit(noisy[:224], clean[:224], epochs=15, batch_size=32, shuffle=True,
                              validation_data=(noisy[224:], clean[224:]), verbose=0)
    denoised = autoencoder.predict(noisy[224:], verbose=0)
    return {"loss": history.history["loss"], "val_loss": history.history["val_loss"],
            "noisy_mse": float(np.mean((noisy[224:] - clean[224:]) ** 2)),
            "denoised_mse": float(np.mean((denoised - clean[224:]) ** 2)), "output_shape": denoised.shape}
