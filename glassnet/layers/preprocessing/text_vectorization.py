"""TextVectorization: raw strings in, token ids / multi-hot / counts / TF-IDF out (Keras 3).

The layer is the bag-of-words pipeline of the course in one object:

    "He is a good boy"  --standardize-->  "he is a good boy"
                        --split-------->  ["he", "is", "a", "good", "boy"]
                        --ngrams------->  (optionally "he is", "is a", ... joined with " ")
                        --index-------->  [8, 3, 6, 2, 5]          (output_mode="int")
                        --encode------->  one row of length |V|     ("multi_hot", "count", "tf_idf")

``adapt(data)`` learns the vocabulary V from a corpus: every token counted, sorted by
descending count, ties broken by the token itself in descending order (code-point order,
which is Keras's byte order), then cut to ``max_tokens`` entries including the reserved ones.
The vocabulary itself — its checks, this ranking, the lookup, the idf weights and the bag
encoding — is index_lookup.py's ``Vocabulary``, shared with StringLookup and IntegerLookup
(TextVectorization is a StringLookup with mask token "" after a text pipeline, as in Keras).

The layer works on its own (``layer(texts)``) and as the first step of a model, after
``Input(shape=(1,), dtype="string")``; then ``fit``/``predict`` take NumPy arrays of str.
"""
from __future__ import annotations

import codecs
import os
from collections import Counter

import numpy as np

from ... import backend
from ...tensor import Tensor
from .. import node as node_module
from ..base import Layer
from .index_lookup import (
    Vocabulary,
    encode_ids,
    given_idf_weights,
    learned_idf_weights,
    rank_tokens,
    read_vocabulary_file,
    split_vocabulary,
)
from .text_pipeline import (
    PAD_TOKEN,
    OOV_TOKEN,
    STANDARDIZE_MODES,
    SPLIT_MODES,
    OUTPUT_MODES,
    _DEPRECATED_MODES,
    standardize_text,
    split_text,
    make_ngrams,
    _check_choice,
    _is_int,
    _check_ngrams,
    _callable_name,
    _callable_from_name,
    _describe,
    to_string_array,
)


