"""Concurrency (issue 16): predict from several threads gives the sequential results and
leaves training intact; two processes training and checkpointing into one folder do not
corrupt each other's files.

* Threads: four threads predict at once (small batches, a tiny switch interval, so their
  calls interleave op by op) on a model with dropout and batch normalization. Each gets
  exactly the sequential prediction; afterwards the model trains to the same weights, bit
  for bit, as a twin that never served a thread.
* Processes: two processes train different models and, every batch, save to one shared file
  ``shared.glassnet`` and, every epoch, a checkpoint of their own (``ModelCheckpoint``) in
  the same folder. Each prints the SHA-256 of its weights at every save. Afterwards every
  file loads, each own checkpoint holds exactly the weights its process had at that epoch,
  the shared file holds a state one of the processes saved (never a mix), and no temporary
  file is left.
"""
import hashlib
import json
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import glassnet as gn
from glassnet import layers
from glassnet.models import Sequential, load_model


def _model(seed):
    gn.utils.set_random_seed(seed)
    model = Sequential([layers.Input((6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                        layers.BatchNormalization(), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def _data(n=60):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(n, 6)).astype("float32")
    return x, (x[:, 0] + x[:, 1] > 0).astype("int64") + (x[:, 2] > 0.7).astype("int64")


def test_predict_from_four_threads_equals_sequential_and_leaves_training_intact():
    x, y = _data()
    served, twin = _model(11), _model(11)
    expected = served.predict(x, batch_size=7, verbose=0)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def serve(rows):
        try:
            barrier.wait(10)
            for _ in range(3):
                results.append((rows, served.predict(x[rows], batch_size=5, verbose=0)))
        except BaseException as error:          # noqa: BLE001 - handed to the test
            errors.append(error)

    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=serve, args=(slice(i * 15, (i + 1) * 15),)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    finally:
        sys.setswitchinterval(previous)
    assert not errors, errors
    assert len(results) == 12
    for rows, predicted in results:
        np.testing.assert_allclose(predicted, expected[rows], rtol=1e-6, atol=1e-7)   # float32, other batch sizes
    assert gn.is_grad_enabled()
    for model in (served, twin):
        gn.utils.set_random_seed(3)
        model.fit(x, y, epochs=3, batch_size=10, verbose=0)
    for a, b in zip(served.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(a, b)


_TRAINER = textwrap.dedent('''
    import hashlib, json, sys
    import numpy as np
    import glassnet as gn
    from glassnet import callbacks, layers
    from glassnet.models import Sequential

    folder, seed = sys.argv[1], int(sys.argv[2])
    gn.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 8)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    model = Sequential([layers.Input((8,)), layers.Dense(48, activation="relu"), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")

    def digest():
        return hashlib.sha256(b"".join(w.tobytes() for w in model.get_weights())).hexdigest()

    saved = {"epochs": {}, "shared": []}

    def save_shared(batch, logs):
        model.save(f"{folder}/shared.glassnet")
        saved["shared"].append(digest())

    def record_epoch(epoch, logs):
        saved["epochs"][epoch + 1] = digest()

    checkpoint = callbacks.ModelCheckpoint(f"{folder}/run{seed}_{{epoch}}.glassnet", save_best_only=False)
    model.fit(x, y, epochs=4, batch_size=16, verbose=0,
              callbacks=[callbacks.LambdaCallback(on_train_batch_end=save_shared, on_epoch_end=record_epoch),
                         checkpoint])
    print(json.dumps(saved))
''')


def _digest(model):
    return hashlib.sha256(b"".join(w.tobytes() for w in model.get_weights())).hexdigest()


def test_two_processes_checkpointing_into_one_folder(tmp_path):
    script = tmp_path / "trainer.py"
    script.write_text(_TRAINER)
    folder = tmp_path / "checkpoints"
    folder.mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]))
    runs = [subprocess.Popen([sys.executable, str(script), str(folder), str(seed)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for seed in (1, 2)]
    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err[-2000:]
        outputs.append(json.loads(out.strip().splitlines()[-1]))

    names = sorted(os.listdir(folder))
    assert names == sorted(["shared.glassnet"] + [f"run{s}_{e}.glassnet" for s in (1, 2) for e in range(1, 5)])
    for seed, saved in zip((1, 2), outputs):
        assert len(saved["shared"]) == 16                          # 4 epochs x 4 batches, each saved
        for epoch in range(1, 5):
            loaded = load_model(folder / f"run{seed}_{epoch}.glassnet")
            assert _digest(loaded) == saved["epochs"][str(epoch)], f"run{seed}_{epoch} holds other weights"
    shared = load_model(folder / "shared.glassnet")
    every_saved_state = set(outputs[0]["shared"]) | set(outputs[1]["shared"])
    assert _digest(shared) in every_saved_state
    assert _digest(shared) in (outputs[0]["shared"][-1], outputs[1]["shared"][-1])   # the last save won


@pytest.mark.parametrize("workers", [3])
def test_threads_saving_one_file_leave_a_loadable_file(tmp_path, workers):
    """Threads of one process saving different models to one path: the file is always one
    complete model (one writer's), and no temporary file stays."""
    x, _ = _data()
    models = [_model(seed) for seed in range(workers)]
    for model in models:
        model.predict(x[:2], verbose=0)
    path = tmp_path / "model.glassnet"
    barrier = threading.Barrier(workers)
    errors = []

    def saving(model):
        try:
            barrier.wait(10)
            for _ in range(5):
                model.save(path)
        except BaseException as error:          # noqa: BLE001 - handed to the test
            errors.append(error)

    threads = [threading.Thread(target=saving, args=(m,)) for m in models]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert os.listdir(tmp_path) == ["model.glassnet"]
    assert _digest(load_model(path)) in {_digest(m) for m in models}
