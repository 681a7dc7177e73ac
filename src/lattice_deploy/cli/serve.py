"""``lattice-deploy serve``: the embedded AWS as an HTTP endpoint for the aws CLI and boto3.

It holds the demo account (the origin document's VPC, subnets, security group and cluster) and
serves moto with our extensions plus the controls of :mod:`lattice_deploy.emulator.control`.
Virtual time flows at ``--time-rate`` virtual seconds per real second, so a health check that takes
2.5 minutes on AWS passes in 15 s at the default rate; tests set it to 0 and advance it themselves.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

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
        "--access-log",
        action="store_true",
        help="log every HTTP request (default: only executions that fail, time out or stop)",
    )
    parser.set_defaults(run=run)


def build_server(host: str, port: int, time_rate: float) -> tuple[BaseWSGIServer, stack.Stack]:
    """A ready (not yet serving) server: the demo account with the lattice-deploy stack in it.

    The account is an :class:`EmbeddedAws` kept open for the server's life, so executions the
    server runs call their handlers in this process and those handlers' boto3 calls reach the
    same account the HTTP clients see.
    """
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from ..emulator import EmbeddedAws
    from ..runner import stack

    EmbeddedAws().__enter__()
    deployed = stack.deploy(demo.REGION)
    CLOCK.set_rate(time_rate)
    app = with_controls(DomainDispatcherApplication(create_backend_app))
    server = make_server(host, port, app, threaded=True, request_handler=MotoRequestHandler)
    return server, deployed


def banner(url: str, time_rate: float, deployed: stack.Stack) -> str:
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
            f"Deploy: lattice-deploy deploy examples/myservice --endpoint-url {url}",
            f"  or upload: aws --endpoint-url {url} s3 cp examples/myservice/ecs-service-def.json "
            f"s3://{deployed.bucket}/definitions/myservice/  (after the task def and config)",
            f"  or push:   aws --endpoint-url {url} ecr put-image --repository-name "
            f"{demo.REPOSITORY} --image-tag latest "
            "--image-manifest file://examples/orders/image-manifest.json",
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


def run(args: argparse.Namespace) -> int:
    _log_executions(args.access_log)
    server, deployed = build_server(args.host, args.port, args.time_rate)
    print(banner(f"http://{args.host}:{server.server_port}", args.time_rate, deployed), flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):  # explicit: a background job ignores SIGINT
        signal.signal(signum, lambda *_: stop.set())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop.wait()
    server.shutdown()
    thread.join()
    print("Embedded AWS stopped.", file=sys.stderr, flush=True)
    return 0
