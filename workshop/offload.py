"""Run blocking work (PDF rendering) off the event loop.

The one place besides run.py that knows about eventlet. `run_blocking` hands a call to eventlet's
native thread pool (under threading the calling thread is already a real thread). `in_subprocess`
goes further for CPU-bound work: the call runs in a fresh Python process, so it competes with the
boards neither for the event loop nor for the GIL; a thread of the pool only waits for it.
"""
from __future__ import annotations

import importlib
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent


def _eventlet_running() -> bool:
    patcher = sys.modules.get("eventlet.patcher")
    return bool(patcher and patcher.is_monkey_patched("thread"))


def run_blocking(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    if _eventlet_running():
        from eventlet import tpool

        return tpool.execute(fn, *args, **kwargs)
    return fn(*args, **kwargs)


class SubprocessFailed(RuntimeError):
    pass


def _call_in_subprocess(target: str, args: tuple[Any, ...], timeout: float) -> Any:
    done = subprocess.run([sys.executable, "-m", "workshop.offload", target], input=pickle.dumps(args),
                          capture_output=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise SubprocessFailed(f"{target} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return pickle.loads(done.stdout)


def in_subprocess(target: str, *args: Any, timeout: float = 300) -> Any:
    """Call `package.module:function` with picklable `args` in a child process; answer its result."""
    return run_blocking(_call_in_subprocess, target, args, timeout)


def _worker() -> None:
    """The child's side: read the pickled args on stdin, write the pickled result on stdout."""
    module_name, _, name = sys.argv[1].partition(":")
    fn = getattr(importlib.import_module(module_name), name)
    result = fn(*pickle.loads(sys.stdin.buffer.read()))
    sys.stdout.buffer.write(pickle.dumps(result))


if __name__ == "__main__":
    _worker()
