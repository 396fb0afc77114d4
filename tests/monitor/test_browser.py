"""End to end in a real headless browser: the dashboard loads, a running run's chart grows, names are text.

Needs Playwright (``pip install playwright``) and a Chromium: Debian's ``chromium`` package
(``apt-get install chromium``: /usr/bin/chromium) or Playwright's own (``playwright install
chromium``). Without them the test is skipped with a message saying so. Set
``GLASSNET_MONITOR_SCREENSHOT=/path.png`` to keep a screenshot of the page.
"""
import os
import shutil
import threading

import pytest

from glassnet.monitor import RunStore, make_server

XSS = "<script>alert(1)</script>"


def browser_or_skip(playwright):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    try:
        return playwright.chromium.launch(executable_path=executable, args=args)
    except Exception as error:   # no browser build here
        pytest.skip(f"no headless Chromium to drive (apt-get install chromium, or playwright install chromium): "
                    f"{str(error).splitlines()[0]}")


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install playwright "
                                                                 "(and apt-get install chromium) to run the browser test")
    with sync_api.sync_playwright() as playwright:
        browser = browser_or_skip(playwright)
        try:
            yield browser.new_page(viewport={"width": 1400, "height": 900})
        finally:
            browser.close()


def test_the_dashboard_in_a_browser(tmp_path, page):
    store = RunStore(tmp_path / "runs.db")
    old = store.create_run(XSS, hyperparameters={"lr": 0.1})
    store.log(old, [("epoch", e, e, 1.0 + e, {"loss": 1.0 - 0.2 * e}) for e in range(3)])
    store.update_run(old, status="finished", ended=4.0, final_metrics={"loss": 0.6})
    live = store.create_run("live", hyperparameters={"lr": 0.01}, heartbeat_every=30)
    store.log(live, [("epoch", e, e, 1.0 + e, {"loss": 1.0 / (e + 1), "val_loss": 1.2 / (e + 1)}) for e in range(2)])
    server = make_server("127.0.0.1", 0, db=store)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    dialogs, errors = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server.url)
        line = f'svg[data-metric="loss"] polyline[data-run="{live}"]:not(.val)'
        page.wait_for_selector(f'{line}[data-points="2"]', timeout=10_000)        # the newest run is shown
        assert page.locator(f'svg[data-metric="loss"] polyline.val[data-run="{live}"]').get_attribute(
            "data-points") == "2"                                                   # val_loss on the same chart
        store.log(live, [("epoch", 2, 2, 3.0, {"loss": 1 / 3, "val_loss": 0.4})])  # the run goes on...
        page.wait_for_selector(f'{line}[data-points="3"]', timeout=10_000)        # ...and the chart follows
        name = page.locator(f'tr[data-run="{old}"] td.name')
        assert name.text_content() == XSS                                         # shown as text
        assert page.locator("script").count() == 1 and dialogs == [] and errors == []
        page.locator(f'tr[data-run="{old}"] input[type=checkbox]').check()         # compare two runs
        page.wait_for_selector(f'svg[data-metric="loss"] polyline[data-run="{old}"][data-points="3"]', timeout=10_000)
        name.click()
        page.locator("#details-title", has_text="alert(1)").wait_for(timeout=10_000)   # (CSP forbids eval'd waits)
        assert page.locator("#details-title").text_content() == "Run: " + XSS
        if os.environ.get("GLASSNET_MONITOR_SCREENSHOT"):
            page.screenshot(path=os.environ["GLASSNET_MONITOR_SCREENSHOT"], full_page=True)
    finally:
        server.shutdown()
        server.server_close()
