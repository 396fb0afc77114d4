"""BackupAndRestore: a run killed (SIGKILL, a real subprocess) or crashed mid-epoch and started
again with the same script ends with weights equal bit for bit to a run never interrupted."""
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

from glassnet import utils
from glassnet.callbacks import BackupAndRestore, Callback, LearningRateScheduler
from glassnet.layers import Dense, Dropout, Input
from glassnet.models import Sequential
from glassnet.optimizers import SGD, Adam

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KILL_TRIALS = int(os.environ.get("GLASSNET_KILL_TRIALS", "1"))
"""SIGKILLs at random moments per run of the suite (1 in CI; e.g. 50 for a nightly-style run)."""

# The training script of the kill test: the same code runs in-process for the reference.
SCRIPT = textwrap.dedent("""
    import os, sys, time
    import numpy as np
    from glassnet import utils
    from glassnet.callbacks import BackupAndRestore, Callback
    from glassnet.layers import BatchNormalization, Dense, Dropout, Input
    from glassnet.models import Sequential
    from glassnet.optimizers import Adam
    from glassnet.optimizers.schedules import ExponentialDecay

    def make_and_fit(backup_dir, extra_callbacks=(), epochs=6):
        utils.set_random_seed(0)
        rng = np.random.default_rng(1)
        x = rng.normal(size=(40, 4)).astype("float32")
        y = rng.integers(0, 3, 40)
        model = Sequential([Input((4,)), Dense(16, activation="relu"), BatchNormalization(), Dropout(0.3),
                            Dense(3, activation="softmax")])
        model.compile(optimizer=Adam(ExponentialDecay(0.01, decay_steps=4, decay_rate=0.9)),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(x, y, epochs=epochs, batch_size=8, verbose=0,
                            callbacks=[*extra_callbacks, BackupAndRestore(backup_dir)])
        return model, history

    class PauseAt(Callback):
        '''Write a marker and sleep at one global batch: the parent kills the process there.'''
        def __init__(self, batch, marker):
            super().__init__()
            self.batch, self.marker, self.seen = batch, marker, 0
        def on_train_batch_end(self, batch, logs=None):
            self.seen += 1
            if self.seen == self.batch:
                open(self.marker, "w").close()
                time.sleep(60)

    def pause_in_save(call, marker):
        '''Sleep inside the `call`-th save, after the temporary file is written, before the rename.'''
        from glassnet.saving import atomic
        replace, calls = atomic.os.replace, []
        def slow_replace(source, target):
            calls.append(source)
            if len(calls) == call:
                open(marker, "w").close()
                time.sleep(60)
            return replace(source, target)
        atomic.os.replace = slow_replace

    class Slow(Callback):
        '''Mark the first batch, then take a few ms a batch: the parent kills at a random moment.'''
        def __init__(self, marker):
            super().__init__()
            self.marker = marker
        def on_train_batch_begin(self, batch, logs=None):
            if not os.path.exists(self.marker):
                open(self.marker, "w").close()
            time.sleep(0.004)

    if __name__ == "__main__":
        backup_dir, out, mode, where, marker = sys.argv[1:6]
        extra = []
        if mode == "batch":
            extra.append(PauseAt(int(where), marker))
        elif mode == "random":
            extra.append(Slow(marker))
        elif mode == "save":
            pause_in_save(int(where), marker)
        model, history = make_and_fit(backup_dir, extra)
        np.savez(out, *model.get_weights(), epochs_run=len(history.history.get("loss", [])),
                 iterations=model.optimizer.iterations)
""")


@pytest.fixture(scope="module")
def script(tmp_path_factory):
    path = tmp_path_factory.mktemp("script") / "train_script.py"
    path.write_text(SCRIPT)
    return path


@pytest.fixture(scope="module")
def reference(script, tmp_path_factory):
    """Weights of the uninterrupted run (same script, in this process)."""
    namespace = {"__name__": "train_script"}
    exec(compile(script.read_text(), str(script), "exec"), namespace)
    model, history = namespace["make_and_fit"](str(tmp_path_factory.mktemp("ref") / "backup"))
    assert len(history.history["loss"]) == 6
    return model.get_weights(), model.optimizer.iterations


