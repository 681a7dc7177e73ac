"""``lattice-deploy serve``: the embedded AWS as an HTTP endpoint for the aws CLI and boto3.

It holds the demo account (the origin document's VPC, subnets, security group and cluster) and
serves moto with our extensions plus the controls of :mod:`lattice_deploy.emulator.control`.
Virtual time flows at ``--time-rate`` virtual seconds per real second, so a health check that takes
2.5 minutes on AWS passes in 15 s at the default rate; tests set it to 0 and advance it themselves.
"""

from __future__ import annotations

import argparse
import logging
import re
import signal
import subprocess  # nosec B404: spawn() starts this program itself
import sys
import threading
from pathlib import Path
from shlex import quote
from typing import IO, TYPE_CHECKING, Any

from ..emulator import demo_account as demo
from ..emulator.clock import CLOCK
from ..emulator.control import PREFIX, with_controls
from ..emulator.stepfunctions.log import LOG as EXECUTIONS_LOG

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer

    from ..runner import stack

DEFAULT_PORT = 5005


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("serve", help="run the embedded AWS as an HTTP endpoint")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port (default {DEFAULT_PORT}; 0: any free port)",
    )
    parser.add_argument(
        "--time-rate",
        type=float,
        default=10.0,
        help="virtual seconds per real second (default 10; 0 stops time)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        help="keep the account in DIR (saved after each execution ends and on exit) and resume "
        "it on start (default: nothing is kept)",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log every HTTP request (default: only executions that fail, time out or stop)",
    )
    parser.set_defaults(run=run)


def build_server(
    host: str, port: int, time_rate: float, state_dir: Path | None = None
) -> tuple[BaseWSGIServer, stack.Stack, str]:
    """A ready (not yet serving) server: the demo account with the lattice-deploy stack in it,
    or the account ``state_dir`` kept; and the line saying which it is.

    The account is an :class:`EmbeddedAws` kept open for the server's life, so executions the
    server runs call their handlers in this process and those handlers' boto3 calls reach the
    same account the HTTP clients see. Raises ``StateDirError`` (before anything starts) for a
    state directory that cannot be resumed.
    """
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from ..console import routes
    from ..emulator import EmbeddedAws
    from ..emulator import state_dir as kept
    from ..runner import stack

    resume = kept.check(state_dir) if state_dir else False
    EmbeddedAws(seed=not resume).__enter__()
    if state_dir and resume:
        resumed = kept.load(state_dir)
        deployed: stack.Stack = resumed.extra
        said = (
            f"state: resumed from {state_dir} ({resumed.executions} executions, "
            f"{resumed.objects} S3 objects"
        )
        if resumed.aborted:
            said += (
                f"; {len(resumed.aborted)} running when serve stopped, now ABORTED and cleaned "
                f"up: {', '.join(resumed.aborted)}"
            )
        said += ")"
    else:
        deployed = stack.deploy(demo.REGION)
        said = "state: fresh (no --state-dir: nothing is kept)"
        if state_dir:
            kept.save(state_dir, deployed)
            said = f"state: fresh, kept in {state_dir} (saved after each execution and on exit)"
    CLOCK.set_rate(time_rate)
    app = with_controls(DomainDispatcherApplication(create_backend_app), console=routes.serve)
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    return server, deployed, said


def banner(url: str, time_rate: float, deployed: stack.Stack) -> str:
    """What serve says first. The example paths are where the examples are: ``examples/...`` in
    a checkout, the wheel's own copy when installed (``lattice-deploy app --dir`` writes one to
    edit, and the line says so)."""
    from ..runner import app

    examples = app.root() / "examples"
    myservice, orders = (app.shown(examples / name) for name in ("myservice", "orders"))
    installed = (
        [
            "  (the examples installed with lattice-deploy: `lattice-deploy app --dir DIR`"
            " writes a copy to edit)"
        ]
        if app.packaged()
        else []
    )
    return "\n".join(
        [
            f"Embedded AWS listening on {url}  (account {demo.ACCOUNT_ID}, region {demo.REGION})",
            "Point the aws CLI at it:",
            "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"
            f" AWS_DEFAULT_REGION={demo.REGION}",
            f"  aws --endpoint-url {url} vpc-lattice list-services",
            f"Demo network: {demo.VPC_ID}, subnets {', '.join(demo.SUBNETS)}, security group "
            f"{demo.SECURITY_GROUP_ID}, ECS cluster {demo.CLUSTER}",
            f"Stack: bucket {deployed.bucket}, state machine {deployed.state_machine_arn}",
            f"Deploy: lattice-deploy deploy {quote(myservice)} --endpoint-url {url}",
            f"  or upload: aws --endpoint-url {url} s3 cp "
            f"{quote(myservice + '/ecs-service-def.json')} "
            f"s3://{deployed.bucket}/definitions/myservice/  (after the task def and config)",
            f"  or push:   aws --endpoint-url {url} ecr put-image --repository-name "
            f"{demo.REPOSITORY} --image-tag latest "
            f"--image-manifest {quote(f'file://{orders}/image-manifest.json')}",
            *installed,
            f"Virtual time runs at {time_rate:g}x; controls: {url}{PREFIX}state",
            "Ctrl-C stops.",
        ]
    )


