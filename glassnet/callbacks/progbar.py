"""The Keras-style progress display: ``Progbar`` and the ``ProgbarLogger`` callback.

What ``fit(..., verbose=v)`` prints:

* ``verbose=1`` — a bar, redrawn in place::

      Epoch 3/10
       7/32 ━━━━━━━━━━━━━━━━━━━━ 2s 84ms/step - loss: 0.4321 - accuracy: 0.8750

  step count, bar, ETA (time elapsed once the epoch is done), time per step, then the
  running loss and metrics. On a terminal (or in a notebook) the line is redrawn with
  ``\\r`` at most every ``interval`` seconds (0.05 s), so thousands of tiny batches do not
  flood the output. When the output is a file or a pipe, where ``\\r`` cannot redraw, a
  line is written at most every ``log_interval`` seconds (10 s) plus the final one.
* ``verbose=2`` — one line per epoch::

      Epoch 3/10 - 1s - loss: 0.1234 - accuracy: 0.9700 - val_loss: 0.2100 - val_accuracy: 0.9400

* ``verbose=0`` — silent. ``verbose="auto"`` — 1 when standard output is a terminal (or a
  notebook), else 2 (logs stay one line per epoch).

Numbers are shown as Keras shows them: ``.4f``, or ``.4e`` when ``|x| ≤ 1e-3``.
The logs ``fit`` passes are already running means over the epoch, so the logger
displays them as they are (``stateful_metrics``) rather than averaging them again.
"""
from __future__ import annotations

import math
import numbers
import sys
import time

import numpy as np

from ..io_utils import is_interactive_logging_enabled, print_msg
from .base import Callback


def format_value(value) -> str:
    """A metric as Keras prints it: 4 decimals, or scientific notation when tiny."""
    if isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, bool):
        value = float(value)
        return f"{value:.4f}" if abs(value) > 1e-3 or not math.isfinite(value) else f"{value:.4e}"
    array = np.asarray(value) if isinstance(value, np.ndarray) else None
    if array is not None and array.ndim == 0:
        return format_value(float(array))
    return str(value)


def format_metrics(values) -> str:
    """``" - loss: 0.1234 - accuracy: 0.9700"`` for ``[(name, value), ...]``."""
    return "".join(f" - {name}: {format_value(value)}" for name, value in values)


