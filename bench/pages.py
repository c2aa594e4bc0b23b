"""Page throughput against a bare Flask page, measured in the same run.

Loads the demo market plus `--scale` synthetic products into an SQLite database (reused between runs),
serves `wsgi:app` and `bench/bare_app.py` with the same gunicorn settings, drives each with wrk, and
prints requests/s and p50/p95 latency for /, /products/, /products/<slug>/ and /api/v1/products as
ratios to the bare page. Anonymous visitors are served whole cached pages; the "signed in" rows sign a
real user in and get the cached page skeleton with their own header filled in on every request. Before
measuring it checks that language and session state never cross visitors.

    .venv/bin/python bench/pages.py [--scale 100000] [--duration 10] [--workers 2]
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env):
    subprocess.run(cmd, env=env, cwd=ROOT, check=True)


BENCH_USER, BENCH_PASSWORD, NAME = "bench@cho-ocop.test", "bench-only-password", "Người đo tải"


def prepare(env, scale):
    flask = [str(BIN / "flask"), "--app", "wsgi"]
    run(flask + ["db", "upgrade"], env)
    run(flask + ["ocop", "demo"], env)
    if scale:
        run(flask + ["ocop", "demo", "--scale", str(scale)], env)
    subprocess.run(flask + ["ocop", "create-user", BENCH_USER, "--name", NAME, "--password-stdin"],
                   env=env, cwd=ROOT, input=BENCH_PASSWORD + "\n", text=True, capture_output=True)


def signed_in_cookie(port):
    """A real signed-in session: fetch the sign-in form for its CSRF token, post it, keep the cookie."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/account/signin")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "identifier": BENCH_USER, "password": BENCH_PASSWORD})
    conn.request("POST", "/account/signin", body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"could not sign in the bench user: {response.status}")
    return [h for h in response.headers.get_all("Set-Cookie") if h.startswith("session=")][0].split(";")[0]


def serve(app_spec, port, workers, env):
    cmd = [str(BIN / "gunicorn"), "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}",
           "--log-level", "warning", app_spec]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit(f"{app_spec} did not start on port {port}")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


def wrk(url, duration, connections, headers=()):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(ROOT / "bench" / "percentiles.lua")]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT rps=([\d.]+) p50=(\d+) p95=(\d+) requests=(\d+) errors=(\d+) non2xx=(\d+)", out)
    rps, p50, p95, requests, errors, non2xx = m.groups()
    if int(errors) or int(non2xx):
        raise SystemExit(f"{url}: {errors} socket errors, {non2xx} non-2xx answers")
    return float(rps), int(p50) / 1000, int(p95) / 1000


def get(url, cookies=None):
    req = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.read().decode(), dict(r.headers)


def check_isolation(base, session_cookie):
    """Language and session state stay right under the page cache: a page cached for one visitor is
    only ever served to another visitor who would have been served the very same bytes."""
    for path in ("/", "/products/"):
        vi, _ = get(base + path)
        en, _ = get(base + path, "lang=en")
        assert 'lang="vi"' in vi and 'lang="en"' in en, f"{path}: language mixed up by the cache"
        for _ in range(3):
            assert 'lang="vi"' in get(base + path)[0] and 'lang="en"' in get(base + path, "lang=en")[0]
        for _ in range(3):
            mine, anonymous = get(base + path, session_cookie)[0], get(base + path)[0]
            assert NAME in mine and NAME not in anonymous, f"{path}: a signed-in header crossed visitors"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    instance = OUT / f"pages-{args.scale}"
    instance.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OCOP_ENV="production", SECRET_KEY="bench-only-secret", OCOP_INSTANCE=str(instance),
               DATABASE_URL=f"sqlite:///{instance / 'bench.sqlite'}", BASE_URL="http://127.0.0.1")
    env.pop("TEST_DATABASE_URL", None)
    t0 = time.time()
    prepare(env, args.scale)
    print(f"market ready in {time.time() - t0:.0f} s ({args.scale} synthetic products on top of the demo)")

    app_port, bare_port = free_port(), free_port()
    bare = serve("bench.bare_app:app", bare_port, args.workers, env)
    shop = serve("wsgi:app", app_port, args.workers, env)
    try:
        base = f"http://127.0.0.1:{app_port}"
        items = json.loads(get(base + "/api/v1/products?per_page=1")[0])["items"]
        slug = items[0]["slug"]
        session_cookie = signed_in_cookie(app_port)
        check_isolation(base, session_cookie)
        print("isolation check passed: language and session state never crossed visitors\n")

        bare_rps, bare_p50, bare_p95 = wrk(f"http://127.0.0.1:{bare_port}/", args.duration, args.connections)
        rows = [("bare Flask page", "", bare_rps, bare_p50, bare_p95)]
        for path in ("/", "/products/", f"/products/{slug}/", "/api/v1/products"):
            for label, headers in (("anonymous", ()), ("signed in", (f"Cookie: {session_cookie}",))):
                rows.append((path, label, *wrk(base + path, args.duration, args.connections, headers)))
    finally:
        stop(shop)
        stop(bare)

    print(f"{'page':34} {'visitor':10} {'req/s':>8} {'ratio':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for path, label, rps, p50, p95 in rows:
        print(f"{path[:34]:34} {label:10} {rps:8.0f} {rps / bare_rps:7.1%} {p50:8.2f} {p95:8.2f}")


if __name__ == "__main__":
    main()
