"""Callbacks against Keras 3 itself (skipped without keras).

Both frameworks train the same model from the same weights on the same data with
``shuffle=False``, so every epoch's logs agree (see test_models_keras.py); a callback fed
those logs must then take the same decisions: stop at the same epoch and restore the same
weights (EarlyStopping), set the same learning rates (ReduceLROnPlateau), write files of
the same names (ModelCheckpoint), and the same CSV columns (CSVLogger).
"""
import csv
import inspect

import numpy as np
import pytest

import glassnet as gn

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")
torch.set_num_threads(1)   # tiny tensors: one thread is ~10x faster than several contending on 2 cores

EPOCHS = 12


pytestmark = pytest.mark.usefixtures("keras_float64")   # conftest.py: both sides in float64


def _data():
    """40 training and 20 validation samples with random labels: the training loss falls
    steadily, the validation loss rises from the first epoch on (overfitting)."""
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((40, 6)), rng.integers(0, 3, 40)
    x_val, y_val = rng.standard_normal((20, 6)), rng.integers(0, 3, 20)
    return x, y, (x_val, y_val)


def _model(fw):
    L = fw.layers
    return fw.Sequential([L.Input((6,)), L.Dense(16, activation="tanh"), L.Dense(3, activation="softmax")])


def _binary_model(fw):
    L = fw.layers
    return fw.Sequential([L.Input((6,)), L.Dense(16, activation="tanh"), L.Dense(1, activation="sigmoid")])


def fit_both(make_callbacks, epochs=EPOCHS, validation=True, binary=False):
    """Train twin models with ``make_callbacks(framework)``; returns [(model, history, callbacks)]
    for glassnet, then Keras. ``binary``: one sigmoid output, binary cross-entropy, AUC."""
    x, y, (x_val, y_val) = _data()
    if binary:
        y, y_val = y % 2, y_val % 2
    validation_data = (x_val, y_val)
    build = _binary_model if binary else _model
    ours, theirs = build(gn), build(keras)
    rng = np.random.default_rng(7)   # fixed starting weights, whatever the initializers draw
    ours.set_weights([rng.uniform(-0.5, 0.5, w.shape) for w in ours.get_weights()])
    theirs.set_weights(ours.get_weights())
    runs = []
    for fw, model in ((gn, ours), (keras, theirs)):
        if binary:
            model.compile(optimizer=fw.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=[fw.metrics.AUC()])
        else:
            model.compile(optimizer=fw.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
        callbacks = make_callbacks(fw)
        history = model.fit(x, y, batch_size=16, epochs=epochs, shuffle=False, verbose=0, callbacks=callbacks,
                            validation_data=validation_data if validation else None)
        runs.append((model, history, callbacks))
    return runs


@pytest.mark.parametrize("name", ["EarlyStopping", "ReduceLROnPlateau", "ModelCheckpoint", "CSVLogger",
                                  "LearningRateScheduler", "TerminateOnNaN", "LambdaCallback"])
def test_callback_defaults_equal_keras(name):
    ours = inspect.signature(getattr(gn.callbacks, name).__init__).parameters
    theirs = inspect.signature(getattr(keras.callbacks, name).__init__).parameters
    assert set(ours) <= set(theirs)
    for argument in ours:
        assert ours[argument].default == theirs[argument].default, f"{name}({argument}=...)"


# --- EarlyStopping ----------------------------------------------------------------------------------
EARLY_STOPPING = {
    "val_loss_patience_2": dict(monitor="val_loss", patience=2),
    "loss_min_delta": dict(monitor="loss", min_delta=0.03, patience=1),
    "restore_best_weights": dict(monitor="val_loss", patience=3, restore_best_weights=True),
    # the loss improves by more than min_delta every epoch but one, yet stays above the baseline
    "baseline": dict(monitor="loss", baseline=0.5, min_delta=0.03, patience=3, restore_best_weights=True),
    "baseline_never_beaten": dict(monitor="val_loss", baseline=0.5, patience=4),
    "start_from_epoch": dict(monitor="val_loss", patience=2, start_from_epoch=4, restore_best_weights=True),
    "start_from_epoch_past_the_stop": dict(monitor="val_loss", patience=2, start_from_epoch=20),
    "val_accuracy_auto_mode": dict(monitor="val_accuracy", patience=3),
    "max_mode_on_a_loss": dict(monitor="val_loss", mode="max", patience=2, restore_best_weights=True),
    "restores_without_stopping": dict(monitor="loss", patience=20, restore_best_weights=True),
}


@pytest.mark.parametrize("name", EARLY_STOPPING)
def test_early_stopping_stops_at_the_same_epoch_with_the_same_weights(name):
    arguments = EARLY_STOPPING[name]
    (ours, our_history, [our_callback]), (theirs, their_history, [their_callback]) = fit_both(
        lambda fw: [fw.callbacks.EarlyStopping(**arguments)])
    assert our_history.epoch == their_history.epoch
    if name not in ("restores_without_stopping", "start_from_epoch_past_the_stop"):
        assert len(our_history.epoch) < EPOCHS   # it did stop early
    assert our_callback.stopped_epoch == their_callback.stopped_epoch
    assert our_callback.best_epoch == their_callback.best_epoch
    assert our_callback.wait == their_callback.wait
    for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):   # restored (or last) weights
        np.testing.assert_allclose(a, np.asarray(b), rtol=1e-9, atol=1e-12)


