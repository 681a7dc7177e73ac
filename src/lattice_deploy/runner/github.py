"""A deploy's outcome as GitHub Actions takes it: step outputs and a job summary.

Why the CLI writes them (``lattice-deploy deploy --github``), not a script reading ``--json``:
only the CLI sees every outcome. A bundle refused before anything starts (exit 2) or a stack it
cannot reach prints no summary document, yet the job summary must say why the step failed; the
verb calls :func:`write` (a summary) or :func:`refused` (a message) on each way out, so the action's
script is one command and its exit code is the CLI's. Each file is written only when its
variable is set (``$GITHUB_OUTPUT``, ``$GITHUB_STEP_SUMMARY``), so ``--github`` is harmless
elsewhere.

The report: ``report-url`` is the ``s3://`` URI the run's ``report`` state wrote
(``s3://<bucket>/reports/<service>/<deployment id>.json``, the summary's ``report``): it names the
object in every partition and on the embedded AWS, and ``aws s3 cp URI -`` reads it with the
job's own credentials. A console address is only a convenience of the commercial partition and
needs a signed-in browser, so the job summary adds one beside the URI (and one for the
execution) when the deploy ran on AWS, never as the output.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote

from .run import calls_line, exit_code, headline

REFUSED = "REFUSED"
"""``status`` when no execution started: the bundle or an input was refused, or no stack was
reached (exit 2); the job summary says which."""
LOST = "UNKNOWN"
"""``status`` when the CLI stopped while following a run it had started (the connection lost:
exit 1); the execution may still be running, ``lattice-deploy status`` tells."""


def outputs(summary: Mapping[str, Any]) -> dict[str, str]:
    """The step outputs: ``execution-arn``, ``status`` and ``report-url`` (empty when absent)."""
    return {
        "execution-arn": str(summary.get("executionArn") or ""),
        "status": str(summary.get("status") or ""),
        "report-url": str(summary.get("report") or ""),
    }


def _cell(value: Any) -> str:
    """A markdown table cell: one line, pipes escaped."""
    text = " ".join(str(value if value is not None else "").split())
    return text.replace("\\", "\\\\").replace("|", "\\|") or " "


def _table(head: Iterable[str], rows: Iterable[Iterable[Any]]) -> list[str]:
    names = list(head)
    lines = ["| " + " | ".join(names) + " |", "|" + " --- |" * len(names)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def _block(text: str) -> list[str]:
    """``text`` verbatim in a fence longer than any run of backticks it holds."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}text", text, fence]


def _code(value: str) -> str:
    """Inline code that a backtick in ``value`` cannot close early."""
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" else f"`{value}`"


def console_links(summary: Mapping[str, Any]) -> list[str]:
    """The AWS console's pages of the execution and the report (commercial partition only)."""
    arn = str(summary.get("executionArn") or "")
    parts = arn.split(":")
    if len(parts) < 7 or parts[1] != "aws":
        return []
    region = parts[3]
    links = [
        f"[the execution in the Step Functions console](https://{region}.console.aws.amazon.com"
        f"/states/home?region={region}#/v2/executions/details/{quote(arn, safe=':')})"
    ]
    report = str(summary.get("report") or "")
    if report.startswith("s3://"):
        bucket, _, key = report[5:].partition("/")
        links.append(
            "[the report in the S3 console](https://s3.console.aws.amazon.com/s3/object/"
            f"{quote(bucket)}?region={region}&prefix={quote(key, safe='/')})"
        )
    return links


def _resources(summary: Mapping[str, Any]) -> list[str]:
    rows = [
        (r.get("type"), r.get("action"), r.get("name") or r.get("id") or "", r.get("arn") or "")
        for r in summary.get("resources") or []
    ]
    if not rows:
        return ["### Resources", "", "None recorded (the run stopped before the Lattice side)."]
    return ["### Resources", "", *_table(("type", "action", "name or id", "ARN"), rows)]


def _targets(summary: Mapping[str, Any]) -> list[str]:
    found = summary.get("targets") or []
    if not found:
        return ["### Targets", "", "No target registered."]
    counts: dict[str, int] = {}
    for t in found:
        counts[str(t.get("status"))] = counts.get(str(t.get("status")), 0) + 1
    said = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    rows = [(t.get("id"), t.get("port"), t.get("status"), t.get("reasonCode") or "") for t in found]
    return ["### Targets", "", said, "", *_table(("target", "port", "health", "reason"), rows)]


def _calls(summary: Mapping[str, Any]) -> list[str]:
    calls = summary.get("calls") or {}
    lines = ["### AWS calls", "", calls_line(calls) + "."]
    phases = calls.get("phases") or {}
    if phases:
        rows = [(p, c.get("mutating", 0), c.get("read", 0)) for p, c in phases.items()]
        lines += ["", *_table(("phase", "mutating", "read"), rows)]
    return lines


