"""The wheel as ``pipx install`` uses it (issue #25: an installed wheel without the SAM app failed
with ``FileNotFoundError …/template.yaml``).

The checkout is copied (caches and virtualenvs aside) to a temporary folder outside it, where
``python -m build`` makes the sdist and then the wheel *from the sdist*, as a release does (so
``MANIFEST.in`` is tested too); the wheel goes into a fresh virtualenv there, its dependencies
from the package registry; and every verb runs from a temporary directory with ``PYTHONPATH``
unset, where the checkout cannot be imported. A wheel that cannot be built fails the test.

The install is quick because it skips what does not matter here: the virtualenv gets no pip of
its own (this interpreter's pip installs into it, ``pip --python``) and nothing is byte-compiled
at install time (``--no-compile``: Python compiles what it imports, on first use).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app_tree import app_files, tree
from lattice_deploy import __version__

ROOT = Path(__file__).resolve().parents[2]
"""What ``lattice_deploy/app/`` in the wheel holds (setup.py)."""
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    ".tools",
    ".aws-sam",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.py[cod]",
    ".*_cache",
)
"""What the copy of the checkout leaves out: what a clone does not have."""


def aws_cli() -> str:
    """The real aws CLI, not one in this project's virtualenv (as tests/test_serve_awscli.py)."""
    venv_bin = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != venv_bin)
    found = shutil.which("aws", path=path) or str(ROOT / ".tools/awscli/bin/aws")
    if not Path(found).exists():
        pytest.fail("no aws CLI: `make setup` installs one into .tools/awscli")
    return found


