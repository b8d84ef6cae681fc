"""Process setup shared by the app, the command line and the benchmarks."""

import functools
import gc

from threadpoolctl import threadpool_limits

# Allocations between two collections of the youngest generation (Python's default: 700).
YOUNG_GENERATION = 50_000


@functools.cache
def single_threaded_blas() -> None:
    """One BLAS thread: on matrices this small, more threads only burn the other core,
    and under load (a lecture hall of sessions) they stall each other badly. Once per
    process: every page calls it, and asking the libraries costs a few ms."""
    threadpool_limits(1, user_api="blas")


def fewer_garbage_collections() -> None:
    """For a server process, once it has imported everything. A tab's document is
    thousands of small objects (Bokeh models, param watchers), and a tab that stays
    open keeps them: at Python's default thresholds the collector ran hundreds of
    times per opened tab, its older generations through every open tab's objects.
    Objects alive now (the libraries) are left out of every later collection
    (``gc.freeze``), and the youngest generation is collected less often: garbage that
    only a collection frees (reference cycles) waits a little longer."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION, middle, oldest)
