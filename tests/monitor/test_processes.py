"""Several processes writing one run store at once, and a run whose process is SIGKILLed."""
import multiprocessing
import os
import signal
import time

from glassnet.monitor import RunStore
from glassnet.monitor import store as store_module

from . import helpers


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    db = str(tmp_path / "runs.db")
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    children = [context.Process(target=helpers.train_runs, args=(db, tag, 3, 4, barrier, results))
                for tag in ("left", "right")]
    for child in children:
        child.start()
    ids = dict(results.get(timeout=120) for _ in children)
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
