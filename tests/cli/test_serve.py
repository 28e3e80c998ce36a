"""``ascent serve`` runs gunicorn in production mode, with static files by WhiteNoise."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "ASCENT_ENV": "production",
        "SECRET_KEY": "a-long-random-test-key-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",  # the test speaks plain HTTP to loopback
        "ASCENT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    main = [sys.executable, "-m", "ascent.cli.main"]
    subprocess.run([*main, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    server = subprocess.Popen(
        [*main, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310 (loopback, http on purpose)
            break
        except OSError:
            time.sleep(0.2)
    yield base
    server.terminate()
    server.wait(timeout=20)


def test_serve_answers_pages_and_static_files(served):
    with urllib.request.urlopen(served + "/", timeout=5) as page:  # noqa: S310
        assert page.status == 200
        body = page.read().decode()
        assert "Programs" in body
        assert page.headers["X-Frame-Options"] == "DENY"
        assert page.headers["X-Content-Type-Options"] == "nosniff"
        assert "Strict-Transport-Security" not in page.headers  # only sent over HTTPS
    sheets = [part.split('"')[0] for part in body.split('rel="stylesheet" href="')[1:]]
    assert [s.split("/")[2] for s in sheets] == ["vendor", "ascent"]  # Pico, then ours
    for stylesheet in sheets:
        assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), stylesheet  # a hashed name
        with urllib.request.urlopen(served + stylesheet, timeout=5) as css:  # noqa: S310
            assert css.status == 200
            assert "max-age" in css.headers["Cache-Control"]


def test_a_request_limit_always_comes_with_a_jitter():
    from ascent.cli.management.commands.serve import gunicorn_arguments

    base = {"bind": "127.0.0.1:9", "workers": 4, "threads": 1, "timeout": 60}

    def tail(args):
        argv = args.argv
        if "--max-requests" not in argv:
            return None
        i = argv.index("--max-requests")
        return argv[i + 1], argv[argv.index("--max-requests-jitter") + 1]

    unlimited = gunicorn_arguments({**base, "max_requests": 0})
    assert tail(unlimited) is None
    assert "--preload" not in unlimited.argv
    limited = gunicorn_arguments({**base, "max_requests": 1000})
    assert tail(limited) == ("1000", "1000")
    assert limited.argv.count("--preload") == 1
    given = gunicorn_arguments({**base, "max_requests": 1000, "max_requests_jitter": 50})
    assert tail(given) == ("1000", "50")
    copied = gunicorn_arguments(base, "--max-requests 1000 --timeout 30")
    assert tail(copied) == ("1000", "1000")
    assert "adding --max-requests-jitter 1000" in copied.notice
    assert "--preload" in copied.argv
    both = gunicorn_arguments(base, "--max-requests=1000 --max-requests-jitter=10")
    assert tail(both) == ("1000", "10")
    assert both.notice == ""
    assert tail(gunicorn_arguments(base, "--max-requests 'unbalanced")) is None
    preloaded = gunicorn_arguments(base, "--max-requests 1000 --preload")
    assert "--preload" not in preloaded.argv  # gunicorn reads it from $GUNICORN_CMD_ARGS


def test_warm_up_builds_what_a_first_request_would_without_the_database():
    """No django_db mark: any query would raise here (with --preload it runs in the master)."""
    from ascent.common.warmup import warm_up

    done = warm_up()
    assert done["templates"] >= 60
