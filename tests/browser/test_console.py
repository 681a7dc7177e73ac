"""The local console in a real browser (Debian's chromium, driven by Playwright): what a user
sees after deploying through ``serve``. Run by ``make browser`` (which installs both)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bundles import renamed
from test_serve_awscli import cli
from workflow.test_deploy import STEPS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [  # as the machine's notes say a headless chromium runs here: no network of its own
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("no chromium: `make browser` installs Debian's")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, endpoint: str) -> Iterator[Any]:
    opened = browser.new_page(viewport={"width": 1400, "height": 1000})
    opened.goto(f"{endpoint}/_lattice-deploy/console")
    yield opened
    opened.close()


def marks(page: Any) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "#graph rect[data-state]", "rs => rs.map(r => [r.dataset.state, r.dataset.mark])"
        )
    )


CLASHES = """() => {
  const svg = document.querySelector("#graph svg");
  const box = (el, name) => { const b = el.getBBox(); return {x: b.x, y: b.y, w: b.width,
    h: b.height, name}; };
  const meet = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const within = (a, b) => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w
    && a.y + a.h <= b.y + b.h;
  const nodes = [...svg.querySelectorAll("rect.node")].map(r => box(r, r.dataset.state));
  const labels = [...svg.querySelectorAll("text.label-text")].map(t => box(t, t.textContent));
  const found = [];
  labels.forEach((l, i) => {
    for (const n of nodes) if (meet(l, n)) found.push(`label ${l.name} meets ${n.name}`);
    for (const m of labels.slice(i + 1)) if (meet(l, m)) found.push(`${l.name} meets ${m.name}`);
  });
  for (const r of svg.querySelectorAll("rect.node")) {  // each name within its own box
    const name = box(r.nextElementSibling, r.dataset.state);
    if (!within(name, box(r, ""))) found.push(`${name.name} overflows its box`);
  }
  return [labels.length, found];
}"""
"""What the browser drew, measured with its own text metrics (not the layout's estimate): each
Choice label's text against every state's box and every other label, each name in its box."""


def clashes(page: Any) -> list[str]:
    count, found = page.evaluate(CLASHES)
    assert count > 0, "no labels drawn"
    return list(found)


def open_execution(page: Any, service: str, status: str) -> None:
    row = page.locator("tr.execution", has_text=service).filter(has_text=status).first
    row.wait_for(timeout=20_000)
    row.click()
    page.locator("#execution-status", has_text=status).wait_for(timeout=20_000)


def test_a_deploy_is_listed_and_its_path_marked_on_the_graph(
    page: Any, endpoint: str, tmp_path: Path
) -> None:
    bundle = ROOT / "examples" / "myservice"
    deployed = cli("deploy", str(bundle), "--endpoint-url", endpoint, "--json")
    assert deployed.returncode == 0, deployed.stderr
    name = json.loads(deployed.stdout)["deploymentId"]
    open_execution(page, "myservice", "SUCCEEDED")
    assert page.locator("#execution-name").inner_text().startswith(name)
    taken = {state for state, mark in marks(page).items() if mark == "taken"}
    path = {*STEPS, "release_lock", "report", "deployed"}
    assert path <= taken and "rollback" not in taken
    assert clashes(page) == []
    went = page.eval_on_selector_all("#graph path.taken", "ps => ps.length")
    assert went >= len(path) - 1  # the transitions made, drawn thick
    width = "document.querySelector('#graph svg').getBoundingClientRect().width"
    fitted = page.evaluate(width)
    page.click("#zoom")  # actual size: the SVG's own width, the pane scrolls
    page.wait_for_function(f"{width} > {fitted}")
    assert page.evaluate(width) == float(page.get_attribute("#graph svg", "width") or 0)
    page.click("#zoom")
    page.wait_for_function(f"{width} == {fitted}")
    healthy = page.locator("tr.target td.HEALTHY")
    assert healthy.count() == 3
    # docs/console.png only when asked (CONSOLE_SCREENSHOT=docs/console.png make browser): a test
    # run must not rewrite a tracked file
    page.screenshot(path=os.environ.get("CONSOLE_SCREENSHOT") or str(tmp_path / "console.png"))


def test_the_clock_buttons_move_virtual_time(page: Any) -> None:
    clock = page.locator("#clock")
    clock.filter(has_text="virtual clock").wait_for(timeout=10_000)
    before = clock.inner_text()
    page.click("[data-advance='300']")
    page.wait_for_function(
        "before => document.getElementById('clock').textContent !== before", arg=before
    )
    assert clock.inner_text() != before


def test_a_fault_injected_from_the_page_fails_the_next_deploy_and_is_shown(
    page: Any,
    endpoint: str,
    tmp_path: Path,
) -> None:
    page.fill("#fault", "unhealthy-targets:pagefault")
    page.click("#inject")
    page.locator("#faults", has_text="unhealthy-targets:pagefault").wait_for(timeout=10_000)
    bundle = renamed(ROOT / "examples" / "myservice", tmp_path, "pagefault")
    failed = cli("deploy", str(bundle), "--endpoint-url", endpoint)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    open_execution(page, "pagefault", "FAILED")
    cause = page.locator("#cause").inner_text()
    assert "health checks" in cause and "Rolled back" in cause
    seen = marks(page)
    assert seen["rollback"] == "taken" and seen["failed"] == "failed"
    page.click("#clear")
    page.locator("#faults", has_text="no faults in force").wait_for(timeout=10_000)
