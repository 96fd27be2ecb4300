"""N Parcours processes on PostgreSQL + Redis behind HAProxy, on one port.

    make cluster                      # 3 processes, http://127.0.0.1:8000
    .venv/bin/python deploy/cluster.py --processes 3 --port 8000

DATABASE_URL (default: database `parcours` on the local PostgreSQL, created if missing) and
MESSAGE_QUEUE_URL (default: the local Redis) are read from the environment. Each process listens on
a free local port; HAProxy (deploy/haproxy.cfg) balances them with sticky cookies and health checks
on /healthz. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "haproxy.cfg"
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/parcours"
DEFAULT_MQ = "redis://127.0.0.1:6379/0"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"  # Debian puts it in sbin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def haproxy_config(bind: str, ports: list[int]) -> str:
    """deploy/haproxy.cfg with its own listening address and one server line per process."""
    text = TEMPLATE.read_text()
    text = re.sub(r"(?m)^(\s*)bind \S+", lambda m: f"{m.group(1)}bind {bind}", text, count=1)
    servers = "".join(f"    server p{i} 127.0.0.1:{port} cookie p{i}\n" for i, port in enumerate(ports, 1))
    return re.sub(
        r"(?s)(# servers:begin\n).*?(\s*# servers:end)", lambda m: m.group(1) + servers + m.group(2).lstrip("\n"), text
    )


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist yet."""
    import psycopg

    base, name = url.replace("+psycopg", "").rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: process exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as res:
                if res.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy within {timeout}s")


class Cluster:
    """The processes and HAProxy; also used by the fault tests (tests/e2e/test_cluster_faults.py)."""

    def __init__(
        self,
        processes: int,
        port: int,
        database_url: str,
        mq_url: str,
        channel: str = "parcours",
        async_mode: str = "eventlet",
        log_dir: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        self.port = port
        self.ports = [free_port() for _ in range(processes)]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MESSAGE_QUEUE_URL": mq_url,
            "PARCOURS_MQ_CHANNEL": channel,
            "PARCOURS_ASYNC_MODE": async_mode,
            # HAProxy appends the client's address to X-Forwarded-For (`option forwardfor`): without
            # this every person would share HAProxy's address, and its per-address throttles.
            "PARCOURS_TRUSTED_PROXIES": os.environ.get("PARCOURS_TRUSTED_PROXIES") or "1",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.async_mode = async_mode
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="parcours-cluster-"))
        self.procs: list[subprocess.Popen | None] = [None] * processes
        self.haproxy: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def process_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.ports[i]}"

    def start_process(self, i: int) -> None:
        out = open(self.log_dir / f"p{i + 1}.log", "ab")
        self.procs[i] = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "run.py"),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.ports[i]),
                "--async-mode",
                self.async_mode,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.process_url(i), self.procs[i])

    def kill_process(self, i: int) -> None:
        proc = self.procs[i]
        if proc and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)

    def start(self) -> Cluster:
        self.start_process(0)  # migrates first; the others find the schema ready
        for i in range(1, len(self.procs)):
            self.start_process(i)
        cfg = self.log_dir / "haproxy.cfg"
        cfg.write_text(haproxy_config(f"127.0.0.1:{self.port}", self.ports))
        self.haproxy = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(cfg)], stderr=subprocess.STDOUT, stdout=open(self.log_dir / "haproxy.log", "ab")
        )
        wait_healthy(self.url, self.haproxy)
        return self

    def stop(self) -> None:
        for proc in [self.haproxy, *self.procs]:
            if proc and proc.poll() is None:
                proc.terminate()
        for proc in [self.haproxy, *self.procs]:
            if proc:
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--async-mode", choices=("eventlet", "threading", "gevent"), default="eventlet")
    args = parser.parse_args()
    db = os.environ.get("DATABASE_URL") or DEFAULT_DB
    if db.startswith("sqlite"):
        sys.exit("a cluster needs PostgreSQL: set DATABASE_URL=postgresql+psycopg://…")
    ensure_database(db)
    cluster = Cluster(
        args.processes,
        args.port,
        db,
        os.environ.get("MESSAGE_QUEUE_URL") or DEFAULT_MQ,
        os.environ.get("PARCOURS_MQ_CHANNEL", "parcours"),
        args.async_mode,
    )
    try:
        cluster.start()
        print(
            f"Parcours: {args.processes} processes behind HAProxy on {cluster.url} (logs in {cluster.log_dir})",
            flush=True,
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
        while all(p and p.poll() is None for p in [cluster.haproxy, *cluster.procs]):
            time.sleep(1)
        print("a process stopped; stopping the cluster", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
