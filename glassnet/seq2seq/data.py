"""Preparing sentence pairs for a translation model: padding, and the teacher-forcing shift.

Teacher forcing: in training, the decoder is fed the *true* previous word rather than its
own guess, so every position is trained in one pass. For a target sentence y_1 … y_n:

    decoder input   [START]  y_1   y_2   …   y_n
    decoder target   y_1     y_2   y_3   …  [END]

position t reads the input up to t and is trained to predict target t, the next word. Pairs
are padded with 0 at the end to a common length; ``sample_weight`` is 1 at real target
positions and 0 at padding, so ``fit(…, sample_weight=…)`` ignores the padded ones.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


def _id_rows(sequences, owner: str, pad_id=None) -> list:
    """Each sequence as a list of ints (``pad_id`` entries dropped when given)."""
    if isinstance(sequences, str) or not hasattr(sequences, "__iter__"):
        raise ValueError(f"{owner}: expected a list of id sequences, got {type(sequences).__name__}")
    rows = []
    for n, sequence in enumerate(sequences):
        row = np.asarray(sequence)
        if row.ndim != 1 or (row.size and not np.issubdtype(row.dtype, np.integer)):
            raise ValueError(f"{owner}: sequence {n} must be a 1-D sequence of int ids, got {sequence!r}")
        row = row.tolist()
        rows.append([i for i in row if i != pad_id] if pad_id is not None else row)
    return rows


def pad_batch(sequences, max_length=None, pad_id=0, dtype="int32") -> np.ndarray:
    """Id sequences in one (n, length) array, padded with ``pad_id`` at the end ("post").

    Args:
        sequences: lists (or 1-D arrays) of int ids, of any lengths.
        max_length: the array's length; default the longest sequence. Longer sequences
            lose their last ids (the start of a sentence is kept).
        pad_id: the padding id (0).
        dtype: the array's integer dtype.

    Raises:
        ValueError: for a sequence that is not 1-D ints, or a max_length that is not a positive int.
    """
    rows = _id_rows(sequences, "pad_batch")
    if max_length is None:
        max_length = max((len(r) for r in rows), default=0)
    elif isinstance(max_length, bool) or not isinstance(max_length, (int, np.integer)) or max_length <= 0:
        raise ValueError(f"pad_batch: max_length must be None or a positive int, got {max_length!r}")
    out = np.full((len(rows), max_length), pad_id, dtype=dtype)
    for n, row in enumerate(rows):
        row = row[:max_length]
        out[n, :len(row)] = row
    return out


def teacher_forcing_split(targets, start_id, end_id, pad_id=0, max_length=None):
    """The decoder's input [start, y_1 … y_n] and target [y_1 … y_n, end] of each sentence.

    Args:
        targets: id sequences y without start or end ids (lists, or a padded 2-D array whose
            ``pad_id`` entries are dropped).
        start_id, end_id, pad_id: the reserved ids.
        max_length: the length of both arrays; default the longest n + 1. A longer y is cut
            to max_length − 1 ids, so that every target still ends with ``end_id``.

    Returns:
        ``(decoder_input, decoder_target)``, two (n_sentences, length) int32 arrays padded
        with ``pad_id``; ``decoder_input[:, 1:]`` equals ``decoder_target[:, :-1]`` at every
        real position.

    Raises:
        ValueError: if a target already holds ``start_id`` or ``end_id``.
    """
    rows = _id_rows(targets, "teacher_forcing_split", pad_id)
    for n, row in enumerate(rows):
        if start_id in row or end_id in row:
            raise ValueError(f"teacher_forcing_split: target {n} already holds the start id {start_id} or the end "
                             f"id {end_id}; give the targets without them (the split adds them): {row}")
    if max_length is not None:
        if isinstance(max_length, bool) or not isinstance(max_length, (int, np.integer)) or max_length < 2:
            raise ValueError(f"teacher_forcing_split: max_length must be None or an int >= 2 (room for one token "
                             f"and the end id), got {max_length!r}")
        rows = [row[:max_length - 1] for row in rows]
    decoder_input = pad_batch([[start_id] + row for row in rows], max_length, pad_id)
    decoder_target = pad_batch([row + [end_id] for row in rows], max_length, pad_id)
    return decoder_input, decoder_target


class TranslationData(NamedTuple):
    """Arrays for ``model.fit(data.inputs, data.decoder_target_ids, sample_weight=data.sample_weight)``.

    source_ids (n, S), decoder_input_ids (n, T), decoder_target_ids (n, T): int32, padded with
    0; sample_weight (n, T) float32: 1 at real target positions, 0 at padding. The models of
    this package mask their output (``Embedding(mask_zero=True)`` on the decoder side), and
    Keras's rule then makes fit's loss the mean over the real positions, Σ w·m·ℓ / Σ m, with
    or without these weights. For a model whose output carries no mask, the weights make it
    Σ(real positions' cross-entropy) / (batch · T): the padded positions add nothing but
    still count in the denominator ("sum_over_batch_size" with sample weights).
    """
    source_ids: np.ndarray
    decoder_input_ids: np.ndarray
    decoder_target_ids: np.ndarray
    sample_weight: np.ndarray

    @property
    def inputs(self) -> list:
        """[source_ids, decoder_input_ids]: the training model's two inputs."""
        return [self.source_ids, self.decoder_input_ids]


def prepare_translation_data(source_sentences, target_sentences, source_vocabulary, target_vocabulary,
                             max_source_length=None, max_target_length=None) -> TranslationData:
    """Encode, pad and shift sentence pairs for an encoder–decoder (see the module docstring).

    Args:
        source_sentences, target_sentences: equally long lists of sentences (str or token lists).
        source_vocabulary, target_vocabulary: fitted ``Vocabulary`` objects.
        max_source_length: the source array's length (longer sources are cut at the end).
        max_target_length: the decoder arrays' length, end id included (``teacher_forcing_split``).

    Raises:
        ValueError: if the two lists differ in length or are empty.
    """
    if len(source_sentences) != len(target_sentences):
        raise ValueError(f"prepare_translation_data: got {len(source_sentences)} source sentences but "
                         f"{len(target_sentences)} target sentences; they must be aligned pairs")
    if len(source_sentences) == 0:
        raise ValueError("prepare_translation_data: no sentence pairs given")
    source_ids = source_vocabulary.encode_batch(source_sentences, max_length=max_source_length)
    decoder_input, decoder_target = teacher_forcing_split(
        [target_vocabulary.encode(s) for s in target_sentences], target_vocabulary.start_id,
        target_vocabulary.end_id, target_vocabulary.pad_id, max_target_length)
    weight = (decoder_target != target_vocabulary.pad_id).astype(np.float32)
    return TranslationData(source_ids, decoder_input, decoder_target, weight)


__all__ = ["pad_batch", "teacher_forcing_split", "TranslationData", "prepare_translation_data"]
