"""Callbacks inside the real training loop: Sequential + Dense + compile + fit."""
import math
import re

import numpy as np
import pytest

from glassnet.callbacks import (CSVLogger, EarlyStopping, LambdaCallback, LearningRateScheduler, ModelCheckpoint,
                                ReduceLROnPlateau, TerminateOnNaN)
from glassnet.layers import Dense, Input
from glassnet.models import Sequential, load_model
from glassnet.optimizers import SGD


def line_model(learning_rate=0.1):
    """y = w·x with w starting at 0 (one weight, no bias)."""
    model = Sequential([Input((1,)), Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="mse")
    return model


def overfitting_data():
    """Training pulls w towards 2; the validation set is best at w = 1, so val_loss falls,
    then rises once w passes 1."""
    x = np.linspace(-1, 1, 16, dtype="float32").reshape(-1, 1)
    return x, 2 * x, (x, 1 * x)


def test_early_stopping_restores_the_best_weights():
    x, y, validation = overfitting_data()
    model = line_model()
    stopper = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    history = model.fit(x, y, epochs=100, batch_size=4, shuffle=False, validation_data=validation,
                        callbacks=[stopper], verbose=0)
    val_losses = history.history["val_loss"]
    assert 3 <= len(val_losses) < 100 and stopper.stopped_epoch == len(val_losses) - 1
    best = int(np.argmin(val_losses))
    assert best == len(val_losses) - 3 and stopper.best_epoch == best     # 2 worse epochs, then stop
    assert model.evaluate(*validation, verbose=0) == pytest.approx(val_losses[best], rel=1e-6)
    assert model.evaluate(*validation, verbose=0) < val_losses[-1]


def test_model_checkpoint_keeps_the_best_model(tmp_path):
    x, y, validation = overfitting_data()
    model = line_model()
    path = str(tmp_path / "best.glassnet")
    history = model.fit(x, y, epochs=12, batch_size=4, shuffle=False, validation_data=validation, verbose=0,
                        callbacks=[ModelCheckpoint(path, save_best_only=True)])
    best = load_model(path)
    assert best.evaluate(*validation, verbose=0) == pytest.approx(min(history.history["val_loss"]), rel=1e-6)


def test_model_checkpoint_filenames_and_weights_only(tmp_path):
    x, y, validation = overfitting_data()
    model = line_model()
    model.fit(x, y, epochs=3, batch_size=8, validation_data=validation, verbose=0,
              callbacks=[ModelCheckpoint(str(tmp_path / "{epoch:02d}-{val_loss:.2f}.weights.npz"),
                                         save_weights_only=True)])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert [n[:3] for n in names] == ["01-", "02-", "03-"]
    assert all(re.fullmatch(r"\d\d-\d+\.\d\d\.weights\.npz", n) for n in names)
    fresh = line_model()
    fresh.load_weights(tmp_path / names[-1])
    np.testing.assert_array_equal(fresh.get_weights()[0], model.get_weights()[0])


def test_csv_logger_contents(tmp_path):
    x, y, validation = overfitting_data()
    model = line_model()
    history = model.fit(x, y, epochs=3, batch_size=4, validation_data=validation, verbose=0,
                        callbacks=[CSVLogger(tmp_path / "log.csv")])
    lines = (tmp_path / "log.csv").read_text().splitlines()
    assert lines[0] == "epoch,loss,val_loss" and len(lines) == 4
    for epoch, line in enumerate(lines[1:]):
        cells = line.split(",")
        assert int(cells[0]) == epoch
        assert float(cells[1]) == pytest.approx(history.history["loss"][epoch], rel=1e-12)
        assert float(cells[2]) == pytest.approx(history.history["val_loss"][epoch], rel=1e-12)


def test_reduce_lr_on_plateau_lowers_the_rate():
    x, y, validation = overfitting_data()
    model = line_model()
    history = model.fit(x, y, epochs=10, batch_size=4, shuffle=False, validation_data=validation, verbose=0,
                        callbacks=[ReduceLROnPlateau(factor=0.5, patience=1, min_delta=0.0)])
    rates = history.history["learning_rate"]
    assert rates[0] == pytest.approx(0.1) and rates[-1] < 0.1
    assert model.optimizer.learning_rate <= rates[-1]   # the last epoch may have lowered it again
    assert all(b <= a for a, b in zip(rates, rates[1:]))


def test_learning_rate_scheduler_in_fit():
    x, y, _ = overfitting_data()
    model = line_model()
    schedule = LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[schedule])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_terminate_on_nan_stops_the_epoch():
    x, y, _ = overfitting_data()
    x = x.copy()
    x[5] = 1e30   # finite (NaN data is refused up front), but batch 1's squared error overflows to inf
    batches = []
    model = line_model()
    with np.errstate(over="ignore", invalid="ignore"):
        history = model.fit(x, y, epochs=5, batch_size=4, shuffle=False, verbose=0,
                            callbacks=[TerminateOnNaN(),
                                       LambdaCallback(on_train_batch_end=lambda b, _: batches.append(b))])
    assert batches == [0, 1] and len(history.history["loss"]) == 1 and not math.isfinite(history.history["loss"][0])


def test_progress_output_verbose_2(capsys):
    x, y, validation = overfitting_data()
    line_model().fit(x, y, epochs=3, batch_size=4, validation_data=validation, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    number = r"\d\.\d{4}(e-\d\d)?"
    for i, line in enumerate(lines):
        assert re.fullmatch(rf"Epoch {i + 1}/3 - \d+s - loss: {number} - val_loss: {number}", line)


def test_progress_output_verbose_1(capsys):
    x, y, validation = overfitting_data()
    line_model().fit(x, y, epochs=2, batch_size=4, validation_data=validation, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    for line in (lines[1], lines[3]):
        assert re.fullmatch(r"4/4 ━{20} \d+s \d+(s|ms|us)/step - loss: [\d.e-]+ - val_loss: [\d.e-]+", line)


def test_verbose_0_prints_nothing(capsys):
    x, y, validation = overfitting_data()
    model = line_model()
    model.fit(x, y, epochs=2, validation_data=validation, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert capsys.readouterr().out == ""


def test_evaluate_shows_one_line(capsys):
    x, y, _ = overfitting_data()
    line_model().evaluate(x, y, batch_size=4, verbose=1)
    out = capsys.readouterr().out
    assert re.fullmatch(r"4/4 ━{20} \d+s \d+(s|ms|us)/step - loss: [\d.e-]+\n", out)