@dataclass
class Installed:
    venv: Path
    wheel: Path
    sdist: Path
    work: Path
    """The user's directory: not the checkout, not the virtualenv."""
    seconds: dict[str, float] = field(default_factory=dict)

    def env(self) -> dict[str, str]:
        """The user's environment: no PYTHONPATH, no virtualenv of ours, no AWS settings."""
        return {
            k: v
            for k, v in os.environ.items()
            if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not k.startswith("AWS_")
        }

    def run(self, *command: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        done = subprocess.run(
            list(command),
            cwd=self.work,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        step = " ".join(
            [Path(command[0]).name, command[1], *(c for c in command if c == "--local")]
        )
        self.seconds[step] = self.seconds.get(step, 0.0) + time.monotonic() - started
        return done

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``lattice-deploy ARGS`` as the user runs it: the virtualenv's own script."""
        return self.run(str(self.venv / "bin" / "lattice-deploy"), *args)


def _step(seconds: dict[str, float], name: str, command: list[str], cwd: Path) -> str:
    started = time.monotonic()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    seconds[name] = time.monotonic() - started
    assert done.returncode == 0, f"{name} failed ({' '.join(command)}):\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    base = tmp_path_factory.mktemp("install").resolve()
    assert not base.is_relative_to(ROOT), f"{base} is inside the checkout"
    seconds: dict[str, float] = {}
    started = time.monotonic()
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE, symlinks=True)
    seconds["copy the checkout"] = time.monotonic() - started
    dist = base / "dist"
    # sdist, then the wheel from the unpacked sdist; each in an isolated env with setuptools
    _step(seconds, "build", [sys.executable, "-m", "build", "--outdir", str(dist), "."], source)
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    venv = base / "venv"
    _step(seconds, "venv", [sys.executable, "-m", "venv", "--without-pip", str(venv)], base)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    _step(seconds, "install", [*pip, "install", "--quiet", "--no-compile", str(wheel)], base)
    work = base / "work"
    work.mkdir()
    yield Installed(venv, wheel, sdist, work, seconds)
    print("\ninstall test, seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))


def serve(installed: Installed) -> tuple[subprocess.Popen[str], str, list[str], Path]:
    """``lattice-deploy serve --port 0 --time-rate 0`` from the virtualenv: the process, its
    URL, its banner and the file its stderr goes to."""
    log = installed.work.parent / "serve-stderr.log"
    process = subprocess.Popen(
        [
            str(installed.venv / "bin" / "lattice-deploy"),
            "serve",
            *("--port", "0", "--time-rate", "0"),
        ],
        cwd=installed.work,
        env=installed.env(),
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    assert process.stdout is not None
    banner: list[str] = []
    for line in process.stdout:
        banner.append(line.rstrip("\n"))
        if line.startswith("Ctrl-C stops."):
            break
    found = re.search(r"listening on (http://[\d.]+:\d+)", "\n".join(banner))
    if not found:
        process.kill()
        pytest.fail("serve did not start:\n" + "\n".join(banner) + log.read_text())
    return process, found.group(1), banner, log


def aws(endpoint: str, *args: str) -> Any:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-northeast-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [aws_cli(), "--endpoint-url", endpoint, "--output", "json", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout or "{}")


@pytest.mark.install
def test_the_wheel_installed_outside_the_checkout_runs_every_verb(installed: Installed) -> None:
    venv, work = installed.venv, installed.work
    # What the wheel and the sdist carry: the app, byte for byte; the console; the handlers.
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
        carried = {
            n.removeprefix("lattice_deploy/app/"): wheel.read(n)
            for n in names
            if n.startswith("lattice_deploy/app/") and not n.endswith("/")
        }
    assert carried == app_files()
    assert {"lattice_deploy/console/page.html", "deployer/core/step.py"} <= names
    with tarfile.open(installed.sdist) as sdist:
        top = sdist.getnames()[0].split("/")[0]
        in_sdist = {n.removeprefix(f"{top}/") for n in sdist.getnames()}
    assert set(app_files()) | {"setup.py", "MANIFEST.in", "pyproject.toml"} <= in_sdist

    # The code that runs is the virtualenv's, and the app it reads is the wheel's copy.
    where = installed.run(
        str(venv / "bin" / "python"),
        "-c",
        "import json, sys, lattice_deploy, deployer; from lattice_deploy.runner import app; "
        "print(json.dumps([lattice_deploy.__file__, deployer.__file__, str(app.root()), "
        "str(app.PACKAGED), sys.path]))",
    )
    assert where.returncode == 0, where.stderr
    package, handlers, root, packaged, path = json.loads(where.stdout)
    assert Path(package).is_relative_to(venv) and Path(handlers).is_relative_to(venv)
    assert root == packaged
    assert not [p for p in path if p and Path(p).resolve().is_relative_to(ROOT)], path

    shown = installed.cli("--version")
    assert (shown.returncode, shown.stdout.strip()) == (0, f"lattice-deploy {__version__}")

    shutil.copytree(ROOT / "examples" / "myservice", work / "myservice")
    checked = installed.cli("validate", "myservice")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    planned = installed.cli("plan", "myservice", "--local")  # the issue's: it needs the app
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "8 resource(s) to create or change." in planned.stdout, planned.stdout
    deployed = installed.cli("deploy", "myservice", "--local")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert deployed.stdout.splitlines()[-1].startswith("SUCCEEDED: myservice")

    wrote = installed.cli("app", "--dir", "sam-app")
    assert wrote.returncode == 0, wrote.stdout + wrote.stderr
    assert "cd sam-app && sam build && sam deploy --guided" in wrote.stdout
    written = tree(work / "sam-app")
    assert {k: v for k, v in written.items() if not k.startswith("functions/")} == app_files()
    assert {k for k in written if k.startswith("functions/")} == {
        f"functions/{n}" for n in names if n.startswith("deployer/")
    }

    started = time.monotonic()
    process, url, banner, log = serve(installed)
    installed.seconds["lattice-deploy serve (start)"] = time.monotonic() - started
    try:
        # the banner's example is the wheel's own copy, and it is a bundle
        (example,) = re.findall(r"^Deploy: lattice-deploy deploy (\S+) ", "\n".join(banner), re.M)
        assert Path(example).is_relative_to(venv) and (Path(example) / "ecspresso.yml").is_file()
        assert any("lattice-deploy app --dir" in line for line in banner)
        machines = aws(url, "stepfunctions", "list-state-machines")["stateMachines"]
        assert "lattice-deploy-DeployStateMachine" in {m["name"] for m in machines}
        through = installed.cli("deploy", "myservice", "--endpoint-url", url, "--json")
        assert through.returncode == 0, through.stdout + through.stderr
        summary = json.loads(through.stdout)
        group = next(r["id"] for r in summary["resources"] if r["type"] == "targetGroup")
        listed = aws(url, "vpc-lattice", "list-targets", "--target-group-identifier", group)
        assert {t["status"] for t in listed["items"]} == {"HEALTHY"} and len(listed["items"]) == 3
        status = installed.cli("status", "myservice", "--endpoint-url", url, "--json")
        assert status.returncode == 0, status.stdout + status.stderr
        assert json.loads(status.stdout)["health"]["healthy"] is True
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    assert process.returncode == 0, log.read_text()
    assert not (ROOT / "src" / "lattice_deploy" / "app").exists()  # the build left src/ alone
