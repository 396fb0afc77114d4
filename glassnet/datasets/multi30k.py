"""Multi30k task 1 (Elliott et al., 2016): aligned English–German image descriptions.

Files ``<split>.<lang>.gz`` (gzipped UTF-8, one sentence per line, raw casing and
punctuation); line i of the English file translates line i of the German one.
Splits: "train" (29,000 pairs), "val" (1,014), "test" = "test_2016_flickr" (1,000).
"""
from __future__ import annotations

from .locate import find_files, read_lines

SPLITS = {"train": "train", "val": "val", "test": "test_2016_flickr", "test_2016_flickr": "test_2016_flickr"}
LANGUAGES = ("en", "de")


def load_data(split="train", source="de", target="en", path=None):
    """The aligned sentence pairs of one split.

    Args:
        split: "train", "val" or "test" (alias "test_2016_flickr").
        source: language of the first list, "de" or "en".
        target: language of the second list, "en" or "de" (must differ from ``source``).
        path: folder holding the ``.gz`` files. Default: ``$GLASSNET_DATA/multi30k``, else
            ``../shared/data/multi30k`` relative to the current directory or the repository.

    Returns:
        ``(source_lines, target_lines)``: two lists of str of equal length, line endings
        removed.

    Raises:
        ValueError: for an unknown split or language, equal ``source`` and ``target``,
            or files whose line counts differ. FileNotFoundError: if the files are missing.
    """
    if split not in SPLITS:
        raise ValueError(f"multi30k.load_data: `split` must be one of {sorted(SPLITS)}, got {split!r}")
    for name, value in (("source", source), ("target", target)):
        if value not in LANGUAGES:
            raise ValueError(f"multi30k.load_data: `{name}` must be one of {LANGUAGES}, got {value!r}")
    if source == target:
        raise ValueError(f"multi30k.load_data: `source` and `target` must differ, both are {source!r}")
    stem = SPLITS[split]
    source_path, target_path = find_files("multi30k", (f"{stem}.{source}.gz", f"{stem}.{target}.gz"), path)
    source_lines, target_lines = read_lines(source_path), read_lines(target_path)
    if len(source_lines) != len(target_lines):
        raise ValueError(f"multi30k: {source_path} has {len(source_lines)} lines but {target_path} has "
                         f"{len(target_lines)}; the files must be aligned line by line")
    return source_lines, target_lines


__all__ = ["load_data", "SPLITS", "LANGUAGES"]
