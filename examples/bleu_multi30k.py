"""BLEU on the Multi30k test set (German -> English), checked against sacreBLEU.

The "translation system" is a translation memory built from glassnet's own TF-IDF: every
German test sentence is matched (cosine similarity of TF-IDF vectors) with the most
similar German sentence of the 29,000 training pairs, and that pair's English side is the
hypothesis. A second, easier system copies the reference and drops each word with
probability 0.2. Both are scored with glassnet's corpus_bleu under every smoothing method
and with sentence_bleu on each of the 1,000 sentences; when sacreBLEU is installed the
largest absolute difference from it is printed.

Run:  python examples/bleu_multi30k.py [--data DIR]
"""
from __future__ import annotations

import argparse
import gzip
import os
import random
import sys
from pathlib import Path

import numpy as np

from glassnet.text import TfidfVectorizer, corpus_bleu, sentence_bleu

SMOOTHING = ["exp", "floor", "add-k", "none"]


def data_dir(argument: str | None) -> Path:
    repository = Path(__file__).resolve().parents[1]
    return Path(argument or os.environ.get("GLASSNET_DATA") or repository.parent / "shared" / "data")


def read_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return f.read().splitlines()


def translation_memory(train_de, train_en, test_de) -> list[str]:
    """English side of the training pair whose German is closest (TF-IDF cosine)."""
    tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    train = tfidf.fit_transform(train_de)  # rows have unit L2 norm, so X Y^T is cosine
    similarity = (tfidf.transform(test_de) @ train.T).toarray()
    return [train_en[i] for i in np.argmax(similarity, axis=1)]


def word_dropout(sentences, p=0.2, seed=0) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(w for w in s.split() if rnd.random() >= p) for s in sentences]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder")
    args = parser.parse_args()
    folder = data_dir(args.data) / "multi30k"
    names = ["train.de.gz", "train.en.gz", "test_2016_flickr.de.gz", "test_2016_flickr.en.gz"]
    if not all((folder / name).exists() for name in names):
        print(f"dataset not found: {folder}")
        return 0
    train_de, train_en, test_de, test_en = (read_lines(folder / name) for name in names)
    try:
        import sacrebleu
    except ImportError:
        sacrebleu = None
        print("sacreBLEU not installed: scores only, no comparison")

    systems = {
        "translation memory": translation_memory(train_de, train_en, test_de),
        "reference, 20% words dropped": word_dropout(test_en),
    }
    print(f"Multi30k test 2016: {len(test_en)} segments, 1 reference each\n")
    for system, hypotheses in systems.items():
        print(f"{system}: e.g. {test_de[1]!r}\n    -> {hypotheses[1]!r}")
        for smooth in SMOOTHING:
            ours = corpus_bleu(hypotheses, [test_en], smooth_method=smooth)
            line = f"  corpus {smooth:5s}  {ours}"
            if sacrebleu is not None:
                theirs = sacrebleu.corpus_bleu(hypotheses, [test_en], smooth_method=smooth)
                line += f"   |diff| {abs(ours.score - theirs.score):.1e}"
            print(line)
        ours = [sentence_bleu(h, [r]).score for h, r in zip(hypotheses, test_en)]
        line = f"  sentence BLEU: mean {np.mean(ours):.2f} over {len(ours)} segments"
        if sacrebleu is not None:
            theirs = [sacrebleu.sentence_bleu(h, [r]).score for h, r in zip(hypotheses, test_en)]
            line += f"; max |diff| from sacreBLEU {np.max(np.abs(np.subtract(ours, theirs))):.1e}"
        print(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
