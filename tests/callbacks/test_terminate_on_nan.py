"""TerminateOnNaN: a NaN or inf batch loss stops training."""
import math

import pytest

from glassnet.callbacks import TerminateOnNaN

from .fakes import FakeModel, run


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_stops_on_invalid_loss(bad, capsys):
    model = FakeModel()
    history = run([TerminateOnNaN()], model, [{"loss": 1.0}] * 5, steps=3,
                  batch_logs=lambda epoch, batch: {"loss": bad if (epoch, batch) == (1, 2) else 0.5})
    assert history.epoch == [0, 1] and model.stop_training
    assert "Batch 2: Invalid loss, terminating training" in capsys.readouterr().out


def test_finite_losses_do_not_stop():
    assert run([TerminateOnNaN()], FakeModel(), [{"loss": 1.0}] * 3).epoch == [0, 1, 2]


def test_raise_error():
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        run([TerminateOnNaN(raise_error=True)], FakeModel(), [{"loss": 1.0}],
            batch_logs=lambda epoch, batch: {"loss": math.nan})
