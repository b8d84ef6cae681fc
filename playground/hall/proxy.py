"""HAProxy in front of the workers: its configuration, and where HAProxy is.

Why these settings (docs/DEPLOY.md says more):

- ``cookie ... insert indirect nocache``: HAProxy gives a new browser a cookie that
  names the worker it chose, and sends all of that browser's requests there: the
  page, Bokeh's websocket, the tab's frame socket, a reload. Without it Bokeh builds a
  tab twice (a second session from the page's token on another worker). ``preserve``
  lets a full worker clear the cookie, so that the full-room page's next try is placed
  afresh.
- ``balance leastconn``: a new browser goes to the worker with the fewest open
  connections; every tab holds two websockets, so that is the one with fewest tabs.
- Health checks on each worker's ``/status.json``, and ``observe layer4``: a worker
  that died is out within about two seconds; until then ``option redispatch`` sends a
  request that cannot reach it to another worker, the cookie's browser included.
- The agent check (each worker's ``--agent-port``) says ``drain`` while the worker is
  full: HAProxy then sends it only the browsers whose cookie names it. When every
  worker drains, HAProxy has no worker for a new browser and answers with the
  full-room page (``http-error status 503``); when none is up, with a page that says
  the playground is starting. Both try again by themselves.
- ``timeout tunnel``: a websocket is cut after this long without a message. A playing
  tab sends several a second, Bokeh pings every 37 s, and a tab whose frame socket was
  cut while paused opens it again.
"""

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from playground.connections import SEND_BUFFER_BYTES
from playground.hall.pages import RETRY_AFTER_S, full_room_page, starting_page
from playground.hall.room import PROXY_COOKIE

HAPROXY_ENV = "PLAYGROUND_HAPROXY"  # the HAProxy to use, if not the one on the PATH
# Where packages put it when it is not on a user's PATH (Debian's /usr/sbin).
HAPROXY_PLACES = ("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/bin", "/opt/homebrew/sbin")
TUNNEL_TIMEOUT = "1h"
# A page's first answer may take long while many tabs open at once.
SERVER_TIMEOUT = "120s"
# Local workers of ``proxy-config --workers N`` without --upstream: ports after --port.
LOCAL_PORTS_FROM = 100


@dataclass(frozen=True)
class Upstream:
    """A worker as the proxy reaches it."""

    host: str
    port: int
    agent_port: int | None = None  # None: no agent check (no room limit from the proxy)

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_upstreams(text: str) -> list[Upstream]:
    """``HOST:PORT,HOST:PORT,...``; each worker's agent answers one port above its own.
    ValueError says what is wrong."""
    upstreams = []
    for item in (part.strip() for part in text.split(",")):
        host, colon, port = item.rpartition(":")
        host = host.strip("[]")
        if not (colon and host and port.isdigit() and 0 < int(port) < 65535):
            raise ValueError(f"{item!r} is not HOST:PORT (e.g. 10.0.0.5:5006)")
        upstreams.append(Upstream(host, int(port), int(port) + 1))
    return upstreams


def local_upstreams(workers: int, port: int) -> list[Upstream]:
    """Workers on this machine at ports after ``port`` (each with its agent above it)."""
    first = port + LOCAL_PORTS_FROM
    return [Upstream("127.0.0.1", first + 2 * i, first + 2 * i + 1) for i in range(workers)]


def bind_address(address: str, port: int) -> str:
    if address in ("", "localhost"):
        address = "127.0.0.1"  # as HAProxy would resolve it, without a DNS question
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _page(text: str) -> str:
    if "'" in text or "\n" in text:
        raise ValueError("a page in HAProxy's configuration holds no quote or newline")
    return f"'{text}'"


