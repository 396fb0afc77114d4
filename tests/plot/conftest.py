import pytest


@pytest.fixture
def saved(tmp_path):
    """``saved(draw)``: call ``draw(to_file=...)`` for a PNG and an SVG; check both files; return the figure."""
    def check(draw):
        figure = None
        for extension, magic in (("png", b"\x89PNG\r\n\x1a\n"), ("svg", b"<?xml")):
            path = tmp_path / f"figure.{extension}"
            result = draw(to_file=str(path))
            figure = result[0] if isinstance(result, tuple) else result
            assert path.exists() and path.stat().st_size > 500, path
            assert path.read_bytes()[:len(magic)] == magic
        return figure
    return check
