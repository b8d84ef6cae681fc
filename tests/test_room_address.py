"""A page opened at localhost gets the server's address on the room's network, found
without the internet, and says whether the server lets students in there."""

import ipaddress
import socket

import pytest

from playground import room_address
from playground.room_address import (
    ENVIRONMENT,
    Listening,
    admits,
    announce,
    host_and_port,
    listening,
    room_addresses,
    room_advice,
)
from playground.state import PlaygroundState
from playground.url import scene_from_query
from playground.views import embed

ROOM = ["192.168.1.20", "10.0.0.5"]
OPEN = Listening("0.0.0.0", ("192.168.1.20:5006",))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("localhost:5006", ("localhost", 5006)),
        ("127.0.0.1", ("127.0.0.1", 80)),
        ("[::1]:8080", ("::1", 8080)),
        ("hall.example.edu", ("hall.example.edu", 80)),
        ("", ("", 80)),
        ("bad:port:x", ("", 80)),
    ],
)
def test_the_host_header_gives_name_and_port(header, expected):
    assert host_and_port(header) == expected


@pytest.mark.parametrize("header", ["192.168.1.20:5006", "hall.example.edu", ""])
def test_a_page_opened_at_an_address_others_reach_gets_no_advice(header):
    assert room_advice(header, ROOM, OPEN) is None


@pytest.mark.parametrize("header", ["localhost:5006", "127.0.0.1:5006", "[::1]:5006"])
def test_a_local_page_is_offered_the_room_s_address(header):
    advice = room_advice(header, ROOM, OPEN)
    assert advice.host == "192.168.1.20:5006"
    assert "students who open this link reach their own machine" in advice.note
    assert "On the room's network this server is at 192.168.1.20:5006" in advice.note
    assert "other addresses: 10.0.0.5" in advice.note
    assert "--address" not in advice.note  # it already answers there


def test_a_server_on_this_computer_only_says_how_to_start_it_for_the_room():
    for told in (Listening("localhost", ()), Listening("0.0.0.0", ())):
        advice = room_advice("localhost:5006", ROOM, told)
        assert advice.host == "192.168.1.20:5006"
        assert advice.note.endswith(
            "Students can open it once the server runs as playground serve --address "
            "0.0.0.0 --port 5006 --allow-websocket-origin 192.168.1.20:5006."
        )
    unknown = room_advice("localhost:5006", ROOM, None)
    assert "If students' browsers cannot connect, start the server as" in unknown.note


def test_a_computer_on_no_network_is_told_to_join_one():
    advice = room_advice("localhost:5006", [], OPEN)
    assert advice.host == ""
    assert "on no network now" in advice.note


@pytest.mark.parametrize(
    ("told", "let_in"),
    [
        (Listening("0.0.0.0", ("192.168.1.20:5006",)), True),
        (Listening("192.168.1.20", ("*",)), True),
        (Listening("0.0.0.0", ("192.168.1.*:5006",)), True),
        (Listening("0.0.0.0", ("192.168.1.20",)), False),  # port 80 meant
        (Listening("10.0.0.5", ("192.168.1.20:5006",)), False),  # listens elsewhere
        (Listening("localhost", ("192.168.1.20:5006",)), False),
    ],
)
def test_the_server_admits_students_where_it_listens_and_lets_their_origin_in(told, let_in):
    assert admits("192.168.1.20", 5006, told) is let_in


def test_serve_announces_how_it_listens(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT, raising=False)
    assert listening() is None
    announce("0.0.0.0", ["192.168.1.20:5006"])
    assert listening() == OPEN
    monkeypatch.setenv(ENVIRONMENT, "{not json")
    assert listening() is None


def test_the_addresses_leave_out_loopback_and_link_local_and_put_private_first(monkeypatch):
    named = ["127.0.0.1", "169.254.3.4", "93.184.216.34", "192.168.5.5", "192.168.5.5"]
    monkeypatch.setattr(room_address, "interface_addresses", lambda: named)
    assert room_addresses(probes=()) == ["192.168.5.5", "93.184.216.34"]


def test_a_probe_without_a_route_is_passed_over(monkeypatch):
    def unreachable(self, address):
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(room_address, "interface_addresses", list)
    monkeypatch.setattr(socket.socket, "connect", unreachable)
    assert room_addresses() == []


def test_this_machine_s_addresses_are_found_without_sending_anything():
    for text in [*room_addresses(), *room_address.interface_addresses()]:
        address = ipaddress.ip_address(text)
        assert address.version == 4
    assert all(not ipaddress.ip_address(text).is_loopback for text in room_addresses())


def test_the_card_hands_the_browser_the_advice_when_opened(monkeypatch):
    monkeypatch.setattr(embed, "opened_at", lambda: "localhost:5006")
    monkeypatch.setattr(embed, "room_advice", lambda host: room_advice(host, ROOM, OPEN))
    card = embed.EmbedPanel(PlaygroundState(seed="1"), frozenset(), False)
    assert card.link.room_host == ""
    card._card.collapsed = False
    assert card.link.room_host == "192.168.1.20:5006"
    assert card.link.room_note.startswith("You opened this page at localhost")
    assert card.link.query.startswith("activation=")


def test_a_page_not_served_has_no_host():
    assert embed.opened_at() == ""
    assert scene_from_query({}).notes == []
