"""Where progress goes: the terminal, or Python's ``logging`` (Keras's "interactive logging").

On a terminal or in a notebook, progress bars redraw one line with ``\\r``. A training job on a
server wants records instead: ``disable_interactive_logging()`` sends every progress line to
the ``"glassnet"`` logger at INFO level (Keras sends them to ``absl.logging``), one record per
line and no redrawing. ``enable_interactive_logging()`` turns the terminal back on. The switch
is global, as Keras's is.
"""
from __future__ import annotations

import logging
import sys

_state = {"interactive": True}
logger = logging.getLogger("glassnet")


def enable_interactive_logging() -> None:
    """Progress bars and messages go to standard output (the default)."""
    _state["interactive"] = True


def disable_interactive_logging() -> None:
    """Progress bars and messages go to the ``"glassnet"`` logger, one INFO record per line."""
    _state["interactive"] = False


def is_interactive_logging_enabled() -> bool:
    """Whether progress goes to standard output (True) or to the ``"glassnet"`` logger (False)."""
    return _state["interactive"]


def print_msg(message: str, line_break: bool = True) -> None:
    """Show ``message`` where progress goes now (standard output, or the logger)."""
    if is_interactive_logging_enabled():
        sys.stdout.write(message + ("\n" if line_break else ""))
        sys.stdout.flush()
    else:
        for line in message.replace("\r", "\n").splitlines():
            if line.strip():
                logger.info(line)
