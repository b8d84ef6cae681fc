import math

from playground.state import PlaygroundState
from playground.views.loss import LossChart


def test_chart_streams_new_points_and_fits_its_ranges():
    state = PlaygroundState(seed="1")
    chart = LossChart(state)
    state.train(3)
    state.train(2)
    chart.update()
    data = chart._source.data
    assert list(data["epoch"]) == [0, 3, 5]
    losses = list(data["train"]) + list(data["test"])
    assert chart._y_range.start < min(losses)
    assert chart._y_range.end > max(losses)
    assert (chart._x_range.start, chart._x_range.end) == (0, 5)


def test_reset_starts_the_chart_afresh_and_nan_is_skipped():
    state = PlaygroundState(seed="1")
    chart = LossChart(state)
    state.train(4)
    chart.update()
    state.reset()
    chart.update()
    assert list(chart._source.data["epoch"]) == [0]
    state.loss_history["epoch"].append(1)
    state.loss_history["train"].append(math.nan)
    state.loss_history["test"].append(math.nan)
    chart.update()
    assert math.isfinite(chart._y_range.start)
    assert math.isfinite(chart._y_range.end)
