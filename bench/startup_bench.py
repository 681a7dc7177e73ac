"""Benchmark: how long the CLI and a Lambda handler take to start, as ratios to ``import boto3``.

Why ratios: every process here pays for boto3 (the CLI talks to AWS, the handlers run on it), so
what the project adds is what it imports beyond that. Each command runs as a fresh process, the
two alternating so that machine drift hits both; the median of the pairwise ratios is printed.
Targets (issue #12): ``--help`` and ``validate`` at most 2x, a handler at most 100 ms over, and
``deploy --local`` of the example at most 5 s (its "median s").
Run: ``make bench``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
BASE = [sys.executable, "-c", "import boto3"]
COMMANDS = {
    "lattice-deploy --help": [sys.executable, "-m", "lattice_deploy.cli.main", "--help"],
    "lattice-deploy validate examples/myservice": [
        sys.executable,
        "-m",
        "lattice_deploy.cli.main",
        "validate",
        str(ROOT / "examples" / "myservice"),
    ],
    "lattice-deploy deploy examples/myservice --local": [
        sys.executable,
        "-m",
        "lattice_deploy.cli.main",
        "deploy",
        str(ROOT / "examples" / "myservice"),
        "--local",
    ],
    "import a handler (deployer.states.check_health)": [
        sys.executable,
        "-c",
        "import deployer.states.check_health",
    ],
}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> int:
    wall(BASE)  # warm the file cache
    print(f"{'':<50} {'median s':>9} {'boto3 s':>8} {'ratio':>6} {'over, ms':>9}")
    for name, command in COMMANDS.items():
        pairs = [(wall(command), wall(BASE)) for _ in range(RUNS)]
        mine, base = statistics.median(a for a, _ in pairs), statistics.median(b for _, b in pairs)
        ratio = statistics.median(a / b for a, b in pairs)
        extra = statistics.median(a - b for a, b in pairs) * 1000
        print(f"{name:<50} {mine:>9.3f} {base:>8.3f} {ratio:>6.2f} {extra:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
