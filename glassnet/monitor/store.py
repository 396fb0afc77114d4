"""RunStore: the run log, one embedded SQLite file that every training process appends to.

Two tables::

    runs     one row per run: id, name, status, started, ended, heartbeat, the model's
             summary, compile config, hyperparameters and fit params (JSON), the final
             metrics (JSON), and on a crash the exception and its traceback
    metrics  one row per recorded step: (run_id, level, step) → epoch, wall time and the
             logs as a JSON object — level "epoch" (one row per epoch), "batch" (every
             n-th batch, step = batches since the run began) or "system" (CPU %, RSS)

Several processes write at once safely: the file is in WAL mode (readers never block the
writer, and a reader sees the last committed state), every write is one short
``BEGIN IMMEDIATE`` transaction, and a busy connection waits (``busy_timeout``) instead of
failing. Each thread gets its own connection (sqlite3 connections are not shared across
threads). WAL needs the processes to share one machine's file system: keep the file on a
local disk, not on a network share.

Status: a running run rewrites its ``heartbeat`` every few seconds. A process killed with
SIGKILL cannot say goodbye, so its row still says "running"; readers report it as
**"lost"** once its heartbeat is older than ``LOST_AFTER_BEATS`` heartbeat intervals
(at least ``LOST_AFTER_MIN`` seconds). Nothing is written for that: a run whose
heartbeat resumes is "running" again.
"""
from __future__ import annotations

import csv
import json
import math
import os
import socket
import sqlite3
import threading
import time
import uuid
from pathlib import Path

