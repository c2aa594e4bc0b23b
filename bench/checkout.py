"""Checkout under a rush: 200 buyers competing for the last 20 units of one product, plus normal traffic.

Creates a scratch PostgreSQL database (dropped at the end), migrates it, seeds a few booths and products,
serves `wsgi:app` with gunicorn (4 sync workers) and drives the real pages over HTTP: each buyer opens the
product page, posts its add-to-cart form, opens /checkout, reads the CSRF token from the form, and, once
every buyer is ready, all of them post the checkout form (cash on delivery) at the same moment.

Two rounds, measured in the same run: a baseline where the 200 buyers' product has plenty of stock, then
the contested round where it has 20. Each prints orders placed, checkouts per second and p50/p95 latency of
the checkout POST; the contested round also checks the database: exactly 20 units sold, none oversold, the
stock movements adding up, and every buyer's answer (placed, told it sold out, or an error: HTTP 5xx,
timeouts, refused connections).

    .venv/bin/python bench/checkout.py [--buyers 200] [--units 20] [--normal 100] [--workers 4]
"""
import argparse
import html
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

DELIVERY = {"recipient_name": "Người mua thử", "phone": "0912 345 678", "province": "vinh-long",
            "commune": "Xã Đại Phước", "street": "12 Ấp Chợ", "note": "", "payment_method": "cod"}
ADD_FORM = re.compile(r'<form class="add-cart".*?</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
CHECKOUT_TOKEN = re.compile(r'<input id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"')
ERROR_TEXT = re.compile(r'class="(?:notice notice-error|form-errors|field-errors)[^"]*"[^>]*>(.*?)</', re.S)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the scratch market -----------------------------------------------------------------------------------

def seed(env, units):
    """A few booths, the contested product (`units` in stock), a plentiful twin for the baseline round and
    everyday products; returns {"hot": slug, "plenty": slug, "others": [slug]} and the hot product's id."""
    os.environ.update(env)
    from catalog.models import Product
    from orders.models import BoothTerms
    from storefront import create_app
    from storefront.extensions import db
    from vendors.models import Vendor

    app = create_app()
    with app.app_context():
        booths = []
        for n, (name, fee, free_over) in enumerate([("HTX Dừa Sáp Cầu Kè", 30_000, 300_000),
                                                    ("HTX Chè Tân Cương", 25_000, None),
                                                    ("Làng nghề Gốm Vĩnh Long", 40_000, 1_000_000)]):
            vendor = Vendor(name=name, slug=f"bench-booth-{n}", entity_type="hop_tac_xa", province="vinh-long",
                            status="approved")
            db.session.add(vendor)
            db.session.flush()
            db.session.add(BoothTerms(vendor_id=vendor.id, shipping_fee_vnd=fee, free_shipping_over_vnd=free_over))
            booths.append(vendor)

        def product(vendor, slug, name, price, stock):
            p = Product(vendor=vendor, name=name, slug=slug, group="thuc_pham", price_vnd=price, stock=stock)
            db.session.add(p)
            return p

        hot = product(booths[0], "dua-sap-loai-1", "Dừa sáp loại 1 (mùa cuối)", 180_000, units)
        product(booths[0], "dua-sap-du-hang", "Dừa sáp loại 2", 150_000, 1_000_000)
        others = [product(booths[i % 3], f"hang-thuong-{i}", f"Đặc sản thường ngày {i}", 35_000 + 5_000 * i,
                          1_000_000) for i in range(6)]
        db.session.commit()
        market = {"hot": hot.slug, "plenty": "dua-sap-du-hang", "others": [p.slug for p in others]}, hot.id
        db.session.remove()
        db.engine.dispose()
    return market


def serve(port, workers, env):
    cmd = [str(BIN / "gunicorn"), "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}", "--backlog", "2048",
           "--timeout", "120", "--log-level", "warning", "wsgi:app"]
    log = open(Path(env["OCOP_INSTANCE"]) / "gunicorn.log", "ab")  # the app logs every e-mail at INFO
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=log)
    log.close()
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/cart", timeout=5).read()
            return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise SystemExit(f"gunicorn did not start on port {port}")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


# -- one buyer --------------------------------------------------------------------------------------------

