"""The progress display: structure of the output for verbose 1 and 2 (never its timing)."""
import io
import re

import pytest

from glassnet.callbacks import CallbackList, Progbar, ProgbarLogger
from glassnet.callbacks.progbar import format_duration, format_time_per_unit, format_value, resolve_verbose

from .fakes import FakeModel, run

TIME = r"\d+(s|ms|us)/step"


class TTY(io.StringIO):
    def isatty(self):
        return True


class Ascii(io.StringIO):
    encoding = "ascii"


def test_value_formatting_like_keras():
    assert format_value(0.123456) == "0.1235"
    assert format_value(12.5) == "12.5000"
    assert format_value(1e-4) == "1.0000e-04"
    assert format_value(0) == "0.0000e+00"
    assert format_value(float("nan")) == "nan"
    assert format_value("adam") == "adam"
    assert format_duration(42.7) == "42s" and format_duration(185) == "3:05" and format_duration(3723) == "1:02:03"
    assert format_time_per_unit(0.084, "step") == "84ms/step"
    assert format_time_per_unit(2.0, "step") == "2s/step"
    assert format_time_per_unit(0.00095, "step") == "950us/step"


def test_verbose_2_one_line_per_epoch(capsys):
    logs = [{"loss": 0.1234, "accuracy": 0.97, "val_loss": 0.2}, {"loss": 0.1, "accuracy": 0.98, "val_loss": 0.19}]
    run([], FakeModel(), logs, steps=5, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(r"Epoch 1/2 - \d+s - loss: 0\.1234 - accuracy: 0\.9700 - val_loss: 0\.2000", lines[0])
    assert re.fullmatch(r"Epoch 2/2 - \d+s - loss: 0\.1000 - accuracy: 0\.9800 - val_loss: 0\.1900", lines[1])


def test_verbose_1_in_a_log_file_writes_the_final_bar_per_epoch(capsys):
    run([], FakeModel(), [{"loss": 0.5}, {"loss": 0.25}], steps=4, verbose=1,
        batch_logs=lambda epoch, batch: {"loss": 1.0 + batch})
    lines = capsys.readouterr().out.splitlines()
    assert "\r" not in "".join(lines)
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {TIME} - loss: 0\.5000", lines[1])
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {TIME} - loss: 0\.2500", lines[3])
    assert len(lines) == 4   # intermediate updates are throttled to one per 10 s in logs


def test_verbose_1_on_a_terminal_redraws_in_place():
    stream = TTY()
    bar = Progbar(4, verbose=1, interval=0.0, stream=stream, stateful_metrics=["loss"])
    for step in range(1, 5):
        bar.update(step, [("loss", step / 10)], finalize=False)
    bar.update(4, [("loss", 0.4)], finalize=True)
    frames = stream.getvalue().split("\r")[1:]
    assert len(frames) == 5 and stream.getvalue().endswith("\n")
    assert re.fullmatch(rf"1/4 ━{{5}}─{{15}} \d+s {TIME} - loss: 0\.1000 *", frames[0])   # ETA, then time/step
    assert re.fullmatch(rf"2/4 ━{{10}}─{{10}} \d+s {TIME} - loss: 0\.2000 *", frames[1])
    assert re.fullmatch(rf"4/4 ━{{20}} \d+s {TIME} - loss: 0\.4000\n", frames[4])


def test_redraws_are_throttled():
    stream = TTY()
    bar = Progbar(1000, verbose=1, interval=1e9, stream=stream)
    for step in range(1, 1001):
        bar.update(step, [("loss", 1.0)])
    # the first update draws; the next 998 come too soon; the last one always draws
    assert stream.getvalue().count("\r") == 2


def test_shorter_line_is_padded_over_the_longer_one():
    stream = TTY()
    bar = Progbar(2, verbose=1, interval=0.0, stream=stream, stateful_metrics=["m"])
    bar.update(1, [("m", "a-long-value")])
    bar.update(2, [("m", "x")])
    first, second = stream.getvalue().split("\r")[1:]
    assert len(second.rstrip("\n")) == len(first)


def test_values_not_stateful_are_averaged_over_steps():
    stream = io.StringIO()
    bar = Progbar(3, verbose=2, stream=stream)
    bar.update(1, [("loss", 1.0)])
    bar.update(3, [("loss", 4.0)], finalize=False)   # covers 2 steps: (1·1 + 4·2)/3 = 3
    assert bar._metrics() == [("loss", 3.0)]
    bar.update(3, {"loss": 0.5})
    assert re.fullmatch(rf"3/3 - \d+s - {TIME} - loss: 0\.5000\n", stream.getvalue())


def test_unknown_target_and_ascii_fallback():
    stream = Ascii()
    bar = Progbar(None, verbose=1, stream=stream)
    bar.update(7, finalize=True)
    assert re.fullmatch(rf"      7/Unknown \d+s {TIME}\n", stream.getvalue())
    stream = Ascii()
    Progbar(2, verbose=1, stream=stream).update(2)
    assert stream.getvalue().startswith("2/2 " + "=" * 20 + " ")


def test_verbose_0_is_silent(capsys):
    run([], FakeModel(), [{"loss": 0.5}], verbose=0)
    run([ProgbarLogger()], FakeModel(), [{"loss": 0.5}], verbose=0)
    assert capsys.readouterr().out == ""


def test_auto_is_2_when_stdout_is_not_a_terminal(capsys):
    assert resolve_verbose("auto") == 2
    run([], FakeModel(), [{"loss": 0.5}], verbose="auto")
    assert re.fullmatch(r"Epoch 1/1 - \d+s - loss: 0\.5000\n", capsys.readouterr().out)
    with pytest.raises(ValueError, match="`verbose` must be 0, 1, 2 or 'auto', got 3"):
        resolve_verbose(3)


def test_evaluate_and_predict_show_a_bar_but_validation_inside_fit_is_silent(capsys):
    logger = ProgbarLogger()
    callbacks = CallbackList([logger], verbose=1, epochs=1, steps=2)
    callbacks.on_test_begin()
    callbacks.on_test_batch_end(0, {"loss": 0.5})
    callbacks.on_test_batch_end(1, {"loss": 0.25})
    callbacks.on_test_end({"loss": 0.25})
    callbacks.on_predict_begin()
    callbacks.on_predict_batch_end(0, {"outputs": [1, 2]})
    callbacks.on_predict_batch_end(1, {"outputs": [1, 2]})
    callbacks.on_predict_end()
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(rf"2/2 ━{{20}} \d+s {TIME} - loss: 0\.2500", lines[0])
    assert re.fullmatch(rf"2/2 ━{{20}} \d+s {TIME}", lines[1])
    callbacks.on_train_begin()
    callbacks.on_test_begin()
    callbacks.on_test_batch_end(0, {"loss": 0.5})
    callbacks.on_test_end({"loss": 0.5})
    assert capsys.readouterr().out == ""


def test_bad_progbar_arguments():
    with pytest.raises(ValueError, match="`target` must be a non-negative int or None"):
        Progbar(-1)
    with pytest.raises(ValueError, match="`width` must be a positive int"):
        Progbar(3, width=0)
