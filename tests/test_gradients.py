"""Finite-difference checks for every registry entry and for backprop through them."""

import tracemalloc

import numpy as np
import pytest

from playground.engine import (
    ACTIVATIONS,
    HEADS,
    OPTIMIZERS,
    REGULARIZERS,
    Network,
    feature_matrix,
)


def numerical_grad(f, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of scalar f() with respect to every entry of p (nudged in place)."""
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + h
        up = f()
        p[i] = old - h
        down = f()
        p[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def _away_from_kinks(rng, shape):
    # ReLU and |w| have no derivative at 0: keep samples out of a finite-difference step of it.
    z = rng.normal(size=shape)
    return np.where(np.abs(z) < 1e-3, 0.5, z)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_grad_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    z = _away_from_kinks(np.random.default_rng(1), 20) * 3
    numeric = (act.fn(z + 1e-6) - act.fn(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(act.grad(z, act.fn(z)), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_in_place_matches_allocating(name):
    act = ACTIVATIONS[name]
    z = np.random.default_rng(2).normal(size=(5, 3))
    a, d = np.empty_like(z), np.empty_like(z)
    np.testing.assert_array_equal(act.fn(z, out=a), act.fn(z))
    np.testing.assert_array_equal(act.grad(z, a, out=d), act.grad(z, act.fn(z)))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_into_buffers_allocates_nothing(name):
    act = ACTIVATIONS[name]
    z = np.random.default_rng(7).normal(size=(20_000, 2))
    a, d = np.empty_like(z), np.empty_like(z)
    act.grad(z, act.fn(z, out=a), out=d)  # first calls: any one-off set-up
    tracemalloc.start()
    act.grad(z, act.fn(z, out=a), out=d)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000  # a temporary the size of z would be 320 kB


EXTENDED_AT_ZERO = {  # the README's derivatives at z = 0: (value, derivative)
    "leakyRelu": (0.0, 0.01),
    "elu": (0.0, 1.0),
    "softplus": (np.log(2.0), 0.5),
    "swish": (0.0, 0.5),
}


@pytest.mark.parametrize("name", sorted(EXTENDED_AT_ZERO))
def test_extended_activations_at_zero_and_far_out(name):
    act = ACTIVATIONS[name]
    z = np.array([0.0, -0.0, -50.0, 50.0])
    a = act.fn(z)
    value, slope = EXTENDED_AT_ZERO[name]
    np.testing.assert_array_equal(a[:2], value)
    np.testing.assert_array_equal(act.grad(z, a)[:2], slope)
    sigmoid = 1 / (1 + np.exp(-z[2:]))
    far = {  # the README's formulas, where they cannot overflow
        "leakyRelu": ([-0.5, 50.0], [0.01, 1.0]),
        "elu": ([np.expm1(-50.0), 50.0], [np.exp(-50.0), 1.0]),
        "softplus": ([np.log1p(np.exp(-50.0)), 50.0 + np.log1p(np.exp(-50.0))], sigmoid),
        "swish": (z[2:] * sigmoid, sigmoid + z[2:] * sigmoid * (1 - sigmoid)),
    }[name]
    np.testing.assert_allclose(a[2:], far[0], rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(act.grad(z, a)[2:], far[1], rtol=1e-12, atol=1e-300)


def head_cases() -> list[tuple[str, int]]:
    """(head, output nodes) for every head: one node and three, as each head allows."""
    cases = []
    for name, head in sorted(HEADS.items()):
        if not head.one_node_per_class:
            cases.append((name, 1))
        if head.output_nodes(3) == 3:
            cases.append((name, 3))
    return cases


HEAD_CASES = head_cases()
HEAD_IDS = [f"{name}-{n_out}" for name, n_out in HEAD_CASES]


def head_inputs(head, rng, n: int = 6, n_out: int = 1):
    """Pre-activations, outputs and targets for ``head``, from labels of a fitting kind."""
    z = rng.normal(size=(n, n_out))
    return z, head.activation.fn(z), head.encode(sample_labels(head, rng, n, n_out), n_out)


def sample_labels(head, rng, n: int, n_out: int) -> np.ndarray:
    """±1 for one output node, 0..K-1 for K nodes (one per class).

    Regression heads get ±1 too: a loss's gradient holds for any target.
    """
    if n_out > 1:
        return rng.integers(0, n_out, size=n).astype(float)
    return rng.choice([-1.0, 1.0], size=n)


@pytest.mark.parametrize(("name", "n_out"), HEAD_CASES, ids=HEAD_IDS)
def test_head_delta_is_the_loss_gradient_at_the_pre_activation(name, n_out):
    head = HEADS[name]
    z, a, t = head_inputs(head, np.random.default_rng(3), n_out=n_out)

    def total_loss() -> float:
        return float(head.loss(z, head.activation.fn(z), t).sum())

    delta = head.delta(z, a, t, np.empty_like(z), np.empty_like(z))
    np.testing.assert_allclose(delta, numerical_grad(total_loss, z), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("name", "n_out"), HEAD_CASES, ids=HEAD_IDS)
def test_head_delta_writes_only_its_buffers(name, n_out):
    head = HEADS[name]
    z, a, t = head_inputs(head, np.random.default_rng(6), n_out=n_out)
    inputs = [z.copy(), a.copy(), t.copy()]
    out, deriv = np.empty_like(z), np.empty_like(z)
    assert head.delta(z, a, t, deriv, out) is out
    for before, after in zip(inputs, [z, a, t], strict=True):
        np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize("name", sorted(REGULARIZERS))
def test_regularizer_grad_matches_finite_differences(name):
    w = _away_from_kinks(np.random.default_rng(4), 12)
    reg = REGULARIZERS[name]
    numeric = (reg.penalty(w + 1e-6) - reg.penalty(w - 1e-6)) / 2e-6
    np.testing.assert_allclose(reg.grad(w), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("head", "n_out"), HEAD_CASES, ids=HEAD_IDS)
@pytest.mark.parametrize("reg", sorted(REGULARIZERS))
@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
def test_backprop_matches_finite_differences(activation, reg, head, n_out):
    check_backprop(activation, reg, head, n_out)


def check_backprop(activation: str, reg: str, head: str, n_out: int = 1) -> None:
    """Backprop's gradient of ``loss_and_grads`` against central differences of its loss."""
    rng = np.random.default_rng(0)
    net = Network.create([3, 4, 3, n_out], rng.random, activation=activation, head=head)
    net.params[:] = _away_from_kinks(rng, net.params.size) * 0.7
    X = feature_matrix(["x", "y", "xTimesY"], rng.normal(size=(8, 2)))
    labels = sample_labels(net.head, rng, 8, n_out)

    def loss() -> float:
        return net.loss_and_grads(X, labels, reg=reg, reg_rate=0.1)[0]

    before = net.params.copy()
    _, grads = net.loss_and_grads(X, labels, reg=reg, reg_rate=0.1)
    np.testing.assert_array_equal(net.params, before)  # computing gradients mutates nothing
    np.testing.assert_allclose(grads, numerical_grad(loss, net.params), rtol=1e-5, atol=1e-8)


def test_biases_are_not_regularized():
    net = Network.create([2, 3, 1], np.random.default_rng(5).random)
    X = feature_matrix(["x", "y"], np.zeros((1, 2)))
    _, plain = net.loss_and_grads(X, [[1.0]])
    _, with_l2 = net.loss_and_grads(X, [[1.0]], reg="L2", reg_rate=1.0)
    for plain_layer, l2_layer, params in zip(
        net.layer_views(plain), net.layer_views(with_l2), net.layers, strict=True
    ):
        np.testing.assert_array_equal(l2_layer[-1], plain_layer[-1])  # bias row unchanged
        np.testing.assert_allclose(l2_layer[:-1], plain_layer[:-1] + params[:-1])


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizer_steps_against_the_mean_gradient(name):
    # On f(w) = 0.5 |w|^2 a small enough step lowers f for every optimizer.
    w = np.array([1.0, -2.0, 0.5])
    opt = OPTIMIZERS[name](w.size)
    before = 0.5 * w @ w
    opt.step(w, 4 * w.copy(), 4, 0.1)  # grad sum over 4 identical examples
    assert 0.5 * w @ w < before


def test_sgd_step_is_the_originals_formula():
    w, acc = np.array([0.3, -0.2]), np.array([0.5, 1.5])
    OPTIMIZERS["sgd"](2).step(w, acc, 5, 0.03)
    np.testing.assert_array_equal(w, [0.3 - (0.03 / 5) * 0.5, -0.2 - (0.03 / 5) * 1.5])