STATUSES = ("running", "finished", "crashed", "stopped early", "interrupted", "lost")
LEVELS = ("epoch", "batch", "system")
LOST_AFTER_BEATS = 4
LOST_AFTER_MIN = 2.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,
    started REAL NOT NULL, ended REAL, heartbeat REAL NOT NULL, heartbeat_every REAL NOT NULL,
    pid INTEGER, host TEXT, summary TEXT, compile_config TEXT, hyperparameters TEXT, params TEXT,
    final_metrics TEXT, exception TEXT, traceback TEXT
);
CREATE TABLE IF NOT EXISTS metrics (
    run_id TEXT NOT NULL, level TEXT NOT NULL, step INTEGER NOT NULL, epoch INTEGER,
    time REAL NOT NULL, logs TEXT NOT NULL,
    PRIMARY KEY (run_id, level, step)
) WITHOUT ROWID;
"""
_JSON_FIELDS = ("compile_config", "hyperparameters", "params", "final_metrics")


def default_db_path() -> Path:
    """``$GLASSNET_MONITOR_DB`` if set, else ``~/.glassnet/runs.db``."""
    env = os.environ.get("GLASSNET_MONITOR_DB")
    return Path(env).expanduser() if env else Path.home() / ".glassnet" / "runs.db"


def to_json(value) -> str:
    """JSON text of ``value``: NumPy scalars and arrays become numbers and lists, NaN/inf
    become null (JSON has no such numbers), other objects JSON cannot hold their ``repr``."""
    return json.dumps(_plain(value), default=repr, allow_nan=False)


def _plain(value):
    if hasattr(value, "tolist") and hasattr(value, "dtype"):   # NumPy scalar or array
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class RunStore:
    """The SQLite run log (see the module docstring for the tables and the "lost" rule).

    Args:
        path: the database file (created with its folder if missing); default
            ``default_db_path()``.
        timeout: seconds a write waits for another process's transaction to finish.

    Raises:
        ValueError: if ``path`` is an existing folder.
    """

    def __init__(self, path=None, timeout: float = 30.0):
        self.path = Path(path).expanduser() if path is not None else default_db_path()
        if self.path.is_dir():
            raise ValueError(f"RunStore: `path` must be a database file, got the folder {str(self.path)!r}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.timeout = float(timeout)
        self._local = threading.local()
        with self._write() as db:
            for statement in _SCHEMA.split(";"):   # not executescript: it would commit early
                if statement.strip():
                    db.execute(statement)

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    # --- connections and transactions -------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._use_wal(db)
            db.execute("PRAGMA synchronous = NORMAL")   # WAL + NORMAL: durable at checkpoints, never corrupt
            self._local.db = db
        return db

    def _use_wal(self, db: sqlite3.Connection) -> None:
        """Switch the file to write-ahead logging, waiting out another process doing the same.

        SQLite answers "database is locked" at once, without its busy handler, when two
        connections change the journal mode together (two runs starting at the same moment on
        a new file), so this retries until ``timeout`` has passed.
        """
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            try:
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError(
                        f"RunStore: {str(self.path)!r} stayed locked for {self.timeout:g} s "
                        "while switching it to write-ahead logging") from error
                time.sleep(delay)
                delay = min(delay * 2, 0.2)

    class _Transaction:
        def __init__(self, db):
            self.db = db

        def __enter__(self):
            self.db.execute("BEGIN IMMEDIATE")   # take the write lock now: no deadlock on upgrade
            return self.db

        def __exit__(self, kind, error, trace):
            self.db.execute("COMMIT" if kind is None else "ROLLBACK")

    def _write(self):
        return self._Transaction(self._connection())

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    # --- writing (the Monitor callback's side) ----------------------------------------
    def create_run(self, name=None, hyperparameters=None, params=None, summary=None, compile_config=None,
                   heartbeat_every: float = 2.0) -> str:
        """Insert a "running" run and return its id (12 hex digits)."""
        run_id = uuid.uuid4().hex[:12]
        now = time.time()
        name = str(name) if name is not None else f"run-{time.strftime('%Y%m%d-%H%M%S', time.localtime(now))}"
        with self._write() as db:
            db.execute("INSERT INTO runs (id, name, status, started, heartbeat, heartbeat_every, pid, host, summary, "
                       "compile_config, hyperparameters, params) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (run_id, name, now, now, float(heartbeat_every), os.getpid(), socket.gethostname(), summary,
                        to_json(compile_config), to_json(hyperparameters or {}), to_json(params or {})))
        return run_id

    def update_run(self, run_id: str, **fields) -> None:
        """Set columns of a run (``summary=``, ``status=``, ``final_metrics=``, ...)."""
        allowed = {"name", "status", "ended", "heartbeat", "summary", "exception", "traceback", *_JSON_FIELDS}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"RunStore.update_run: unknown field(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
        if "status" in fields and fields["status"] not in STATUSES[:-1]:
            raise ValueError(f"RunStore.update_run: `status` must be one of {STATUSES[:-1]}, got {fields['status']!r}")
        values = [to_json(v) if k in _JSON_FIELDS else v for k, v in fields.items()]
        with self._write() as db:
            db.execute(f"UPDATE runs SET {', '.join(k + ' = ?' for k in fields)} WHERE id = ?", (*values, run_id))

    def log(self, run_id: str, rows, heartbeat: bool = True) -> None:
        """Append metric rows ``(level, step, epoch, time, logs_dict)`` in one transaction,
        and (by default) beat the run's heartbeat in the same one."""
        records = []
        for level, step, epoch, wall, logs in rows:
            if level not in LEVELS:
                raise ValueError(f"RunStore.log: `level` must be one of {LEVELS}, got {level!r}")
            records.append((run_id, level, int(step), epoch, float(wall), to_json(logs)))
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO metrics VALUES (?, ?, ?, ?, ?, ?)", records)
            if heartbeat:
                db.execute("UPDATE runs SET heartbeat = ? WHERE id = ?", (time.time(), run_id))

    # --- reading ------------------------------------------------------------------------
    @staticmethod
    def _status(row, now: float) -> str:
        if row["status"] == "running":
            limit = max(LOST_AFTER_BEATS * row["heartbeat_every"], LOST_AFTER_MIN)
            if now - row["heartbeat"] > limit:
                return "lost"
        return row["status"]

    def list_runs(self) -> list:
        """Every run, newest first: ``{"id", "name", "status", "started", "ended",
        "heartbeat", "final_metrics"}`` (times in seconds since the epoch)."""
        now = time.time()
        rows = self._connection().execute("SELECT id, name, status, started, ended, heartbeat, heartbeat_every, "
                                          "final_metrics FROM runs ORDER BY started DESC, id").fetchall()
        return [{"id": r["id"], "name": r["name"], "status": self._status(r, now), "started": r["started"],
                 "ended": r["ended"], "heartbeat": r["heartbeat"],
                 "final_metrics": json.loads(r["final_metrics"]) if r["final_metrics"] else None} for r in rows]

    def get_run(self, run_id: str) -> dict:
        """Everything about one run: the ``list_runs`` fields plus ``summary``,
        ``compile_config``, ``hyperparameters``, ``params``, ``exception``, ``traceback``,
        ``pid``, ``host`` and ``heartbeat_every``.

        Raises:
            KeyError: if there is no run ``run_id``.
        """
        row = self._connection().execute("SELECT * FROM runs WHERE id = ?", (str(run_id),)).fetchone()
        if row is None:
            raise KeyError(f"RunStore: no run with id {run_id!r} in {str(self.path)!r}")
        run = dict(row)
        for field in _JSON_FIELDS:
            run[field] = json.loads(run[field]) if run[field] else None
        run["status"] = self._status(row, time.time())
        return run

    def metrics(self, run_id: str, level: str = "epoch", after=None) -> list:
        """The recorded rows of one level, in step order: ``{"step", "epoch", "time",
        **logs}``; ``after``: only steps greater than it (for live polling).

        Raises:
            KeyError: if there is no run ``run_id``. ValueError: for an unknown level.
        """
        if level not in LEVELS:
            raise ValueError(f"RunStore.metrics: `level` must be one of {LEVELS}, got {level!r}")
        db = self._connection()
        if db.execute("SELECT 1 FROM runs WHERE id = ?", (str(run_id),)).fetchone() is None:
            raise KeyError(f"RunStore: no run with id {run_id!r} in {str(self.path)!r}")
        query = "SELECT step, epoch, time, logs FROM metrics WHERE run_id = ? AND level = ?"
        args = [str(run_id), level]
        if after is not None:
            query += " AND step > ?"
            args.append(int(after))
        rows = db.execute(query + " ORDER BY step", args).fetchall()
        return [{"step": r["step"], "epoch": r["epoch"], "time": r["time"], **json.loads(r["logs"])} for r in rows]

    def delete_run(self, run_id: str) -> None:
        """Remove a run and its metrics.

        Raises:
            KeyError: if there is no run ``run_id``.
        """
        with self._write() as db:
            if db.execute("DELETE FROM runs WHERE id = ?", (str(run_id),)).rowcount == 0:
                raise KeyError(f"RunStore: no run with id {run_id!r} in {str(self.path)!r}")
            db.execute("DELETE FROM metrics WHERE run_id = ?", (str(run_id),))

    # --- exports ------------------------------------------------------------------------
    def export_csv(self, run_id: str, path, level: str = "epoch") -> Path:
        """Write one level's metrics as CSV: columns step, epoch, time, then the metric
        names in the order they first appear (an empty cell where a row lacks one).
        Returns the path written."""
        rows = self.metrics(run_id, level)
        names = []
        for row in rows:
            names.extend(k for k in row if k not in names)
        path = Path(path)
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.DictWriter(file, fieldnames=names or ["step", "epoch", "time"], restval="")
            writer.writeheader()
            writer.writerows(rows)
        return path

    def export_tensorboard(self, run_id: str, logdir) -> Path:
        """Write the run's metrics as TensorBoard event files, laid out as Keras's
        ``TensorBoard`` callback lays them: ``logdir/train`` gets ``epoch_<name>`` and
        ``batch_<name>`` scalars, ``logdir/validation`` gets the ``val_`` metrics as
        ``epoch_<name>``; the hyperparameters go in as a text summary. Returns ``logdir``.

        Raises:
            ImportError: if the ``tensorboard`` package is not installed.
        """
        from .events import EventWriter
        run = self.get_run(run_id)
        logdir = Path(logdir)
        train, validation = EventWriter(logdir / "train"), EventWriter(logdir / "validation")
        try:
            for level in ("epoch", "batch"):
                for row in self.metrics(run_id, level):
                    step = row["epoch"] if level == "epoch" else row["step"]
                    for name, value in row.items():
                        if name in ("step", "epoch", "time") or not isinstance(value, (int, float)):
                            continue
                        writer = validation if name.startswith("val_") and level == "epoch" else train
                        tag = f"{level}_{name[4:] if writer is validation else name}"
                        writer.scalar(tag, value, step, wall_time=row["time"])
            train.text("hyperparameters", to_json(run["hyperparameters"]), 0)
        finally:
            train.close()
            validation.close()
        return logdir
