"""The Hopfield lab's maths and command line, against computations written out here."""

import json

import numpy as np
import pytest

from playground.cli import main
from playground.labs.hopfield.model import (
    PICTURES,
    Hopfield,
    capacity_curves,
    corrupted,
    hebbian,
    mean_field_overlap,
    picture,
    random_patterns,
)
from playground.labs.hopfield.state import HopfieldState
from playground.labs.scene import read_scene


def literal_couplings(patterns: np.ndarray) -> np.ndarray:
    """J_ij = (1/N) sum_mu xi_i xi_j, J_ii = 0, entry by entry."""
    p, n = patterns.shape
    J = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            if i != j:
                J[i, j] = sum(float(patterns[mu, i]) * patterns[mu, j] for mu in range(p)) / n
    return J


def literal_sweep(J: np.ndarray, S: np.ndarray, T: float, rng: np.random.Generator) -> None:
    """The issue's rule, one neuron at a time, with a dot product for every field. Draws
    the visiting order, then one uniform number per visit (at T > 0 only)."""
    n = len(S)
    order = rng.permutation(n)
    u = rng.random(n) if T > 0 else None
    for k, i in enumerate(order):
        h = J[i] @ S
        if T == 0:
            if h > 0:
                S[i] = 1
            elif h < 0:
                S[i] = -1  # h == 0: unchanged
        else:
            S[i] = 1 if u[k] < 1.0 / (1.0 + np.exp(-2.0 * h / T)) else -1


# N a power of 2: every J_ij is a multiple of 1/N, and the literal dot products are exact.
@pytest.mark.parametrize(("n", "p", "T"), [(64, 2, 0.0), (64, 4, 0.0), (64, 3, 0.4), (256, 6, 1.2)])
def test_sweeps_flip_the_same_spins_as_the_literal_rule(n, p, T):
    rng = np.random.default_rng(n + p)
    patterns = rng.choice([-1, 1], size=(p, n))
    start = rng.choice([-1, 1], size=n)
    J = literal_couplings(patterns)
    S = start.astype(float)
    net = Hopfield(patterns, start, np.random.default_rng(7))
    literal_rng = np.random.default_rng(7)
    changed = 0
    for _ in range(6):
        before = S.copy()
        literal_sweep(J, S, T, literal_rng)
        net.sweep(T)
        np.testing.assert_array_equal(net.S, S)
        changed += int(np.sum(before != S))
        np.testing.assert_allclose(net.energy(), -0.5 * S @ J @ S, atol=1e-12)
        np.testing.assert_allclose(net.overlaps(), patterns @ S / n, atol=1e-12)
    assert changed > 0  # the comparison saw spins move


def test_a_zero_field_leaves_the_spin_alone_at_zero_temperature():
    # Two orthogonal patterns of two neurons: J_01 = (1*1 + 1*(-1)) / 2 = 0, every field is 0.
    patterns = np.array([[1, 1], [1, -1]])
    for start in ([1, -1], [-1, 1], [-1, -1]):
        net = Hopfield(patterns, np.array(start), np.random.default_rng(0))
        assert np.all(net.fields == 0.0)
        for _ in range(5):
            net.sweep(0.0)
        np.testing.assert_array_equal(net.S, start)
    # At T > 0 a zero field makes either sign equally likely: the spins move.
    net = Hopfield(patterns, np.array([1, 1]), np.random.default_rng(0))
    seen = set()
    for _ in range(20):
        net.sweep(1.0)
        seen.add(tuple(net.S))
    assert len(seen) == 4


def test_couplings_are_hebbian_symmetric_with_zero_diagonal():
    patterns = random_patterns(5, 30, np.random.default_rng(1))
    J = hebbian(patterns)
    np.testing.assert_allclose(J, literal_couplings(patterns), atol=1e-15)
    np.testing.assert_array_equal(J, J.T)
    assert np.all(np.diag(J) == 0)
    np.testing.assert_allclose(Hopfield(patterns, patterns[0], None).J, J, atol=1e-15)


def test_energy_never_rises_at_zero_temperature():
    rng = np.random.default_rng(2)
    patterns = random_patterns(30, 200, rng)  # alpha = 0.15: a rugged landscape
    net = Hopfield(patterns, random_patterns(1, 200, rng)[0], rng)
    energies = [net.energy()]
    for _ in range(15):
        net.sweep(0.0)
        energies.append(net.energy())
    assert np.all(np.diff(energies) <= 1e-12), energies
    assert energies[-1] < energies[0] - 1.0


