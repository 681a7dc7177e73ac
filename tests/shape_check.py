"""Every JSON and XML reply the embedded AWS serves during the test run is checked against
botocore's output shape; a test during which one departs from it fails, naming operation, path
and problem.

Why a plugin over the whole run and not a test of its own: a handful of calls in one test covers
a handful of shapes, while the suite drives every operation the deployer, the CLI and the console
use, in the states they meet (a draining target, a failed rollout, an adopted resource). The
switch is :data:`lattice_deploy.emulator.shape_log.ENV`, set here for this process and so for
every ``serve`` a test spawns; each writes its violations into the same file, read after each
test. The terminal summary says how many replies and operations were checked.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lattice_deploy.emulator.shape_log import ENV, SHAPE_LOG

_RUN = pytest.StashKey["ShapeRun"]()
_TOTAL = pytest.StashKey[Counter[str]]()


class ShapeRun:
    """The violation file of this process, read a piece at a time."""

    def __init__(self, path: Path) -> None:
        self.path, self._offset = path, 0
        self.checked: Counter[str] = Counter()
        path.write_text("", encoding="utf-8")

    def read(self) -> list[dict[str, str]]:
        """The violations written since the last read (a process's counts are kept)."""
        with self.path.open(encoding="utf-8") as log:
            log.seek(self._offset)
            text = log.read()
        complete = text[: text.rfind("\n") + 1]  # a line still being written waits
        self._offset += len(complete.encode())
        found = []
        for line in complete.splitlines():
            entry = json.loads(line)
            if "checked" in entry:
                self.checked.update(entry["checked"])
            else:
                found.append(entry)
        return found


_INDEX = re.compile(r"\[\d+\]")


def describe(found: list[dict[str, str]]) -> str:
    """One line per distinct violation (list indexes folded: a poll repeats the same one)."""
    kinds = Counter(
        f"{v['service']} {v['operation']} {_INDEX.sub('[*]', v['path'])}: {v['problem']}"
        for v in found
    )
    return "\n".join(f"  {text}" + (f"  (x{n})" if n > 1 else "") for text, n in kinds.items())


def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = Path(tempfile.gettempdir()) / f"lattice-deploy-shapes-{os.getpid()}-{worker}.jsonl"
    config.stash[_RUN] = ShapeRun(path)
    os.environ[ENV] = str(path)


@pytest.fixture(autouse=True)
def served_shapes(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test during which a reply departed from its output shape."""
    run = request.config.stash[_RUN]
    before = run.read()  # from after the last test ended (a module's serve stopping)
    yield
    found = before + run.read()
    if found:
        pytest.fail(
            f"the embedded AWS served {len(found)} replies off botocore's output shape:\n"
            + describe(found),
            pytrace=False,
        )


def _counts(config: pytest.Config) -> Counter[str]:
    run = config.stash[_RUN]
    run.read()
    counts = run.checked + SHAPE_LOG.checked
    SHAPE_LOG.checked.clear()  # counted here: not again in the file at exit
    return counts


def pytest_sessionfinish(session: pytest.Session) -> None:
    config: Any = session.config
    if hasattr(config, "workeroutput"):  # an xdist worker: the controller sums and reports
        config.workeroutput["shapes"] = json.dumps(_counts(config))
    else:
        config.stash.setdefault(_TOTAL, Counter()).update(_counts(config))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    shapes = getattr(node, "workeroutput", {}).get("shapes")
    if shapes:
        node.config.stash.setdefault(_TOTAL, Counter()).update(json.loads(shapes))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _RUN in config.stash:
        config.stash[_RUN].path.unlink(missing_ok=True)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    total = config.stash.get(_TOTAL, Counter())
    services = {key.split()[0] for key in total}
    terminalreporter.write_line(
        f"output shapes: {sum(total.values())} replies checked (JSON and XML), {len(total)} "
        f"operations of {len(services)} services ({', '.join(sorted(services))})"
    )
    if os.environ.get("LATTICE_DEPLOY_SHAPE_COUNTS"):
        Path(os.environ["LATTICE_DEPLOY_SHAPE_COUNTS"]).write_text(json.dumps(total, indent=1))
