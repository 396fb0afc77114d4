"""The text pipeline of ``TextVectorization``, Keras 3's rules exactly: standardize, split,
n-grams, and the checks of the layer's arguments (the vocabulary, its lookup and the inverse
document frequency are shared with the lookup layers: ``index_lookup.py``).

    standardize: "lower_and_strip_punctuation" | "lower" | "strip_punctuation" | None | f(str)
    split:       "whitespace" | "character" | None | f(str) -> list of str
    ngrams:      n → every width 1..n;  (2, 3) → exactly those widths; joined with " "
"""
from __future__ import annotations

import re
import string

import numpy as np

from ...tensor import Tensor
from ..registry import get_registered_name, get_registered_object

PAD_TOKEN = ""
"""Index 0 in "int" mode: padding (and the mask token)."""
OOV_TOKEN = "[UNK]"
"""The out-of-vocabulary token: index 1 in "int" mode, index 0 in the other modes."""

PUNCTUATION = string.punctuation
"""The 32 ASCII characters Keras strips: ``!"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~``."""

STANDARDIZE_MODES = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT_MODES = ("whitespace", "character")
OUTPUT_MODES = ("int", "multi_hot", "count", "tf_idf")
_DEPRECATED_MODES = {"binary": "multi_hot", "tf-idf": "tf_idf"}

# tf.strings.lower without an encoding lowers ASCII A-Z only; "É" stays "É" in Keras too.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_DELETE_PUNCTUATION = str.maketrans("", "", PUNCTUATION)
# tf.strings.split(sep=None) cuts at runs of ASCII whitespace (C isspace), not Unicode spaces.
_NON_WHITESPACE_RUN = re.compile(r"[^ \t\n\v\f\r]+")

_HOW_TO_REGISTER = ("decorate it with @glassnet.saving.register_serializable(package='Custom') so a saved "
                    "config can name it")


# --------------------------------------------------------------------------- the pipeline

def standardize_text(text: str, standardize) -> str:
    """Apply one of Keras's standardizations (or a callable ``str -> str``) to one string.

    "lower" lowers ASCII letters only (as ``tf.strings.lower``); "strip_punctuation" deletes
    the characters of ``PUNCTUATION``; "lower_and_strip_punctuation" does both; None keeps
    the text as is.
    """
    if standardize is None:
        return text
    if callable(standardize):
        result = standardize(text)
        if not isinstance(result, str):
            raise TypeError(f"TextVectorization: the standardize callable must return a str, "
                            f"got {type(result).__name__} for {text!r}")
        return result
    if standardize in ("lower", "lower_and_strip_punctuation"):
        text = text.translate(_ASCII_LOWER)
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        text = text.translate(_DELETE_PUNCTUATION)
    return text


def split_text(text: str, split) -> list:
    """Cut one standardized string into tokens.

    "whitespace": at runs of ASCII whitespace (space, \\t, \\n, \\v, \\f, \\r), no empty
    tokens; "character": one token per Unicode code point; a callable ``str -> list[str]``.
    """
    if split == "whitespace":
        return _NON_WHITESPACE_RUN.findall(text)
    if split == "character":
        return list(text)
    tokens = split(text)
    if isinstance(tokens, str) or not isinstance(tokens, (list, tuple)) or \
            not all(isinstance(token, str) for token in tokens):
        raise TypeError(f"TextVectorization: the split callable must return a list of str, "
                        f"got {tokens!r} for {text!r}")
    return list(tokens)


def make_ngrams(tokens: list, widths) -> list:
    """All n-grams of each width in ``widths`` (in that order), words joined with one space.

    A sequence of length L has max(L − n + 1, 0) n-grams of width n (as tf.strings.ngrams
    with no padding): ``make_ngrams(["a", "b", "c"], (1, 2)) == ["a", "b", "c", "a b", "b c"]``.
    """
    if widths is None:
        return tokens
    return [" ".join(tokens[i:i + n]) for n in widths for i in range(len(tokens) - n + 1)]


