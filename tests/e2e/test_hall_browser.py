"""Students in Chromium behind ``playground serve --workers``: two students on two
workers both train; one worker dies, and its student's tab says so and comes back with
its scene on a live worker while the other trains on. And the full-room page, as a
student sees it: it waits, then lets the student in by itself."""

import contextlib
import os
import signal

import pytest
from playwright.sync_api import expect

from playground.remote import RemoteTabs, RoomFull

from .app_page import ANSWER_S, assert_epoch_advances, epoch, open_app, wait_until
from .harness import artifact_path, open_tab, running_server
from .test_reconnect import (
    NOTICE,
    NOTICE_TEXT,
    NOTICE_WITHIN_MS,
    SCENE,
    assert_recovers_with_its_scene,
    play,
    reloads,
)

pytestmark = pytest.mark.browser

MAX_STUDENTS = 4  # contexts opened until two workers hold one each
WORKER = "x-playground-worker"


def open_student(browser, server, name: str, stack) -> tuple:
    """A student (a browser context of its own: its own cookies) with the scene
    playing; and the worker (process id) that served its page."""
    tab = stack.enter_context(open_tab(browser, server, name))
    pages = []
    tab.page.on(
        "response", lambda r: pages.append(r) if r.request.resource_type == "document" else None
    )
    open_app(tab.page, f"{server.base_url}{SCENE}")
    play(tab.page)
    return tab, int(pages[-1].headers[WORKER]), pages


def test_a_student_whose_worker_dies_comes_back_with_the_scene(browser, tmp_path, request, haproxy):
    args = ("--workers", "2")
    with (
        running_server(tmp_path / "serve.log", extra_args=args) as server,
        contextlib.ExitStack() as stack,
    ):
        students = []
        while len({pid for _, pid, _ in students}) < 2 and len(students) < MAX_STUDENTS:
            name = f"{request.node.name}_{len(students)}"
            students.append(open_student(browser, server, name, stack))
        assert len({pid for _, pid, _ in students}) == 2, "the proxy sent both to one worker"
        victim = students[0][1]
        lost = [(tab, pages) for tab, pid, pages in students if pid == victim]
        kept = [tab for tab, pid, _ in students if pid != victim]
        epochs = {id(tab): epoch(tab.page) for tab in kept}

        os.kill(victim, signal.SIGKILL)

        for tab, _ in lost:
            notice = tab.page.locator(NOTICE)
            expect(notice).to_be_visible(timeout=NOTICE_WITHIN_MS)
            expect(notice).to_contain_text(NOTICE_TEXT)
        lost[0][0].page.screenshot(path=str(artifact_path(f"{request.node.name}_notice")))
        for tab, pages in lost:
            assert_recovers_with_its_scene(tab.page)
            assert int(pages[-1].headers[WORKER]) != victim  # a live worker's page
        for tab in kept:
            page = tab.page
            assert wait_until(lambda p=page, t=tab: epoch(p) > epochs[id(t)], ANSWER_S)
            assert_epoch_advances(page)
            assert page.locator(NOTICE).count() == 0
            assert reloads(page) == []
        assert f"(pid {victim}) was killed by signal 9" in server.log()


def test_the_full_room_page_waits_and_then_lets_the_student_in(browser, tmp_path, request):
    args = ("--max-students", "1")
    with running_server(tmp_path / "serve.log", extra_args=args) as server:
        # The page start_server asked for holds the one place for a few seconds more.
        holder = RemoteTabs(server.base_url, "seed=0.5")
        assert wait_until(lambda: _try_to_hold(holder), 30)
        try:
            with open_tab(browser, server, request.node.name) as tab:
                page = tab.page
                page.goto(f"{server.base_url}{SCENE}")
                expect(page.locator("h1")).to_have_text("The room is full")
                expect(page.locator("#wait")).to_contain_text("Trying again in")
                page.screenshot(path=str(artifact_path(f"{request.node.name}_full")))
                holder.close()  # the place is free again
                # The page asks again by itself (5 to 15 s) and opens the playground.
                expect(page.locator(".epoch div").first).to_contain_text("000,000", timeout=60_000)
                expect(page.locator(".num-layers div")).to_have_text("1 HIDDEN LAYER")
        finally:
            holder.close()


def _try_to_hold(tabs: RemoteTabs) -> bool:
    try:
        tabs.add(1, press_play=False)
    except RoomFull:
        return False
    return True