def _failure(summary: Mapping[str, Any]) -> list[str]:
    failure = summary.get("failure")
    if not failure:
        return []
    step, error = failure.get("step") or "the run", failure.get("error") or "unknown error"
    return [
        "### Failure",
        "",
        f"{_code(str(error))} in {_code(str(step))}:",
        "",
        *_block(str(failure.get("message") or "")),
    ]


def _rest(entry: Mapping[str, Any]) -> str:
    """An entry's members beyond its type and id (a kept one's reason, what was restored)."""
    rest = {k: v for k, v in entry.items() if k not in ("type", "id")}
    if set(rest) == {"reason"}:
        return str(rest["reason"])
    return ", ".join(f"{k}: {v}" for k, v in rest.items())


def _rollback(summary: Mapping[str, Any]) -> list[str]:
    """What the rollback removed, put back, kept and left (with the command that removes it)."""
    rollback = summary.get("rollback")
    if rollback is None:
        return []
    done = "rolled back" if summary.get("rolledBack") else "NOT rolled back in full"
    lines = ["### Rollback", "", f"The run was {done}."]
    columns: dict[str, tuple[str, ...]] = {
        "removed": ("type", "id"),
        "restored": ("type", "id", "put back"),
        "kept": ("type", "id", "why"),
        "left": ("type", "id", "why", "removed by"),
    }
    for key, head in columns.items():
        entries = rollback.get(key) or []
        lines += ["", f"{key.capitalize()}: {len(entries)}"]
        rows: list[tuple[Any, ...]] = [
            (e.get("type"), e.get("id"), e.get("reason"), e.get("remove"))
            if key == "left"
            else (e.get("type"), e.get("id"), _rest(e))[: len(head)]
            for e in entries
        ]
        if rows:
            lines += ["", *_table(head, rows)]
    return lines


def markdown(summary: Mapping[str, Any], links: bool = False) -> str:
    """The job summary of one deploy (``links``: add the AWS console's pages)."""
    status = str(summary.get("status"))
    mark = "✅" if status == "SUCCEEDED" else "❌"
    lines = [f"## {mark} lattice-deploy: {summary.get('service')} {status}", ""]
    if not summary.get("failure"):  # a failure's own section says it, at length
        lines += [*_block(headline(dict(summary))), ""]
    lines += [f"- execution: {_code(str(summary.get('executionArn')))}"]
    if "seconds" in summary:
        lines.append(f"- took {summary['seconds']:g} s (execution start to report)")
    if summary.get("report"):
        report = str(summary["report"])
        lines.append(f"- report: {_code(report)} (`aws s3 cp {report} -`)")
    if links:
        lines += [f"- {link}" for link in console_links(summary)]
    lines += [f"- exit code {exit_code(dict(summary))}", ""]
    for section in (_failure, _rollback, _resources, _targets, _calls):
        part = section(summary)
        lines += [*part, ""] if part else []
    for warning in summary.get("warnings") or []:
        lines.append(f"> warning: {_cell(warning)}")
    return "\n".join(lines).rstrip() + "\n"


def refused_markdown(message: str, status: str = REFUSED) -> str:
    what = "refused" if status == REFUSED else "did not finish"
    return "\n".join(
        [f"## ❌ lattice-deploy: {status}", "", f"The deploy {what}:", "", *_block(message), ""]
    )


def escape_command(text: str) -> str:
    """Data of a workflow command (``::error::…``), escaped as GitHub's toolkit escapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def annotation(summary: Mapping[str, Any]) -> str | None:
    """An ``::error::`` line for a failed deploy: shown on the run's page, not only its log."""
    if summary.get("status") == "SUCCEEDED":
        return None
    return f"::error title=lattice-deploy {summary.get('status')}::" + escape_command(
        headline(dict(summary))
    )


def _append(variable: str, text: str, environ: Mapping[str, str]) -> None:
    path = environ.get(variable)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def _output_lines(values: Mapping[str, str]) -> str:
    """``$GITHUB_OUTPUT``'s multi-line form, with a delimiter no value can hold."""
    text = ""
    for name, value in values.items():
        delimiter = f"ghadelimiter_{uuid.uuid4()}"
        text += f"{name}<<{delimiter}\n{value}\n{delimiter}\n"
    return text


def write(
    summary: Mapping[str, Any], links: bool = False, environ: Mapping[str, str] | None = None
) -> str | None:
    """Write the outputs and the job summary of a deploy that ran; the ``::error::`` line for the
    log when it failed (the caller prints it)."""
    env = os.environ if environ is None else environ
    _append("GITHUB_OUTPUT", _output_lines(outputs(summary)), env)
    _append("GITHUB_STEP_SUMMARY", markdown(summary, links), env)
    return annotation(summary)


def refused(message: str, status: str = REFUSED, environ: Mapping[str, str] | None = None) -> str:
    """Write the outputs and the job summary of a deploy that did not run (or was lost); the
    ``::error::`` line."""
    env = os.environ if environ is None else environ
    _append("GITHUB_OUTPUT", _output_lines(outputs({"status": status})), env)
    _append("GITHUB_STEP_SUMMARY", refused_markdown(message, status), env)
    return f"::error title=lattice-deploy {status}::" + escape_command(message)
