"""What every plot shares: a pyplot-free figure, and saving it to PNG or SVG.

glassnet's plots draw into files and notebooks, never into windows: each function builds a
``matplotlib.figure.Figure`` directly (not through ``pyplot``), so no GUI backend is
touched, nothing is kept in pyplot's list of open figures, and plotting works on a
headless machine — the figure renders with matplotlib's *Agg* rasteriser. Each function
returns its Figure (a notebook shows it) and, when given ``to_file``, saves it with
``save``: the extension picks the format (``.png`` at 120 dpi, ``.svg``, ``.pdf``) and
missing parent folders are created.
"""
from __future__ import annotations

import os

from matplotlib.figure import Figure

FORMATS = (".png", ".svg", ".pdf")
DPI = 120


def new_figure(nrows=1, ncols=1, figsize=None, squeeze=True, **kwargs):
    """``(figure, axes)`` like ``plt.subplots``, without pyplot."""
    figure = Figure(figsize=figsize, layout=kwargs.pop("layout", None))
    axes = figure.subplots(nrows, ncols, squeeze=squeeze, **kwargs)
    return figure, axes


def save(figure, to_file):
    """Save ``figure`` to ``to_file`` (if not None) and return the figure.

    Raises:
        ValueError: an extension other than .png, .svg or .pdf.
    """
    if to_file is None:
        return figure
    path = os.fspath(to_file)
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise ValueError(f"to_file must end in one of {', '.join(FORMATS)}, got {path!r}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.savefig(path, dpi=DPI, bbox_inches="tight")
    return figure


def grid_shape(count: int, columns: int) -> tuple:
    """``(rows, columns)`` for ``count`` panels at most ``columns`` wide."""
    columns = max(1, min(columns, count))
    return -(-count // columns), columns
