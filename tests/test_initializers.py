"""Initializers: which draws make which weight, and the spread each one promises."""

import math

import numpy as np
import pytest

from playground.engine import INITIALIZERS, Network
from playground.engine.initializers import standard_normals


class RecordedDraws:
    """A draw function over a fixed stream of uniforms that remembers how far it got."""

    def __init__(self, seed: int, size: int = 4000) -> None:
        self.stream = np.random.default_rng(seed).random(size)
        self.used = 0

    def __call__(self, n: int) -> np.ndarray:
        out = self.stream[self.used : self.used + n].copy()
        self.used += n
        return out


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_same_draws_give_the_same_weights(name):
    nets = [Network.create([3, 5, 4, 1], RecordedDraws(7), init=name) for _ in range(2)]
    np.testing.assert_array_equal(nets[0].params, nets[1].params)
    other = Network.create([3, 5, 4, 1], RecordedDraws(8), init=name)
    if name != "zero":
        assert not np.array_equal(other.params, nets[0].params)


@pytest.mark.parametrize("name", sorted(INITIALIZERS))
def test_every_initializer_has_a_label_and_its_bias(name):
    init = INITIALIZERS[name]
    assert init.label
    net = Network.create([2, 3, 1], RecordedDraws(1), init=name)
    for layer in net.layers:
        np.testing.assert_array_equal(layer[-1], init.bias)


def test_labels_tell_initializers_apart_and_new_ones_start_biases_at_zero():
    assert len({init.label for init in INITIALIZERS.values()}) == len(INITIALIZERS)
    assert INITIALIZERS["glorot"].bias == INITIALIZERS["he"].bias == 0.0


def test_glorot_weight_j_to_i_is_the_draw_at_destination_then_source():
    draws = RecordedDraws(2)
    net = Network.create([3, 5, 2], draws, init="glorot")
    u, used = draws.stream, 0
    for (n_in, n_out), layer in zip(net.shapes, net.layers, strict=True):
        limit = math.sqrt(6 / (n_in + n_out))
        for i in range(n_out):
            for j in range(n_in):
                assert layer[j, i] == pytest.approx((2 * u[used] - 1) * limit, rel=1e-12)
                used += 1
    assert draws.used == used == 3 * 5 + 5 * 2


def test_he_normals_come_in_pairs_of_draws_in_weight_order():
    draws = RecordedDraws(3)
    # 3 * 5 = 15 weights: an odd count, so the first layer takes 16 draws and drops a sine.
    net = Network.create([3, 5, 1], draws, init="he")
    u, start = draws.stream, 0
    for (n_in, n_out), layer in zip(net.shapes, net.layers, strict=True):
        for q in range(n_in * n_out):  # q-th weight: destination q // n_in, source q % n_in
            u1, u2 = u[start + 2 * (q // 2)], u[start + 2 * (q // 2) + 1]
            r, theta = math.sqrt(-2 * math.log(1 - u1)), 2 * math.pi * u2
            normal = r * math.cos(theta) if q % 2 == 0 else r * math.sin(theta)
            expected = normal * math.sqrt(2 / n_in)
            assert layer[q % n_in, q // n_in] == pytest.approx(expected, rel=1e-12, abs=1e-15)
        start += 2 * math.ceil(n_in * n_out / 2)
    assert draws.used == start == 16 + 6


def test_box_muller_never_takes_the_log_of_zero():
    # Draws lie in [0, 1): both ends of that interval must give finite normals.
    for value in (0.0, np.nextafter(1.0, 0.0)):
        with np.errstate(all="raise"):
            normals = standard_normals(5, lambda n, v=value: np.full(n, v))
        assert np.isfinite(normals).all()
    # u1 = 0 is radius 0; u1 just below 1 is the largest radius there is, sqrt(2 * 53 ln 2).
    assert np.all(standard_normals(4, np.zeros) == 0.0)
    largest = standard_normals(1, lambda n: np.array([np.nextafter(1.0, 0.0), 0.0]))
    assert largest[0] == pytest.approx(math.sqrt(2 * 53 * math.log(2)))


# A big layer with n_in != n_out, so a formula with the fans swapped or summed is far off.
N_IN, N_OUT = 300, 500


def big_layer(init: str) -> np.ndarray:
    net = Network.create([N_IN, N_OUT], np.random.default_rng(11).random, init=init)
    return net.layers[0][:-1].ravel()


def test_glorot_spread_is_uniform_on_plus_minus_the_limit():
    w, limit = big_layer("glorot"), math.sqrt(6 / (N_IN + N_OUT))
    assert np.abs(w).max() <= limit
    assert w.max() > 0.999 * limit  # 150k draws reach both ends
    assert w.min() < -0.999 * limit
    # The sample std of 150k uniforms is within about 0.12 % of L / sqrt(3); 1 % is 8 of those.
    assert w.std() == pytest.approx(limit / math.sqrt(3), rel=0.01)
    assert abs(w.mean()) < 0.01 * limit
    counts, _ = np.histogram(w, bins=10, range=(-limit, limit))
    np.testing.assert_allclose(counts, w.size / 10, rtol=0.05)  # flat: ±5 % is ~6 sigma


def test_he_spread_is_normal_with_fan_in_scale():
    w, sigma = big_layer("he"), math.sqrt(2 / N_IN)
    # Sample std of 150k normals: relative error about 0.18 %; 1 % is over 5 of those.
    assert w.std() == pytest.approx(sigma, rel=0.01)
    assert abs(w.mean()) < 0.015 * sigma
    # Normal, not merely that std: 68.27 % within one sigma (a uniform has 57.7 %),
    # 4.55 % beyond two (a uniform has none); tolerances are 5 standard errors.
    assert np.mean(np.abs(w) < sigma) == pytest.approx(0.6827, abs=0.006)
    assert np.mean(np.abs(w) > 2 * sigma) == pytest.approx(0.0455, abs=0.003)