class Browser:
    """A keep-alive HTTP connection with the session cookie, like one shopper's phone."""

    def __init__(self, port, timeout):
        self.port, self.timeout, self.cookie = port, timeout, None
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, form=None):
        headers = {"Origin": f"http://127.0.0.1:{self.port}", "Sec-Fetch-Site": "same-origin"} if form else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # one retry on a fresh connection: sync workers close kept-alive ones
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body, headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or ():
            if header.startswith("session="):
                self.cookie = header.split(";")[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, response.getheader("Location", ""), text

    def close(self):
        self.conn.close()


def add_to_cart(browser, slug, quantity):
    status, _location, page = browser.request("GET", f"/products/{slug}/")
    if status != 200:
        raise RuntimeError(f"product page {slug}: HTTP {status}")
    # The product's own form is the one with a quantity (cards of other products on the page have none).
    form = next((f for f in ADD_FORM.findall(page) if 'name="quantity"' in f), None)
    if form is None:
        return False  # sold out: the page shows no add-to-cart form
    fields = dict(HIDDEN.findall(form))
    form = {"csrf_token": html.unescape(fields.get("csrf_token", "")), "product_id": fields["product_id"],
            "next": html.unescape(fields.get("next", "/")), "quantity": str(quantity)}
    status, _location, _page = browser.request("POST", "/cart/add", form)
    if status != 303:
        raise RuntimeError(f"add to cart {slug}: HTTP {status}")
    return True


def errors_on(page):
    return " ".join(html.unescape(m.strip()) for m in ERROR_TEXT.findall(page) if m.strip())[:160]


class Outcome:
    def __init__(self, kind, detail="", seconds=None):
        self.kind, self.detail, self.seconds = kind, detail, seconds


def buyer(port, slugs, barrier, timeout, n):
    """Fill a cart, open the checkout form, wait for everyone, place the order (cash on delivery)."""
    browser = Browser(port, timeout)
    try:
        try:
            added = [add_to_cart(browser, slug, 1) for slug in slugs]
            status, location, page = browser.request("GET", "/checkout")
            token = CHECKOUT_TOKEN.search(page) if status == 200 else None
        finally:
            barrier.wait()
        if not all(added) or token is None:
            return Outcome("sold out", "before checkout")
        form = dict(DELIVERY, csrf_token=html.unescape(token.group(1)), email=f"buyer{n}@bench.test",
                    recipient_name=f"Người mua {n}")
        started = time.perf_counter()
        status, location, page = browser.request("POST", "/checkout", form)
        seconds = time.perf_counter() - started
        if status == 303 and "/orders/" in location:
            return Outcome("placed", location, seconds)
        if status == 303 and location.endswith("/cart"):  # nothing left to order: back to the cart, told why
            _status, _location, page = browser.request("GET", "/cart")
            return Outcome("sold out", errors_on(page), seconds)
        if status in (400, 409):  # the checkout form again, with the reason
            return Outcome("sold out", errors_on(page), seconds)
        if status >= 500:
            return Outcome("error", f"HTTP {status}", seconds)
        return Outcome("error", f"unexpected HTTP {status} {location}", seconds)
    except threading.BrokenBarrierError:
        return Outcome("error", "barrier broken")
    except TimeoutError:
        return Outcome("error", "timeout")
    except (OSError, http.client.HTTPException, RuntimeError) as exc:
        return Outcome("error", f"{type(exc).__name__}: {exc}")
    finally:
        browser.close()


def round_of(port, carts, timeout):
    """All buyers at once; returns (outcomes in buyer order, seconds from the first to the last answer)."""
    barrier = threading.Barrier(len(carts) + 1)
    outcomes = [None] * len(carts)

    def run(i):
        outcomes[i] = buyer(port, carts[i], barrier, timeout, i)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(carts))]
    for t in threads:
        t.start()
    barrier.wait()  # every buyer has its cart and its checkout form
    started = time.perf_counter()
    for t in threads:
        t.join()
    return outcomes, time.perf_counter() - started


# -- figures ----------------------------------------------------------------------------------------------

def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(outcomes, seconds):
    timed = [o.seconds for o in outcomes if o.seconds is not None]
    placed = sum(o.kind == "placed" for o in outcomes)
    return {"placed": placed, "sold out": sum(o.kind == "sold out" for o in outcomes),
            "errors": sum(o.kind == "error" for o in outcomes), "checkouts/s": len(timed) / seconds,
            "orders/s": placed / seconds, "p50": percentile(timed, 0.5) * 1000, "p95": percentile(timed, 0.95) * 1000,
            "mean": statistics.fmean(timed) * 1000 if timed else float("nan")}