def run_script(script, tmp_path, mode="none", where=0, kill=False, delay=0.0):
    out, marker = tmp_path / "out.npz", tmp_path / "marker"
    marker.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, str(script), str(tmp_path / "backup"), str(out), mode, str(where),
                                str(marker)], env=env, cwd=str(tmp_path), stderr=subprocess.PIPE)
    if not kill:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
        return np.load(out)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the training script never reached the kill point"
        time.sleep(0.02)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stderr.close()
    assert process.returncode in (-signal.SIGKILL, 0)       # 0: it finished before the signal came
    return process.returncode


@pytest.mark.parametrize("mode, where, saved_epoch", [
    ("batch", 13, 2),   # killed at batch 3 of epoch 3 (5 batches an epoch): epochs 1-2 are backed up
    ("save", 3, 2),     # killed inside the third backup, between writing and renaming: the second survives
])
def test_sigkill_mid_run_then_rerun_is_bit_identical(script, reference, tmp_path, mode, where, saved_epoch):
    assert run_script(script, tmp_path, mode, where, kill=True) == -signal.SIGKILL
    backup = tmp_path / "backup"
    with zipfile.ZipFile(backup / "training_state.zip") as archive:
        assert json.loads(archive.read("metadata.json"))["epoch"] == saved_epoch
    stale = [name for name in os.listdir(backup) if name.startswith(".glassnet-tmp.")]
    assert len(stale) == (1 if mode == "save" else 0)        # the killed save's temporary file
    result = run_script(script, tmp_path)                      # the same script, run again
    weights, iterations = reference
    assert int(result["epochs_run"]) == 6 - saved_epoch
    assert int(result["iterations"]) == iterations == 30
    for i, expected in enumerate(weights):
        np.testing.assert_array_equal(result[f"arr_{i}"], expected)  # bit for bit
    assert not backup.exists()    # finished: the backup (and the stale temporary file) is gone


def test_sigkill_at_random_moments_then_rerun_is_bit_identical(script, reference, tmp_path):
    """Kill anywhere (mid-batch, mid-save, mid-cleanup), rerun until it finishes: same weights."""
    rng = np.random.default_rng(int(os.environ.get("GLASSNET_KILL_SEED", "7")))
    weights, _ = reference
    outcomes = {"killed": 0, "of them mid-save": 0, "finished first": 0}
    for trial in range(KILL_TRIALS):
        folder = tmp_path / f"trial{trial}"
        folder.mkdir()
        code = run_script(script, folder, "random", kill=True, delay=float(rng.uniform(0.0, 0.4)))
        outcomes["killed" if code else "finished first"] += 1
        backup = folder / "backup"
        outcomes["of them mid-save"] += backup.exists() and any(n.startswith(".glassnet-tmp.")
                                                                for n in os.listdir(backup))
        result = run_script(script, folder)
        for i, expected in enumerate(weights):
            np.testing.assert_array_equal(result[f"arr_{i}"], expected, err_msg=f"trial {trial}")
        assert not (folder / "backup").exists()
    print(f"\n{KILL_TRIALS} random SIGKILL trials: {outcomes}; every rerun bit-identical")


class CrashAt(Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("simulated crash")


def sgd_run(backup_dir, crash_at=None, **kwargs):
    """SGD with momentum and a LearningRateScheduler that reads the current η (restored)."""
    utils.set_random_seed(3)
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(30, 5)).astype("float32"), rng.integers(0, 2, 30).astype("float32")
    model = Sequential([Input((5,)), Dense(6, activation="tanh"), Dropout(0.2), Dense(1, activation="sigmoid")])
    model.compile(optimizer=SGD(0.1, momentum=0.9), loss="binary_crossentropy")
    callbacks = [LearningRateScheduler(lambda epoch, lr: lr * 0.8), BackupAndRestore(backup_dir, **kwargs)]
    if crash_at is not None:
        callbacks.append(CrashAt(crash_at))
    history = model.fit(x, y, epochs=5, batch_size=7, verbose=0, callbacks=callbacks)
    return model, history


