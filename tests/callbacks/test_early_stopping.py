"""EarlyStopping with Keras 3 semantics, on a fake model (weights = [e, e] after epoch e)."""
import numpy as np
import pytest

from glassnet.callbacks import EarlyStopping
from glassnet.callbacks.monitor import infer_mode

from .fakes import FakeModel, run


def losses(*values, key="val_loss"):
    return [{key: v} for v in values]


def test_stops_after_patience_epochs_without_improvement():
    # epoch:     0    1    2     3     4     5
    # val_loss: 1.0  0.9  0.95  0.97  0.99  0.5
    # wait:      0    0    1     2 -> stop at epoch 3 (patience 2)
    model, stopper = FakeModel(), EarlyStopping(patience=2)
    history = run([stopper], model, losses(1.0, 0.9, 0.95, 0.97, 0.99, 0.5))
    assert history.epoch == [0, 1, 2, 3]
    assert stopper.stopped_epoch == 3 and stopper.best == 0.9 and stopper.best_epoch == 1


def test_patience_zero_stops_at_first_non_improvement_but_never_at_epoch_zero():
    stopper = EarlyStopping(monitor="loss", patience=0)
    history = run([stopper], FakeModel(), losses(1.0, 1.0, 0.5, key="loss"))
    assert history.epoch == [0, 1]   # equal is not an improvement


def test_restore_best_weights_after_early_stop():
    model = FakeModel()
    stopper = EarlyStopping(patience=2, restore_best_weights=True)
    run([stopper], model, losses(1.0, 0.9, 0.95, 0.97, 0.99))
    np.testing.assert_array_equal(model.get_weights()[0], [1.0, 1.0])   # epoch 1's weights


def test_restore_best_weights_also_when_training_ends_without_stopping():
    model = FakeModel()
    stopper = EarlyStopping(patience=10, restore_best_weights=True)
    history = run([stopper], model, losses(1.0, 0.5, 0.7))
    assert history.epoch == [0, 1, 2] and stopper.stopped_epoch == 0
    np.testing.assert_array_equal(model.get_weights()[0], [1.0, 1.0])


def test_no_restore_without_the_flag():
    model = FakeModel()
    run([EarlyStopping(patience=1)], model, losses(1.0, 2.0, 3.0))
    np.testing.assert_array_equal(model.get_weights()[0], [1.0, 1.0])   # last epoch run (1)


def test_auto_mode_maximises_accuracy():
    stopper = EarlyStopping(monitor="val_accuracy", patience=1)
    history = run([stopper], FakeModel(), losses(0.5, 0.6, 0.55, 0.54, key="val_accuracy"))
    assert history.epoch == [0, 1, 2] and stopper.best == 0.6


def test_auto_mode_uses_a_metric_objects_direction():
    class Metric:
        name, _direction = "score", "up"

    model = FakeModel()
    model.metrics = [Metric()]
    stopper = EarlyStopping(monitor="val_score", patience=0)
    history = run([stopper], model, losses(1.0, 2.0, 1.5, key="val_score"))
    assert history.epoch == [0, 1, 2] and stopper.best == 2.0


def test_auto_mode_with_unknown_direction_raises():
    with pytest.raises(ValueError, match="monitor='val_mystery'.*mode='max'"):
        run([EarlyStopping(monitor="val_mystery")], FakeModel(), losses(1.0, key="val_mystery"))
    history = run([EarlyStopping(monitor="val_mystery", mode="max", patience=0)], FakeModel(),
                  losses(1.0, 0.5, key="val_mystery"))
    assert history.epoch == [0, 1]


@pytest.mark.parametrize("monitor, expected", [
    ("val_loss", "min"), ("loss", "min"), ("val_accuracy", "max"), ("acc", "max"), ("val_auc_1", "max"),
    ("val_mae", "min"), ("val_output_1_loss", "min"), ("precision", "max")])
def test_auto_mode_table(monitor, expected):
    assert infer_mode("EarlyStopping", monitor, "auto") == expected
    assert infer_mode("EarlyStopping", monitor, "max") == "max"


def test_min_delta_counts_small_changes_as_no_improvement():
    # 0.95 is not below 1.0 - 0.1, so epoch 1 is no improvement: stop (patience 1)
    stopper = EarlyStopping(min_delta=-0.1, patience=1)   # the sign is ignored (abs)
    history = run([stopper], FakeModel(), losses(1.0, 0.95, 0.5))
    assert history.epoch == [0, 1] and stopper.min_delta == 0.1


def test_baseline_keeps_the_wait_counting_until_beaten():
    # without baseline: 0.9, 0.8 improve (wait 0), 0.85 -> wait 1 < 2: go on
    assert run([EarlyStopping(patience=2)], FakeModel(), losses(0.9, 0.8, 0.85, 0.84)).epoch == [0, 1, 2, 3]
    # baseline 0.5 is never beaten, so improvements do not reset wait: epoch 2 has wait 3 >= 2
    stopper = EarlyStopping(patience=2, baseline=0.5)
    assert run([stopper], FakeModel(), losses(0.9, 0.8, 0.85, 0.84)).epoch == [0, 1, 2]


def test_start_from_epoch_ignores_the_warm_up():
    assert run([EarlyStopping(monitor="loss")], FakeModel(), losses(1, 2, 3, 4, key="loss")).epoch == [0, 1]
    stopper = EarlyStopping(monitor="loss", start_from_epoch=2)
    assert run([stopper], FakeModel(), losses(1, 2, 3, 4, key="loss")).epoch == [0, 1, 2, 3]
    assert stopper.best == 3 and stopper.stopped_epoch == 3


def test_missing_monitor_warns_and_does_not_stop():
    with pytest.warns(UserWarning, match="val_loss.*not available.*Available metrics are: loss"):
        history = run([EarlyStopping()], FakeModel(), losses(1.0, 2.0, key="loss"))
    assert history.epoch == [0, 1]


def test_instance_is_reusable_across_fits():
    stopper = EarlyStopping(patience=0)
    run([stopper], FakeModel(), losses(1.0, 2.0))
    assert stopper.stopped_epoch == 1
    history = run([stopper], FakeModel(), losses(5.0, 4.0, 3.0))
    assert history.epoch == [0, 1, 2] and stopper.stopped_epoch == 0 and stopper.best == 3.0


def test_verbose_messages(capsys):
    run([EarlyStopping(patience=0, verbose=1, restore_best_weights=True)], FakeModel(), losses(1.0, 2.0))
    out = capsys.readouterr().out
    assert "Epoch 2: early stopping" in out
    assert "Restoring model weights from the end of the best epoch: 1." in out


@pytest.mark.parametrize("kwargs, match", [
    ({"patience": -1}, "`patience` must be a non-negative int"),
    ({"patience": 1.5}, "`patience` must be a non-negative int"),
    ({"start_from_epoch": -2}, "`start_from_epoch`"),
    ({"mode": "maximum"}, "`mode` must be one of"),
    ({"min_delta": "0.1"}, "`min_delta` must be a number"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EarlyStopping(**kwargs)