# --- ReduceLROnPlateau ------------------------------------------------------------------------------
REDUCE_LR = {
    "val_loss": dict(monitor="val_loss", factor=0.5, patience=1),
    "cooldown_and_min_lr": dict(monitor="val_loss", factor=0.5, patience=1, cooldown=2, min_lr=0.01),
    "loss_min_delta": dict(monitor="loss", factor=0.2, patience=1, min_delta=0.03),
    "val_accuracy_auto_mode": dict(monitor="val_accuracy", factor=0.5, patience=2),
}


@pytest.mark.parametrize("name", [*REDUCE_LR, "val_auc_auto_mode"])
def test_reduce_lr_on_plateau_gives_the_same_learning_rates(name):
    # "auto" mode follows the metric's direction as Keras 3 does: AUC is maximised (the name
    # has no "acc" in it, which was Keras 2's rule)
    arguments = REDUCE_LR.get(name, dict(monitor="val_auc", factor=0.5, patience=1))
    (ours, our_history, _), (theirs, their_history, _) = fit_both(
        lambda fw: [fw.callbacks.ReduceLROnPlateau(**arguments)], binary=name == "val_auc_auto_mode")
    rates = our_history.history["learning_rate"]
    assert len(set(rates)) > 1   # it did reduce
    # Keras keeps the learning rate in a float32 variable
    np.testing.assert_allclose(rates, their_history.history["learning_rate"], rtol=1e-6)
    np.testing.assert_allclose(our_history.history["loss"], their_history.history["loss"], rtol=1e-6)
    assert float(ours.optimizer.learning_rate) == pytest.approx(float(theirs.optimizer.learning_rate), rel=1e-6)


# --- ModelCheckpoint --------------------------------------------------------------------------------
def _saved_names(directory, suffix):
    return sorted(p.name[: -len(suffix)] for p in directory.iterdir() if p.name.endswith(suffix))


@pytest.mark.parametrize("pattern, arguments", [
    ("{epoch:02d}-{val_loss:.2f}", {}),
    ("w{epoch:03d}_{loss:.4f}_{val_accuracy:.3f}", {}),
    ("best-{epoch:02d}-{val_loss:.2f}", dict(save_best_only=True)),
    ("best-acc-{epoch}", dict(monitor="val_accuracy", save_best_only=True)),
    ("fixed", dict(save_best_only=True, monitor="loss")),
])
def test_model_checkpoint_file_names(tmp_path, pattern, arguments):
    # glassnet writes weights to ".weights.npz", Keras to ".weights.h5": the names before them agree
    (ours_dir := tmp_path / "glassnet").mkdir()
    (theirs_dir := tmp_path / "keras").mkdir()

    def callbacks(fw):
        directory, suffix = (ours_dir, ".weights.npz") if fw is gn else (theirs_dir, ".weights.h5")
        return [fw.callbacks.ModelCheckpoint(str(directory / (pattern + suffix)), save_weights_only=True,
                                             **arguments)]

    fit_both(callbacks, epochs=5)
    names = _saved_names(ours_dir, ".weights.npz")
    assert names and names == _saved_names(theirs_dir, ".weights.h5")


# --- CSVLogger --------------------------------------------------------------------------------------
def _read_csv(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize("validation, reduce_lr", [(True, False), (False, False), (True, True)])
def test_csv_logger_columns_and_values(tmp_path, validation, reduce_lr):
    def callbacks(fw):
        chosen = [fw.callbacks.CSVLogger(str(tmp_path / f"{fw.__name__}.csv"))]
        if reduce_lr:   # placed first, it adds "learning_rate" to the logs the logger sees
            chosen.insert(0, fw.callbacks.ReduceLROnPlateau(monitor="loss", patience=1, min_delta=0.03))
        return chosen

    fit_both(callbacks, epochs=4, validation=validation)
    ours, theirs = _read_csv(tmp_path / "glassnet.csv"), _read_csv(tmp_path / "keras.csv")
    assert ours[0] == theirs[0]   # the header: epoch, then the sorted keys (+ val_ columns without validation)
    assert ours[0][:3] == ["epoch", "accuracy", "learning_rate" if reduce_lr else "loss"]
    assert len(ours) == len(theirs) == 5
    for our_row, their_row in zip(ours[1:], theirs[1:]):
        assert our_row[0] == their_row[0]
        for a, b in zip(our_row[1:], their_row[1:], strict=True):
            assert (a == b == "NA") or float(a) == pytest.approx(float(b), rel=1e-6)
