"""TensorBoard: write fit's metrics (and weight histograms) as TensorBoard event files, as Keras does.

Layout, tags and steps follow Keras 3's callback, so TensorBoard shows the same charts::

    log_dir/train/        epoch_loss, epoch_accuracy, ..., epoch_learning_rate   (step = epoch)
                          batch_loss, batch_accuracy, ...    (update_freq="batch" or n;
                                                              step = batches since fit began)
                          <layer>/<weight>/histogram          (every histogram_freq epochs)
                          the layer graph and the model's config (write_graph)
    log_dir/validation/   epoch_loss, epoch_accuracy, ...    (the val_ metrics, prefix removed)

Then ``tensorboard --logdir logs``. Events are written through the ``tensorboard``
package's own writer (no TensorFlow needed); install it with ``pip install
'glassnet[monitor]'``.

Differences from Keras: the graph is the graph of layers (a node per layer, an edge per
layer call; TensorFlow's op graph does not exist here), histogram tags use the weight's
path (``dense/kernel/histogram``) so layers' weights do not collide, and profiling,
weight images and embeddings are not available (their arguments must stay off).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from .base import Callback


def _inputs_of(entry) -> list:
    """Names of the layers feeding a functional-config layer entry (its keras_history)."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            history = value.get("config", {}).get("keras_history") if isinstance(value.get("config"), dict) else None
            if history:
                found.append(history[0])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(entry.get("inbound_nodes", []))
    return list(dict.fromkeys(found))


def layer_graph(model) -> list:
    """``[(name, op, inputs)]``: one node per layer (op = its class), edges from its inputs."""
    config = model.get_config()
    layers = config.get("layers", [])
    if layers and any("inbound_nodes" in entry for entry in layers):   # functional
        return [(e["name"], e.get("class_name", "Layer"), _inputs_of(e)) for e in layers]
    nodes, previous = [], []
    for layer in model.layers:                                         # Sequential: a chain
        nodes.append((layer.name, type(layer).__name__, previous))
        previous = [layer.name]
    return nodes


class TensorBoard(Callback):
    """Log ``fit`` for TensorBoard (see the module docstring for the files and tags).

    Args:
        log_dir: the folder to write under (``train/`` and ``validation/`` inside).
        histogram_freq: every this many epochs, a histogram of every weight (0: never).
        write_graph: write the layer graph and the model's config at the start.
        write_images: not available (must be False).
        write_steps_per_second: log ``epoch_steps_per_second``.
        update_freq: "epoch" (epoch scalars only), "batch" (also every batch's running
            metrics) or an int n (every n batches).
        profile_batch: not available (must be 0).
        embeddings_freq: not available (must be 0).
        embeddings_metadata: not available (must be None).

    Raises:
        ImportError: if ``tensorboard`` is not installed (names the ``monitor`` extra).
        ValueError: for a bad argument or one of the unavailable features.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None):
        super().__init__()
        from ..monitor.events import require_tensorboard
        require_tensorboard()
        if not isinstance(histogram_freq, int) or histogram_freq < 0:
            raise ValueError(f"TensorBoard: `histogram_freq` must be an int >= 0, got {histogram_freq!r}")
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError(f"TensorBoard: `update_freq` must be 'epoch', 'batch' or an int >= 1, got {update_freq!r}")
        for name, value, off in (("write_images", write_images, False), ("profile_batch", profile_batch, 0),
                                 ("embeddings_freq", embeddings_freq, 0),
                                 ("embeddings_metadata", embeddings_metadata, None)):
            if value != off:
                raise ValueError(f"TensorBoard: `{name}` is not available in glassnet (no TensorFlow profiler, "
                                 f"image or projector summaries); leave it at {off!r}")
        self.log_dir = Path(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = bool(write_graph)
        self.write_steps_per_second = bool(write_steps_per_second)
        self.update_freq = update_freq
        self._train = self._validation = None

    def on_train_begin(self, logs=None):
        from ..monitor.events import EventWriter
        self._train = EventWriter(self.log_dir / "train")
        self._validation = EventWriter(self.log_dir / "validation")
        self._global_train_batch = 0
        if self.write_graph:
            self._train.graph(layer_graph(self.model))
            self._train.text("keras", "```\n" + json.dumps(self.model.get_config(), indent=2, default=repr) + "\n```", 0)

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = (time.perf_counter(), self._global_train_batch)

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        if self.update_freq == "epoch" or not logs or self._global_train_batch % self.update_freq:
            return
        for name, value in logs.items():
            if isinstance(value, (int, float)):
                self._train.scalar(f"batch_{name}", value, self._global_train_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = dict(logs or {})
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        rate = getattr(getattr(self.model, "optimizer", None), "learning_rate", None)
        try:
            train["learning_rate"] = float(rate)
        except (TypeError, ValueError):
            pass
        if self.write_steps_per_second:
            seconds = time.perf_counter() - self._epoch_start[0]
            train["steps_per_second"] = (self._global_train_batch - self._epoch_start[1]) / max(seconds, 1e-12)
        for writer, values in ((self._train, train),
                               (self._validation, {k[4:]: v for k, v in logs.items() if k.startswith("val_")})):
            for name, value in values.items():
                if isinstance(value, (int, float)):
                    writer.scalar(f"epoch_{name}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for layer in self.model.layers:
                for weight in layer.weights:
                    tag = str(getattr(weight, "path", None) or f"{layer.name}/{weight.name}").replace(":", "_")
                    self._train.histogram(f"{tag}/histogram", weight.numpy(), epoch)
        self._train.flush()
        self._validation.flush()

    def _close(self):
        for writer in (self._train, self._validation):
            if writer is not None:
                writer.close()
        self._train = self._validation = None

    def on_train_end(self, logs=None):
        self._close()

    def on_train_error(self, error):
        self._close()
