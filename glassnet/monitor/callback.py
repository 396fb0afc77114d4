"""Monitor: the callback that records a training run in the run store (``glassnet monitor`` shows it).

Each ``fit`` with a ``Monitor`` among its callbacks becomes one run::

    from glassnet.monitor import Monitor
    model.fit(x, y, epochs=20, callbacks=[Monitor(name="mlp-adam", hyperparameters={"lr": 1e-3})])

What it records: the model's summary, its compile settings, the hyperparameters you give
and fit's parameters (epochs, steps per epoch); every epoch's logs; every
``batch_every``-th batch's logs (the running means ``fit`` reports; step = batches since
the run began); the process's CPU % and RSS; and the end: status "finished",
"stopped early" (a callback set ``model.stop_training``), "crashed" (an exception
escaped ``fit``: its type, message and traceback are stored) or "interrupted"
(KeyboardInterrupt), with the final metrics. A run whose process dies without a word
(SIGKILL, power loss) is shown as "lost" once its heartbeat stops.

Cost. The training thread only appends tuples to a deque; a background thread wakes every
``flush_every`` seconds, writes what has gathered in one SQLite transaction, samples the
system stats and beats the heartbeat. The end of the run flushes synchronously, so the
run store is complete when ``fit`` returns (or raises).
"""
from __future__ import annotations

import collections
import threading
import time
import traceback

from ..callbacks.base import Callback
from .notify import Notifier, logger
from .store import RunStore
from .system import SystemStats


class Monitor(Callback):
    """Record this ``fit`` as a run in the run store (see the module docstring).

    Args:
        name: the run's name (default ``run-<date>-<time>``); any text (it is shown
            escaped).
        db: the database file, or a ``RunStore`` (default ``$GLASSNET_MONITOR_DB`` or
            ``~/.glassnet/runs.db``).
        hyperparameters: a dict shown in the dashboard's table (JSON-able values;
            others are stored as their ``repr``).
        notify: where to announce the end: None reads ``~/.glassnet/config.toml``'s
            ``[notify]``, False sends nothing, a URL is one webhook, a dict is a
            ``[notify]`` table (see ``glassnet.monitor.notify``).
        batch_every: record every n-th training batch (0: no batch rows).
        flush_every: seconds between background writes (also the heartbeat interval).
        system_stats: sample CPU % and RSS at each flush.

    Attributes:
        run_id: the id of the current (or last) run, None before ``fit``.
        store: the ``RunStore``.

    Raises:
        ValueError: for a negative ``batch_every`` or a ``flush_every`` that is not positive.
    """

    def __init__(self, name=None, db=None, hyperparameters=None, notify=None, batch_every: int = 10,
                 flush_every: float = 2.0, system_stats: bool = True):
        super().__init__()
        if not isinstance(batch_every, int) or batch_every < 0:
            raise ValueError(f"Monitor: `batch_every` must be an int >= 0, got {batch_every!r}")
        if not flush_every > 0:
            raise ValueError(f"Monitor: `flush_every` must be > 0 seconds, got {flush_every!r}")
        if hyperparameters is not None and not isinstance(hyperparameters, dict):
            raise TypeError(f"Monitor: `hyperparameters` must be a dict, got {type(hyperparameters).__name__}")
        self.name = name
        self.store = db if isinstance(db, RunStore) else RunStore(db)
        self.hyperparameters = dict(hyperparameters or {})
        self.notifier = Notifier(notify)
        self.batch_every = batch_every
        self.flush_every = float(flush_every)
        self.system_stats = system_stats
        self.run_id = None
        self._pending = collections.deque()
        self._thread = None
        self._stop = threading.Event()
        self._write_lock = threading.Lock()

    # --- the run's beginning -------------------------------------------------------------
    def _summary(self):
        lines = []
        try:
            self.model.summary(print_fn=lines.append)
        except Exception:   # not built yet: tried again after the first epoch
            return None
        return "\n".join(lines)

    def on_train_begin(self, logs=None):
        compile_config = self.model.get_compile_config() if hasattr(self.model, "get_compile_config") else None
        self._summary_done = (summary := self._summary()) is not None
        self.run_id = self.store.create_run(self.name, hyperparameters=self.hyperparameters, params=self.params,
                                            summary=summary, compile_config=compile_config,
                                            heartbeat_every=self.flush_every)
        self._batches = 0
        self._epoch = 0
        self._last_logs = {}
        self._stats = SystemStats() if self.system_stats else None
        self._system_step = 0
        self._stop.clear()
        self._thread = threading.Thread(target=self._run_writer, name=f"glassnet-monitor-{self.run_id}", daemon=True)
        self._thread.start()

    # --- during the run (the training thread: append only) -------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self.batch_every and self._batches % self.batch_every == 0 and logs:
            self._pending.append(("batch", self._batches, self._epoch, time.time(), dict(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self._last_logs = dict(logs or {})
        self._pending.append(("epoch", epoch, epoch, time.time(), self._last_logs))
        if not self._summary_done and (summary := self._summary()) is not None:
            self._summary_done = True
            self._pending.append(("summary", summary))

    # --- the writer thread ----------------------------------------------------------------
    def _run_writer(self):
        try:
            while not self._stop.wait(self.flush_every):
                try:
                    self._flush()
                except Exception as error:   # a locked or full disk must not kill training; retried next tick
                    logger.warning("glassnet.monitor: writing run %s failed (will retry): %s", self.run_id, error)
        finally:
            self.store.close()               # this thread's SQLite connection

    def _flush(self):
        with self._write_lock:
            rows, summary = [], None
            while True:
                try:
                    item = self._pending.popleft()
                except IndexError:
                    break
                if item[0] == "summary":
                    summary = item[1]
                else:
                    rows.append(item)
            if self._stats is not None:
                self._system_step += 1
                rows.append(("system", self._system_step, self._epoch, time.time(), self._stats.sample()))
            try:
                self.store.log(self.run_id, rows)
            except Exception:
                self._pending.extendleft(reversed(rows))   # keep them for the next try
                raise
            if summary is not None:
                self.store.update_run(self.run_id, summary=summary)

    # --- the end --------------------------------------------------------------------------
    def _finish(self, status, error=None):
        if self.run_id is None or self._thread is None:
            return
        self._stop.set()
        self._thread.join()
        self._thread = None
        fields = {"status": status, "ended": time.time(), "final_metrics": self._last_logs}
        if error is not None:
            fields["exception"] = f"{type(error).__name__}: {error}"
            fields["traceback"] = "".join(traceback.format_exception(error))
        try:
            self._flush()
            self.store.update_run(self.run_id, **fields)
            run = self.store.get_run(self.run_id)
        except Exception as failure:
            logger.warning("glassnet.monitor: could not record the end of run %s: %s", self.run_id, failure)
            return
        if self.notifier:
            self.notifier.send(run)

    def on_train_end(self, logs=None):
        if logs:
            self._last_logs = dict(logs)
        stopped = bool(getattr(self.model, "stop_training", False))
        self._finish("stopped early" if stopped else "finished")

    def on_train_error(self, error):
        self._finish("crashed" if isinstance(error, Exception) else "interrupted", error)
