"""A simulated GitHub Actions runner for this repository's composite action (``action.yml``).

It does what the runner does with a composite action's ``run:`` steps, and no more: each step's
``env:`` evaluated from the inputs, the earlier steps' outputs and ``github.action_path``; the
script run as ``shell: bash`` runs it (``bash --noprofile --norc -eo pipefail FILE``) with
``GITHUB_OUTPUT``, ``GITHUB_STEP_SUMMARY``, ``GITHUB_ACTION_PATH``, ``GITHUB_WORKSPACE`` and
``RUNNER_TEMP`` set, in the workspace; each step's ``$GITHUB_OUTPUT`` read back (both of its
forms); the action's outputs evaluated last. A failed step ends the action, as on GitHub.

What it refuses, so that a test fails when the action grows something it cannot judge: an
expression other than ``inputs.<name>``, ``github.action_path`` and
``steps.<id>.outputs.<name>``; any ``${{`` inside a script (inputs reach scripts through
``env:`` only: script injection); a step key it does not know (``if:``, ``continue-on-error``…);
a shell other than bash; an input the action does not declare.

``uses:`` steps are not run (no network, no runner toolcache): ``actions/setup-python`` is
answered with the Python running the tests as its ``python-path`` output, and any other action is
refused.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
KNOWN = re.compile(
    r"inputs\.(?P<input>[A-Za-z_][\w-]*)"
    r"|github\.action_path"
    r"|steps\.(?P<step>[A-Za-z_][\w-]*)\.outputs\.(?P<output>[A-Za-z_][\w-]*)"
)
STEP_KEYS = {"name", "id", "shell", "env", "run", "uses", "with"}
SIMULATED_USES = {"actions/setup-python"}


class CannotSimulate(AssertionError):
    """The action uses something this simulation does not evaluate."""


@dataclass
class Run:
    exit_code: int
    outputs: dict[str, str]
    summary: str
    log: str
    steps: dict[str, dict[str, str]] = field(default_factory=dict)


def load(path: Path = ACTION) -> dict[str, Any]:
    action = yaml.safe_load(path.read_text())
    if (action.get("runs") or {}).get("using") != "composite":
        raise CannotSimulate("not a composite action")
    return dict(action)


def evaluate(text: str, context: dict[str, Any]) -> str:
    """``text`` with each ``${{ … }}`` replaced, as the runner renders a string value."""

    def one(match: re.Match[str]) -> str:
        found = KNOWN.fullmatch(match[1])
        if not found:
            raise CannotSimulate(f"expression {match[0]!r}: the simulation does not evaluate it")
        if found["input"]:
            if found["input"] not in context["inputs"]:
                raise CannotSimulate(f"{match[0]}: no such input in action.yml")
            return str(context["inputs"][found["input"]])
        if found["step"]:
            return context["steps"].get(found["step"], {}).get(found["output"], "")
        return str(context["action_path"])

    return EXPRESSION.sub(one, text)


def read_outputs(path: Path) -> dict[str, str]:
    """``$GITHUB_OUTPUT``: ``name=value`` lines and ``name<<DELIMITER`` … ``DELIMITER`` blocks."""
    values: dict[str, str] = {}
    lines = path.read_text().split("\n") if path.exists() else []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, i + 1)
            values[name] = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        if line:
            name, _, value = line.partition("=")
            values[name] = value
        i += 1
    return values


def check(action: dict[str, Any]) -> None:
    """Refuse, before any step runs, what the simulation cannot judge (see the module's doc)."""
    context = {
        "inputs": {n: "" for n in action.get("inputs") or {}},
        "steps": {},
        "action_path": "",
    }
    for step in action["runs"]["steps"]:
        odd = set(step) - STEP_KEYS
        if odd:
            raise CannotSimulate(f"step {step.get('name')!r}: keys {sorted(odd)} not simulated")
        if "uses" in step:
            _uses(step, context)
            continue
        _script(step)
        for value in (step.get("env") or {}).values():
            evaluate(str(value), context)
    for spec in (action.get("outputs") or {}).values():
        evaluate(str(spec.get("value", "")), context)


def _script(step: dict[str, Any]) -> str:
    script = str(step["run"])
    if "${{" in script:
        raise CannotSimulate(
            f"step {step.get('name')!r}: an expression inside run: (pass it through env:)"
        )
    if step.get("shell") != "bash":
        raise CannotSimulate(f"step {step.get('name')!r}: shell {step.get('shell')!r}, not bash")
    return script


def _uses(step: dict[str, Any], context: dict[str, Any]) -> dict[str, str]:
    name = str(step["uses"]).split("@", 1)[0]
    if name not in SIMULATED_USES:
        raise CannotSimulate(f"uses: {step['uses']}: the simulation does not run it")
    for value in (step.get("with") or {}).values():
        evaluate(str(value), context)  # its expressions must be known too
    return {"python-path": sys.executable, "python-version": sys.version.split()[0]}


def run(
    inputs: dict[str, str],
    workspace: Path,
    temp: Path,
    environ: dict[str, str],
    action_path: Path = ROOT,
    timeout: float = 600,
) -> Run:
    """Run the action as a workflow step ``uses: ./`` with ``with: inputs`` would."""
    action = load(action_path / "action.yml")
    check(action)
    declared = action.get("inputs") or {}
    unknown = set(inputs) - set(declared)
    if unknown:
        raise CannotSimulate(f"inputs {sorted(unknown)}: not declared in action.yml")
    missing = [n for n, d in declared.items() if d.get("required") and not inputs.get(n)]
    if missing:
        raise CannotSimulate(f"required inputs {missing} not given")
    given = {n: inputs.get(n, str(d.get("default", ""))) for n, d in declared.items()}
    context: dict[str, Any] = {"inputs": given, "steps": {}, "action_path": action_path}
    summary, log, code = temp / "step_summary.md", "", 0
    for number, step in enumerate(action["runs"]["steps"]):
        step_id = str(step.get("id") or f"__{number}")
        if "uses" in step:
            context["steps"][step_id] = _uses(step, context)
            continue
        script = _script(step)
        env = {str(k): evaluate(str(v), context) for k, v in (step.get("env") or {}).items()}
        output = temp / f"output_{number}_{uuid.uuid4().hex}"
        path = temp / f"step_{number}.sh"
        path.write_text(script)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)],
            cwd=workspace,
            env={
                **environ,
                **env,
                "GITHUB_ACTIONS": "true",
                "CI": "true",
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_ACTION_PATH": str(action_path),
                "GITHUB_WORKSPACE": str(workspace),
                "RUNNER_TEMP": str(temp),
            },
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        log += f"## {step.get('name')}\n{done.stdout}{done.stderr}"
        context["steps"][step_id] = read_outputs(output)
        if done.returncode != 0:
            code = done.returncode
            break
    outputs = {
        name: evaluate(str(spec.get("value", "")), context)
        for name, spec in (action.get("outputs") or {}).items()
    }
    text = summary.read_text() if summary.exists() else ""
    return Run(code, outputs, text, log, context["steps"])


def cli_wrapper(directory: Path) -> Path:
    """An installed-looking ``lattice-deploy`` running this checkout with the tests' Python
    (``$LATTICE_DEPLOY_CLI``: the action's documented way to skip its install step)."""
    wrapper = directory / "lattice-deploy"
    path = os.pathsep.join(str(ROOT / p) for p in ("src", "functions"))
    wrapper.write_text(
        "#!/bin/sh\n"
        f'PYTHONPATH="{path}${{PYTHONPATH:+:$PYTHONPATH}}" '
        f'exec "{sys.executable}" -m lattice_deploy.cli.main "$@"\n'
    )
    wrapper.chmod(0o755)
    return wrapper
