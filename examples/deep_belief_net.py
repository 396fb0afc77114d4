"""A deep belief net on the digits: does greedy RBM pre-training help when labels are few?

Data: scikit-learn's 8×8 digits (1,797 images, pixels scaled to [0, 1]), split into a test
set and a training pool. The whole pool is used *without labels* for pre-training; only a
small labelled subset (``--labelled`` images, default 10 per class) is used for fine-tuning.

Two networks with the same architecture, 64 → RBM(256) → RBM(128) → softmax(10), the same
fine-tuning (Adam, ``--epochs`` epochs on the labelled subset) and the same seed:

    with pre-training:     ``pretrain_greedily`` (CD-1, each RBM on the hidden
                           probabilities of the one below), then ``fit``
    without pre-training:  ``fit`` from the random start

Printed: each RBM's reconstruction error per pre-training epoch, and the test accuracy of
both networks (the mean over ``--repeats`` draws of the labelled subset).

Run:  python examples/deep_belief_net.py [--labelled 100] [--epochs 100] [--pretrain-epochs 10] [--repeats 3]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from glassnet import optimizers, utils
from glassnet.applications import DBN, pretrain_greedily

HIDDEN = (256, 128)


def fine_tuned_accuracy(x_small, y_small, x_test, y_test, pretrained_weights, args, seed) -> float:
    """Test accuracy after fine-tuning a DBN (starting from ``pretrained_weights`` when given)."""
    utils.set_random_seed(seed)
    model = DBN(64, hidden_units=HIDDEN, classes=10, seed=seed)
    if pretrained_weights is not None:
        model.set_weights(pretrained_weights)
    model.compile(optimizer=optimizers.Adam(learning_rate=1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x_small, y_small, epochs=args.epochs, batch_size=16, verbose=0)
    return model.evaluate(x_test, y_test, verbose=0, return_dict=True)["accuracy"]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=int, default=100, help="labelled training images (10 per class)")
    parser.add_argument("--epochs", type=int, default=100, help="fine-tuning epochs")
    parser.add_argument("--pretrain-epochs", type=int, default=10, help="CD-1 epochs per RBM")
    parser.add_argument("--rbm-learning-rate", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3, help="draws of the labelled subset")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    x, y = load_digits(return_X_y=True)
    x = (x / 16.0).astype("float32")
    x_pool, x_test, y_pool, y_test = train_test_split(x, y, test_size=0.3, stratify=y, random_state=args.seed)
    print(f"{len(x_pool)} unlabelled images for pre-training, {args.labelled} labelled for fine-tuning, "
          f"{len(x_test)} test images; network 64 → {' → '.join(map(str, HIDDEN))} → 10")

    # pre-training uses no labels, so it is done once; every draw of the labelled subset starts from it
    start = time.perf_counter()
    utils.set_random_seed(args.seed)
    dbn = DBN(64, hidden_units=HIDDEN, classes=10, seed=args.seed)
    errors = pretrain_greedily(dbn, x_pool, epochs=args.pretrain_epochs, batch_size=32,
                               learning_rate=args.rbm_learning_rate, k=1)
    for i, e in enumerate(errors):
        print(f"RBM {i + 1} mean squared reconstruction error per epoch: " + " ".join(f"{v:.4f}" for v in e))
    print(f"(pre-training: {time.perf_counter() - start:.0f} s; predicting every pixel's mean would give "
          f"{np.mean((x_pool - x_pool.mean(0)) ** 2):.4f} for RBM 1)")
    pretrained = dbn.get_weights()

    results = {"with pre-training": [], "without pre-training": []}
    for repeat in range(args.repeats):
        rng = np.random.default_rng(args.seed + repeat)
        per_class = args.labelled // 10
        chosen = np.concatenate([rng.choice(np.flatnonzero(y_pool == c), per_class, replace=False) for c in range(10)])
        x_small, y_small = x_pool[chosen], y_pool[chosen]
        for weights, name in ((pretrained, "with pre-training"), (None, "without pre-training")):
            results[name].append(fine_tuned_accuracy(x_small, y_small, x_test, y_test, weights, args,
                                                     seed=args.seed + repeat))
        print(f"draw {repeat + 1}: test accuracy with pre-training {results['with pre-training'][-1]:.3f}, "
              f"without {results['without pre-training'][-1]:.3f}")
    for name, values in results.items():
        print(f"{name:>21}: test accuracy {np.mean(values):.3f} ± {np.std(values):.3f} "
              f"(mean ± std over {args.repeats} draws of {args.labelled} labelled images)")
    print(f"({time.perf_counter() - start:.0f} s)")
    return {name: float(np.mean(values)) for name, values in results.items()}


if __name__ == "__main__":
    main()