def _log_executions(access_log: bool) -> None:
    """Each execution that fails, times out or is stopped: one line on stderr (and each request
    only when asked: a deploy's health polls alone are hundreds of lines)."""
    logging.getLogger("werkzeug").setLevel(logging.INFO if access_log else logging.WARNING)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    executions = EXECUTIONS_LOG
    executions.addHandler(handler)
    executions.setLevel(logging.INFO)


class Saver:
    """Saves the account to the state directory after each execution ends (in a thread of its
    own, so an execution's end does not wait for the write), and once more at exit."""

    def __init__(self, directory: Path, extra: Any) -> None:
        from ..emulator import state_dir
        from ..emulator.stepfunctions import retention

        self._directory, self._extra, self._state_dir = directory, extra, state_dir
        self._due, self._stopping = threading.Event(), False
        self._thread = threading.Thread(target=self._loop, daemon=True)
        retention.LISTENERS.append(self._due.set)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            self._due.wait()
            self._due.clear()
            if self._stopping:
                return
            self._state_dir.save(self._directory, self._extra)

    def close(self) -> None:
        self._stopping = True
        self._due.set()
        self._thread.join()
        self._state_dir.save(self._directory, self._extra)


def run(args: argparse.Namespace) -> int:
    from ..emulator.state_dir import StateDirError

    _log_executions(args.access_log)
    try:
        server, deployed, said = build_server(args.host, args.port, args.time_rate, args.state_dir)
    except StateDirError as exc:
        print(f"lattice-deploy serve: {exc}", file=sys.stderr, flush=True)
        return 2
    lines = banner(f"http://{args.host}:{server.server_port}", args.time_rate, deployed)
    first, _, rest = lines.partition("\n")
    print("\n".join([first, said, rest]), flush=True)
    saver = Saver(args.state_dir, deployed) if args.state_dir else None
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # explicit: a background job ignores SIGINT
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Woken twice a second, not only by the handler: Python runs a signal's handler in the main
    # thread between bytecodes, and a SIGTERM the kernel gives another thread (any of an
    # execution's) does not interrupt a wait without timeout, so serve slept on, unstoppable
    while not stop.wait(0.5):
        pass
    server.shutdown()
    thread.join()
    if saver:
        saver.close()
        print(f"Embedded AWS stopped; state saved in {args.state_dir}.", file=sys.stderr)
    else:
        print("Embedded AWS stopped.", file=sys.stderr, flush=True)
    return 0


def spawn(*options: str, stderr: IO[str] | None = None) -> tuple[subprocess.Popen[str], str]:
    """``lattice-deploy serve --port 0 OPTIONS`` in a process of its own, and its URL once it
    listens (tests and benchmarks drive it as a user does; stop it with SIGINT or SIGTERM)."""
    command = [sys.executable, "-m", "lattice_deploy.cli.main", "serve", "--port", "0", *options]
    # nosec B603: this interpreter running this package, with the caller's own options
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)  # nosec B603
    if process.stdout is None:  # asked for above: never
        raise RuntimeError("serve started without its stdout")
    said = []
    for line in process.stdout:
        said.append(line)
        found = re.search(r"listening on (http://[\d.]+:\d+)", line)
        if found:
            return process, found.group(1)
    process.wait(timeout=30)
    raise RuntimeError(f"serve exited {process.returncode} before listening: {''.join(said)}")
