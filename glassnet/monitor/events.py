"""EventWriter: TensorBoard event files written with the ``tensorboard`` package alone (no TensorFlow).

An event file is a sequence of ``Event`` protocol buffers, each framed as a TFRecord
(length, CRC of the length, payload, CRC of the payload); ``tensorboard``'s
``EventFileWriter`` does the framing and writes ``events.out.tfevents.<time>.<host>...``
in the log folder. An ``Event`` carries a wall time, a step, and either a ``Summary``
(a list of tagged values: scalar, histogram, text, each a tensor with its plugin's
metadata, made by the plugins' ``*_pb`` functions) or a serialized ``GraphDef``.

Used by ``RunStore.export_tensorboard`` and ``glassnet.callbacks.TensorBoard``.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

INSTALL_HINT = ("TensorBoard event files need the `tensorboard` package: pip install 'glassnet[monitor]' "
                "(or pip install tensorboard)")


def require_tensorboard():
    """Import the parts of ``tensorboard`` used here, or raise an ImportError that names the extra."""
    try:
        from tensorboard.compat.proto import event_pb2, graph_pb2, node_def_pb2
        from tensorboard.plugins.histogram import summary_v2 as histogram
        from tensorboard.plugins.scalar import summary_v2 as scalar
        from tensorboard.plugins.text import summary_v2 as text
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return {"event_pb2": event_pb2, "graph_pb2": graph_pb2, "node_def_pb2": node_def_pb2, "histogram": histogram,
            "scalar": scalar, "text": text, "EventFileWriter": EventFileWriter}


class EventWriter:
    """One TensorBoard log folder: ``scalar``, ``histogram``, ``text`` and ``graph`` events.

    Args:
        logdir: the folder (created if missing).

    Raises:
        ImportError: if ``tensorboard`` is not installed (the message names the extra).
    """

    def __init__(self, logdir):
        self._tb = require_tensorboard()
        self.logdir = Path(logdir)
        self.logdir.mkdir(parents=True, exist_ok=True)
        self._writer = self._tb["EventFileWriter"](str(self.logdir))

    def _add(self, step: int, wall_time=None, **fields) -> None:
        event = self._tb["event_pb2"].Event(wall_time=time.time() if wall_time is None else float(wall_time),
                                            step=int(step), **fields)
        self._writer.add_event(event)

    def scalar(self, tag: str, value, step: int, wall_time=None) -> None:
        """A scalar (the Scalars dashboard): ``value`` at ``step``."""
        self._add(step, wall_time, summary=self._tb["scalar"].scalar_pb(str(tag), float(value)))

    def histogram(self, tag: str, values, step: int, buckets: int = 30, wall_time=None) -> None:
        """A histogram of ``values`` (any shape, flattened) in ``buckets`` equal-width bins."""
        data = np.asarray(values, dtype=np.float64).ravel()
        self._add(step, wall_time, summary=self._tb["histogram"].histogram_pb(str(tag), data, buckets=buckets))

    def text(self, tag: str, value: str, step: int, wall_time=None) -> None:
        """A text summary (shown as Markdown by the Text dashboard)."""
        self._add(step, wall_time, summary=self._tb["text"].text_pb(str(tag), str(value)))

    def graph(self, nodes) -> None:
        """The Graphs dashboard's picture: ``nodes`` is a list of ``(name, op, inputs)``
        (``inputs``: names of the nodes feeding this one)."""
        graph_def = self._tb["graph_pb2"].GraphDef()
        for name, op, inputs in nodes:
            graph_def.node.append(self._tb["node_def_pb2"].NodeDef(name=str(name), op=str(op),
                                                                   input=[str(i) for i in inputs]))
        self._add(0, None, graph_def=graph_def.SerializeToString())

    def flush(self) -> None:
        self._writer.flush()

    def close(self) -> None:
        self._writer.close()
