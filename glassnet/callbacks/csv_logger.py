"""CSVLogger: stream each epoch's logs to a CSV file."""
from __future__ import annotations

import csv
import os

import numpy as np

from .base import Callback


def _cell(value):
    """A log value as a CSV cell: strings and numbers as they are, 1-D sequences as "[a, b]"."""
    if isinstance(value, str) or np.ndim(value) == 0:
        return value
    return "[" + ", ".join(map(str, np.ravel(value))) + "]"


class CSVLogger(Callback):
    """Write one CSV row per epoch: ``epoch`` (0-based, as Keras) then every log, sorted by name.

    The columns are fixed by the first epoch's logs, sorted by name; if none of them is a
    validation value, a ``val_<name>`` column is added after them for each (Keras 3's
    columns, ready for a validation that starts later). A value missing from a row is
    written as "NA". The file is flushed after every row, so it can be watched while
    training runs.

    Args:
        filename: the CSV file, e.g. "run/log.csv".
        separator: the field separator.
        append: True appends to an existing file (continuing training; no second header);
            False overwrites it.

    Example::

        model.fit(x, y, epochs=10, callbacks=[CSVLogger("training.csv")])
        # epoch,accuracy,loss,val_accuracy,val_loss
        # 0,0.81,0.52,0.84,0.47            (without validation data: ...,val_accuracy,val_loss = NA,NA)
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        if not isinstance(separator, str) or len(separator) != 1:
            raise ValueError(f"CSVLogger: `separator` must be a one-character string, got {separator!r}")
        self.filename = os.fspath(filename)
        self.sep = separator
        self.append = bool(append)
        self.keys = None
        self.writer = None
        self.csv_file = None
        self.append_header = True

    def on_train_begin(self, logs=None):
        self.append_header = True
        if self.append and os.path.exists(self.filename):
            with open(self.filename, "r", newline="") as existing:
                self.append_header = not existing.readline()
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, "a" if self.append else "w", newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        if self.csv_file is None or self.csv_file.closed:
            self.on_train_begin()
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                # Keras's rule: validation may come later (validation_freq), so reserve a
                # "val_" column for every key; epochs without it write "NA"
                self.keys += ["val_" + key for key in self.keys]
        if self.writer is None:
            self.writer = csv.DictWriter(self.csv_file, fieldnames=["epoch"] + self.keys, delimiter=self.sep,
                                         extrasaction="ignore")
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
