"""The sweep lab (/sweep) in headless Chromium: Run fills the map and the table as the
server's Fleet trains the runs, the best is named, a run's link opens it in the
playground with its settings, and a closed tab's sweep stops at once."""

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from playground.labs.home.pictures import run_config
from playground.sweep import best_index, cell_values, configure, parse_axis, run_cell

from .app_page import query, selected_label
from .harness import open_tab, running_server

pytestmark = pytest.mark.browser

SCENE = "x=learningRate&xValues=0.03,0.3&y=batchSize&yValues=10,30&epochs=20&scene=dataset%3Dxor"
LONG = "xValues=0.001,0.003,0.01,0.03,0.1&yValues=1,5,10,20,30&epochs=2000"
SESSION_END = "lab session ended: A sweep of settings"
SETTLE_S, WINDOW_S = 1.0, 2.0


def sweep_url(base_url: str, search: str) -> str:
    return base_url.rsplit("/app", 1)[0] + "/sweep?" + search


def readout(page: Page):
    return page.locator(".sweep-readout div").first


def run(page: Page) -> None:
    page.locator(".ui-runButton button").click()


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_run_fills_the_map_and_a_run_opens_in_the_playground(tab):
    page = tab.page
    page.goto(sweep_url(tab.server.base_url, SCENE))
    expect(readout(page)).to_contain_text("Press Run")
    run(page)
    expect(readout(page)).to_contain_text("4 of 4 runs", timeout=60_000)
    # The best named is the best of the same runs trained here.
    cells = cell_values(parse_axis("learningRate=0.03,0.3"), parse_axis("batchSize=10,30"))
    base = run_config("dataset=xor")[0]
    results = [run_cell(configure(base, values), 20) for values in cells]
    best = cells[best_index(results)]
    named = f"learningRate {best['learningRate']:g}, batchSize {best['batchSize']}"
    expect(readout(page)).to_contain_text(f"the best so far: {named}")
    rows = page.locator(".sweep-table a")
    expect(rows).to_have_count(4)
    expect(page.locator(".sweep-table tr.best")).to_contain_text(named)
    # The best run's link opens the playground with its settings.
    link = page.locator(".sweep-table tr.best a").get_attribute("href")
    page.goto(tab.server.base_url.rsplit("/app", 1)[0] + "/" + link)
    expect(page.locator(".ui-playButton button")).to_be_visible()
    assert query(page)["learningRate"] == f"{best['learningRate']:g}"
    assert selected_label(page, "learningRate") == f"{best['learningRate']:g}"
    assert query(page)["batchSize"] == str(best["batchSize"])
    assert query(page)["dataset"] == "xor"


def test_bad_values_say_why(tab):
    page = tab.page
    page.goto(sweep_url(tab.server.base_url, "xValues=0.1,abc"))
    expect(readout(page)).to_contain_text("Press Run")
    run(page)
    expect(readout(page)).to_contain_text("Cannot run")
    expect(readout(page)).to_contain_text("'abc' is not a number")


@pytest.mark.alone
def test_a_closed_tab_s_sweep_stops(browser, tmp_path, request):
    with (
        running_server(tmp_path / "serve.log") as server,
        open_tab(browser, server, request.node.name) as tab,
    ):
        page = tab.page
        page.goto(sweep_url(server.base_url, LONG))
        expect(readout(page)).to_contain_text("Press Run")
        run(page)
        expect(readout(page)).to_contain_text("of 25 runs")
        pid = server.process.pid
        before = cpu_s(pid)
        time.sleep(WINDOW_S)
        busy = cpu_s(pid) - before
        assert busy > 0.2 * WINDOW_S, f"the sweep trained only {busy:.2f} s in {WINDOW_S} s"
        offset = server.log_size()
        page.close()
        assert server.wait_for_log(SESSION_END, offset, 15)
        time.sleep(SETTLE_S)
        before = cpu_s(pid)
        time.sleep(WINDOW_S)
        idle = cpu_s(pid) - before
    assert idle < 0.05 * WINDOW_S, f"{idle:.2f} s of CPU in {WINDOW_S} s after the tab closed"
