"""Run independent jobs in worker processes and hand back their results in job order.

The workers are forked, so they inherit the loaded data instead of receiving a copy of it
through a pipe; each job's result (or the exception it raised) comes back pickled. A job
that fails does not stop the others: its exception is returned in its place, for the
caller to report once every job is done.

Workers never outlive the run: each asks the system to kill it when its parent dies
(Linux; elsewhere a thread watches the parent), ignores Ctrl-C (the parent reports the
interruption, once), and is stopped at once when the parent stops early.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

J = TypeVar("J")
R = TypeVar("R")

_WORK: dict[str, Any] = {}  # set before the fork: the function and the jobs


def default_jobs() -> int:
    """The number of processes to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _forkable() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


_PR_SET_PDEATHSIG = 1


def _worker_start(parent: int) -> None:
    """In each worker: ignore Ctrl-C (the parent tells it), and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        watched = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) == 0
    except (OSError, AttributeError):  # not Linux
        watched = False
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)
    if not watched:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _pool(workers: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=_worker_start, initargs=(os.getpid(),)
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now (the run was interrupted or gave up): no job is finished."""
    for process in list((pool._processes or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


class Background(Generic[R]):
    """``fn(*args)`` worked out in a forked process while this one goes on.

    With one CPU, or where processes cannot be forked, it is worked out here when
    :meth:`result` is first asked for. ``fn`` and ``args`` must pickle; an exception
    ``fn`` raises is raised again by :meth:`result`.
    """

    def __init__(self, fn: Callable[..., R], *args: Any) -> None:
        self._fn, self._args = fn, args
        self._pool: ProcessPoolExecutor | None = None
        if default_jobs() > 1 and _forkable():
            self._pool = _pool(1)
            self._future = self._pool.submit(fn, *args)

    def result(self) -> R:
        if self._pool is None:
            return self._fn(*self._args)
        try:
            return self._future.result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): do it here
            return self._fn(*self._args)
        except BaseException:
            _stop(self._pool)
            raise
        finally:
            self._pool.shutdown()


def _picklable(exc: BaseException) -> BaseException:
    try:
        pickle.dumps(exc)
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _run(index: int) -> tuple[Any, BaseException | None]:
    try:
        return _WORK["fn"](_WORK["jobs"][index]), None
    except Exception as exc:
        return None, _picklable(exc)
    finally:
        gc.collect()  # see run_ordered


@contextmanager
def _collected_after_each() -> Iterator[None]:
    """What exists now is frozen out of the garbage collector's sight; the caller collects
    after each job.

    A report leaves cycles behind (python-docx's document, part and package refer to each
    other), and with them its whole XML tree, until the collector comes round: a worker
    held several reports' trees at once and grew to 550 MB in a 400-school build. Collecting
    after each report keeps it flat; the freeze keeps that collection to the report's own
    objects (9 ms instead of a pass over the whole year's data), and keeps a forked
    worker from copying the pages of data it only reads.
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def run_ordered(
    fn: Callable[[J], R], jobs: Sequence[J], workers: int = 1
) -> Iterator[tuple[J, R | None, BaseException | None]]:
    """``(job, result, None)`` or ``(job, None, exception)`` for each job, in job order.

    With ``workers`` > 1 (and fork available) the jobs run in that many processes;
    otherwise one by one in this process.
    """
    with _collected_after_each():
        if workers <= 1 or len(jobs) <= 1 or not _forkable():
            for job in jobs:
                try:
                    result = fn(job)
                except Exception as exc:
                    yield job, None, exc
                else:
                    yield job, result, None
                finally:
                    gc.collect()
            return
        _WORK.update(fn=fn, jobs=list(jobs))
        pool = _pool(min(workers, len(jobs)))
        try:
            futures = [pool.submit(_run, i) for i in range(len(jobs))]
            for job, future in zip(jobs, futures, strict=True):
                result, exc = future.result()
                yield job, result, exc
        except BaseException:  # Ctrl-C, or the caller stopped taking results
            _stop(pool)
            raise
        finally:
            pool.shutdown()
            _WORK.clear()
