"""A ``lattice-deploy serve`` in its own process, as a user starts it: the one way the tests
that drive a served embedded AWS start and stop it."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def serving(log: Path, *options: str) -> Iterator[str]:
    """Its URL while it runs (stderr in ``log``); stopped by Ctrl-C after, which must exit 0."""
    command = [sys.executable, "-m", "lattice_deploy.cli.main", "serve", "--port", "0"]
    serve = subprocess.Popen(
        [*command, "--time-rate", "0", *options],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    assert serve.stdout is not None
    first = serve.stdout.readline()
    match = re.search(r"listening on (http://[\d.]+:\d+)", first)
    assert match, first + log.read_text()
    try:
        yield match.group(1)
    finally:
        serve.send_signal(signal.SIGINT)
        serve.communicate(timeout=30)
    assert serve.returncode == 0 and "stopped" in log.read_text()
