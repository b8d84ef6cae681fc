"""A server process's setup (``playground.threads``), each in a process of its own: it
changes the whole process."""

import subprocess
import sys

from playground.threads import YOUNG_GENERATION


def run(script: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.split()


def test_a_server_process_collects_garbage_less_often_and_never_its_libraries():
    script = (
        "import gc, panel; from playground.threads import fewer_garbage_collections; "
        "before = gc.get_freeze_count(); fewer_garbage_collections(); "
        "print(before, gc.get_freeze_count() > 10_000, gc.get_threshold()[0])"
    )
    assert run(script) == ["0", "True", str(YOUNG_GENERATION)]


def test_blas_is_limited_once_per_process():
    script = (
        "import threadpoolctl; from playground import threads; "
        "calls = []; real = threads.threadpool_limits; "
        "threads.threadpool_limits = lambda *a, **k: calls.append(1) or real(*a, **k); "
        "threads.single_threaded_blas(); threads.single_threaded_blas(); "
        "info = threadpoolctl.threadpool_info(); "
        "print(len(calls), all(i['num_threads'] == 1 for i in info if i['user_api'] == 'blas'))"
    )
    assert run(script) == ["1", "True"]
