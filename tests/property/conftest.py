"""Hypothesis settings for the property-based suite, and the outcome summary it prints.

Budget (``GLASSNET_HYPOTHESIS_PROFILE``):

* ``ci`` (default): 30 examples per test, derandomized (the same examples on every run,
  so CI is reproducible), no per-example deadline, no example database written to the
  repository. The whole suite takes well under 60 s on 2 cores.
* ``dev``: 100 random examples per test — a quick look for new failures while editing.
* ``nightly``: 600 examples per test, random seeds (new examples each night), still no
  deadline. Run it as
  ``GLASSNET_HYPOTHESIS_PROFILE=nightly python -m pytest tests/property -p no:cacheprovider``.

At the end of the run a table gives, per API group, how many calls were made and how
each ended (ok / refused / raw / unnamed / wrong; see ``harness.py``). With
``GLASSNET_PROPERTY_REPORT=path.json`` the counts are also written there.
"""
import json
import os

from hypothesis import HealthCheck, settings

from .harness import TALLY, summary_lines

_QUIET = [HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large]

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("dev", max_examples=100, deadline=None, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.register_profile("nightly", max_examples=600, deadline=None, database=None,
                          suppress_health_check=_QUIET, print_blob=True)
settings.load_profile(os.environ.get("GLASSNET_HYPOTHESIS_PROFILE", "ci"))


def pytest_terminal_summary(terminalreporter):
    if not TALLY:
        return
    profile = os.environ.get("GLASSNET_HYPOTHESIS_PROFILE", "ci")
    terminalreporter.section(f"property-based calls per API group (profile {profile})")
    for line in summary_lines():
        terminalreporter.write_line(line)
    path = os.environ.get("GLASSNET_PROPERTY_REPORT")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({f"{group}/{kind}": n for (group, kind), n in sorted(TALLY.items())}, handle, indent=1)
