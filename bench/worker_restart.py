"""Workers recycled by gunicorn's request limit: is a restart felt?

Starts ``ascent serve`` on an empty production database with 4 workers and a request
limit, sends requests from 4 clients for a while, and prints the latency percentiles and
the slowest requests; then the same with the limit and no jitter (what happens when an
operator sets --max-requests alone in plain gunicorn), for comparison.

    .venv/bin/python bench/worker_restart.py [--requests 2000] [--limit 200]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(limit: int, jitter: int | None, requests: int, workdir: Path) -> np.ndarray:
    port = free_port()
    env = {**os.environ, "ASCENT_ENV": "production", "SECRET_KEY": "bench-" + "k" * 50,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
           "ASCENT_VAR_DIR": str(workdir), "DATABASE_URL": f"sqlite:///{workdir / 'b.sqlite3'}",
           "REQUEST_LOG_LEVEL": "WARNING"}  # fmt: skip
    main = [sys.executable, "-m", "ascent.cli.main"]
    subprocess.run([*main, "migrate", "-v", "0"], env=env, check=True)
    serve = [*main, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "4",
             "--max-requests", str(limit)]  # fmt: skip
    if jitter is not None:
        serve += ["--max-requests-jitter", str(jitter)]
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(150):
        try:
            urllib.request.urlopen(base, timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)

    def one(_):
        started = time.perf_counter()
        with urllib.request.urlopen(base, timeout=30) as page:
            page.read()
        return (time.perf_counter() - started) * 1000

    try:
        with ThreadPoolExecutor(4) as pool:
            return np.array(list(pool.map(one, range(requests))))
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    print(f"{args.requests:,} requests to / from 4 clients, 4 workers, limit {args.limit}")
    print("| jitter | p50 ms | p95 ms | p99 ms | max ms | requests over 500 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, jitter in ((f"default ({args.limit}, with --preload)", None), ("none (0)", 0)):
        with tempfile.TemporaryDirectory() as workdir:
            times = run(args.limit, jitter, args.requests, Path(workdir))
        p50, p95, p99 = np.percentile(times, [50, 95, 99])
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {times.max():.0f} | "
              f"{int((times > 500).sum())} |")  # fmt: skip


if __name__ == "__main__":
    main()
