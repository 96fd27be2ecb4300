"""Start the real server (`run.py`) on a free port for end-to-end and browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `run.py` process; `kill()` is a real SIGKILL, `start()` again restarts on the same port."""

    def __init__(
        self,
        database_url: str,
        *,
        port: int | None = None,
        async_mode: str = "eventlet",
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
    ):
        self.database_url = database_url
        self.port = port or free_port()
        self.async_mode = async_mode
        self.env = env or {}
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "PARCOURS_DEMO": "0",
            "PARCOURS_ASYNC_MODE": self.async_mode,
            "PYTHONUNBUFFERED": "1",
            **self.env,
        }
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "run.py"),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--async-mode",
                self.async_mode,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready on {self.url} within {timeout}s")

    def kill(self) -> None:
        """A crash, not a shutdown: nothing gets the chance to flush."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def api(self, method: str, path: str, token: str | None = None, **kwargs: Any) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=30, **kwargs)


@contextmanager
def demo_server() -> Iterator[tuple[Server, dict[str, Any]]]:
    """The demo workshop in a throw-away SQLite database, served by the real `run.py` (for the
    screenshot scripts); yields the server and the demo's links."""
    from workshop.db import Database
    from workshop.demo import create_demo

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        db = Database(url)
        db.migrate()
        demo = create_demo(db)
        db.dispose()
        server = Server(url, log_path=Path(tmp) / "server.log").start()
        try:
            yield server, demo
        finally:
            server.stop()
