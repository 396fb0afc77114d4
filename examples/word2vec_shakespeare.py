"""word2vec on Tiny Shakespeare: nearest neighbours, analogies and a 2-D PCA picture.

Each line of the play text is a sentence; its whitespace tokens are lower-cased and
stripped of surrounding punctuation ("King," -> "king"). A skip-gram model with negative
sampling is trained, then:

* the nearest neighbours (cosine similarity) of a few words are printed;
* analogies a - b + c are answered (``model.analogy(a, b, c)``);
* the vectors of chosen words are projected on their first two principal components
  (PCA: centre the vectors, take the top-2 right singular vectors of the SVD) and saved
  as a PNG, whose path is printed.

Tiny Shakespeare has only ~200,000 words, far less than word2vec is usually trained on,
so expect themes (royalty, kinship, death) rather than crisp analogies.

Run:  python examples/word2vec_shakespeare.py [--data DIR] [--epochs 20] [--sg 1]
                                              [--out glassnet_output/word2vec_pca.png]
"""
from __future__ import annotations

import argparse
import os
import string
import sys
import time
from pathlib import Path

import numpy as np

from glassnet.text import Word2Vec

QUERIES = ["king", "queen", "love", "lord", "death", "romeo", "thou"]
ANALOGIES = [("king", "man", "woman"), ("king", "queen", "wife"), ("father", "son", "daughter")]
PLOTTED = ["king", "queen", "prince", "duke", "lord", "lady", "father", "mother", "son",
           "daughter", "brother", "sister", "husband", "wife", "love", "hate", "death", "life",
           "day", "night", "romeo", "juliet", "sword", "blood", "heaven", "hell"]


def data_dir(argument: str | None) -> Path:
    repository = Path(__file__).resolve().parents[1]
    return Path(argument or os.environ.get("GLASSNET_DATA") or repository.parent / "shared" / "data")


def read_sentences(path: Path) -> list[list[str]]:
    """One sentence per non-empty line: lower-cased whitespace tokens without punctuation."""
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        tokens = [token.strip(string.punctuation).lower() for token in line.split()]
        tokens = [token for token in tokens if token]
        if tokens:
            sentences.append(tokens)
    return sentences


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """Coordinates on the first two principal components: X_c V[:, :2] with X_c = U S V^T."""
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    return centred @ components[:2].T


def save_plot(model: Word2Vec, words: list[str], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    words = [word for word in words if word in model]
    points = pca_2d(np.stack([model[word] for word in words]).astype(np.float64))
    figure, axes = plt.subplots(figsize=(8, 6))
    axes.scatter(points[:, 0], points[:, 1], s=12)
    for word, (x, y) in zip(words, points):
        axes.annotate(word, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9)
    axes.set_title("word2vec on Tiny Shakespeare: first two principal components")
    axes.set_xlabel("PC 1")
    axes.set_ylabel("PC 2")
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(figure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--sg", type=int, default=1, help="1 skip-gram, 0 CBOW")
    parser.add_argument("--out", default="glassnet_output/word2vec_shakespeare_pca.png")
    args = parser.parse_args()

    path = data_dir(args.data) / "tinyshakespeare" / "input.txt"
    if not path.exists():
        print(f"dataset not found: {path}")
        return 0
    sentences = read_sentences(path)
    n_tokens = sum(len(sentence) for sentence in sentences)
    model = Word2Vec(vector_size=100, window=5, min_count=5, sg=args.sg, epochs=args.epochs,
                     seed=0)
    start = time.perf_counter()
    model.fit(sentences)
    seconds = time.perf_counter() - start
    print(f"{len(sentences)} sentences, {n_tokens} tokens, vocabulary {len(model.wv)}; "
          f"{args.epochs} epochs in {seconds:.1f} s ({n_tokens * args.epochs / seconds:,.0f} tokens/s)")
    print(f"loss per pair: first epoch {model.loss_history_[0]:.3f}, "
          f"last {model.loss_history_[-1]:.3f}\n")

    for word in QUERIES:
        neighbours = ", ".join(f"{w} {s:.2f}" for w, s in model.most_similar(word, topn=6))
        print(f"{word:>7s}: {neighbours}")
    print()
    for a, b, c in ANALOGIES:
        top = ", ".join(f"{w} {s:.2f}" for w, s in
                        model.most_similar(positive=[a, c], negative=[b], topn=3))
        print(f"{a} - {b} + {c} = {model.analogy(a, b, c)}   (top 3: {top})")

    out = Path(args.out)
    save_plot(model, PLOTTED, out)
    print(f"\nPCA plot saved to {out.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