def test_stored_patterns_are_fixed_points_at_low_load():
    rng = np.random.default_rng(3)
    patterns = random_patterns(8, 800, rng)  # alpha = 0.01
    for xi in patterns:
        net = Hopfield(patterns, xi, rng)
        net.sweep(0.0)
        np.testing.assert_array_equal(net.S, xi)


def test_a_corrupted_picture_is_recalled():
    rng = np.random.default_rng(4)
    stored = np.array([picture(name, 32) for name in ("A", "T", "X")])
    start = corrupted(stored[1], 0.25, rng)
    assert np.sum(start != stored[1]) == 256
    net = Hopfield(stored, start, rng)
    m, _ = net.run(5, 0.0)
    np.testing.assert_array_equal(net.S, stored[1])
    assert m[-1, 1] == 1.0


def literal_tanh_solution(T: float) -> float:
    m = 1.0
    for _ in range(5000):
        m = np.tanh(m / T)
    return m


@pytest.mark.parametrize("T", [0.5, 0.7, 0.85])
def test_one_pattern_at_temperature_follows_mean_field(T):
    n = 3000
    rng = np.random.default_rng(5)
    xi = random_patterns(1, n, rng)
    net = Hopfield(xi, xi[0], rng)
    m, _ = net.run(40, T)
    measured = m[10:, 0].mean()
    expected = literal_tanh_solution(T)  # 0.957, 0.846, 0.661: far apart
    assert measured == pytest.approx(expected, abs=0.03)
    assert mean_field_overlap(T) == pytest.approx(expected, abs=1e-9)


def test_above_the_critical_temperature_one_pattern_is_forgotten():
    rng = np.random.default_rng(6)
    xi = random_patterns(1, 3000, rng)
    net = Hopfield(xi, xi[0], rng)
    m, _ = net.run(30, 1.4)
    assert abs(m[10:, 0].mean()) < 0.1


def test_pictures_scale_to_the_side():
    for name, rows in PICTURES.items():
        drawn = np.array([[1 if c == "#" else -1 for c in row] for row in rows])
        np.testing.assert_array_equal(picture(name, 8).reshape(8, 8), drawn)
        np.testing.assert_array_equal(picture(name, 16).reshape(16, 16)[::2, ::2], drawn)
        np.testing.assert_array_equal(picture(name, 16).reshape(16, 16)[1::2, 1::2], drawn)
    with pytest.raises(ValueError, match="no picture named"):
        picture("?", 8)


def test_capacity_curves_fall_with_load_and_temperature():
    curves = capacity_curves(n=200, alphas=[0.02, 0.4], temperatures=[0.0, 1.5], trials=2, seed=1)
    assert curves.overlap_by_alpha[0] == 1.0
    assert curves.overlap_by_alpha[1] < 0.8
    assert curves.overlap_by_temperature[0] == 1.0
    assert abs(curves.overlap_by_temperature[1]) < 0.2
    np.testing.assert_array_equal(curves.mean_field, [1.0, 0.0])


# -- the command line ---------------------------------------------------------------


