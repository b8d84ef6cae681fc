"""The home page's scenes: every link opens its page without a note, every thumbnail is
a valid picture of its scene, and the gallery holds every scene issue 11 lists."""

import importlib
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pytest

from playground.labs import LAB_PAGES
from playground.labs.compare.link import read_link
from playground.labs.home.pictures import (
    Sketch,
    Trained,
    run_config,
    scene_image,
    shipped_name,
    shipped_png,
    thumbnail,
)
from playground.labs.home.scenes import CARDS, links
from playground.labs.home.sketches import (
    LETTER,
    RACE_START,
    RACE_STEPS,
    hopfield,
    mean_field_overlap,
    race_path,
)
from playground.labs.home.view import page_html
from playground.labs.scene import read_scene
from playground.png import encode_png
from playground.settings import SETTINGS
from playground.url import parse_query, scene_from_query

PLAYGROUND_LINKS = [link for link in links() if link.page == "/app"]
LAB_LINKS = [link for link in links() if link.page != "/app"]
SVG = "{http://www.w3.org/2000/svg}"
REPO = Path(__file__).resolve().parents[1]


def decode_png(data: bytes) -> np.ndarray:
    """(height, width, 3) uint8 from an 8-bit RGB PNG without filters, every chunk's CRC
    checked: written from the PNG specification, independently of the encoder."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + body), f"bad CRC in {kind!r}"
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR"
    assert chunks[-1] == (b"IEND", b"")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert (depth, colour, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    rows = np.frombuffer(raw, np.uint8).reshape(height, 1 + 3 * width)
    assert not rows[:, 0].any(), "a row uses a filter"
    return rows[:, 1:].reshape(height, width, 3)


def settings_of(link) -> dict:
    """The scene a playground link opens: its settings over the defaults."""
    defaults = {name: setting.default for name, setting in SETTINGS.items()}
    return defaults | scene_from_query(parse_query(link.query)).settings


def lab_keys(link) -> dict[str, str]:
    return parse_query(link.query)


# -- links ----------------------------------------------------------------------------


@pytest.mark.parametrize("link", links(), ids=lambda link: link.href)
def test_every_link_is_relative_to_the_page_and_names_a_served_page(link):
    assert not link.href.startswith(("/", "http")), "breaks under --prefix"
    assert link.page in {"/app", *LAB_PAGES}


@pytest.mark.parametrize("link", PLAYGROUND_LINKS, ids=lambda link: link.href)
def test_every_playground_link_reads_without_a_note(link):
    scene = scene_from_query(parse_query(link.query))
    assert scene.notes == []
    assert scene.settings["seed"], "a scene without a seed would differ for each student"
    # Every key of the link is one the playground reads (a typo would be ignored silently).
    assert set(parse_query(link.query)) <= {*scene_from_query_keys(), "hideText"}


def scene_from_query_keys() -> set[str]:
    from playground.engine import FEATURES
    from playground.url import fields

    return {*fields(), *FEATURES}


# The lab pages' keys as their issue names them, checked as text while the lab's state
# is not installed yet (each lab is another helper's), and by the lab's own reader once
# it is: module and class of each lab's state.
LAB_KEYS = {
    "/optimizers": {"surface", "racers"},
    "/hopfield": {"temperature"},
    "/overfitting": set(),
    "/sweep": set(),
    "/perceptron": set(),
}
LAB_STATES = {
    "/optimizers": ("optimizers.state", "OptimizerLabState"),
    "/hopfield": ("hopfield.state", "HopfieldState"),
    "/overfitting": ("overfitting.state", "OverfittingState"),
    "/sweep": ("sweep.state", "SweepState"),
    "/perceptron": ("perceptron.state", "PerceptronState"),
}
RACERS = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}


def lab_state(page: str) -> type | None:
    module, name = LAB_STATES[page]
    try:
        return getattr(importlib.import_module(f"playground.labs.{module}"), name)
    except ModuleNotFoundError as missing:
        if missing.name != f"playground.labs.{module}":
            raise  # the lab is there but broken: not ours to hide
        return None


@pytest.mark.parametrize("link", LAB_LINKS, ids=lambda link: link.href)
def test_every_lab_link_reads_without_a_note(link):
    keys = lab_keys(link)
    if link.page == "/compare":  # two playground scenes (``compare/link.py``)
        assert read_link(keys).notes == []
        assert {key.split(".", 1)[-1] for key in keys} <= scene_from_query_keys()
        return
    state = lab_state(link.page)
    if state is not None:
        scene = read_scene(state, keys)
        assert scene.notes == []
        assert set(scene.values) == set(keys)
        return
    assert set(keys) <= LAB_KEYS[link.page]
    if "temperature" in keys:
        assert 0 <= float(keys["temperature"]) <= 3
    if "racers" in keys:
        assert set(keys["racers"].split(",")) <= RACERS


# -- every scene of the issue -----------------------------------------------------------


def find(condition) -> list:
    return [link for link in PLAYGROUND_LINKS if condition(settings_of(link))]


def lab_queries(page: str) -> list[dict[str, str]]:
    return [lab_keys(link) for link in LAB_LINKS if link.page == page]


def test_the_gallery_has_every_scene_the_issue_lists():
    assert {1, 30} <= {settings_of(link)["batch_size"] for link in PLAYGROUND_LINKS}
    xor = [settings_of(link) for link in PLAYGROUND_LINKS if settings_of(link)["dataset"] == "xor"]
    assert [s for s in xor if s["network_shape"] == [] and "xTimesY" in s["features"]]
    assert [s for s in xor if s["network_shape"] and "xTimesY" not in s["features"]]
    assert find(lambda s: s["dataset"] == "spiral" and {"sinX", "sinY"} <= set(s["features"]))
    assert find(lambda s: s["noise"] == 35 and s["perc_train_data"] == 20)
    for activation in ("sigmoid", "relu"):
        assert find(lambda s, a=activation: s["activation"] == a and len(s["network_shape"]) >= 4)
    assert find(lambda s: s["network_shape"] == [] and s["dataset"] == "gauss")
    race = {"surface": "rosenbrock", "racers": "sgd,momentum,nesterov,adagrad,rmsprop,adam"}
    assert any(race.items() <= query.items() for query in lab_queries("/optimizers"))
    assert {float(q["temperature"]) for q in lab_queries("/hopfield")} == {0.0, 1.2}
    assert lab_queries("/overfitting")


def test_the_gallery_shows_the_training_science():
    assert find(lambda s: s["optimizer"] == "adam")
    three_spirals = {"loss": "crossEntropy", "dataset": "spirals", "num_classes": 3}
    assert find(lambda s: three_spirals.items() <= s.items())
    assert find(lambda s: s["dropout"] > 0)
    assert find(lambda s: s["patience"] > 0)


def test_every_card_asks_one_line_question():
    for card in CARDS:
        assert card.title
        assert card.links
        assert card.question.endswith("?")
        assert "\n" not in card.question


# -- thumbnails -------------------------------------------------------------------------


def test_the_png_encoder_round_trips_through_an_independent_decoder():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (7, 11, 3), dtype=np.uint8)
    np.testing.assert_array_equal(decode_png(encode_png(image)), image)


@pytest.mark.parametrize("link", links(), ids=lambda link: link.href)
def test_every_thumbnail_is_a_png_or_an_svg(link):
    mime, data = thumbnail(link.query, link.picture)
    if mime == "image/png":
        assert decode_png(data).shape == (100, 100, 3)
    else:
        assert mime == "image/svg+xml"
        root = ET.fromstring(data)
        assert root.tag == f"{SVG}svg"
        assert root.get("viewBox") == "0 0 100 100"


@pytest.mark.parametrize(
    "link",
    [link for link in PLAYGROUND_LINKS if isinstance(link.picture, Trained)],
    ids=lambda link: link.href,
)
def test_every_trained_thumbnail_ships_and_shows_its_scene_today(link):
    """The first visit must not train (benchmarks/home.py --write ships them), and a
    shipped picture must still be what the engine trains (BLAS may change a few cells)."""
    shipped = shipped_png(link.query, link.picture.epochs)
    assert shipped is not None, "run python benchmarks/home.py --write"
    fresh = scene_image(link.query, link.picture.epochs)
    same = (decode_png(shipped) == fresh).all(axis=2).mean()
    assert same > 0.97


def test_a_thumbnail_shows_xor_learnt_the_right_way_up():
    # XOR labels a point +1 (blue) where x * y >= 0: top right and bottom left.
    (xor,) = [link for link in PLAYGROUND_LINKS if link.caption == "Add X1X2"]
    image = scene_image(xor.query, 300).astype(int)
    config, _ = run_config(xor.query)
    assert config.dataset == "xor"
    assert "xTimesY" in config.features

    def bluish(row: int, col: int) -> bool:
        red, _, blue = image[row - 3 : row + 3, col - 3 : col + 3].mean(axis=(0, 1))
        return blue > red

    # Off the points: probe between the clusters, near the axes' far ends.
    assert bluish(10, 90)
    assert bluish(90, 10)
    assert not bluish(10, 10)
    assert not bluish(90, 90)


def test_a_thumbnail_draws_the_training_points_in_their_class_colours():
    link = PLAYGROUND_LINKS[0]
    image = scene_image(link.query, 1)
    orange, blue = np.array([0xF5, 0x93, 0x22]), np.array([0x08, 0x77, 0xBD])
    assert (image == orange).all(axis=2).sum() > 50
    assert (image == blue).all(axis=2).sum() > 50


# -- sketches ---------------------------------------------------------------------------


def test_the_hopfield_sketch_is_the_letter_when_cold_and_noise_when_warm():
    letter = sum(row.count("#") for row in LETTER)
    cold = ET.fromstring(hopfield(0.0)).findall(f".//{SVG}rect")
    warm = ET.fromstring(hopfield(1.2)).findall(f".//{SVG}rect")
    assert len(cold) - 1 == letter  # one rect is the background
    assert len(warm) - 1 != letter


@pytest.mark.parametrize("temperature", [0.3, 0.6, 0.9])
def test_the_mean_field_overlap_solves_m_equals_tanh_m_over_t(temperature):
    m = mean_field_overlap(temperature)
    assert m > 0.1
    assert m == pytest.approx(np.tanh(m / temperature), abs=1e-9)


def test_above_the_critical_temperature_the_overlap_vanishes():
    assert mean_field_overlap(1.2) == pytest.approx(0, abs=1e-6)
    assert mean_field_overlap(0.0) == 1


def test_the_race_sketch_runs_the_engine_s_optimizers_downhill():
    def loss(p):
        return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2

    path = race_path("adam", 0.1)
    assert path.shape == (RACE_STEPS + 1, 2)
    assert tuple(path[0]) == RACE_START
    assert loss(path[-1]) < loss(path[0]) / 100


# -- the page ---------------------------------------------------------------------------


def test_the_page_has_every_card_with_its_links_and_thumbnails():
    page = page_html()
    for card in CARDS:
        assert card.title.replace("&", "&amp;") in page
    for link in links():
        assert f"href='{link.href.replace('&', '&amp;')}'" in page
    assert page.count("<img src='data:image/") == len(links())
    sketches = [link for link in links() if isinstance(link.picture, Sketch)]
    assert page.count("data:image/svg+xml") == len(sketches)


def test_no_shipped_thumbnail_is_left_over():
    """Every file in assets/home/ belongs to a card (benchmarks/home.py --write prunes)."""
    shipped = {path.name for path in (REPO / "assets" / "home").glob("*.png")}
    wanted = {
        shipped_name(link.query, link.picture.epochs)
        for link in links()
        if isinstance(link.picture, Trained)
    }
    assert shipped == wanted
