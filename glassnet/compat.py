"""How much of Keras's public API glassnet has, namespace by namespace.

    python -m glassnet.compat                  # every namespace: counts, then the absent names
    python -m glassnet.compat ops --present    # one namespace, the present names too
    python -m glassnet.compat --json           # the whole report as JSON
    python -m glassnet.compat --snapshot       # (with Keras installed) rewrite the committed name list

A Keras name counts as present when the matching glassnet module has an attribute of that
name (``keras.ops.relu`` -> ``glassnet.ops.relu``, ``keras.Input`` -> ``glassnet.Input``).
Keras's names come from Keras itself when it is importable (its public attributes:
``dir(keras.ops)`` less the private ones), otherwise from ``compat_keras_names.json``, a
snapshot of Keras 3.15's names committed next to this file, so the report runs without
Keras. Keras is never a dependency of glassnet; it is imported here on its PyTorch
backend unless ``KERAS_BACKEND`` says otherwise.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import textwrap
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("compat_keras_names.json")

# Keras namespace -> the glassnet module that mirrors it ("" is the top level of each package)
NAMESPACES = {
    "": "glassnet", "ops": "glassnet.ops", "layers": "glassnet.layers", "utils": "glassnet.utils",
    "models": "glassnet.models", "random": "glassnet.random", "losses": "glassnet.losses",
    "metrics": "glassnet.metrics", "optimizers": "glassnet.optimizers", "callbacks": "glassnet.callbacks",
    "activations": "glassnet.activations", "initializers": "glassnet.initializers", "saving": "glassnet.saving",
    "backend": "glassnet.backend", "config": "glassnet.config", "constraints": "glassnet.constraints",
    "regularizers": "glassnet.regularizers", "applications": "glassnet.applications", "tree": "glassnet.tree",
    "wrappers": "glassnet.wrappers", "preprocessing": "glassnet.preprocessing", "datasets": "glassnet.datasets",
    "optimizers.schedules": "glassnet.optimizers.schedules",
}
# Keras's top level also lists its own implementation packages; they are not part of the API
_NOT_API = {"src", "api"}


def keras_names_live() -> dict:
    """{namespace: sorted public names} read from the installed Keras (ImportError without it)."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    keras = importlib.import_module("keras")
    names = {}
    for namespace in NAMESPACES:
        module = keras
        for part in namespace.split(".") if namespace else ():
            module = getattr(module, part)
        names[namespace] = sorted(n for n in dir(module) if not n.startswith("_") and n not in _NOT_API)
    return {"keras_version": keras.__version__, "names": names}


def keras_names_snapshot() -> dict:
    """The committed snapshot (same layout as ``keras_names_live``)."""
    with open(SNAPSHOT, encoding="utf-8") as f:
        return json.load(f)


def keras_names(prefer_live: bool = True) -> tuple:
    """(names, source): live Keras when importable and wanted, else the snapshot."""
    if prefer_live:
        try:
            return keras_names_live(), "installed keras"
        except Exception:          # noqa: BLE001 — keras absent, or present but broken: use the snapshot
            pass
    return keras_names_snapshot(), f"snapshot {SNAPSHOT.name}"


def _glassnet_module(path: str):
    try:
        return importlib.import_module(path)
    except ImportError:
        return None


def report(prefer_live: bool = True, namespaces=None) -> dict:
    """{"keras_version", "source", "namespaces": {ns: {"present": [...], "absent": [...]}}}."""
    data, source = keras_names(prefer_live)
    out = {"keras_version": data["keras_version"], "source": source, "namespaces": {}}
    for namespace, names in data["names"].items():
        if namespaces and namespace not in namespaces and not (namespace == "" and "top" in namespaces):
            continue
        module = _glassnet_module(NAMESPACES[namespace])
        present = [n for n in names if module is not None and _has(module, n)]
        out["namespaces"][namespace] = {"present": present, "absent": [n for n in names if n not in present]}
    return out


def _has(module, name: str) -> bool:
    try:
        return hasattr(module, name)
    except Exception:              # noqa: BLE001 — a lazy attribute that fails to import is absent
        return False


def format_report(result: dict, show_present: bool = False) -> str:
    lines = [f"Keras {result['keras_version']} public names in glassnet (Keras's names from the {result['source']})",
             ""]
    total_present = total = 0
    for namespace, entry in result["namespaces"].items():
        n_present, n = len(entry["present"]), len(entry["present"]) + len(entry["absent"])
        total_present, total = total_present + n_present, total + n
        label = f"keras.{namespace}" if namespace else "keras (top level)"
        lines.append(f"{label:<22} {n_present:>4} of {n:<4} present")
        for kind in (("present", "absent") if show_present else ("absent",)):
            if entry[kind]:
                body = textwrap.fill(", ".join(entry[kind]), width=100, initial_indent="      ", subsequent_indent="      ")
                lines += [f"    {kind} ({len(entry[kind])}):", body]
    lines += ["", f"{'all namespaces':<22} {total_present:>4} of {total:<4} present"]
    return "\n".join(lines)


def write_snapshot() -> Path:
    """Rewrite ``compat_keras_names.json`` from the installed Keras."""
    data = keras_names_live()
    SNAPSHOT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return SNAPSHOT


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m glassnet.compat", description=__doc__.splitlines()[0])
    parser.add_argument("namespace", nargs="*", help="namespaces to show (ops, layers, ..., top); default all")
    parser.add_argument("--present", action="store_true", help="list the present names too")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--no-keras", action="store_true", help="use the snapshot even if Keras is installed")
    parser.add_argument("--snapshot", action="store_true", help="rewrite the snapshot from the installed Keras")
    args = parser.parse_args(argv)
    if args.snapshot:
        try:
            path = write_snapshot()
        except ImportError as error:
            print(f"glassnet.compat: --snapshot needs keras importable ({error})", file=sys.stderr)
            return 2
        print(f"wrote {path}")
        return 0
    unknown = [n for n in args.namespace if n not in NAMESPACES and n != "top"]
    if unknown:
        print(f"glassnet.compat: unknown namespace(s) {unknown}; choose from top, "
              f"{', '.join(n for n in NAMESPACES if n)}", file=sys.stderr)
        return 2
    result = report(prefer_live=not args.no_keras, namespaces=args.namespace or None)
    try:
        print(json.dumps(result, indent=1) if args.json else format_report(result, args.present))
    except BrokenPipeError:                      # piped into `head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")
    return 0


if __name__ == "__main__":
    sys.exit(main())
