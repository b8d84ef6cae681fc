"""Optimizers and gradient clipping, against a literal transcription of the formulas in
tests/reference/extended/README.md, one parameter at a time."""

import inspect
import math

import numpy as np
import pytest

from playground.engine import (
    OPTIMIZERS,
    Network,
    Trainer,
    feature_matrix,
    hyper_defaults,
    hyper_range,
    hyper_symbol,
)

README_DEFAULTS = {
    "sgd": {},
    "momentum": {"momentum": 0.9},
    "nesterov": {"momentum": 0.9},
    "adagrad": {"epsilon": 1e-10},
    "rmsprop": {"rho": 0.99, "epsilon": 1e-8},
    "adam": {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}
LABELS = ["SGD", "Momentum", "Nesterov", "Adagrad", "RMSprop", "Adam"]


def naive_steps(name, hypers, params, grad_sums, counts, lr, frozen=()):
    """README's update, parameter by parameter; ``hypers[k]`` holds during step k + 1.

    Returns the parameters and every parameter's state after the last step.
    """
    p = list(params)
    first, second = [0.0] * len(p), [0.0] * len(p)  # v or s or m; v of adam
    steps = zip(hypers, grad_sums, counts, strict=True)
    for t, (hyper, grad_sum, count) in enumerate(steps, start=1):
        for i in range(len(p)):
            if i in frozen:
                continue
            g = grad_sum[i] / count
            if name == "sgd":
                step = g
            elif name in ("momentum", "nesterov"):
                first[i] = hyper["momentum"] * first[i] + g
                step = first[i] if name == "momentum" else g + hyper["momentum"] * first[i]
            elif name == "adagrad":
                first[i] = first[i] + g * g
                step = g / (math.sqrt(first[i]) + hyper["epsilon"])
            elif name == "rmsprop":
                rho = hyper["rho"]
                first[i] = rho * first[i] + (1 - rho) * g * g
                step = g / (math.sqrt(first[i]) + hyper["epsilon"])
            else:
                b1, b2 = hyper["beta1"], hyper["beta2"]
                first[i] = b1 * first[i] + (1 - b1) * g
                second[i] = b2 * second[i] + (1 - b2) * g * g
                m_hat, v_hat = first[i] / (1 - b1**t), second[i] / (1 - b2**t)
                step = m_hat / (math.sqrt(v_hat) + hyper["epsilon"])
            p[i] = p[i] - lr * step
    return np.array(p), np.array(first), np.array(second)


def engine_state(opt) -> list[np.ndarray]:
    return [np.array(getattr(opt, name)) for name in opt.state_names]


def state_of(name: str, opt) -> tuple[np.ndarray, np.ndarray]:
    """The engine's state in the transcription's terms (first, second)."""
    if name == "adam":
        return opt.m, opt.v
    states = engine_state(opt)
    zeros = np.zeros_like(opt._step)
    return (states[0] if states else zeros), zeros


def random_run(seed: int, steps: int = 6, size: int = 7):
    rng = np.random.default_rng(seed)
    params = rng.normal(size=size)
    grad_sums = rng.normal(size=(steps, size)) * rng.uniform(0.1, 10, size=(steps, 1))
    grad_sums[:, 2] = 0.0  # a parameter whose gradient stays zero
    counts = rng.integers(1, 12, size=steps).tolist()
    return params, grad_sums, counts


def test_registry_labels_and_defaults():
    assert list(OPTIMIZERS) == list(README_DEFAULTS)
    assert [cls.label for cls in OPTIMIZERS.values()] == LABELS
    for name, cls in OPTIMIZERS.items():
        assert cls.defaults == README_DEFAULTS[name]
        opt = cls(3)
        for key, value in README_DEFAULTS[name].items():
            assert getattr(opt, key) == value
        # Callers that read keywords from the signature see the same defaults.
        keywords = list(inspect.signature(cls).parameters.values())[1:]
        assert {p.name: p.default for p in keywords} == README_DEFAULTS[name]


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_constructor_takes_only_its_own_hyper_parameters(name):
    with pytest.raises(TypeError):
        OPTIMIZERS[name](3, beta3=0.5)
    foreign = {"momentum": 0.5} if name not in ("momentum", "nesterov") else {"rho": 0.5}
    with pytest.raises(TypeError):
        OPTIMIZERS[name](3, **foreign)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_steps_match_the_formulas_parameter_by_parameter(name):
    params, grad_sums, counts = random_run(seed=1)
    hyper = {key: value * 0.9 for key, value in README_DEFAULTS[name].items()}  # not defaults
    opt = OPTIMIZERS[name](params.size, **hyper)
    w = params.copy()
    for grad_sum, count in zip(grad_sums, counts, strict=True):
        opt.step(w, grad_sum.copy(), count, 0.05)
    expected, first, second = naive_steps(
        name, [hyper] * len(counts), params, grad_sums, counts, 0.05
    )
    np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-15)
    for ours, theirs in zip(state_of(name, opt), (first, second), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_frozen_parameters_and_their_state_do_not_change(name):
    params, grad_sums, counts = random_run(seed=2)
    frozen_at = {1, 4}
    frozen = np.zeros(params.size, dtype=bool)
    frozen[list(frozen_at)] = True
    opt = OPTIMIZERS[name](params.size)
    w = params.copy()
    # Two live steps give the frozen entries some state; then they freeze for four.
    for k, (grad_sum, count) in enumerate(zip(grad_sums, counts, strict=True)):
        if k == 2:
            kept_params, kept_state = w.copy(), engine_state(opt)
        opt.step(w, grad_sum.copy(), count, 0.05, frozen if k >= 2 else None)
    np.testing.assert_array_equal(w[frozen], kept_params[frozen])
    for before, after in zip(kept_state, engine_state(opt), strict=True):
        np.testing.assert_array_equal(after[..., frozen], before[..., frozen])
    # The live ones follow the formulas, with t counting every update.
    hypers = [README_DEFAULTS[name]] * 2
    start, _, _ = naive_steps(name, hypers, params, grad_sums[:2], counts[:2], 0.05)
    np.testing.assert_allclose(w[frozen], start[frozen], rtol=1e-12, atol=1e-15)
    expected, _, _ = naive_steps(name, [README_DEFAULTS[name]] * 6, params, grad_sums, counts, 0.05)
    np.testing.assert_allclose(w[~frozen], expected[~frozen], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", [n for n in sorted(OPTIMIZERS) if README_DEFAULTS[n]])
def test_a_hyper_parameter_changed_live_keeps_the_state(name):
    params, grad_sums, counts = random_run(seed=3)
    opt = OPTIMIZERS[name](params.size)
    changed = {key: value * 0.5 for key, value in README_DEFAULTS[name].items()}
    w = params.copy()
    for k, (grad_sum, count) in enumerate(zip(grad_sums, counts, strict=True)):
        if k == 3:
            for key, value in changed.items():
                setattr(opt, key, value)
        opt.step(w, grad_sum.copy(), count, 0.05)
    hypers = [README_DEFAULTS[name]] * 3 + [changed] * 3
    expected, _, _ = naive_steps(name, hypers, params, grad_sums, counts, 0.05)
    np.testing.assert_allclose(w, expected, rtol=1e-12, atol=1e-15)


def blob_data() -> tuple[np.ndarray, np.ndarray]:
    points = np.random.default_rng(5).uniform(-5, 5, (20, 2))
    return points, np.sign(points[:, 0] * points[:, 1])


def blob_trainer(**settings) -> Trainer:
    """One full batch per epoch, so an epoch is one step on the mean gradient."""
    net = Network.create([2, 3, 1], np.random.default_rng(6).random)
    data = blob_data()
    return Trainer(net, ["x", "y"], data, data, batch_size=20, learning_rate=0.1, **settings)


def mean_gradient(trainer: Trainer) -> np.ndarray:
    points, labels = blob_data()
    return trainer.net.loss_and_grads(feature_matrix(trainer.features, points), labels)[1]


def test_clipping_scales_the_mean_gradient_to_the_global_norm():
    trainer = blob_trainer()
    g = mean_gradient(trainer)  # every weight and bias of one full batch
    norm = float(np.sqrt(np.sum(g * g)))
    clip = norm / 4
    expected = trainer.net.params - 0.1 * (clip / (norm + 1e-6)) * g
    trainer.configure(clip_norm=clip)  # live, as the app changes it
    trainer.epoch()
    np.testing.assert_allclose(trainer.net.params, expected, rtol=1e-12, atol=1e-15)


def test_a_norm_under_the_clip_leaves_the_update_as_it_was():
    unclipped, loose = blob_trainer(), blob_trainer(clip_norm=1e6)
    for trainer in (unclipped, loose):
        trainer.run(3)
    np.testing.assert_array_equal(loose.net.params, unclipped.net.params)


def test_configure_changes_a_hyper_parameter_and_keeps_the_state():
    trainer = blob_trainer(optimizer="adam", optimizer_options={"beta1": 0.8, "momentum": 0.5})
    opt = trainer.optimizer
    assert opt.beta1 == 0.8  # momentum is another optimizer's; adam ignores it
    trainer.run(2)
    moments = opt.moments.copy()
    trainer.configure(beta1=0.5, learning_rate=0.2)
    assert trainer.optimizer is opt
    assert (opt.beta1, opt.t, trainer.learning_rate) == (0.5, 2, 0.2)
    np.testing.assert_array_equal(opt.moments, moments)
    trainer.configure(optimizer="momentum")  # a new optimizer starts afresh
    assert trainer.optimizer.momentum == 0.5
    assert not trainer.optimizer.velocity.any()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_the_trainer_freezes_dead_links_and_their_optimizer_state(name):
    net = Network.from_matrices([[[0.01]]], [[0.0]], head="linearSquaredError")
    point, label = np.array([[1.0, 0.0]]), np.array([0.01])
    trainer = Trainer(
        net,
        ["x"],
        (point, label),
        (point, label),
        batch_size=1,
        learning_rate=0.1,
        regularization="L1",
        regularization_rate=1.0,
        optimizer=name,
    )
    trainer.epoch()
    # out = label, so the data step is 0 for every optimizer; w2 = 0.01 - 0.1: crossed.
    assert net.is_dead(0, 0, 0)
    opt = trainer.optimizer
    for state_name in opt.state_names:
        getattr(opt, state_name)[..., 0] = 0.3  # as if the link had learnt before it died
    kept = engine_state(opt)
    net.set_weight(0, 0, 0, 0.7)
    net.set_bias(0, 0, 5.0)  # a large error, so a live link would move
    trainer.run(2)
    assert net.weight(0, 0, 0) == 0.7
    assert net.bias(0, 0) != 5.0
    for before, after in zip(kept, engine_state(opt), strict=True):
        np.testing.assert_array_equal(after[..., 0], before[..., 0])


# How the formulas write each hyper-parameter, and where each makes sense.
SYMBOLS = {"momentum": "μ", "rho": "ρ", "beta1": "β1", "beta2": "β2", "epsilon": "ε"}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_each_hyper_parameter_has_its_symbol_and_a_range_holding_its_default(name):
    optimizer = OPTIMIZERS[name]
    for hyper, default in hyper_defaults(optimizer).items():
        assert hyper_symbol(optimizer, hyper) == SYMBOLS[hyper]
        value_range = hyper_range(optimizer, hyper)
        assert default in value_range
        if hyper == "epsilon":
            assert 0.0 not in value_range  # a division by √s + ε
        else:  # a fading average's factor
            assert value_range.high == 1.0
            assert 1.0 not in value_range
            assert 0.0 in value_range
    assert set(optimizer.symbols) <= set(hyper_defaults(optimizer))
    assert set(optimizer.ranges) <= set(hyper_defaults(optimizer))