# --------------------------------------------------------------------------- checking arguments

def _check_choice(argument: str, value, choices, allow_none: bool, allow_callable: bool):
    if (value is None and allow_none) or (callable(value) and allow_callable) or \
            (isinstance(value, str) and value in choices):
        return value
    extra = (["None"] if allow_none else []) + (["a callable"] if allow_callable else [])
    raise ValueError(f"TextVectorization: unknown {argument}={value!r}; expected one of "
                     f"{', '.join(repr(c) for c in choices)}" + (f" or {' or '.join(extra)}" if extra else ""))


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_ngrams(ngrams):
    """None, a positive int n (widths 1..n) or a tuple of positive ints -> widths tuple or None."""
    if ngrams is None:
        return None
    if _is_int(ngrams) and ngrams >= 1:
        return tuple(range(1, int(ngrams) + 1))
    if isinstance(ngrams, (tuple, list)) and ngrams and all(_is_int(n) and n >= 1 for n in ngrams):
        return tuple(int(n) for n in ngrams)
    raise ValueError(f"TextVectorization: ngrams must be None, a positive int or a tuple of positive ints, "
                     f"got {ngrams!r}")


def _callable_name(function, argument: str) -> str:
    name = get_registered_name(function)
    if name is None:
        raise ValueError(f"TextVectorization: cannot save the {argument} callable {function!r}; {_HOW_TO_REGISTER}")
    return name


def _callable_from_name(name, argument: str, choices, custom_objects):
    if name is None or name in choices:
        return name
    function = get_registered_object(name, custom_objects)
    if function is None or not callable(function):
        raise ValueError(f"TextVectorization: the {argument} {name!r} is neither one of {choices} nor a "
                         f"registered function; {_HOW_TO_REGISTER}, and run that code before loading")
    return function


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"a NumPy array of dtype {value.dtype}"
    return type(value).__name__


def to_string_array(value, argument: str, encoding: str = "utf-8", owner: str = "TextVectorization") -> np.ndarray:
    """``value`` (a str, a nested list of str, a NumPy array of str/bytes/object) as an
    object array of Python str; bytes are decoded with ``encoding``. Errors name ``owner``
    (TextVectorization, StringLookup).

    Raises:
        TypeError: for anything that is not text (numbers, Tensors, None), naming its type.
        ValueError: for ragged nested lists.
    """
    if isinstance(value, Tensor):
        raise TypeError(f"{owner}: {argument} must be strings (a str, a list of str or a NumPy array "
                        f"of str), got a glassnet Tensor of dtype {value.dtype}: Tensors hold numbers")
    if isinstance(value, (str, bytes)):
        array = np.empty((), dtype=object)
        array[()] = value
    elif isinstance(value, np.ndarray):
        if value.dtype.kind not in "USO":
            raise TypeError(f"{owner}: {argument} must be strings, got {_describe(value)}")
        array = value.astype(object)
    elif isinstance(value, (list, tuple)):
        try:
            array = np.array(value, dtype=object)
        except ValueError as error:
            raise ValueError(f"{owner}: {argument} is a ragged nested list ({error}); give one "
                             f"string per sample") from None
    else:
        raise TypeError(f"{owner}: {argument} must be strings (a str, a list of str or a NumPy array "
                        f"of str), got {_describe(value)}")
    flat = array.reshape(-1)
    for i, item in enumerate(flat):
        if isinstance(item, bytes):
            flat[i] = item.decode(encoding)
        elif not isinstance(item, str):
            what = "a ragged nested list" if isinstance(item, (list, tuple)) else type(item).__name__
            raise TypeError(f"{owner}: {argument} must be strings, got {_describe(value)} "
                            f"containing {what} ({item!r})")
    return array


# --------------------------------------------------------------------------- the layer
