"""LearningRateScheduler and ReduceLROnPlateau on a fake model."""
import math

import pytest

from glassnet.callbacks import LearningRateScheduler, ReduceLROnPlateau

from .fakes import FakeModel, run


def test_schedule_sets_the_rate_each_epoch_and_logs_it():
    model = FakeModel(learning_rate=0.1)
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, lr))
        return lr if epoch < 2 else lr * 0.5

    history = run([LearningRateScheduler(schedule)], model, [{"loss": 1.0}] * 4)
    assert seen == [(0, 0.1), (1, 0.1), (2, 0.1), (3, 0.05)]
    assert history.history["learning_rate"] == [0.1, 0.1, 0.05, 0.025]
    assert model.optimizer.learning_rate == 0.025


def test_schedule_of_the_epoch_alone():
    model = FakeModel()
    run([LearningRateScheduler(lambda epoch: 0.01 * math.exp(-epoch))], model, [{"loss": 1.0}] * 3)
    assert model.optimizer.learning_rate == pytest.approx(0.01 * math.exp(-2))


def test_schedule_verbose(capsys):
    run([LearningRateScheduler(lambda epoch, lr: 0.5, verbose=1)], FakeModel(), [{"loss": 1.0}])
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.5." in capsys.readouterr().out


@pytest.mark.parametrize("output", ["0.1", None, float("nan"), -1.0])
def test_schedule_bad_output(output):
    with pytest.raises(ValueError, match="output of `schedule` at epoch 0 must be a finite non-negative float"):
        run([LearningRateScheduler(lambda epoch, lr: output)], FakeModel(), [{"loss": 1.0}])


def test_schedule_needs_callable_and_optimizer():
    with pytest.raises(ValueError, match="`schedule` must be a function"):
        LearningRateScheduler(0.1)
    model = FakeModel()
    model.optimizer = None
    with pytest.raises(ValueError, match="no optimizer.*compile the model first"):
        run([LearningRateScheduler(lambda e, lr: lr)], model, [{"loss": 1.0}])


def test_reduce_on_plateau_after_patience():
    # val_loss stalls after epoch 1: wait 1 (epoch 2), 2 (epoch 3) -> reduce at epoch 3 (patience 2)
    model = FakeModel(learning_rate=1.0)
    history = run([ReduceLROnPlateau(factor=0.5, patience=2)], model,
                  [{"val_loss": v} for v in [1, 0.5, 0.5, 0.5, 0.5]])
    assert history.history["learning_rate"] == [1.0, 1.0, 1.0, 1.0, 0.5]   # logged before the reduction
    assert model.optimizer.learning_rate == 0.5


def test_reduce_min_delta_cooldown_and_min_lr():
    model = FakeModel(learning_rate=1.0)
    # 0.99995 is within min_delta 1e-4 of 1.0: no improvement
    callback = ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, cooldown=2, min_lr=0.005)
    run([callback], model, [{"loss": v} for v in [1.0, 0.99995, 1.0, 1.0, 1.0]])
    # reduce at epoch 1 (-> 0.1, counter 2); epoch 2: counter 1, still cooling down, skipped;
    # epoch 3: counter 0, wait 1 -> reduce (-> 0.01); epoch 4: cooling down again
    assert model.optimizer.learning_rate == pytest.approx(0.01)
    run([ReduceLROnPlateau(monitor="loss", factor=0.1, patience=0, min_lr=0.005)], model, [{"loss": 1.0}] * 3)
    assert model.optimizer.learning_rate == 0.005   # floored at min_lr


def test_reduce_auto_mode_maximises_names_with_acc(capsys):
    model = FakeModel(learning_rate=1.0)
    run([ReduceLROnPlateau(monitor="val_acc", patience=1, verbose=1)], model,
        [{"val_acc": v} for v in [0.5, 0.6, 0.7]])
    assert model.optimizer.learning_rate == 1.0
    run([ReduceLROnPlateau(monitor="val_acc", patience=1, verbose=1)], model,
        [{"val_acc": v} for v in [0.7, 0.6]])
    assert model.optimizer.learning_rate == pytest.approx(0.1)
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.1" in capsys.readouterr().out


def test_reduce_missing_monitor_warns():
    with pytest.warns(UserWarning, match="conditioned on metric `val_loss` which is not available"):
        run([ReduceLROnPlateau()], FakeModel(), [{"loss": 1.0}])


@pytest.mark.parametrize("kwargs, match", [
    ({"factor": 1.0}, "factor >= 1.0"),
    ({"patience": -1}, "`patience`"),
    ({"cooldown": 0.5}, "`cooldown`"),
    ({"min_lr": -1e-3}, "`min_lr`"),
    ({"mode": "up"}, "`mode` must be one of"),
])
def test_reduce_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ReduceLROnPlateau(**kwargs)
