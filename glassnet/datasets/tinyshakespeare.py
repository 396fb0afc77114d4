"""Tiny Shakespeare (Karpathy's char-rnn corpus), read from a local file.

1,115,394 ASCII characters of plays (65 distinct symbols). The usual split is the first
90% for training and the last 10% for validation.
"""
from __future__ import annotations

from .locate import find_files, read_text

FILES = ("input.txt",)


def load_text(path=None) -> str:
    """The whole corpus as one string.

    Args:
        path: folder holding ``input.txt`` (or ``input.txt.gz``). Default:
            ``$GLASSNET_DATA/tinyshakespeare``, else ``../shared/data/tinyshakespeare``
            relative to the current directory or the repository.

    Raises:
        FileNotFoundError: if no folder has the file. ValueError: if it is not UTF-8.
    """
    (text_path,) = find_files("tinyshakespeare", FILES, path)
    return read_text(text_path)


__all__ = ["load_text"]
