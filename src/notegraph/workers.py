"""One worker process per core for the steps that handle every note (parsing, units), and
no garbage collection while their results pile up.

Starting workers costs more than it saves for a few notes, so below ``PARALLEL_FROM`` items,
or on one core, the work runs in this process; the results come in the items' order either way.

>>> with worker_map(abs, [-2, 3, -4]) as results:
...     list(results)
[2, 3, 4]
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

PARALLEL_FROM = 200  # items; below this, starting worker processes costs more than it saves


@contextlib.contextmanager
def worker_map(function: Callable, items: Iterable, chunksize: int = 32,
               initializer: Callable | None = None,
               initargs: tuple = ()) -> Iterator[Iterator]:
    """``function`` over ``items`` in order, in worker processes when there are many (each
    started with ``initializer(*initargs)``, which runs here otherwise); the workers stop when
    the block ends."""
    items = list(items)
    workers = os.cpu_count() or 1
    if workers > 1 and len(items) >= PARALLEL_FROM:
        with ProcessPoolExecutor(workers, initializer=initializer, initargs=initargs) as pool:
            yield pool.map(function, items, chunksize=chunksize)
        return
    if initializer is not None:
        initializer(*initargs)
    yield map(function, items)


@contextlib.contextmanager
def paused_collection():
    """No garbage collection inside: unpickling a million small objects otherwise starts
    hundreds of collections, each walking every object made so far, none of them garbage
    (loading the manifest of 10,000 notes: 0.6 s, else 0.2 s).

    >>> with paused_collection():
    ...     gc.isenabled()
    False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
