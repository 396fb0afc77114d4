"""Bag of words and TF-IDF on the rt-polarity movie reviews, side by side with scikit-learn.

First the course's two tables (bag of words, then TF-IDF by the course's definition) on
three short sentences, then glassnet's CountVectorizer / TfidfVectorizer and
scikit-learn's on the 10,662 review snippets with the same settings: the largest absolute
difference between the two matrices and the time ratio glassnet / scikit-learn
(< 1 means glassnet is faster; best of three runs each).

Run:  python examples/text_vectorizers.py [--data DIR]
      (DIR defaults to $GLASSNET_DATA, else ../shared/data next to the repository)
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

from glassnet.text import CountVectorizer, CourseTfidf, TfidfVectorizer

GLASSNET = {"CountVectorizer": CountVectorizer, "TfidfVectorizer": TfidfVectorizer}
SETTINGS = [
    ("CountVectorizer", {}),
    ("CountVectorizer", {"ngram_range": (1, 2), "min_df": 2}),
    ("CountVectorizer", {"stop_words": ["the", "a", "of", "and"], "max_features": 5000}),
    ("TfidfVectorizer", {}),
    ("TfidfVectorizer", {"ngram_range": (1, 2), "sublinear_tf": True, "max_df": 0.5}),
    ("TfidfVectorizer", {"smooth_idf": False, "norm": "l1", "binary": True}),
    ("TfidfVectorizer", {"analyzer": "char_wb", "ngram_range": (2, 4)}),
]


def data_dir(argument: str | None) -> Path:
    repository = Path(__file__).resolve().parents[1]
    return Path(argument or os.environ.get("GLASSNET_DATA") or repository.parent / "shared" / "data")


def best_time(fit_transform, documents, repeats=3):
    """The fastest of ``repeats`` runs, and the result of the last one."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fit_transform(documents)
        times.append(time.perf_counter() - start)
    return min(times), result


def course_tables():
    print("The course's bag of words (lower-cased, stop words removed):")
    sentences = ["He is a good boy", "She is a good girl", "Boy and girl are good"]
    bow = CountVectorizer(stop_words="english")
    print("  columns", list(bow.fit(sentences).get_feature_names_out()))
    print("  " + str(bow.transform(sentences).toarray()).replace("\n", "\n  "))
    print("The course's TF-IDF: tf = count / words in sentence, idf = ln(N / df):")
    sentences = ["good boy", "good girl", "boy girl good"]
    tfidf = CourseTfidf()
    table = tfidf.fit_transform(sentences).toarray()
    print("  columns", list(tfidf.get_feature_names_out()), " idf", np.round(tfidf.idf_, 4))
    print("  " + str(np.round(table, 4)).replace("\n", "\n  "))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder")
    args = parser.parse_args()
    course_tables()

    folder = data_dir(args.data) / "rt-polarity"
    files = [folder / "rt-polarity.pos", folder / "rt-polarity.neg"]
    if not all(path.exists() for path in files):
        print(f"dataset not found: {folder}")
        return 0
    documents = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    try:
        from sklearn.feature_extraction import text as sk_text
    except ImportError:
        print("scikit-learn not installed: nothing to compare with")
        return 0

    print(f"\nrt-polarity: {len(documents)} documents")
    print(f"{'vectorizer':16s} {'settings':66s} {'columns':>8s} {'max|diff|':>10s} "
          f"{'glassnet s':>10s} {'sklearn s':>9s} {'ratio':>6s}")
    for name, params in SETTINGS:
        ours_time, ours = best_time(GLASSNET[name](**params).fit_transform, documents)
        theirs_time, theirs = best_time(getattr(sk_text, name)(**params).fit_transform, documents)
        difference = abs(ours - theirs)
        max_diff = difference.max() if difference.nnz else 0.0
        print(f"{name:16s} {str(params):66s} {ours.shape[1]:8d} {max_diff:10.1e} "
              f"{ours_time:10.3f} {theirs_time:9.3f} {ours_time / theirs_time:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