def test_crash_and_rerun_in_process_restores_learning_rate_and_momentum(tmp_path):
    reference, _ = sgd_run(str(tmp_path / "ref"))
    with pytest.raises(RuntimeError, match="simulated crash"):
        sgd_run(str(tmp_path / "b"), crash_at=3)
    assert os.listdir(tmp_path / "b") == ["training_state.zip"]
    model, history = sgd_run(str(tmp_path / "b"))
    assert len(history.history["loss"]) == 2                   # epochs 3 and 4 only (Keras's semantics)
    assert model.optimizer.learning_rate == reference.optimizer.learning_rate == pytest.approx(0.1 * 0.8 ** 5)
    for got, expected in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(got, expected)
    assert not (tmp_path / "b").exists()


def test_delete_checkpoint_false_keeps_the_backup_and_a_finished_run_trains_nothing_more(tmp_path):
    model, history = sgd_run(str(tmp_path / "b"), delete_checkpoint=False)
    assert os.listdir(tmp_path / "b") == ["training_state.zip"]
    weights = model.get_weights()
    again, history = sgd_run(str(tmp_path / "b"), delete_checkpoint=False)
    assert history.history == {} or all(len(v) == 0 for v in history.history.values())
    for got, expected in zip(again.get_weights(), weights):
        np.testing.assert_array_equal(got, expected)


def test_double_checkpoint_falls_back_to_the_previous_backup(tmp_path):
    with pytest.raises(RuntimeError):
        sgd_run(str(tmp_path / "b"), crash_at=3, double_checkpoint=True)
    assert sorted(os.listdir(tmp_path / "b")) == ["training_state.zip", "training_state.zip.bkp"]
    (tmp_path / "b" / "training_state.zip").write_bytes(b"garbage")     # the latest is unreadable
    model, history = sgd_run(str(tmp_path / "b"), double_checkpoint=True)
    assert len(history.history["loss"]) == 3                   # resumed from the previous one (epoch 2)
    reference, _ = sgd_run(str(tmp_path / "ref"))
    for got, expected in zip(model.get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(got, expected)


def test_integer_save_freq_saves_within_epochs(tmp_path):
    seen = []

    class Spy(Callback):
        def on_train_batch_end(self, batch, logs=None):
            path = tmp_path / "b" / "training_state.zip"
            seen.append(path.exists())
            if len(seen) == 8:
                raise RuntimeError("stop")

    utils.set_random_seed(0)
    model = Sequential([Input((3,)), Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((20, 3), "float32"), np.zeros((20, 2), "float32")
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=3, batch_size=4, verbose=0, callbacks=[BackupAndRestore(tmp_path / "b", save_freq=3),
                                                                      Spy()])
    assert seen == [False, False, True, True, True, True, True, True]
    with zipfile.ZipFile(tmp_path / "b" / "training_state.zip") as archive:
        meta = json.loads(archive.read("metadata.json"))
    assert (meta["epoch"], meta["batch"]) == (1, 1)             # the 6th batch: epoch 1, 1 batch done


def test_bad_arguments_and_unbuilt_model(tmp_path):
    with pytest.raises(ValueError, match="`backup_dir` must be a non-empty path"):
        BackupAndRestore("")
    for bad in (0, -3, 2.5, True, "batch"):
        with pytest.raises(ValueError, match="`save_freq` must be 'epoch', a positive int or False"):
            BackupAndRestore(tmp_path, save_freq=bad)
    model = Sequential([Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="is not built; build it before fit"):
        model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0, callbacks=[BackupAndRestore(tmp_path / "b")])


def test_a_backup_of_another_architecture_is_refused_before_anything_changes(tmp_path):
    with pytest.raises(RuntimeError):
        sgd_run(str(tmp_path / "b"), crash_at=2)
    utils.set_random_seed(0)
    other = Sequential([Input((5,)), Dense(4), Dense(1)])
    other.compile(optimizer=Adam(), loss="mse")
    before = other.get_weights()
    with pytest.raises(ValueError, match=r"training_state\.zip'.*holds 4 weights, the model has 4|has shape"):
        other.fit(np.ones((6, 5)), np.ones((6, 1)), verbose=0, callbacks=[BackupAndRestore(tmp_path / "b")])
    for got, expected in zip(other.get_weights(), before):
        np.testing.assert_array_equal(got, expected)