def run_cli(capsys, *args: str) -> dict:
    assert main(["hopfield", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_matches_the_literal_rule(capsys):
    n, p, T, sweeps, flip, seed = 64, 3, 0.3, 5, 0.2, 11
    out = run_cli(capsys, *f"--neurons {n} --patterns {p} --temperature {T}".split(),
                  *f"--sweeps {sweeps} --flip {flip} --seed {seed}".split())  # fmt: skip
    # The run's draws, in the order the command documents: patterns, flips, sweeps.
    rng = np.random.default_rng(seed)
    patterns = rng.choice(np.array([-1, 1], dtype=np.int8), size=(p, n)).astype(float)
    S = patterns[0].copy()
    S[rng.choice(n, size=round(flip * n), replace=False)] *= -1
    J = literal_couplings(patterns)
    overlap, energy = [], []
    for _ in range(sweeps):
        literal_sweep(J, S, T, rng)
        overlap.append(patterns[0] @ S / n)
        energy.append(-0.5 * S @ J @ S)
    assert len(out["overlap"]) == len(out["energy"]) == sweeps
    np.testing.assert_allclose(out["overlap"], overlap, atol=1e-12)
    np.testing.assert_allclose(out["energy"], energy, atol=1e-12)


def test_cli_recalls_pattern_one_at_low_load(capsys):
    out = run_cli(capsys, "--neurons", "500", "--patterns", "5", "--sweeps", "6", "--flip", "0.3")
    assert out["overlap"][-1] == 1.0
    assert np.all(np.diff(out["energy"]) <= 1e-12)


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--neurons", "0", "--neurons: must be 1"),
        ("--neurons", "many", "--neurons: expected a whole number"),
        ("--patterns", "0", "--patterns: must be 1"),
        ("--temperature", "-1", "--temperature: must be 0.0"),
        ("--temperature", "nan", "--temperature: must be 0.0"),
        ("--sweeps", "-2", "--sweeps: must be 0"),
        ("--flip", "1.5", "--flip: must be 0.0 to 1.0"),
    ],
)
def test_cli_refuses_bad_input_clearly(capsys, flag, value, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["hopfield", flag, value, "--json"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""


# -- the page's state, without a browser ------------------------------------------------


def test_a_link_is_read_with_notes_for_bad_values():
    query = {"side": "100", "patterns": "a,Q", "temperature": "hot", "random": "2.6"}
    scene = read_scene(HopfieldState, query)
    assert scene.values == {"side": 48, "patterns": ["A"], "random": 3}
    notes = " ".join(scene.notes)
    for key in ("side=100", "patterns=a,Q", "temperature=hot", "random=2.6"):
        assert key in notes
    state = HopfieldState(**scene.values)
    assert state.names == ["A", "r1", "r2", "r3"]
    assert state.net.S.shape == (48 * 48,)


def test_state_steps_draws_and_restarts_reproducibly():
    state = HopfieldState(side=16, patterns=["A", "T"], flip=0.3, seed=4)
    again = HopfieldState(side=16, patterns=["A", "T"], flip=0.3, seed=4)
    np.testing.assert_array_equal(state.net.S, again.net.S)
    flipped = picture("A", 16) != state.net.S
    assert flipped.sum() == round(0.3 * 256)
    state.step(3)
    assert state.sweep == 3
    assert len(state.energies) == len(state.overlap_history) == 3
    state.draw([0, 1, 2, -5, 10_000], 1)  # cells outside the picture are ignored
    assert list(state.net.S[:3]) == [1, 1, 1]
    assert state.net.energy() == pytest.approx(-0.5 * state.net.S @ state.net.J @ state.net.S)
    state.restart(1)
    assert (state.sweep, state.cue, state.energies) == (0, 1, [])
    flipped = picture("T", 16) != state.net.S
    assert flipped.sum() == round(0.3 * 256)


def test_nothing_stored_is_a_network_without_couplings():
    state = HopfieldState(side=8, patterns=[], random=0, temperature=0.0)
    start = state.net.S.copy()
    state.step(2)
    np.testing.assert_array_equal(state.net.S, start)  # every field is 0 at T = 0
    assert state.overlap_history == [[], []]


def test_the_overlaps_of_the_start_pattern_and_a_few_others_are_kept():
    state = HopfieldState(side=16, patterns=["A"], random=100, seed=2)
    state.restart(50)
    state.step(2)
    assert state.tracked == [0, 1, 2, 3, 4, 5, 6, 50]
    np.testing.assert_allclose(state.overlap_history[-1], state.net.overlaps()[state.tracked])


def test_the_page_builds_its_buttons_with_the_current_api():
    """Labels, not the deprecated ``name`` (a PendingDeprecationWarning, an error here);
    Play's label follows the state."""
    import panel as pn

    from playground.labs.hopfield.view import build_view
    from playground.labs.scene import LabScene

    state = HopfieldState()
    view = build_view(state, LabScene({}, frozenset(), []))
    found = [
        *pn.Column(*view.controls).select(pn.widgets.Button),
        *view.main.select(pn.widgets.Button),
    ]
    buttons = {c: b for b in found for c in b.css_classes if c.startswith("ui-")}
    assert buttons["ui-stepButton"].label == "Step"
    assert buttons["ui-restartButton"].label == "Restart"
    play = buttons["ui-playButton"]
    assert play.label == "▶"
    state.toggle_play()
    assert play.label == "❚❚"
    state.toggle_play()
