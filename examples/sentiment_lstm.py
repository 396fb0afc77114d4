"""Sentence polarity with a bidirectional LSTM: raw text in, ≥ 74% test accuracy.

    "a gorgeous , witty , seductive movie ." → TextVectorization (ids, padded with 0 to 40)
    → Embedding(20000, 64, mask_zero=True) → Bidirectional(LSTM(32)) → Dropout 0.3 → Dense 1 sigmoid

The whole pipeline is one model: it takes strings (``Input(shape=(1,), dtype="string")``).
``mask_zero=True`` makes the padding invisible to the LSTM: the mask travels from the
Embedding to the Bidirectional layer, whose two LSTMs carry their state over the padded
steps. Trained with Adam on binary cross-entropy, batch 32, the last 10% of the training part
held out for validation, EarlyStopping(patience=2, restore_best_weights=True).

Data: rt-polarity (``glassnet.datasets.rt_polarity``: ../shared/data/rt-polarity or
``--data``), shuffled with the seed, 90% train / 10% test.

Run:  python examples/sentiment_lstm.py [--data DIR] [--epochs 8] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import glassnet as gn
from glassnet import layers
from glassnet.callbacks import EarlyStopping
from glassnet.datasets import rt_polarity


def build_model(vectorizer) -> gn.Model:
    inputs = layers.Input(shape=(1,), dtype="string")
    x = vectorizer(inputs)
    x = layers.Embedding(vectorizer.vocabulary_size(), 64, mask_zero=True)(x)
    x = layers.Bidirectional(layers.LSTM(32))(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    model = gn.Model(inputs, outputs)
    model.compile(optimizer=gn.optimizers.Adam(1e-3), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="folder with rt-polarity.pos and rt-polarity.neg")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        texts, labels = rt_polarity.load_data(args.data)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    gn.utils.set_random_seed(args.seed)
    order = np.random.default_rng(args.seed).permutation(len(texts))
    texts, labels = np.array(texts, dtype=object)[order], labels[order]
    split = int(0.9 * len(texts))
    x_train, y_train = texts[:split, None], labels[:split]
    x_test, y_test = texts[split:, None], labels[split:]
    vectorizer = layers.TextVectorization(max_tokens=20000, output_sequence_length=40)
    vectorizer.adapt(x_train[:, 0])
    model = build_model(vectorizer)
    model.summary()
    start = time.perf_counter()
    history = model.fit(x_train, y_train, batch_size=32, epochs=args.epochs, validation_split=0.1,
                        callbacks=[EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)],
                        verbose=2)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    print(f"trained {len(history.history['loss'])} epochs in {seconds:.1f} s; "
          f"test accuracy {accuracy:.4f} on {len(x_test):,} held-out sentences")
    for sentence in ["a gorgeous , witty , seductive movie .", "the plot is dull and the acting is worse ."]:
        print(f"  {model.predict(np.array([[sentence]], dtype=object), verbose=0)[0, 0]:.3f}  {sentence}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
