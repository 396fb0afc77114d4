"""Learning to add: "535+61 " → "596 ", a sequence-to-sequence toy with an LSTM encoder and decoder.

    question (7 characters, one-hot) → LSTM(128) encoder: one vector for the whole question
    → RepeatVector(4): that vector at each of the 4 answer steps
    → LSTM(128, return_sequences=True) decoder → TimeDistributed(Dense(12, softmax)): one character per step

The classic Keras example (after Zaremba & Sutskever, "Learning to Execute", 2014): numbers of
up to 3 digits, the question padded with spaces to 7 characters and, as in the paper, read
reversed (it shortens the path between the digits that are added); the answer padded to 4.
Prints the accuracy of whole answers on held-out questions, and a few of them, each epoch block.

Run:  python examples/addition_rnn.py [--questions 30000] [--epochs 20] [--seed 0]
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import glassnet as gn
from glassnet import layers

DIGITS = 3
QUESTION, ANSWER = DIGITS * 2 + 1, DIGITS + 1
CHARS = "0123456789+ "


def encode(strings, length: int) -> np.ndarray:
    """One-hot (n, length, 12) of strings padded to ``length``."""
    index = {c: i for i, c in enumerate(CHARS)}
    out = np.zeros((len(strings), length, len(CHARS)), dtype=np.float32)
    for row, s in enumerate(strings):
        for column, c in enumerate(s):
            out[row, column, index[c]] = 1.0
    return out


def decode(one_hot) -> str:
    return "".join(CHARS[i] for i in one_hot.argmax(-1))


def questions(n: int, rng):
    """n distinct "a+b" questions (reversed, padded) and their answers (padded)."""
    seen, qs, answers = set(), [], []
    while len(qs) < n:
        a, b = (int(rng.integers(0, 10 ** rng.integers(1, DIGITS + 1))) for _ in range(2))
        if (min(a, b), max(a, b)) in seen:
            continue
        seen.add((min(a, b), max(a, b)))
        qs.append(f"{a}+{b}".ljust(QUESTION)[::-1])
        answers.append(str(a + b).ljust(ANSWER))
    return qs, answers


def build_model() -> gn.Sequential:
    model = gn.Sequential([layers.Input((QUESTION, len(CHARS))), layers.LSTM(128), layers.RepeatVector(ANSWER),
                           layers.LSTM(128, return_sequences=True),
                           layers.TimeDistributed(layers.Dense(len(CHARS), activation="softmax"))])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=30_000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    gn.utils.set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    qs, answers = questions(args.questions, rng)
    x, y = encode(qs, QUESTION), encode(answers, ANSWER)
    split = int(0.9 * len(x))
    model = build_model()
    start = time.perf_counter()
    for block in range(0, args.epochs, 5):
        epochs = min(5, args.epochs - block)
        model.fit(x[:split], y[:split], batch_size=32, epochs=block + epochs, initial_epoch=block, verbose=2)
        predicted = model.predict(x[split:], verbose=0)
        exact = np.mean([decode(p) == decode(t) for p, t in zip(predicted, y[split:])])
        print(f"after {block + epochs} epochs ({time.perf_counter() - start:.0f} s): {exact:.1%} of "
              f"{len(x) - split:,} held-out sums exactly right")
        for i in range(split, split + 3):
            guess = decode(model.predict(x[i:i + 1], verbose=0)[0])
            mark = "✓" if guess == answers[i] else "✗"
            print(f"   {qs[i][::-1].strip():>7} = {guess.strip():<4} {mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
