"""LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-Based Learning Applied to Document Recognition", 1998)."""
from __future__ import annotations

from .. import layers
from ..models import Model
from .common import check_weights, load_weights, model_input


def LeNet5(input_shape=(32, 32, 1), classes=10, activation="tanh", pooling="average", padding="valid",
           classifier_activation="softmax", weights=None, name="lenet5"):
    """LeNet-5: two convolution + subsampling stages, then three fully connected layers.

        C1: 6 filters 5×5 → 28×28×6        S2: 2×2 pooling → 14×14×6
        C3: 16 filters 5×5 → 10×10×16      S4: 2×2 pooling → 5×5×16
        C5: 120 filters 5×5 → 1×1×120 (a convolution that sees the whole map: a dense layer)
        F6: 84 units                        output: ``classes`` units

    For a 32×32 input: 61,706 weights (156 + 2,416 + 48,120 + 10,164 + 850). The paper's
    subsampling layers are trainable average pools and its C3 connects only some maps; this is
    the common modern reading (plain average pooling, full C3), with tanh as in the paper.
    For 28×28 MNIST images pass ``padding="same"`` (C1 then keeps 28×28, as the paper's 32×32
    input did for 28×28 digits centred in it).

    Args:
        input_shape: (height, width, channels), default (32, 32, 1).
        classes: output units. activation: of the hidden layers ("tanh"; "relu" trains faster).
        pooling: "average" (the paper's subsampling) or "max".
        padding: of C1, "valid" or "same". classifier_activation: of the output layer.
        weights: None or the path of weights saved with ``model.save_weights``.
    """
    check_weights(weights, "LeNet5")
    if pooling not in ("average", "max"):
        raise ValueError(f"LeNet5: pooling must be 'average' or 'max', got {pooling!r}")
    Pool = layers.AveragePooling2D if pooling == "average" else layers.MaxPooling2D
    inputs = model_input(input_shape, (32, 32, 1), "LeNet5", 28 if padding == "same" else 32)
    x = layers.Conv2D(6, 5, padding=padding, activation=activation, name="c1")(inputs)
    x = Pool(2, name="s2")(x)
    x = layers.Conv2D(16, 5, activation=activation, name="c3")(x)
    x = Pool(2, name="s4")(x)
    x = layers.Conv2D(120, 5, activation=activation, name="c5")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(84, activation=activation, name="f6")(x)
    x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    return load_weights(Model(inputs, x, name=name), weights)
