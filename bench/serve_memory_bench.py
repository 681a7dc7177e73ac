"""Benchmark: the memory of a running ``serve`` over many deploys (issue #22: it grew ~0.7 MB
per deploy with no plateau, 236 → 381 MB over 100 deploys).

``serve`` runs in its own process (``--time-rate 0``: virtual time jumps, nothing sleeps); this
process deploys ``examples/myservice`` through it N times (alternating two images with
``--changes``, else the same bundle: an unchanged redeploy) and prints serve's resident memory
(``VmRSS`` of ``/proc/<pid>/status``) after each 10, with the last run's ``seconds``. The growth
is the last reading minus the one after the first 10 deploys (warm: every module loaded).
Run: ``python bench/serve_memory_bench.py [N] [--changes]``.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from lattice_deploy.cli.serve import spawn
from lattice_deploy.runner import run, targets

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "myservice"
REGION = "ap-northeast-1"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS (Linux only)")


def bundles(work: Path) -> list[Path]:
    """The example, and (for --changes) a copy running another image."""
    other = work / "other"
    shutil.copytree(EXAMPLE, other)
    task = other / "ecs-task-def.json"
    task.write_text(task.read_text().replace("nginx:latest", "nginx:1.27"))
    return [EXAMPLE, other]


def main(count: int, changes: bool) -> None:
    process, url = spawn("--time-rate", "0")
    try:
        target = targets.served(url, REGION)
        with tempfile.TemporaryDirectory() as work:
            choices = bundles(Path(work)) if changes else [EXAMPLE]
            print(f"{'deploys':>8} {'RSS MB':>8} {'seconds':>8} {'wall s':>7}")
            warm, started = 0.0, time.perf_counter()
            for done in range(1, count + 1):
                summary = run.deploy_bundle(target, choices[done % len(choices)], None, print_none)
                assert summary["status"] == "SUCCEEDED", summary.get("error")
                if done % 10 == 0:
                    rss = rss_mb(process.pid)
                    warm = warm or rss
                    wall = time.perf_counter() - started
                    print(f"{done:>8} {rss:>8.1f} {summary.get('seconds', '-'):>8} {wall:>7.0f}")
            growth = rss_mb(process.pid) - warm
            per = growth / max(1, count - 10)
            print(f"growth after the first 10: {growth:+.1f} MB ({per * 1024:+.0f} KB per deploy)")
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=60)


def print_none(_: str) -> None:
    return None


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(arguments[0]) if arguments else 100, "--changes" in sys.argv)
