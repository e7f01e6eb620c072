"""Process-wide runtime policy (the cyclic garbage collector), for entry points only.

Library code never calls these: a notebook user who calls an analytic keeps
the collector as they set it. The main job, the CLI and the benchmarks wrap
their work in :func:`gc_paused` or :func:`heap_frozen` once.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["gc_paused", "heap_frozen"]


@contextlib.contextmanager
def gc_paused(*, promote: bool = False) -> Iterator[None]:
    """The cyclic garbage collector off for the block (reference counting still frees memory).

    With ``promote``, what the block built then counts as old: every tracked
    object is moved to the oldest generation on leaving (``gc.freeze()`` then
    ``gc.unfreeze()``, which splice lists without visiting the objects). Left
    in the youngest, a block's millions of new objects are traversed by the
    very next collection (about a second for a 100k-node read-back), and again
    as they are promoted. Other young objects are promoted with them, so their
    cycles wait for a full collection. Skipped when objects are frozen already
    (see :func:`heap_frozen`), since unfreezing would release them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if promote and gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


@contextlib.contextmanager
def heap_frozen() -> Iterator[None]:
    """Every object alive now moved out of the cyclic collector's sight for the block (``gc.freeze``).

    A collection inside the block then examines only objects made inside it.
    Objects made before still die by reference counting when let go; only
    cycles among them wait until the block ends (``gc.unfreeze``).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