def haproxy_config(
    upstreams: Sequence[Upstream],
    address: str,
    port: int,
    prefix: str = "",
    status: Upstream | None = None,
    tls_cert: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    """The whole configuration. ``status``: the supervisor, which answers ``/status``
    and ``/status.json`` for every worker at once (without it a worker answers for
    itself); ``tls_cert``: a PEM file (certificate and key) to serve https with;
    ``notes``: comment lines for its top."""
    html = 'content-type "text/html; charset=utf-8" hdr Cache-Control no-store'
    tls = f" ssl crt {tls_cert}" if tls_cert else ""
    # A framed page (a course site's iframe) keeps its worker only with SameSite=None,
    # which browsers accept only on https.
    cookie_attrs = "secure attr SameSite=None" if tls_cert else "attr SameSite=Lax"
    lines = [
        "# HAProxy in front of the neural-network playground's workers",
        "# (written by playground; see docs/DEPLOY.md)",
        *(f"# {note}" for note in notes),
        "global",
        "    # HAProxy's notices (a worker down, up, full) go to its standard error.",
        "    # maxconn is taken from the limit of open files it starts with.",
        "    # A student whose browser stops reading holds this much kernel memory, no more.",
        f"    tune.sndbuf.client {SEND_BUFFER_BYTES}",
        "",
        "defaults",
        "    mode http",
        "    timeout connect 5s",
        "    timeout client 30s",
        f"    timeout server {SERVER_TIMEOUT}",
        "    timeout http-request 10s",
        "    timeout http-keep-alive 10s",
        "    timeout queue 30s",
        "    timeout check 5s",
        f"    timeout tunnel {TUNNEL_TIMEOUT}",
        "    timeout client-fin 10s",
        "    timeout server-fin 10s",
        "    retries 3",
        "    option redispatch 1",
        "    retry-on conn-failure empty-response",
        "",
        "frontend hall",
        f"    bind {bind_address(address, port)}{tls}",
    ]
    if status is not None:
        lines.append(f"    acl room_status path {prefix}/status {prefix}/status.json")
    lines += [f"    acl worker_up srv_is_up(workers/w{i})" for i in range(1, len(upstreams) + 1)]
    unless_status = " !room_status" if status is not None else ""
    lines.append(
        f"    http-request return status 503 {html} hdr Retry-After {RETRY_AFTER_S[0]} "
        f"string {_page(starting_page())} if !worker_up{unless_status}"
    )
    if status is not None:
        lines.append("    use_backend room if room_status")
    lines += [
        "    default_backend workers",
        "",
        "backend workers",
        "    balance leastconn",
        f"    cookie {PROXY_COOKIE} insert indirect nocache preserve httponly {cookie_attrs}",
        "    option httpchk",
        f"    http-check send meth GET uri {prefix}/status.json",
        "    http-check expect status 200",
        (
            f"    http-error status 503 {html} hdr Retry-After {RETRY_AFTER_S[0]} "
            f"string {_page(full_room_page())}"
        ),
        (
            "    default-server check inter 2s fastinter 500ms downinter 2s fall 3 rise 2 "
            "observe layer4 agent-inter 1s init-addr last,libc,none"
        ),
    ]
    for i, upstream in enumerate(upstreams, start=1):
        agent = f" agent-check agent-port {upstream.agent_port}" if upstream.agent_port else ""
        lines.append(f"    server w{i} {upstream.address} cookie w{i}{agent}")
    if status is not None:
        lines += ["", "backend room", f"    server supervisor {status.address}"]
    return "\n".join(lines) + "\n"


def find_haproxy() -> str | None:
    """The HAProxy to run: ``$PLAYGROUND_HAPROXY`` if set, else one on the PATH or where
    packages install it; None if there is none."""
    chosen = os.environ.get(HAPROXY_ENV)
    if chosen is not None:
        return chosen if os.access(chosen, os.X_OK) and Path(chosen).is_file() else None
    return shutil.which("haproxy") or shutil.which("haproxy", path=os.pathsep.join(HAPROXY_PLACES))


def missing_haproxy(workers: int) -> str:
    """What to say when ``--workers`` needs HAProxy and there is none."""
    return (
        f"--workers {workers} puts HAProxy in front of the server processes, and HAProxy "
        "is not installed here. Install it (Debian or Ubuntu: sudo apt-get install "
        "haproxy; Mac: brew install haproxy) and start again. Without it, --num-procs "
        f"{workers} runs {workers} server processes on one port (not on Windows), less "
        "evenly: the system, not a proxy, picks the process for each connection."
    )


def check_config(haproxy: str, config: Path) -> tuple[bool, str]:
    """``haproxy -c``: whether HAProxy accepts the configuration, and what it said."""
    result = subprocess.run(
        [haproxy, "-c", "-f", str(config)], capture_output=True, text=True, check=False
    )
    return result.returncode == 0, (result.stdout + result.stderr).strip()
