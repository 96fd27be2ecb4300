"""Run blocking work (PDF rendering, big imports) off the event loop.

The one place besides run.py that knows about eventlet: under eventlet the work goes to its
native thread pool, so ten boards keep breathing while a PDF renders; under threading the
calling thread is already a real thread.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, TypeVar

T = TypeVar("T")


def _eventlet_running() -> bool:
    patcher = sys.modules.get("eventlet.patcher")
    return bool(patcher and patcher.is_monkey_patched("thread"))


def run_blocking(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    if _eventlet_running():
        from eventlet import tpool

        return tpool.execute(fn, *args, **kwargs)
    return fn(*args, **kwargs)
