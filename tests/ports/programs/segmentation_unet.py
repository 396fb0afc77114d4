"""Image segmentation with a small U-Net (keras.io, "Image segmentation with a U-Net-like
architecture"-style): Conv2D / MaxPooling2D down, Conv2DTranspose up with skip connections,
GroupNormalization, a per-pixel softmax over 3 classes (background, square, disc), trained
with the Dice loss plus cross-entropy and measured with MeanIoU."""
import numpy as np

import glassnet as keras
from glassnet import layers

SIZE, NUM_CLASSES = 16, 3


def make_data(n=192, seed=0):
    """Noisy images holding one bright square (class 1) or disc (class 2); masks label each pixel."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 0.3, size=(n, SIZE, SIZE, 1)).astype("float32")
    masks = np.zeros((n, SIZE, SIZE), "int32")
    rows, cols = np.mgrid[:SIZE, :SIZE]
    for i in range(n):
        r, c, half = rng.integers(4, SIZE - 4), rng.integers(4, SIZE - 4), rng.integers(2, 4)
        if i % 2:
            region = (np.abs(rows - r) <= half) & (np.abs(cols - c) <= half)
        else:
            region = (rows - r) ** 2 + (cols - c) ** 2 <= half ** 2
        masks[i][region] = 1 if i % 2 else 2   # odd: square (1), even: disc (2)
        x[i, region, 0] += 1.0
    return x, masks


def build_model():
    inputs = keras.Input(shape=(SIZE, SIZE, 1))
    down1 = layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    down1 = layers.GroupNormalization(groups=4)(down1)
    down2 = layers.MaxPooling2D(2)(down1)
    down2 = layers.Conv2D(32, 3, padding="same", activation="relu")(down2)
    up = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(down2)
    up = layers.Concatenate()([up, down1])
    up = layers.Conv2D(16, 3, padding="same", activation="relu")(up)
    outputs = layers.Conv2D(NUM_CLASSES, 1, activation="softmax")(up)
    return keras.Model(inputs, outputs)


def dice_plus_crossentropy(y_true, y_pred):
    return keras.losses.dice(y_true, y_pred) + keras.losses.categorical_crossentropy(y_true, y_pred)


def main():
    keras.utils.set_random_seed(0)
    x, masks = make_data()
    y = keras.utils.to_categorical(masks, NUM_CLASSES)
    model = build_model()
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss=dice_plus_crossentropy,
                  metrics=[keras.metrics.MeanIoU(num_classes=NUM_CLASSES, sparse_y_true=False, sparse_y_pred=False)])
    history = model.fit(x[:160], y[:160], batch_size=16, epochs=12, verbose=0)
    test_loss, test_iou = model.evaluate(x[160:], y[160:], verbose=0)
    return {"loss": history.history["loss"], "test_loss": test_loss, "test_iou": test_iou}
