"""``lattice-deploy request SERVICE``: what VPC Lattice would do with one request — reachable
from the VPC, allowed by the auth policies (the deciding statement), the rule that matches, the
target groups with their shares and the targets that can serve — from VPC Lattice read calls
only, whatever made the service. ``--endpoint-url`` (or ``--local``: the ``serve`` on this
machine) reads the embedded AWS; without either, the account boto3 finds, read-only.

Exit codes: 0 allowed and a target can serve, 1 the request would fail (denied, unreachable, no
target, a fixed response, or undecidable), 2 bad usage, an unknown service, nothing to read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any
from urllib.parse import parse_qsl

from botocore.exceptions import BotoCoreError, ClientError

from ..emulator import demo_account as demo
from ..runner import targets
from ..simulate import answer as simulator
from ..simulate.context import Request, principal_of
from ..simulate.reader import UnknownService
from .serve import DEFAULT_PORT

LOCAL = f"http://127.0.0.1:{DEFAULT_PORT}"


def add_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "request", help="say what VPC Lattice would do with a request (read calls only)"
    )
    parser.add_argument("service", help="the VPC Lattice service: name, id (svc-…) or ARN")
    parser.add_argument("--path", default="/", help="request path, may end ?k=v (default /)")
    parser.add_argument("--method", default="GET", help="HTTP method (default GET)")
    parser.add_argument(
        "--header", action="append", default=[], metavar="K=V", help="a request header (repeat)"
    )
    parser.add_argument(
        "--query", action="append", default=[], metavar="K=V", help="a query parameter (repeat)"
    )
    parser.add_argument(
        "--principal", help="the caller's IAM ARN or account id (default: anonymous, unsigned)"
    )
    parser.add_argument("--from-vpc", metavar="VPC", help="the VPC the request comes from")
    parser.add_argument("--port", type=int, help="the listener's port (default: the only one)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--endpoint-url", help="read a `lattice-deploy serve` at this URL")
    where.add_argument("--local", action="store_true", help=f"read the serve at {LOCAL}")
    parser.add_argument("--region", help="AWS region (default: samconfig.toml's, else boto3's)")
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    parser.set_defaults(run=run)


def _pairs(items: list[str], option: str) -> dict[str, str]:
    found = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"{option} {item!r}: write it as NAME=VALUE")
        found[key] = value
    return found


def request_of(args: argparse.Namespace) -> Request:
    """The request the options describe (raises ValueError naming the option to fix)."""
    path, _, query = args.path.partition("?")
    if not path.startswith("/"):
        raise ValueError(f"--path {args.path!r}: a path starts with /")
    return Request(
        method=args.method,
        path=path,
        query=dict(parse_qsl(query, keep_blank_values=True)) | _pairs(args.query, "--query"),
        headers={k.lower(): v for k, v in _pairs(args.header, "--header").items()},
        principal=principal_of(args.principal),
        from_vpc=args.from_vpc,
        port=args.port,
    )


def _client(args: argparse.Namespace) -> Any:
    url = LOCAL if args.local else args.endpoint_url
    if url:
        session = targets.EndpointSession(url, args.region or demo.REGION)
        return session.client("vpc-lattice", config=targets.PROBE)  # nothing there: say so
    import boto3

    region = args.region or targets.samconfig().get("region")
    return boto3.session.Session(region_name=region).client("vpc-lattice")


def _groups(route: dict[str, Any]) -> list[str]:
    lines = []
    for g in route.get("forward") or []:
        name = g.get("name") or g["targetGroup"]
        if "unreadable" in g:
            lines.append(f"  → {name} {g['share']:.0%}: cannot be read ({g['unreadable']})")
            continue
        listed = ", ".join(g["serving"]) or "none"
        count = f"{len(g['serving'])} of {len(g['targets'])} can serve"
        lines.append(f"  → {name} {g['share']:.0%} (weight {g['weight']}): {count}: {listed}")
    if "fixedResponse" in route:
        lines.append(f"  → fixed response {route['fixedResponse']}")
    return lines


def render(found: dict[str, Any]) -> list[str]:
    req, svc = found["request"], found["service"]
    query = "&".join(f"{k}={v}" for k, v in req["query"].items())
    tcp = (found.get("listener") or {}).get("protocol") == "TLS_PASSTHROUGH"
    what = (
        "a TLS connection"
        if tcp
        else f"{req['method']} {req['path']}{'?' + query if query else ''}"
    )
    lines = [
        f"{what} → {svc['name']} "
        f"({svc['id']}) from {req['fromVpc'] or 'an unnamed VPC'} as {req['principal']}",
        f"  reach: {found['reach']['why']}",
    ]
    for layer in found["auth"]:
        lines.append(
            f"  {layer['layer']} {layer['name']}: {layer.get('authType', '?')}: "
            f"{layer['decision']}: {layer['why']}"
        )
        lines += [f"      not allowed by {u}" for u in layer.get("unmatched") or []]
    if found["verdict"] == "ALLOW" and "rule" in found["route"]:  # a denial: the statement
        listener, rule = found["listener"], found["route"]["rule"]
        at = "default rule" if rule.get("isDefault") else f"priority {rule['priority']}"
        lines.append(
            f"  listener {listener['name']} ({listener['protocol']}:{listener['port']}), "
            f"rule {rule['name']} ({at})"
        )
        lines += [f"      skipped {s}" for s in found["route"]["skipped"]]
        lines += _groups(found["route"])
    served = "" if found["served"] or found["verdict"] != "ALLOW" else ", NOT SERVED"
    lines.append(f"{found['verdict']}{served}: {found['why']}")
    lines += [f"  note: {n}" for n in found["notes"]]
    return lines


def run(args: argparse.Namespace) -> int:
    try:
        request = request_of(args)
        found = simulator.simulate(_client(args), args.service, request)
    except (ValueError, UnknownService) as exc:  # Ambiguous is a ValueError
        print(f"cannot simulate: {exc}")
        return 2
    except ClientError as exc:
        print(f"cannot simulate: a VPC Lattice read was refused: {exc}")
        return 2
    except BotoCoreError as exc:
        print(
            f"cannot simulate: {exc}; start `lattice-deploy serve` and pass --endpoint-url (or "
            "--local), or set AWS credentials"
        )
        return 2
    print(json.dumps(found, indent=2, default=str) if args.json else "\n".join(render(found)))
    return 0 if found["served"] else 1
