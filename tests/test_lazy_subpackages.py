"""``glassnet.text``, ``seq2seq``, ``tuning``, ``sklearn``, ``plot``, ``convert`` and ``monitor`` are lazy attributes: absent after ``import glassnet``,
imported on first access, then the same module object as ``import glassnet.<name>``."""
import subprocess
import sys

import pytest

import glassnet as gn


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("name", ["seq2seq", "text", "tuning", "sklearn", "plot", "convert", "monitor", "rl"])
def test_not_imported_by_import_glassnet_but_on_first_access(name):
    out = _run(f"import sys, glassnet; before = 'glassnet.{name}' in sys.modules; "
               f"module = glassnet.{name}; after = 'glassnet.{name}' in sys.modules; "
               f"print(before, after, module.__name__)")
    assert out == f"False True glassnet.{name}"


def test_seq2seq_attribute_is_the_subpackage():
    import glassnet.seq2seq

    assert gn.seq2seq is glassnet.seq2seq
    assert gn.seq2seq.Vocabulary is glassnet.seq2seq.vocabulary.Vocabulary
    assert callable(gn.seq2seq.beam_search) and callable(gn.seq2seq.greedy_decode)


def test_from_glassnet_import_seq2seq():
    out = _run("from glassnet import seq2seq; print(seq2seq.__name__, hasattr(seq2seq, 'LSTMEncoderDecoder'))")
    assert out == "glassnet.seq2seq True"


def test_unknown_attributes_still_raise():
    with pytest.raises(AttributeError, match="has no attribute 'seq2seqq'"):
        gn.seq2seqq  # noqa: B018
    assert not hasattr(gn, "not_a_subpackage")
