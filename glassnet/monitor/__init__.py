"""glassnet.monitor: a local-first run log and live dashboard ("TensorDash").

- ``Monitor``: a callback that records each ``fit`` — summary, compile settings,
  hyperparameters, per-epoch and sampled per-batch metrics, CPU and memory, the end
  status and, on a crash, the traceback — in an SQLite file, and notifies on the end.
- ``RunStore``: that file: list, read, delete and export runs (CSV, TensorBoard).
- ``serve``: the dashboard, a small web server on 127.0.0.1 (``glassnet monitor``).
- ``default_db_path()``: ``$GLASSNET_MONITOR_DB`` or ``~/.glassnet/runs.db``.

::

    from glassnet.monitor import Monitor
    model.fit(x, y, epochs=10, callbacks=[Monitor(name="baseline", hyperparameters={"units": 64})])
    # then, in a shell:  glassnet monitor      (or python -c "from glassnet.monitor import serve; serve()")
"""
from .callback import Monitor
from .server import make_server, serve
from .store import RunStore, default_db_path

__all__ = ["Monitor", "RunStore", "serve", "make_server", "default_db_path"]