def format_duration(seconds: float) -> str:
    """ETA as Keras writes it: ``"42s"``, ``"3:05"`` or ``"1:02:03"``."""
    if seconds > 3600:
        return "%d:%02d:%02d" % (seconds // 3600, (seconds % 3600) // 60, seconds % 60)
    if seconds > 60:
        return "%d:%02d" % (seconds // 60, seconds % 60)
    return "%ds" % seconds


def format_time_per_unit(seconds: float, unit_name: str) -> str:
    """``"2s/step"``, ``"84ms/step"`` or ``"950us/step"``."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


def is_interactive(stream) -> bool:
    """Whether ``\\r`` redraws a line on ``stream``: a terminal, or a Jupyter cell (never while
    interactive logging is off: see ``glassnet.utils.disable_interactive_logging``)."""
    if stream is sys.stdout and not is_interactive_logging_enabled():
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        if isatty is not None and isatty():
            return True
    except ValueError:           # closed stream
        return False
    return "ipykernel" in sys.modules and stream is sys.stdout


def resolve_verbose(verbose, owner: str = "verbose"):
    """``"auto"`` → 1 on a terminal or notebook, else 2; 0, 1, 2 pass through."""
    if verbose == "auto":
        return 1 if is_interactive(sys.stdout) else 2
    if isinstance(verbose, bool) or verbose not in (0, 1, 2):
        raise ValueError(f"{owner}: `verbose` must be 0, 1, 2 or 'auto', got {verbose!r}")
    return int(verbose)


class Progbar:
    """A progress bar (``keras.utils.Progbar``).

    Args:
        target: total number of steps, or None if unknown.
        width: number of characters of the bar.
        verbose: 1 shows the bar, 2 one line when finished, 0 nothing.
        interval: least seconds between two redraws on a terminal or in a notebook.
        stateful_metrics: names whose values are shown as given; other values are
            averaged over the steps seen (weighted by the steps each update covers).
        unit_name: the step unit in ``"84ms/step"``.
        stream: where to write (default: ``sys.stdout`` at the time of writing).
        log_interval: least seconds between two lines when the output cannot be redrawn
            (a file or a pipe); the final line is always written.

    Example::

        bar = Progbar(100)
        for i in range(100):
            ...
            bar.update(i + 1, [("loss", loss)])
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None, unit_name="step",
                 stream=None, log_interval=10.0):
        if target is not None and (isinstance(target, bool) or not isinstance(target, (int, np.integer))
                                   or target < 0):
            raise ValueError(f"Progbar: `target` must be a non-negative int or None, got {target!r}")
        if not isinstance(width, (int, np.integer)) or width < 1:
            raise ValueError(f"Progbar: `width` must be a positive int, got {width!r}")
        self.target = target
        self.width = int(width)
        self.verbose = verbose
        self.interval = float(interval)
        self.log_interval = float(log_interval)
        self.stateful_metrics = set(stateful_metrics or ())
        self.unit_name = unit_name
        self.stream = stream
        self._values = {}            # name -> [sum of value·steps, steps] or [value, 1]
        self._values_order = []
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = None     # time of the last line written
        self._time_after_first_step = None
        self._previous_width = 0

    # --- output ------------------------------------------------------------------------
    def _out(self):
        return self.stream if self.stream is not None else sys.stdout

    def _write(self, text: str) -> None:
        if self.stream is None and not is_interactive_logging_enabled():
            print_msg(text)
            return
        out = self._out()
        out.write(text)
        out.flush()

    def _bar_chars(self) -> tuple:
        encoding = getattr(self._out(), "encoding", None) or "utf-8"
        try:
            "━─".encode(encoding)
            return "━", "─"
        except (UnicodeEncodeError, LookupError):
            return "=", "."

    # --- state ---------------------------------------------------------------------------
    def _record(self, current: int, values, finalize: bool) -> None:
        for name, value in values:
            if name not in self._values_order:
                self._values_order.append(name)
            numeric = isinstance(value, (numbers.Real, np.number)) and not isinstance(value, bool)
            if name in self.stateful_metrics or finalize or not numeric:
                self._values[name] = [value, 1]
            else:
                steps = max(current - self._seen_so_far, 1)
                total, count = self._values.get(name, [0.0, 0])
                self._values[name] = [total + value * steps, count + steps]
        self._seen_so_far = current

    def _time_per_step(self, current: int, now: float) -> float:
        """Seconds per step, leaving out the (slow, warm-up) first step once there are more."""
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step

    def _metrics(self) -> list:
        out = []
        for name in self._values_order:
            total, count = self._values[name]
            out.append((name, total / count if count > 1 else total))
        return out

    # --- drawing ------------------------------------------------------------------------
    def _line(self, current: int, now: float, per_step: float, finalize: bool) -> str:
        if self.target:
            digits = int(math.log10(self.target)) + 1
            filled = int(self.width * min(current, self.target) / self.target)
            done, todo = self._bar_chars()
            line = f"{current:{digits}d}/{self.target} {done * filled}{todo * (self.width - filled)}"
        else:
            line = f"{current:7d}/Unknown"
        if self.target and not finalize:
            line += " " + format_duration(per_step * (self.target - current))
        else:
            line += f" {now - self._start:.0f}s"
        return line + " " + format_time_per_unit(per_step, self.unit_name) + format_metrics(self._metrics())

    def update(self, current, values=None, finalize=None) -> None:
        """Show progress ``current`` (steps done).

        Args:
            current: steps done so far.
            values: ``[(name, value), ...]`` (or a dict) for this step.
            finalize: whether this is the last update (default: ``current >= target``).
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if isinstance(values, dict):
            values = list(values.items())
        self._record(current, values or [], finalize)
        now = time.time()
        per_step = self._time_per_step(current, now)
        if self.verbose == 1:
            interactive = is_interactive(self._out())
            if not finalize:
                # throttle: redraw at most every `interval` s; in a log file, a line at
                # most every `log_interval` s (counted from the start)
                if interactive:
                    last, least = self._last_update, self.interval
                else:
                    last, least = self._last_update or self._start, self.log_interval
                if last is not None and now - last < least:
                    return
            line = self._line(current, now, per_step, finalize)
            if interactive:
                padding = " " * max(self._previous_width - len(line), 0)
                self._write("\r" + line + padding + ("\n" if finalize else ""))
            else:
                self._write(line + "\n")
            self._previous_width = len(line)
            self._last_update = now
        elif self.verbose == 2 and finalize:
            count = f"{current}/{self.target}" if self.target else f"{current}"
            self._write(f"{count} - {now - self._start:.0f}s - "
                        f"{format_time_per_unit(per_step, self.unit_name)}{format_metrics(self._metrics())}\n")
            self._last_update = now

    def add(self, n, values=None) -> None:
        """Advance by ``n`` steps."""
        self.update(self._seen_so_far + n, values)


class ProgbarLogger(Callback):
    """Prints progress and metrics during ``fit``, ``evaluate`` and ``predict``.

    ``fit`` adds one automatically when ``verbose`` is not 0; it reads ``verbose``,
    ``epochs`` and ``steps`` from the training loop's params. Inside ``fit`` the
    validation pass is silent (its results appear on the epoch's line as ``val_*``).

    Args:
        stream: where to print (default ``sys.stdout`` at the time of printing).
    """

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.progbar = None
        self.seen = 0
        self._in_fit = False
        self._epoch_start = None
        self._epoch = 0

    def set_params(self, params):
        super().set_params(params)
        self.verbose = resolve_verbose(self.params.get("verbose", 1), "ProgbarLogger")
        self.epochs = self.params.get("epochs", 1) or 1
        self.target = self.params.get("steps")

    def _print(self, text: str) -> None:
        if self.stream is None and not is_interactive_logging_enabled():
            print_msg(text)
            return
        out = self.stream if self.stream is not None else sys.stdout
        out.write(text + "\n")
        out.flush()

    def _new_progbar(self) -> None:
        self.seen = 0
        self.progbar = Progbar(self.target, verbose=self.verbose, unit_name="step", stream=self.stream)

    def _update(self, batch, logs) -> None:
        if self.progbar is None:
            self._new_progbar()
        self.seen = batch + 1
        logs = {k: v for k, v in (logs or {}).items() if k not in ("batch", "size", "outputs")}
        self.progbar.stateful_metrics.update(logs)
        if self.verbose == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def _finalize(self, logs) -> None:
        if self.progbar is None:
            self._new_progbar()
        if self.progbar.target is None:
            self.progbar.target = self.seen
        logs = {k: v for k, v in (logs or {}).items() if k not in ("batch", "size", "outputs")}
        self.progbar.stateful_metrics.update(logs)
        self.progbar.update(self.progbar.target, list(logs.items()), finalize=True)

    # --- fit ---------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._epoch_start = time.time()
        self.progbar = None
        if self.verbose == 1:
            self._new_progbar()
            if self.epochs > 1:
                self._print(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        if self.verbose == 1:
            self._update(batch, logs)
        else:
            self.seen = batch + 1

    def on_epoch_end(self, epoch, logs=None):
        if self.verbose == 1:
            self._finalize(logs)
        elif self.verbose == 2:
            start = self._epoch_start if self._epoch_start is not None else time.time()
            elapsed = time.time() - start
            self._print(f"Epoch {epoch + 1}/{self.epochs} - {elapsed:.0f}s"
                        + format_metrics((logs or {}).items()))

    # --- evaluate and predict --------------------------------------------------------------
    def on_test_begin(self, logs=None):
        if not self._in_fit and self.verbose:
            self._new_progbar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit and self.verbose:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._in_fit and self.verbose:
            self._finalize(logs)

    def on_predict_begin(self, logs=None):
        if self.verbose:
            self._new_progbar()

    def on_predict_batch_end(self, batch, logs=None):
        if self.verbose:
            self._update(batch, None)

    def on_predict_end(self, logs=None):
        if self.verbose:
            self._finalize(None)
