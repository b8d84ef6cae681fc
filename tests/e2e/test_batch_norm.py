"""Batch normalization in the browser: the link turns the control on, the deep sigmoid
scene trains with it, and unticking it takes the key off the link."""

import re

import pytest
from playwright.sync_api import expect

from .app_page import ANSWER_S
from .harness import artifact_path
from .test_app import epoch, open_app, query, shown_test_loss, wait_until

pytestmark = pytest.mark.browser

DEEP_SIGMOID = (
    "seed=0.31415&dataset=circle&networkShape=8,8,8,8,8,8&activation=sigmoid&batchSize=30"
)


def test_the_control_follows_the_link_and_the_deep_sigmoid_net_learns(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?{DEEP_SIGMOID}&batchNorm=true")
    control = page.locator(".ui-batchNorm").first
    checkbox = control.locator("input[type=checkbox]")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Space")  # play
    assert wait_until(lambda: epoch(page) >= 150, timeout_s=60)
    assert shown_test_loss(page) < 0.2
    page.screenshot(path=artifact_path("batch_norm_deep_sigmoid"))
    checkbox.uncheck()  # a new network without batch norm, paused at epoch 0
    expect(page).not_to_have_url(re.compile(r"batchNorm="))
    assert "batchNorm" not in query(page)
    assert wait_until(lambda: epoch(page) == 0, ANSWER_S)  # a new network


def test_a_batch_of_one_shows_a_note(tab):
    page = tab.page
    open_app(page, f"{tab.base_url}?batchNorm=true&batchSize=1")
    message = page.locator(".message").first
    expect(message).to_be_visible()
    expect(message).to_contain_text("batch size of 1")
    page.screenshot(path=artifact_path("batch_norm_batch_of_one"))
    page.locator(".ui-batchNorm input[type=checkbox]").uncheck()
    expect(message).to_be_hidden()
