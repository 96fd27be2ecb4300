"""Run blocking work (PDF rendering) off the event loop.

The one place besides run.py that knows about eventlet and gevent. `run_blocking` hands a call to
eventlet's (or gevent's) native thread pool (under threading the calling thread is already a real
thread). `in_subprocess` goes further for CPU-bound work: the call runs in another Python process, so
it competes with the boards neither for the event loop nor for the GIL; the caller only waits on the
worker's pipe, which is green under eventlet and gevent (both patch subprocess and select) and a plain
wait in a real thread.

That process is a warm worker: started on first use, reused for every call (Python, the app and
WeasyPrint are imported once, not per export), replaced when it dies, overruns its timeout or grows
past MAX_RSS_BYTES. Calls take turns on it; at most MAX_WAITING wait, the next is refused at once.
It runs at a lower CPU priority (WORKER_NICENESS) than the server: on a busy machine an export waits
for the boards, never the other way round; on an idle one it loses nothing.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import struct
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
MAX_RSS_BYTES = 300 * 1024 * 1024  # a renderer that grew past this is replaced after its call
MAX_WAITING = 8  # calls queued for the worker; the next one is refused
WORKER_NICENESS = 10  # added to the server's nice value in the worker (Linux: ~1/10 of the CPU share under contention)
_HEADER = struct.Struct("!Q")


def _eventlet_running() -> bool:
    patcher = sys.modules.get("eventlet.patcher")
    return bool(patcher and patcher.is_monkey_patched("thread"))


def _gevent_running() -> bool:
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("thread"))


def run_blocking(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    if _eventlet_running():
        from eventlet import tpool

        return tpool.execute(fn, *args, **kwargs)
    if _gevent_running():
        import gevent

        return gevent.get_hub().threadpool.apply(fn, args, kwargs)
    return fn(*args, **kwargs)


class SubprocessFailed(RuntimeError):
    pass


def _send(pipe: BinaryIO, obj: Any) -> None:
    data = pickle.dumps(obj)
    pipe.write(_HEADER.pack(len(data)) + data)
    pipe.flush()


def _read_exact(pipe: BinaryIO, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = pipe.read(left)
        if not chunk:
            raise EOFError("the worker closed its pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(pipe: BinaryIO) -> Any:
    return pickle.loads(_read_exact(pipe, _HEADER.unpack(_read_exact(pipe, _HEADER.size))[0]))


class Worker:
    """One warm child process, called one caller at a time."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None

    def _ensure(self) -> subprocess.Popen[bytes]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "workshop.offload", "--serve"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        return self.proc

    def call(self, target: str, args: tuple[Any, ...], timeout: float) -> Any:
        proc = self._ensure()
        try:
            _send(proc.stdin, (target, args))
            ready, _, _ = select.select([proc.stdout], [], [], timeout)
            if not ready:
                raise SubprocessFailed(f"{target} timed out after {timeout} s")
            ok, value, rss = _receive(proc.stdout)
        except (OSError, EOFError, pickle.UnpicklingError, struct.error) as exc:
            self.stop()
            raise SubprocessFailed(f"{target} failed: the worker died ({exc})") from None
        except SubprocessFailed:
            self.stop()
            raise
        if rss > MAX_RSS_BYTES:
            self.stop()
        if not ok:
            raise SubprocessFailed(f"{target} failed: {value}")
        return value

    def pid(self) -> int | None:
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(10)
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe:
                    pipe.close()
        self.proc = None


_worker = Worker()
_turn = threading.Lock()  # green under eventlet and gevent
_waiting = 0
_count_lock = threading.Lock()


def in_subprocess(target: str, *args: Any, timeout: float = 300) -> Any:
    """Call `package.module:function` with picklable `args` in the warm worker; answer its result."""
    global _waiting
    with _count_lock:
        if _waiting >= MAX_WAITING:
            raise SubprocessFailed("the renderer is busy: too many exports waiting")
        _waiting += 1
    try:
        with _turn:
            return _worker.call(target, args, timeout)
    finally:
        with _count_lock:
            _waiting -= 1


def worker_pid() -> int | None:
    """The warm worker's process id, when one is running (for tests)."""
    return _worker.pid()


def _rss_bytes() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _serve() -> None:
    """The child's side: read (target, args) frames on stdin, answer (ok, result or error, rss)."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print in a called function must not corrupt the frames
    try:
        os.nice(WORKER_NICENESS)
    except (AttributeError, OSError):  # no nice() on this platform: same priority as the server
        pass
    while True:
        try:
            target, args = _receive(stdin)
        except EOFError:
            return
        try:
            module_name, _, name = target.partition(":")
            result: tuple[bool, Any] = (True, getattr(importlib.import_module(module_name), name)(*args))
        except Exception:
            result = (False, traceback.format_exc()[-2000:])
        _send(stdout, (*result, _rss_bytes()))


if __name__ == "__main__":
    _serve()
