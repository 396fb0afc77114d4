"""CSVLogger: header, rows, separator, append."""
import csv

import numpy as np
import pytest

from glassnet.callbacks import CSVLogger

from .fakes import FakeModel, run

LOGS = [{"loss": 0.5, "accuracy": 0.75, "val_loss": 0.625}, {"loss": 0.25, "accuracy": 0.875, "val_loss": 0.5}]


def test_one_row_per_epoch_keys_sorted(tmp_path):
    path = tmp_path / "log.csv"
    run([CSVLogger(path)], FakeModel(), LOGS)
    assert path.read_text().splitlines() == ["epoch,accuracy,loss,val_loss", "0,0.75,0.5,0.625",
                                             "1,0.875,0.25,0.5"]


def test_separator_and_missing_values(tmp_path):
    path = tmp_path / "log.tsv"
    run([CSVLogger(path, separator="\t")], FakeModel(), [{"loss": 1.0, "lr": 0.1}, {"loss": 0.5}])
    rows = list(csv.reader(open(path), delimiter="\t"))
    # no validation value in the first logs: Keras 3 adds a val_ column for every key
    assert rows == [["epoch", "loss", "lr", "val_loss", "val_lr"], ["0", "1.0", "0.1", "NA", "NA"],
                    ["1", "0.5", "NA", "NA", "NA"]]


def test_expected_validation_metrics_get_a_column(tmp_path):
    # a validation that starts later (validation_freq) finds its columns ready (Keras 3's rule)
    path = tmp_path / "log.csv"
    run([CSVLogger(path)], FakeModel(), [{"loss": 1.0}, {"loss": 0.5, "val_loss": 0.75}])
    assert path.read_text().splitlines() == ["epoch,loss,val_loss", "0,1.0,NA", "1,0.5,0.75"]


def test_append_continues_without_second_header(tmp_path):
    path = tmp_path / "log.csv"
    run([CSVLogger(path)], FakeModel(), LOGS[:1])
    run([CSVLogger(path, append=True)], FakeModel(), LOGS[1:])
    assert path.read_text().splitlines() == ["epoch,accuracy,loss,val_loss", "0,0.75,0.5,0.625",
                                             "0,0.875,0.25,0.5"]
    run([CSVLogger(path)], FakeModel(), LOGS[1:])   # append=False overwrites
    assert len(path.read_text().splitlines()) == 2


def test_array_values_are_written_as_lists(tmp_path):
    path = tmp_path / "log.csv"
    run([CSVLogger(path)], FakeModel(), [{"per_class": np.array([0.5, 0.25])}])
    assert list(csv.reader(open(path))) == [["epoch", "per_class", "val_per_class"], ["0", "[0.5, 0.25]", "NA"]]


def test_file_is_closed_at_the_end(tmp_path):
    logger = CSVLogger(tmp_path / "log.csv")
    run([logger], FakeModel(), LOGS)
    assert logger.csv_file.closed


def test_bad_separator():
    with pytest.raises(ValueError, match="`separator` must be a one-character string"):
        CSVLogger("log.csv", separator=", ")
