"""Two worker processes share one Optuna study through a journal file and complete
2 × 3 distinct trials between them (no MPI needed: ``examples/distributed_tuning.py
--worker k``, the fallback of its MPI mode)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

optuna = pytest.importorskip("optuna", reason="the tuner needs optuna")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "distributed_tuning.py")


def test_two_workers_share_one_study_without_duplicates(tmp_path):
    journal = tmp_path / "study.log"
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1",
               PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    workers = [subprocess.Popen([sys.executable, EXAMPLE, "--worker", str(k), "--storage", f"journal://{journal}",
                                 "--trials", "3", "--epochs", "1"], stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT) for k in (0, 1)]
    for k, worker in enumerate(workers):
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output[-3000:]
        assert f"worker {k}: finished its 3 trials" in output
    from optuna.storages.journal import JournalFileBackend

    storage = optuna.storages.JournalStorage(JournalFileBackend(str(journal)))
    study = optuna.load_study(study_name="distributed-mlp", storage=storage)
    trials = study.get_trials()
    assert len(trials) == 6
    assert sorted(t.number for t in trials) == list(range(6))                 # every number handed out once
    assert all(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    params = {(t.params["units"], t.params["learning_rate"]) for t in trials}
    assert len(params) == 6                                                   # no trial run twice
    assert all(0.0 <= t.value <= 1.0 for t in trials)                         # a validation accuracy each


def test_journal_url_needs_a_path():
    from glassnet.tuning import Tuner

    with pytest.raises(ValueError, match="journal storage needs a file"):
        Tuner(lambda hp: None, storage="journal://", study_name="x")
