import gzip

import numpy as np
import pytest

from glassnet.datasets import locate, multi30k, rt_polarity, tinyshakespeare


def test_rt_polarity(tmp_path):
    (tmp_path / "rt-polarity.pos").write_bytes("a charming journey . \nthe clichés disappear . \n".encode())
    (tmp_path / "rt-polarity.neg").write_bytes("dull and flat . \n".encode())
    texts, labels = rt_polarity.load_data(path=tmp_path)
    assert texts == ["a charming journey .", "the clichés disappear .", "dull and flat ."]
    np.testing.assert_array_equal(labels, [1, 1, 0])
    assert labels.dtype == np.int64


def test_rt_polarity_rejects_latin1(tmp_path):
    (tmp_path / "rt-polarity.pos").write_bytes("clich\xe9s\n".encode("latin-1"))
    (tmp_path / "rt-polarity.neg").write_bytes(b"ok\n")
    with pytest.raises(ValueError, match=r"rt-polarity\.pos.*not valid UTF-8"):
        rt_polarity.load_data(path=tmp_path)


def test_tinyshakespeare(tmp_path):
    text = "First Citizen:\nBefore we proceed any further, hear me speak.\n\nAll:\nSpeak, speak.\n"
    (tmp_path / "input.txt").write_text(text, encoding="utf-8")
    assert tinyshakespeare.load_text(path=tmp_path) == text


def test_tinyshakespeare_gzipped(tmp_path):
    (tmp_path / "input.txt.gz").write_bytes(gzip.compress(b"To be,\r\nor not\n"))
    assert tinyshakespeare.load_text(tmp_path) == "To be,\r\nor not\n"   # the text exactly as stored


def _write_gz(path, lines):
    path.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode("utf-8")))


DE = ["Zwei junge weiße Männer sind im Freien.", "Ein Hund läuft\u2028weg."]   # \u2028 is not a line break here
EN = ["Two young, White males are outside.", "A dog runs away."]


@pytest.mark.parametrize("split,stem", [("train", "train"), ("val", "val"), ("test", "test_2016_flickr"),
                                        ("test_2016_flickr", "test_2016_flickr")])
def test_multi30k_splits(tmp_path, split, stem):
    _write_gz(tmp_path / f"{stem}.de.gz", DE)
    _write_gz(tmp_path / f"{stem}.en.gz", EN)
    assert multi30k.load_data(split, path=tmp_path) == (DE, EN)
    assert multi30k.load_data(split, source="en", target="de", path=tmp_path) == (EN, DE)


def test_multi30k_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="`split` must be one of .* got 'dev'"):
        multi30k.load_data("dev", path=tmp_path)
    with pytest.raises(ValueError, match="`source` must be one of .* got 'fr'"):
        multi30k.load_data(source="fr", path=tmp_path)
    with pytest.raises(ValueError, match="`source` and `target` must differ"):
        multi30k.load_data(source="en", target="en", path=tmp_path)


def test_multi30k_misaligned(tmp_path):
    _write_gz(tmp_path / "val.de.gz", DE)
    _write_gz(tmp_path / "val.en.gz", EN[:1])
    with pytest.raises(ValueError, match="must be aligned line by line"):
        multi30k.load_data("val", path=tmp_path)


def test_multi30k_missing_and_truncated(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"'multi30k' not found: need train\.de\.gz, train\.en\.gz"):
        multi30k.load_data(path=tmp_path)
    _write_gz(tmp_path / "val.de.gz", DE * 50)
    packed = (tmp_path / "val.de.gz").read_bytes()
    (tmp_path / "val.de.gz").write_bytes(packed[: len(packed) // 2])
    _write_gz(tmp_path / "val.en.gz", EN)
    with pytest.raises(ValueError, match=r"val\.de\.gz.*corrupt or truncated gzip"):
        multi30k.load_data("val", path=tmp_path)


def test_candidate_dirs_order(tmp_path, monkeypatch):
    monkeypatch.setenv(locate.ENV_VAR, str(tmp_path / "env"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(locate, "REPO_ROOT", tmp_path / "repo")
    places = locate.candidate_dirs("mnist")
    assert places == [tmp_path / "env" / "mnist", tmp_path.parent / "shared" / "data" / "mnist",
                      tmp_path / "shared" / "data" / "mnist"]
    assert locate.candidate_dirs("mnist", path=tmp_path / "mine") == [tmp_path / "mine"]
