"""Several processes writing one run store at once, and a run whose process is SIGKILLed."""
import multiprocessing
import os
import queue
import signal
import threading
import time

from glassnet.monitor import RunStore
from glassnet.monitor import store as store_module

from . import helpers


def _collect(results, children, timeout):
    """Each child's report; a child that died without one fails the test at once, not at the timeout."""
    reports, deadline = [], time.monotonic() + timeout
    while len(reports) < len(children):
        try:
            reports.append(results.get(timeout=0.2))
        except queue.Empty:
            dead = [c.exitcode for c in children if c.exitcode not in (None, 0)]
            assert not dead, f"a child process died (exit codes {dead}); its traceback is in the captured stderr"
            assert time.monotonic() < deadline, "the children did not report in time"
    return reports


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    db = str(tmp_path / "runs.db")
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    children = [context.Process(target=helpers.train_runs, args=(db, tag, 3, 4, barrier, results))
                for tag in ("left", "right")]
    for child in children:
        child.start()
    ids = dict(_collect(results, children, timeout=120))
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    store = RunStore(db)
    runs = {r["id"]: store.get_run(r["id"]) for r in store.list_runs()}
    assert sorted(runs) == sorted(ids["left"] + ids["right"])
    assert sorted(r["name"] for r in runs.values()) == [f"{t}-{i}" for t in ("left", "right") for i in range(3)]
    spans = {tag: (min(runs[i]["started"] for i in ids[tag]), max(runs[i]["ended"] for i in ids[tag]))
             for tag in ids}
    assert max(s for s, _ in spans.values()) < min(e for _, e in spans.values())   # they did overlap
    for run_id, run in runs.items():
        assert run["status"] == "finished"
        assert [row["epoch"] for row in store.metrics(run_id)] == [0, 1, 2, 3]
        assert [row["step"] for row in store.metrics(run_id, "batch")] == list(range(1, 4 * 6 + 1))


def test_stores_opening_a_new_file_together_all_open_it(tmp_path):
    # Two connections switching a new file to write-ahead logging at once can deadlock on the lock
    # upgrade, and SQLite then answers "database is locked" without its busy wait; CI once lost a
    # run to it. Threads with their own stores race the same way as processes (~3% of rounds
    # failed before the retry), and much faster.
    for attempt in range(300):
        db, start, errors = str(tmp_path / f"runs-{attempt}.db"), threading.Barrier(4), []

        def open_store():
            start.wait(timeout=30)
            try:
                RunStore(db, timeout=20).close()
            except Exception as error:
                errors.append(f"{type(error).__name__}: {error}")

        threads = [threading.Thread(target=open_store) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, f"round {attempt}: {errors}"


def test_a_sigkilled_run_shows_as_lost(tmp_path, monkeypatch):
    db = str(tmp_path / "runs.db")
    child = multiprocessing.get_context("spawn").Process(target=helpers.train_forever, args=(db,))
    child.start()
    try:
        store, deadline = RunStore(db), time.monotonic() + 60
        while time.monotonic() < deadline:
            runs = store.list_runs() if os.path.exists(db) else []
            if runs and store.metrics(runs[0]["id"]):
                break
            time.sleep(0.05)
        [run] = runs
        assert run["status"] == "running" and run["name"] == "doomed"
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert child.exitcode == -signal.SIGKILL
        monkeypatch.setattr(store_module, "LOST_AFTER_MIN", 0.3)   # 4 beats of 0.1 s = 0.4 s
        time.sleep(0.6)
        lost = store.get_run(run["id"])
        assert lost["status"] == "lost" and lost["ended"] is None and lost["pid"] == child.pid
        assert store.metrics(run["id"])                              # what it wrote before dying is kept
    finally:
        if child.is_alive():
            child.kill()
