"""PyDataset (Keras's ``keras.utils.PyDataset``, formerly ``Sequence``): batches by index.

Subclass it with ``__len__`` (the number of batches per epoch) and ``__getitem__(i)``
(batch i: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``); ``model.fit(dataset)`` then
draws batches 0, 1, …, len − 1 each epoch and calls ``on_epoch_end()`` after each pass
(a place to reshuffle)::

    class Batches(glassnet.utils.PyDataset):
        def __init__(self, x, y, batch_size, **kwargs):
            super().__init__(**kwargs)
            self.x, self.y, self.batch_size = x, y, batch_size
        def __len__(self):
            return math.ceil(len(self.x) / self.batch_size)
        def __getitem__(self, i):
            rows = slice(i * self.batch_size, (i + 1) * self.batch_size)
            return self.x[rows], self.y[rows]

glassnet reads the batches in the training loop's own thread, one after another:
``workers``, ``use_multiprocessing`` and ``max_queue_size`` are accepted (Keras code
passes them) and kept as attributes, but no worker is started.

Also here: ``unpack_x_y_sample_weight(data)`` / ``pack_x_y_sample_weight(x, y, w)``, the
helpers a custom ``train_step(data)`` uses to read its batch.
"""
from __future__ import annotations


class PyDataset:
    """Base class of index-addressed batch sources (see the module docstring).

    Args:
        workers, use_multiprocessing, max_queue_size: accepted for Keras compatibility
            (batches are read in order, in the calling thread).
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__ (the number of batches)")

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(index) (batch number index)")

    @property
    def num_batches(self):
        """The number of batches (``len(self)``), Keras 3's name."""
        return len(self)

    def on_epoch_begin(self) -> None:
        """Called before each pass (override, e.g. to prepare files)."""

    def on_epoch_end(self) -> None:
        """Called after each full pass (override, e.g. to reshuffle)."""

    def __iter__(self):
        """One pass: ``on_epoch_begin``, batches 0 … len − 1, then ``on_epoch_end``."""
        self.on_epoch_begin()
        for index in range(len(self)):
            yield self[index]
        self.on_epoch_end()


Sequence = PyDataset
"""Keras 2's name for ``PyDataset`` (``keras.utils.Sequence``)."""


def unpack_x_y_sample_weight(data) -> tuple:
    """``(x, y, sample_weight)`` of a batch: ``x`` → (x, None, None), ``(x,)``,
    ``(x, y)`` → (x, y, None), ``(x, y, w)`` as is.

    Raises:
        ValueError: a tuple of more than three entries.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, found a "
                     f"tuple of {len(data)} entries")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """The batch ``unpack_x_y_sample_weight`` reads back: ``(x,)``, ``(x, y)`` or ``(x, y, w)``."""
    if y is None:
        return x if not isinstance(x, (tuple, list)) else (x,)
    if sample_weight is None:
        return x, y
    return x, y, sample_weight


__all__ = ["PyDataset", "Sequence", "unpack_x_y_sample_weight", "pack_x_y_sample_weight"]
