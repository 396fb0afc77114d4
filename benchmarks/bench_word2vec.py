"""Time one word2vec epoch on about a million tokens; compare with gensim when present.

The corpus is Tiny Shakespeare (lower-cased whitespace tokens, one sentence per line,
about 200,000 tokens) repeated until it holds at least ``--tokens`` tokens. For skip-gram
and CBOW the script reports the vocabulary time and the seconds and tokens/second of one
training epoch (vector_size 100, window 5, negative 5, sample 1e-3, min_count 5), with
the process CPU time beside the wall time (a fairer figure on a busy machine). If
gensim is importable it trains the same configuration (workers=2) and prints the ratio
glassnet time / gensim time (< 1 means glassnet is faster).

Run:  python benchmarks/bench_word2vec.py [--data DIR] [--tokens 1000000] [--sg 1 0]
"""
from __future__ import annotations

import argparse
import os
import string
import sys
import time
from pathlib import Path

from glassnet.text import Word2Vec

SETTINGS = dict(vector_size=100, window=5, min_count=5, negative=5, sample=1e-3, epochs=1)


def data_dir(argument: str | None) -> Path:
    repository = Path(__file__).resolve().parents[1]
    return Path(argument or os.environ.get("GLASSNET_DATA") or repository.parent / "shared" / "data")


def corpus(path: Path, n_tokens: int) -> list[list[str]]:
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        tokens = [token.strip(string.punctuation).lower() for token in line.split()]
        if any(tokens):
            sentences.append([token for token in tokens if token])
    repeated, total = [], 0
    while total < n_tokens:
        repeated.extend(sentences)
        total += sum(len(sentence) for sentence in sentences)
    return repeated


def time_glassnet(sentences, sg):
    model = Word2Vec(sg=sg, seed=0, **SETTINGS)
    start = time.perf_counter()
    model.build_vocab(sentences)
    vocabulary_seconds = time.perf_counter() - start
    start, cpu_start = time.perf_counter(), time.process_time()
    model.train(sentences)
    return vocabulary_seconds, time.perf_counter() - start, time.process_time() - cpu_start


def time_gensim(sentences, sg):
    try:
        from gensim.models import Word2Vec as GensimWord2Vec
    except ImportError:
        return None
    model = GensimWord2Vec(sg=sg, seed=0, workers=2, **SETTINGS)
    model.build_vocab(sentences)
    start = time.perf_counter()
    model.train(sentences, total_examples=len(sentences), epochs=1)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="the shared data folder")
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--sg", type=int, nargs="+", default=[1, 0])
    args = parser.parse_args()
    path = data_dir(args.data) / "tinyshakespeare" / "input.txt"
    if not path.exists():
        print(f"dataset not found: {path}")
        return 0
    sentences = corpus(path, args.tokens)
    n_tokens = sum(len(sentence) for sentence in sentences)
    print(f"corpus: {len(sentences):,} sentences, {n_tokens:,} tokens; settings {SETTINGS}")
    for sg in args.sg:
        name = "skip-gram" if sg else "CBOW"
        vocabulary_seconds, seconds, cpu_seconds = time_glassnet(sentences, sg)
        line = (f"{name:9s} glassnet: vocabulary {vocabulary_seconds:.2f} s, 1 epoch "
                f"{seconds:.2f} s = {n_tokens / seconds:,.0f} tokens/s "
                f"(CPU time {cpu_seconds:.2f} s)")
        gensim_seconds = time_gensim(sentences, sg)
        if gensim_seconds is not None:
            line += (f"; gensim {gensim_seconds:.2f} s = {n_tokens / gensim_seconds:,.0f} "
                     f"tokens/s; ratio glassnet/gensim {seconds / gensim_seconds:.2f}")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