class TextVectorization(Layer):
    """Map raw strings to token ids, or to one vector per string (multi-hot, counts, TF-IDF).

    Each string goes through: standardize → split → n-grams → look up in the vocabulary →
    encode. The vocabulary comes from ``adapt(corpus)`` or is given (``vocabulary=`` or
    ``set_vocabulary``). Reserved entries lead it:

    * ``output_mode="int"``: index 0 is "" (padding / mask), index 1 is "[UNK]";
    * the other modes: index 0 is "[UNK]" (there is no padding).

    ``max_tokens`` counts these reserved entries.

    Formula (output_mode="tf_idf"), for document d and vocabulary index j (token t_j):

        tf(t, d)  = number of times t occurs in d (the raw count, not divided by |d|)
        idf(t)    = ln(1 + N / (1 + df(t)))     N documents seen by adapt, df(t) of them hold t
        out[d, j] = tf(t_j, d) · idf(t_j)

    The "[UNK]" slot uses the mean idf of the learned tokens (one pass cannot measure it).
    With ``set_vocabulary(vocabulary, idf_weights)`` the given weights are used as they are.

    Args:
        max_tokens: maximum vocabulary size, reserved tokens included (an int > 1), or None.
            ``adapt`` keeps the ``max_tokens − 2`` ("int") or ``max_tokens − 1`` most frequent.
        standardize: "lower_and_strip_punctuation" (default), "lower", "strip_punctuation",
            None, or a callable ``str -> str``. Lowering touches ASCII A–Z only and the stripped
            punctuation is the 32 ASCII characters of ``PUNCTUATION``, exactly as Keras
            (``tf.strings.lower``/``regex_replace``): "Élan" stays "Élan", "¿" stays.
        split: "whitespace" (default: runs of ASCII space, \\t, \\n, \\v, \\f, \\r), "character"
            (Unicode code points), None (each string, or each element of a pre-tokenized
            ``(batch, k)`` array, is one token), or a callable ``str -> list[str]`` — for example
            ``glassnet.text.word_tokenize``. (Keras's callables receive a tf string tensor;
            glassnet's receive one Python str, as there is no string tensor.)
        ngrams: None, an int n (n-grams of widths 1, 2, ..., n) or a tuple of widths, e.g.
            ``(1, 3)``; the words of an n-gram are joined with one space.
        output_mode: "int" (default), "multi_hot", "count" or "tf_idf" ("binary" and
            "tf-idf" are accepted as Keras's old names).
        output_sequence_length: "int" mode only: pad with 0 / truncate every row to this length.
            Default None: pad to the longest row of the batch.
        pad_to_max_tokens: non-"int" modes: make the feature axis ``max_tokens`` long even when
            the vocabulary is shorter (needs ``max_tokens``).
        vocabulary: a list/tuple/1-D array of str, or a path to a text file with one token per
            line; may start with the reserved tokens. The layer can then not be adapted.
        idf_weights: "tf_idf" mode with ``vocabulary``: one idf weight per vocabulary entry.
        sparse: not supported (no sparse tensors in glassnet): True raises ValueError.
        ragged: not supported (no ragged tensors in glassnet): True raises ValueError.
        encoding: text encoding used to decode ``bytes`` inputs (default "utf-8").
        name: layer name.

    Input shape:
        A str, or strings of shape ``(batch,)`` or ``(batch, 1)``; with ``split=None`` also
        pre-tokenized ``(batch, k)``.

    Output shape:
        "int": ``(batch, output_sequence_length)`` int64 ids (``(batch, longest)`` when it is
        None; ``(batch,)`` for ``(batch,)`` input with ``split=None`` and no n-grams/length).
        Other modes: ``(batch, vocabulary_size())`` — or ``(batch, max_tokens)`` with
        ``pad_to_max_tokens`` — in ``backend.floatx()``. A single str input gives the row alone.

    Example (Keras's docstring example):
        >>> layer = TextVectorization(max_tokens=5000, output_sequence_length=4)
        >>> layer.adapt(["foo bar", "bar baz", "baz bada boom"])
        >>> layer([["foo qux bar"], ["qux baz"]]).numpy()
        array([[4, 1, 3, 0],
               [1, 2, 0, 0]])

    In a model (adapt first — the vocabulary size is the width of the output — then build;
    the saved model carries the vocabulary in the layer's config)::

        layer = TextVectorization(max_tokens=1000, output_mode="tf_idf")
        layer.adapt(train_texts)
        model = Sequential([Input(shape=(1,), dtype="string"), layer, Dense(1, activation="sigmoid")])
        model.fit(np.array(train_texts), labels)

    The layer has no weights and no gradient: its output is a plain Tensor that starts the
    differentiable part of the model.

    Unlike Keras: adapting again may change the vocabulary size in every mode (there are no
    compiled graph shapes to freeze; a model built on the old size must be built again),
    ``get_config`` stores the adapted vocabulary (and idf weights) too, since glassnet saves
    no asset files, and calling the layer, or building a model on it, before it has a
    vocabulary raises RuntimeError in every mode.
    """

    _accepts_strings = True
    _input_dtype = node_module.STRING  # what a Sequential without an Input feeds it

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace",
                 ngrams=None, output_mode="int", output_sequence_length=None, pad_to_max_tokens=False,
                 vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding="utf-8",
                 name=None, **kwargs):
        has_input_vocabulary = bool(kwargs.pop("has_input_vocabulary", vocabulary is not None))
        kwargs.pop("vocabulary_size", None)  # in Keras's config; the vocabulary itself decides it here
        output_mode = _DEPRECATED_MODES.get(output_mode, output_mode)
        _check_choice("output_mode", output_mode, OUTPUT_MODES, allow_none=False, allow_callable=False)
        _check_choice("standardize", standardize, STANDARDIZE_MODES, allow_none=True, allow_callable=True)
        _check_choice("split", split, SPLIT_MODES, allow_none=True, allow_callable=True)
        widths = _check_ngrams(ngrams)
        if max_tokens is not None and (not _is_int(max_tokens) or max_tokens <= 1):
            raise ValueError(f"TextVectorization: max_tokens must be None or an int greater than 1, got {max_tokens!r}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError("TextVectorization: pad_to_max_tokens=True needs max_tokens, got max_tokens=None")
        if output_sequence_length is not None:
            if output_mode != "int":
                raise ValueError(f"TextVectorization: output_sequence_length must not be set if output_mode is "
                                 f"not 'int'; got output_sequence_length={output_sequence_length!r} with "
                                 f"output_mode={output_mode!r}")
            if not _is_int(output_sequence_length) or output_sequence_length < 0:
                raise ValueError(f"TextVectorization: output_sequence_length must be None or a non-negative int, "
                                 f"got {output_sequence_length!r}")
        if sparse:
            raise ValueError("TextVectorization: sparse=True is not supported: glassnet has no sparse tensors "
                             "(Keras supports it on the TensorFlow backend only); use sparse=False")
        if ragged:
            raise ValueError("TextVectorization: ragged=True is not supported: glassnet has no ragged tensors "
                             "(Keras supports it on the TensorFlow backend only); use output_sequence_length "
                             "or the default padding to the longest row")
        try:
            codecs.lookup(encoding)
        except (LookupError, TypeError):
            raise ValueError(f"TextVectorization: unknown encoding={encoding!r}; expected a Python codec "
                             f"name such as 'utf-8'") from None
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"TextVectorization: idf_weights should only be set if output_mode is 'tf_idf', "
                             f"got output_mode={output_mode!r}")
        if output_mode == "tf_idf" and vocabulary is not None and idf_weights is None:
            raise ValueError("TextVectorization: with output_mode='tf_idf' and a vocabulary, idf_weights must "
                             "also be given (one weight per vocabulary entry)")
        super().__init__(name=name, **kwargs)
        self.max_tokens = None if max_tokens is None else int(max_tokens)
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self._ngram_widths = widths
        self.output_mode = output_mode
        self.output_sequence_length = None if output_sequence_length is None else int(output_sequence_length)
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.sparse = False
        self.ragged = False
        self.encoding = encoding
        self._has_input_vocabulary = has_input_vocabulary
        # the reserved entries: "" (mask, index 0) and "[UNK]" in "int" mode, "[UNK]" otherwise
        self._vocabulary = Vocabulary(mask_token=PAD_TOKEN, oov_token=OOV_TOKEN, num_oov_indices=1,
                                      with_mask_slot=output_mode == "int")
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # --- the vocabulary ------------------------------------------------------------------
    @property
    def _tokens(self):
        """The learned/given tokens, reserved ones excluded (None: no vocabulary yet)."""
        return self._vocabulary.tokens

    def vocabulary_size(self) -> int:
        """The vocabulary size, reserved tokens ("" and/or "[UNK]") included."""
        return self._vocabulary.size()

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary as a list of str; with the reserved tokens, entry i is the token of id i."""
        return self._vocabulary.get(include_special_tokens)

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Set the vocabulary (and, in "tf_idf" mode, the idf weights) directly, instead of ``adapt``.

        Args:
            vocabulary: a list/tuple/1-D array of str, or a path to a UTF-8 text file with one
                token per line. It may start with the reserved tokens (``["", "[UNK]"]`` in
                "int" mode, ``["[UNK]"]`` otherwise); without them they are added in front.
            idf_weights: "tf_idf" mode (required there, refused elsewhere): one weight per entry
                of ``vocabulary``. Without reserved tokens in ``vocabulary``, "[UNK]" gets the
                mean of the given weights.

        Raises:
            ValueError: empty vocabulary, repeated tokens, "" other than first in "int" mode,
                more than ``max_tokens`` entries, missing/extra/mis-sized idf_weights, a missing
                file — before anything changes.
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("TextVectorization.set_vocabulary: idf_weights must be set if output_mode is 'tf_idf'")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"TextVectorization.set_vocabulary: idf_weights should only be set if output_mode is "
                             f"'tf_idf', got output_mode={self.output_mode!r}")
        if isinstance(vocabulary, (str, os.PathLike)):
            vocabulary = self._read_vocabulary_file(os.fspath(vocabulary))
        array = to_string_array(vocabulary, "vocabulary", self.encoding)
        if array.ndim != 1:
            raise ValueError(f"TextVectorization.set_vocabulary: vocabulary must be 1-D (one token per entry), "
                             f"got shape {array.shape}")
        vocabulary = list(array)
        owner = "TextVectorization.set_vocabulary"
        special = self._vocabulary.special()
        tokens, found_special = split_vocabulary(vocabulary, special, PAD_TOKEN, owner, self.max_tokens)
        weights = None
        if idf_weights is not None:
            weights = given_idf_weights(idf_weights, len(vocabulary), found_special, len(special), owner)
        self._vocabulary.install(tokens, weights)

    def _read_vocabulary_file(self, path: str) -> list:
        if self.output_mode == "tf_idf":
            raise ValueError("TextVectorization: output_mode 'tf_idf' does not support loading a vocabulary from "
                             "a file; pass a list and idf_weights")
        return read_vocabulary_file(path, "TextVectorization", self.encoding)

    # --- adapt -----------------------------------------------------------------------------
    def adapt(self, data, batch_size=None, steps=None) -> None:
        """Learn the vocabulary (and, in "tf_idf" mode, the idf weights) from a corpus.

        Every token (after standardize/split/ngrams) is counted; the vocabulary is sorted by
        descending count, ties by descending token, and cut to ``max_tokens`` (reserved
        entries included). "tf_idf" also counts, per token, the documents that contain it.

        Args:
            data: a list/tuple/NumPy array of strings (one document each; shape ``(n,)`` or
                ``(n, 1)``), or any iterable of such batches (a generator, a dataset yielding
                string batches); a batch that is a single str is one document.
            batch_size: for array data, how many documents to process at a time (memory only:
                the result does not depend on it). None processes them all at once.
            steps: for an iterable of batches, read at most this many batches.

        Raises:
            ValueError: the layer was given a fixed vocabulary; empty data; no tokens found;
                a bad batch_size/steps.
            TypeError: the data are not strings.
        """
        if self._has_input_vocabulary:
            raise ValueError(f"TextVectorization: cannot adapt layer {self.name!r} after setting a static "
                             f"vocabulary via the vocabulary argument")
        for argument, value in (("batch_size", batch_size), ("steps", steps)):
            if value is not None and (not _is_int(value) or value <= 0):
                raise ValueError(f"TextVectorization.adapt: {argument} must be None or a positive int, got {value!r}")
        if isinstance(data, (str, bytes)):
            raise TypeError("TextVectorization.adapt: data must be a list of strings (one per document) or an "
                            "iterable of batches, got a single str; wrap it in a list")
        if isinstance(data, (list, tuple, np.ndarray)):
            if steps is not None:
                raise ValueError("TextVectorization.adapt: steps applies to an iterable of batches, not to a "
                                 "list or array; use batch_size or slice the data")
            array = to_string_array(data, "data", self.encoding)
            if array.ndim == 0:
                array = array.reshape(1)
            size = batch_size or max(len(array), 1)
            batches = (array[start:start + size] for start in range(0, len(array), size))
        elif hasattr(data, "__iter__"):
            batches = iter(data)
        else:
            raise TypeError(f"TextVectorization.adapt: data must be a list/array of strings or an iterable of "
                            f"string batches, got {_describe(data)}")

        counts, document_counts, num_documents = Counter(), Counter(), 0
        for step, batch in enumerate(batches):
            if steps is not None and step >= steps:
                break
            documents = self._documents(to_string_array(batch, "data", self.encoding))[0]
            for tokens in documents:
                counts.update(tokens)
                if self.output_mode == "tf_idf":
                    document_counts.update(set(tokens))
            num_documents += len(documents)
        if num_documents == 0:
            raise ValueError("TextVectorization.adapt: data is empty (no documents)")
        for reserved in (PAD_TOKEN, OOV_TOKEN):
            counts.pop(reserved, None)
        if not counts:
            raise ValueError(f"TextVectorization.adapt: found no tokens in {num_documents} documents "
                             f"(all empty after standardize/split?)")
        # By count, descending; ties by the token itself, descending (Keras: lexsort(...)[::-1]).
        token_start = self._vocabulary.token_start
        ranked = rank_tokens(counts, None if self.max_tokens is None else self.max_tokens - token_start)
        weights = None
        if self.output_mode == "tf_idf":
            weights = learned_idf_weights(ranked, document_counts, num_documents, token_start)
        self._vocabulary.install(ranked, weights)

    # --- the forward pass ------------------------------------------------------------------
    def _documents(self, strings: np.ndarray):
        """Token lists, one per document, and the layout: ("scalar" | "flat" | "rows")."""
        if strings.ndim == 0:
            layout, rows = "scalar", [[strings[()]]]
        elif self.split is not None:
            if strings.ndim > 2 or (strings.ndim == 2 and strings.shape[-1] != 1):
                raise ValueError(f"TextVectorization: when splitting strings the input must have shape (batch,) or "
                                 f"(batch, 1), got shape {strings.shape}")
            layout, rows = "rows", [[text] for text in strings.reshape(-1)]
        elif strings.ndim == 1:
            layout, rows = "flat", [[text] for text in strings]
        elif strings.ndim == 2:
            layout, rows = "rows", [list(row) for row in strings]
        else:
            raise ValueError(f"TextVectorization: with split=None the input must have shape (batch,) or "
                             f"(batch, k), got shape {strings.shape}")
        documents = []
        for row in rows:
            texts = [standardize_text(text, self.standardize) for text in row]
            tokens = texts if self.split is None else split_text(texts[0], self.split)
            documents.append(make_ngrams(tokens, self._ngram_widths))
        return documents, layout

    def __call__(self, inputs, *args, **kwargs):
        # Strings are not Tensors: turn the whole input into one array of str before the base
        # class maps over it (it would otherwise treat a list of str as many inputs).
        if isinstance(inputs, node_module.SymbolicTensor):
            self._check_symbolic_input(inputs)
            return super().__call__(inputs, *args, **kwargs)
        return super().__call__(to_string_array(inputs, "inputs", self.encoding), *args, **kwargs)

    def _check_symbolic_input(self, inputs) -> None:
        """In a model: the input must be text and the vocabulary known (it fixes the output shape)."""
        if inputs.dtype != node_module.STRING:
            raise TypeError(f"TextVectorization {self.name!r}: its input must be strings, got a symbolic tensor of "
                            f"dtype {inputs.dtype}; use Input(shape=(1,), dtype=\"string\")")
        if self._tokens is None:
            raise RuntimeError(f"TextVectorization {self.name!r}: the layer has no vocabulary yet, so a model cannot "
                               f"be built on it; call adapt(texts) first, or pass vocabulary= (or call "
                               f"set_vocabulary) before putting it in a model")

    def _convert_input(self, x):
        if isinstance(x, np.ndarray) and x.dtype == object:
            return x
        return to_string_array(x, "inputs", self.encoding)

    def call(self, inputs):
        if self._tokens is None:
            raise RuntimeError(f"TextVectorization {self.name!r}: the layer has no vocabulary yet; call "
                               f"adapt(texts) first, or pass vocabulary= (or call set_vocabulary)")
        documents, layout = self._documents(inputs)
        if self.output_mode == "int":
            output = self._encode_ids(documents)
            if layout == "flat" and self._ngram_widths is None and self.output_sequence_length is None:
                output = output[:, 0]
        else:
            output = self._encode_bag(documents)
        if layout == "scalar":
            output = output[0]
        return Tensor(output)

    def _encode_ids(self, documents) -> np.ndarray:
        """int64 ids, rows padded with 0 (or truncated) to output_sequence_length / the longest row."""
        ids = [self._vocabulary.lookup(tokens) for tokens in documents]
        length = self.output_sequence_length
        if length is None:
            length = max((len(row) for row in ids), default=0)
        output = np.zeros((len(ids), length), dtype=np.int64)
        for i, row in enumerate(ids):
            row = row[:length]
            output[i, :len(row)] = row
        return output

    def _encode_bag(self, documents) -> np.ndarray:
        """(batch, depth) multi-hot / counts / counts · idf, in backend.floatx()."""
        depth = self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()
        rows = [self._vocabulary.lookup(tokens) for tokens in documents]
        ids = np.full((len(rows), max((len(row) for row in rows), default=0)), -1, dtype=np.int64)  # −1: no token
        for i, row in enumerate(rows):
            ids[i, :len(row)] = row
        return encode_ids(ids, self.output_mode, depth, self._vocabulary.idf_weights)

    def compute_output_shape(self, input_shape):
        """``(batch, output_sequence_length)`` ids — ``(batch,)`` or ``(batch, k)`` with ``split=None``
        and no n-grams, None when the length depends on the text — or ``(batch, depth)``."""
        input_shape = tuple(input_shape)
        batch = input_shape[0] if input_shape else None
        if self.output_mode != "int":
            depth = self.max_tokens if self.pad_to_max_tokens else (
                self.vocabulary_size() if self._tokens is not None else None)
            return (batch, depth)
        if self.output_sequence_length is not None:
            return (batch, self.output_sequence_length)
        if self.split is None and self._ngram_widths is None:
            return input_shape  # one id per string
        return (batch, None)

    def compute_output_spec(self, inputs):
        """The symbolic output: int64 ids, or ``backend.floatx()`` vectors (see ``compute_output_shape``)."""
        dtype = "int64" if self.output_mode == "int" else backend.floatx()
        return node_module.SymbolicTensor(self.compute_output_shape(inputs.shape), dtype)

    # --- configuration ---------------------------------------------------------------------
    def get_config(self) -> dict:
        def name_of(value, argument):
            return _callable_name(value, argument) if callable(value) else value

        ngrams = list(self.ngrams) if isinstance(self.ngrams, (tuple, list)) else self.ngrams
        idf = None
        if self._vocabulary.idf_weights is not None:
            idf = [float(w) for w in self._vocabulary.idf_weights]
        return {**super().get_config(), "max_tokens": self.max_tokens,
                "standardize": name_of(self.standardize, "standardize"), "split": name_of(self.split, "split"),
                "ngrams": ngrams, "output_mode": self.output_mode,
                "output_sequence_length": self.output_sequence_length, "pad_to_max_tokens": self.pad_to_max_tokens,
                "sparse": False, "ragged": False,
                "vocabulary": self.get_vocabulary() if self._tokens is not None else None,
                "idf_weights": idf, "encoding": self.encoding, "vocabulary_size": self.vocabulary_size(),
                "has_input_vocabulary": self._has_input_vocabulary}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        config = dict(config)
        config["standardize"] = _callable_from_name(config.get("standardize", STANDARDIZE_MODES[0]), "standardize",
                                                    STANDARDIZE_MODES, custom_objects)
        config["split"] = _callable_from_name(config.get("split", SPLIT_MODES[0]), "split", SPLIT_MODES,
                                              custom_objects)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