def database_check(url, hot_id, units):
    with psycopg.connect(url) as conn:
        stock = conn.execute("SELECT stock FROM products WHERE id = %s", (hot_id,)).fetchone()[0]
        sold = conn.execute("SELECT COALESCE(SUM(quantity), 0) FROM order_lines WHERE product_id = %s",
                            (hot_id,)).fetchone()[0]
        moved = conn.execute("SELECT COALESCE(SUM(delta), 0) FROM stock_movements WHERE product_id = %s",
                             (hot_id,)).fetchone()[0]
        orders = conn.execute("SELECT COUNT(*) FROM orders").fetchone()[0]
    return {"stock": stock, "sold": int(sold), "moved": int(moved), "orders": orders,
            "oversold": max(0, int(sold) - units) + max(0, -stock)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--buyers", type=int, default=200, help="buyers competing for the contested product")
    ap.add_argument("--units", type=int, default=20, help="units of the contested product in stock")
    ap.add_argument("--normal", type=int, default=100, help="buyers of other products at the same time")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--timeout", type=float, default=60, help="seconds before a request counts as timed out")
    ap.add_argument("--pg", default=os.environ.get("PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = ap.parse_args()

    name = f"ocop_bench_checkout_{os.getpid()}"
    admin = psycopg.connect(args.pg, autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = args.pg.rsplit("/", 1)[0] + "/" + name
    port = free_port()
    proc = None
    try:
        with tempfile.TemporaryDirectory(prefix="ocop-bench-checkout-") as instance:
            env = dict(os.environ, OCOP_ENV="production", SECRET_KEY="bench-only-secret", OCOP_INSTANCE=instance,
                       DATABASE_URL=url, BASE_URL=f"http://127.0.0.1:{port}", MAIL_BACKEND="outbox")
            env.pop("TEST_DATABASE_URL", None)
            flask = [str(BIN / "flask"), "--app", "wsgi"]
            subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
            market, hot_id = seed(env, args.units)
            subprocess.run(flask + ["ocop", "reindex"], env=env, cwd=ROOT, check=True, capture_output=True)
            proc = serve(port, args.workers, env)
            others = market["others"]
            normal = [[others[i % len(others)], others[(i + 3) % len(others)]] for i in range(args.normal)]

            load = os.getloadavg()[0]
            baseline, base_s = round_of(port, [[market["plenty"]]] * args.buyers + normal, args.timeout)
            contested, cont_s = round_of(port, [[market["hot"]]] * args.buyers + normal, args.timeout)
            check = database_check(url, hot_id, args.units)
    finally:
        if proc is not None:
            stop(proc)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    hot_outcomes = contested[:args.buyers]
    rows = [("baseline: plenty of stock", summary(baseline, base_s)),
            (f"contested: {args.units} units", summary(contested, cont_s))]
    print(f"\ngunicorn {args.workers} sync workers, PostgreSQL; {args.buyers} buyers for one product "
          f"+ {args.normal} buyers of other products, all posting the checkout form at once "
          f"({os.cpu_count()} CPUs, load average {load:.1f} when the rounds started)\n")
    print(f"{'round':28} {'placed':>7} {'sold out':>9} {'errors':>7} {'checkouts/s':>12} {'orders/s':>9} "
          f"{'p50 ms':>8} {'p95 ms':>8}")
    for label, s in rows:
        print(f"{label:28} {s['placed']:7d} {s['sold out']:9d} {s['errors']:7d} {s['checkouts/s']:12.1f} "
              f"{s['orders/s']:9.1f} {s['p50']:8.0f} {s['p95']:8.0f}")
    ratio = rows[1][1]["checkouts/s"] / rows[0][1]["checkouts/s"]
    print(f"\ncontested / baseline checkouts per second: {ratio:.0%}")
    hot_placed = sum(o.kind == "placed" for o in hot_outcomes)
    print(f"contested product: {hot_placed} orders placed, {check['sold']} units sold of {args.units}, "
          f"{check['oversold']} oversold, stock left {check['stock']}, stock movements {check['moved']:+d}")
    errors = [o.detail for o in baseline + contested if o.kind == "error"]
    print(f"errors (HTTP 5xx, timeouts, refused connections): {len(errors)}"
          + (f" — first: {errors[0]}" if errors else ""))
    said = sorted({o.detail for o in hot_outcomes if o.kind == "sold out" and o.detail != "before checkout"})
    for message in said[:3]:
        print(f"a buyer who missed out read: {message!r}")
    ok = (check["sold"] == args.units == hot_placed and check["oversold"] == 0 and check["stock"] == 0
          and check["moved"] == -args.units and not errors)
    if not ok:
        raise SystemExit("FAILED: the contested product was not sold exactly once per unit, or errors happened")


if __name__ == "__main__":
    main()
