"""Hostile and careless bundles, one defect each, and what each must do: be refused by name.

Each case edits a copy of ``examples/myservice`` on disk (its directory, and ``outside``, a
directory beside it that holds what an attacker would reach for: a file of secrets and a valid
task definition) and gives the words the refusal must contain. None of them may be read past the
refusal, uploaded, or end in a traceback (``test_files.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

SVC, TASK, CONF = "ecs-service-def.json", "ecs-task-def.json", "ecspresso.yml"
Edit = Callable[[Path, Path], None]
"""``edit(bundle, outside)``: make the bundle hostile."""


def config(**keys: str) -> Edit:
    """ecspresso.yml with ``keys`` set (the example's other keys kept)."""

    def edit(bundle: Path, outside: Path) -> None:
        lines = [
            line
            for line in (bundle / CONF).read_text().splitlines()
            if line.split(":")[0] not in keys
        ]
        lines += [f"{key}: {value}" for key, value in keys.items()]
        (bundle / CONF).write_text("\n".join(lines) + "\n")

    return edit


def write(name: str, data: bytes | Callable[[str], str]) -> Edit:
    def edit(bundle: Path, outside: Path) -> None:
        if callable(data):
            (bundle / name).write_text(data((bundle / name).read_text()))
        else:
            (bundle / name).write_bytes(data)

    return edit


def link(name: str, to: Callable[[Path], Path]) -> Edit:
    def edit(bundle: Path, outside: Path) -> None:
        (bundle / name).unlink()
        (bundle / name).symlink_to(to(outside))

    return edit


def fifo(name: str) -> Edit:
    def edit(bundle: Path, outside: Path) -> None:
        (bundle / name).unlink()
        os.mkfifo(bundle / name)

    return edit


def directory(name: str) -> Edit:
    def edit(bundle: Path, outside: Path) -> None:
        (bundle / name).unlink()
        (bundle / name).mkdir()

    return edit


def image(value: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        task = json.loads(text)
        task["containerDefinitions"][0]["image"] = value
        return json.dumps(task, indent=2)

    return edit


def deep(levels: int) -> Callable[[str], str]:
    return lambda text: text.rstrip()[:-1] + ', "x": ' + "[" * levels + "]" * levels + "}"


def number(literal: str) -> Callable[[str], str]:
    return lambda text: text.rstrip()[:-1] + f', "x": {literal}' + "}"


CASES: list[tuple[str, Edit, list[str]]] = [
    # Files outside the bundle: never opened, whatever the way there.
    ("absolute-proc-environ", config(task_definition="/proc/self/environ"), ["absolute path"]),
    ("absolute-etc-passwd", config(service_definition="/etc/passwd"), ["absolute path"]),
    ("dotdot-etc-passwd", config(task_definition="../../etc/passwd"), ["leaves the bundle"]),
    ("dotdot-valid-json", config(task_definition="../outside/task.json"), ["leaves the bundle"]),
    ("dotdot-inside-out", config(task_definition="sub/../../outside/task.json"), ["leaves"]),
    ("windows-path", config(task_definition="..\\\\outside\\\\task.json"), ["not a file name"]),
    ("config-itself", config(task_definition=CONF), ["leaves the bundle"]),
    ("symlink-out", link(TASK, lambda o: o / "task.json"), [TASK, "outside the bundle"]),
    ("symlink-secrets", link(TASK, lambda o: o / "secrets"), [TASK, "outside the bundle"]),
    ("symlink-config-out", link(CONF, lambda o: o / "secrets"), [CONF, "outside the bundle"]),
    ("symlink-proc", link(SVC, lambda o: Path("/proc/self/environ")), [SVC, "outside"]),
    ("fifo", fifo(TASK), [TASK, "not a regular file"]),
    ("a-directory", directory(TASK), [TASK, "not a regular file"]),
    # Encodings and sizes.
    ("utf-16", write(TASK, '{"family": "x"}'.encode("utf-16")), [TASK, "UTF-16"]),
    ("latin-1", write(TASK, '{"family": "caf\xe9"}'.encode("latin-1")), [TASK, "not UTF-8"]),
    ("binary", write(TASK, bytes(range(256))), [TASK, "NUL"]),
    ("big", write(TASK, b'{"family": "' + b"x" * 70_000 + b'"}'), [TASK, "64 KiB"]),
    # JSON a parser must not be what refuses.
    ("deep-json", write(TASK, deep(10_000)), [TASK, "levels deep"]),
    ("duplicate-key", write(SVC, lambda t: t.replace("{", '{"desiredCount": 1,', 1)), ["twice"]),
    ("minus-infinity", write(TASK, number("-Infinity")), [TASK, "-Infinity"]),
    ("nan", write(TASK, number("NaN")), [TASK, "NaN"]),
    ("huge-float", write(TASK, number("1e999")), [TASK, "too large"]),
    ("huge-int", write(TASK, number("9" * 5000)), [TASK, "too long"]),
    # Templates: values fill strings, never add structure; bounded work.
    ("inject-string", write(TASK, image("nginx:{{ env `EVIL` }}")), [TASK, "json_escape"]),
    (
        "inject-bare",
        write(SVC, lambda t: t.replace('"desiredCount": 3', '"desiredCount": {{ env "EVIL" }}')),
        [SVC, "outside a JSON"],
    ),
    ("inject-yaml", config(cluster="'{{ env `NEWLINE` }}'"), [CONF, "line break"]),
    ("unterminated", write(TASK, image("nginx:{{ env `TAG`")), [TASK, "unterminated"]),
    ("many-actions", write(TASK, image("{{ env `T` }}" * 2000)), [TASK, "template actions"]),
    (
        "nested-actions",
        write(TASK, image("{{ " + "(" * 3000 + "env `T`" + ")" * 3000 + " }}")),
        [TASK, "nests"],
    ),
]
"""Refused, naming the file and the remedy (``EVIL`` and ``NEWLINE`` are set by the tests)."""

EVIL = 'x", "privileged": true, "user": "root'
