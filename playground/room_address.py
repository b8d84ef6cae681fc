"""Where students reach this server: its addresses on the room's network, and what to say
on a page opened at an address only this computer knows (localhost, 127.0.0.1).

The addresses are found without sending anything and without the internet: connecting a
UDP socket only asks the system which of its addresses it would send from (to a private
network's far corner, or beyond), and on Linux each network interface is asked for its
own. No name is looked up: offline, a lookup can hang for seconds.

``playground serve`` tells its pages how it listens (``announce``: its ``--address`` and
``--allow-websocket-origin``, in the environment, which its worker processes inherit),
so a page can say whether students' browsers will be let in, or how to start it so that
they are. Imports no UI library.
"""

import fnmatch
import ipaddress
import json
import os
import socket
import struct
import sys
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
EVERY_ADDRESS = frozenset({"0.0.0.0", "", "::"})
ENVIRONMENT = "PLAYGROUND_LISTENING"
# Where a UDP socket is pointed to learn which address the system would send from: the
# far corners of the private networks, then a documentation address beyond them (TEST-NET-2).
PROBES = ("10.255.255.254", "172.31.255.254", "192.168.255.254", "198.51.100.1")
DISCARD_PORT = 9
SIOCGIFADDR = 0x8915  # Linux's ioctl for an interface's address


class Listening(NamedTuple):
    address: str  # --address
    origins: tuple[str, ...]  # --allow-websocket-origin (Bokeh allows localhost:PORT without)


class RoomAdvice(NamedTuple):
    host: str  # host:port students' browsers open, "" when this computer has no network
    note: str  # what the embedding card says about it


def announce(address: str, origins: Sequence[str]) -> None:
    """Tells this process's pages (and the workers it starts) how the server listens."""
    os.environ[ENVIRONMENT] = json.dumps({"address": address, "origins": list(origins)})


def listening() -> Listening | None:
    """How ``playground serve`` listens, if it said (``panel serve`` does not)."""
    try:
        told = json.loads(os.environ.get(ENVIRONMENT, ""))
        return Listening(str(told["address"]), tuple(str(o) for o in told["origins"]))
    except (ValueError, KeyError, TypeError):
        return None


def room_addresses(probes: Iterable[str] = PROBES) -> list[str]:
    """This computer's IPv4 addresses others on its networks may reach: private ones
    first; loopback and link-local ones left out."""
    found = []
    for probe in probes:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.connect((probe, DISCARD_PORT))  # sends nothing
                found.append(udp.getsockname()[0])
            except OSError:  # no route there: no network of that kind
                continue
    found += interface_addresses()
    usable = []
    for text in found:
        address = ipaddress.ip_address(text)
        if address.is_loopback or address.is_link_local or address.is_unspecified:
            continue
        if text not in usable:
            usable.append(text)
    return sorted(usable, key=lambda text: not ipaddress.ip_address(text).is_private)


def interface_addresses() -> list[str]:
    """Every network interface's IPv4 address, on Linux (elsewhere none: the UDP probes
    find the address of the network the system sends on)."""
    if sys.platform != "linux":
        return []
    import fcntl  # POSIX only

    try:
        interfaces = socket.if_nameindex()
    except OSError:
        return []
    found = []
    for _index, name in interfaces:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                request = struct.pack("256s", name.encode()[:15])
                answer = fcntl.ioctl(udp.fileno(), SIOCGIFADDR, request)
            except OSError:  # an interface without an IPv4 address
                continue
        found.append(socket.inet_ntoa(answer[20:24]))
    return found


def host_and_port(host_header: str) -> tuple[str, int]:
    """``localhost:5006`` -> ("localhost", 5006); ``[::1]`` -> ("::1", 80)."""
    try:
        parts = urlsplit("//" + host_header)
        return (parts.hostname or ""), (parts.port or 80)
    except ValueError:
        return "", 80


def admits(address: str, port: int, told: Listening) -> bool:
    """Whether the server answers browsers that open ``address:port``: it listens there
    and lets their pages connect (Bokeh's origin check, with its ``*`` patterns)."""
    listens = told.address in EVERY_ADDRESS or told.address == address
    wanted = f"{address}:{port}"
    allowed = any(
        fnmatch.fnmatchcase(wanted, origin if ":" in origin or origin == "*" else f"{origin}:80")
        for origin in told.origins
    )
    return listens and allowed


def start_command(address: str, port: int) -> str:
    return (
        f"playground serve --address 0.0.0.0 --port {port} "
        f"--allow-websocket-origin {address}:{port}"
    )


def room_advice(
    host_header: str, addresses: Sequence[str] | None = None, told: Listening | None = None
) -> RoomAdvice | None:
    """What the card says to a page opened at ``host_header`` (its Host); None when
    that is not an address of this computer alone. ``addresses`` and ``told``: the
    machine's and the server's own when not given."""
    name, port = host_and_port(host_header)
    if name.lower() not in LOCAL_NAMES:
        return None
    opened = (
        f"You opened this page at {name}, which means 'this computer' on every "
        "computer: students who open this link reach their own machine, not yours."
    )
    addresses = room_addresses() if addresses is None else addresses
    if not addresses:
        return RoomAdvice(
            "",
            f"{opened} This computer is on no network now: join the room's network (its "
            "Wi-Fi), then open this card again for the address students can reach.",
        )
    address, others = addresses[0], addresses[1:]
    told = listening() if told is None else told
    here = f"On the room's network this server is at {address}:{port}"
    if others:
        here += f" (this computer's other addresses: {', '.join(others)})"
    here += "; the students' link and the embed code below use it."
    if told is not None and admits(address, port, told):
        return RoomAdvice(f"{address}:{port}", f"{opened} {here}")
    start = start_command(address, port)
    if told is None:
        later = f"If students' browsers cannot connect, start the server as {start}."
    else:
        later = f"Students can open it once the server runs as {start}."
    return RoomAdvice(f"{address}:{port}", f"{opened} {here} {later}")
