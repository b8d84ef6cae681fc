"""Process setup shared by the app, the command line and the benchmarks."""

from threadpoolctl import threadpool_limits


def single_threaded_blas() -> None:
    """One BLAS thread: on matrices this small, more threads only burn the other core,
    and under load (a lecture hall of sessions) they stall each other badly."""
    threadpool_limits(1, user_api="blas")
