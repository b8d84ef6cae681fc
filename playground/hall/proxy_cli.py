"""``playground proxy-config``: prints the HAProxy configuration for workers that run
elsewhere (a department server: workers on several machines, ``--upstream``) or that
you start yourself, so that it can be read, changed and run by the system's HAProxy."""

import argparse

from playground.hall.proxy import Upstream, haproxy_config, local_upstreams, parse_upstreams
from playground.hall.room import STUDENTS_PER_CORE
from playground.serve import (
    DEFAULT_ADDRESS,
    DEFAULT_PORT,
    normalized_prefix,
    parse_port,
    parse_workers,
)


def _upstreams(text: str) -> list[Upstream]:
    try:
        return parse_upstreams(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_command(commands) -> None:
    parser = commands.add_parser(
        "proxy-config",
        help="print the HAProxy configuration for workers on this or other machines",
        description=__doc__,
    )
    parser.add_argument(
        "--workers", type=parse_workers, metavar="N|auto", help="workers on this machine"
    )
    parser.add_argument(
        "--upstream",
        type=_upstreams,
        metavar="HOST:PORT,...",
        help="the workers, wherever they run; each answers the agent check one port "
        "above its own (playground serve --port P --agent-port P+1)",
    )
    parser.add_argument("--address", default=DEFAULT_ADDRESS, help="where HAProxy listens")
    parser.add_argument(
        "--port", type=parse_port, default=DEFAULT_PORT, help="default: %(default)s"
    )
    parser.add_argument("--prefix", default="", help="the pages' path prefix (as the workers')")
    parser.add_argument(
        "--tls-cert",
        metavar="PEM",
        help="serve https with this file (certificate, then key), e.g. for a course site",
    )
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    upstreams = args.upstream
    if upstreams is None and args.workers is None:
        args.parser.error("say which workers: --workers N, or --upstream HOST:PORT,...")
    if upstreams is not None and args.workers not in (None, len(upstreams)):
        args.parser.error(f"--workers {args.workers} but {len(upstreams)} --upstream workers")
    notes = ["Start each worker (on its machine) as:"]
    if upstreams is None:
        upstreams = local_upstreams(args.workers, args.port)
    address = "127.0.0.1" if upstreams[0].host == "127.0.0.1" else "0.0.0.0"
    origin = f"HOST:{args.port}" if args.address in ("0.0.0.0", "::") else None
    origin = origin or f"{args.address}:{args.port}"
    prefix = f" --prefix {args.prefix}" if args.prefix else ""
    notes += [
        f"  on {u.host}: playground serve --address {address} --port {u.port} --agent-port {u.agent_port} "
        f"--max-students {STUDENTS_PER_CORE} --allow-websocket-origin {origin}{prefix}"
        for u in upstreams
    ]
    notes.append("(HOST: the name or address students open.)")
    print(
        haproxy_config(
            upstreams,
            args.address,
            args.port,
            normalized_prefix(args.prefix),
            tls_cert=args.tls_cert,
            notes=notes,
        ),
        end="",
    )
    return 0
