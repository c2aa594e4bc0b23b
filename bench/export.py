"""Marketplace exports of 10,000 products: time and peak memory per exporter and format, against a plain
csv.writer of the same products measured in the same run.

Builds (or reuses) a scratch SQLite database in bench/out/export-<scale>/ holding the demo market and
`--scale` synthetic products (`load_demo`, as `ocop demo --scale N` does). Synthetic products have no packed
size or shelf life, so the bench gives them one (food only for the shelf life): most products are then
ready everywhere, and the rest are blocked for real reasons (lapsed certificates, services, no category).

Each measurement runs in a fresh child process, twice: once plain, for the wall time of export_listings
(read the products in batches, check them, render the file, record the exported listings, commit) and the
process's peak RSS during it above its resident memory before it (the kernel's peak is reset first); once under tracemalloc for the peak of Python allocations (tracemalloc
slows the run, so that pass is not timed). The baseline is one Core query of the market's products and
csv.writer of a row each (name, SKU, prices, stock, weight, booth) into a file. Goal: every export under
10 s and 200 MB; it exits 1 if one misses.

    .venv/bin/python bench/export.py [--scale 10000] [--only tiki,voso]
"""
import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from catalog import exporters  # noqa: E402
from catalog.demo.loader import load_demo  # noqa: E402
from catalog.exporters.service import export_listings  # noqa: E402
from catalog.models import Product  # noqa: E402
from catalog.ocop import FOOD_GROUPS  # noqa: E402
from storefront import create_app  # noqa: E402
from storefront.config import Config  # noqa: E402
from storefront.extensions import db  # noqa: E402
from vendors.models import Vendor  # noqa: E402

OUT = ROOT / "bench" / "out"
GOAL_SECONDS, GOAL_MB = 10, 200
MB = 1024 * 1024


def make_app(folder):
    settings = {"SECRET_KEY": "bench-only-secret", "BASE_URL": "https://cho-ocop.vn", "INSTANCE_PATH": str(folder),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'export.sqlite'}",
                "MEDIA_DIR": str(folder / "media"), "SEARCH_DIR": str(folder / "search")}
    return create_app(type("BenchConfig", (Config,), settings))


def prepare(folder, scale):
    """Migrate, load the market (adds only what is missing) and give synthetic products what they lack."""
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, OCOP_ENV="production", SECRET_KEY="bench-only-secret", BASE_URL="https://cho-ocop.vn",
               OCOP_INSTANCE=str(folder), DATABASE_URL=f"sqlite:///{folder / 'export.sqlite'}",
               MEDIA_DIR=str(folder / "media"), SEARCH_DIR=str(folder / "search"))
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env=env, cwd=ROOT,
                   check=True, capture_output=True)
    app = make_app(folder)
    with app.app_context():
        load_demo(scale=scale)
        db.session.execute(sa.update(Product).where(Product.length_cm.is_(None))
                           .values(length_cm=20.0, width_cm=12.0, height_cm=8.0))
        db.session.execute(sa.update(Product).where(Product.group.in_(FOOD_GROUPS), Product.shelf_life_days.is_(None))
                           .values(shelf_life_days=365))
        db.session.commit()
        count = db.session.scalar(sa.select(sa.func.count(Product.id)))
        db.engine.dispose()
    return count


def baseline(out_path):
    """The same products as one query and csv.writer: what any export costs at least."""
    stmt = (sa.select(Product.name, Product.sku, Product.slug, Product.price_vnd, Product.list_price_vnd, Product.stock,
                      Product.weight_g, Vendor.name)
            .join(Product.vendor).where(Product.deleted_at.is_(None), Product.is_published.is_(True),
                                        Vendor.status == "approved").order_by(Product.id))
    with open(out_path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        count = 0
        for row in db.session.execute(stmt).yield_per(1000):
            writer.writerow(row)
            count += 1
    return count, 0


def rss_now():
    """This process's resident memory now, in bytes (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss():
    """Start the kernel's peak-RSS count (VmHWM) afresh, so it measures the export, not the imports before it
    (Linux ≥ 4.0). Returns False where that is not possible: ru_maxrss, never reset, is used then."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss(reset):
    if reset:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_one(folder, key, fmt, traced):
    """In this (child) process: one export; prints a JSON line of its numbers."""
    app = make_app(folder)
    out_path = folder / f"out.{key}.{fmt}"
    with app.app_context():
        db.session.execute(sa.text("SELECT 1"))  # connect before measuring
        reset = reset_peak_rss()
        rss_before = rss_now()
        if traced:
            tracemalloc.start()
        started = time.perf_counter()
        if key == "baseline":
            exported, blocked = baseline(out_path)
        else:
            with open(out_path, "wb") as out:
                summary = export_listings(key, out, fmt=fmt)
            exported, blocked = summary.exported, len(summary.blocked)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else None
        max_rss = peak_rss(reset)
        db.engine.dispose()
    print(json.dumps({"exported": exported, "blocked": blocked, "seconds": seconds, "peak": peak,
                      "rss_growth": max(0, max_rss - rss_before), "max_rss": max_rss,
                      "bytes": out_path.stat().st_size}))


def measure(folder, key, fmt):
    """Run the export in two fresh processes: timed, then traced."""
    results = []
    for traced in (False, True):
        done = subprocess.run([sys.executable, __file__, "--child", key, fmt, "--folder", str(folder)]
                              + (["--traced"] if traced else []), cwd=ROOT, check=True, capture_output=True,
                              text=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    plain, traced = results
    return {**plain, "peak": traced["peak"]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=10_000, help="synthetic products on top of the demo market")
    ap.add_argument("--only", default="", help="comma-separated exporter keys (default: all)")
    ap.add_argument("--child", nargs=2, metavar=("KEY", "FORMAT"), help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    ap.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        run_one(Path(args.folder), *args.child, traced=args.traced)
        return

    folder = OUT / f"export-{args.scale}"
    started = time.perf_counter()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start", flush=True)
    total = prepare(folder, args.scale)
    print(f"{total:,} products in {folder / 'export.sqlite'} (ready in {time.perf_counter() - started:.0f} s)",
          flush=True)
    keys = [k for k in exporters.EXPORTERS if not args.only or k in args.only.split(",")]
    runs = [("baseline", "csv")] + [(k, fmt) for k in keys for fmt in exporters.EXPORTERS[k].formats]
    header = (f"{'export':<10} {'format':<6} {'exported':>8} {'blocked':>8} {'time s':>7} {'× base':>7} "
              f"{'py peak MB':>10} {'RSS Δ MB':>9} {'max RSS':>8} {'file MB':>8}  goal")
    print(header)
    print("-" * len(header))
    base_seconds, ok = None, True
    for key, fmt in runs:
        r = measure(folder, key, fmt)
        base_seconds = base_seconds or r["seconds"]
        passed = r["seconds"] < GOAL_SECONDS and max(r["peak"], r["rss_growth"]) < GOAL_MB * MB
        ok &= passed
        print(f"{key:<10} {fmt:<6} {r['exported']:>8,} {r['blocked']:>8,} {r['seconds']:>7.2f} "
              f"{r['seconds'] / base_seconds:>7.1f} {r['peak'] / MB:>10.1f} {r['rss_growth'] / MB:>9.1f} "
              f"{r['max_rss'] / MB:>8.0f} "
              f"{r['bytes'] / MB:>8.1f}  {'PASS' if passed else 'FAIL'}", flush=True)
    print(f"load average {os.getloadavg()[0]:.1f} at the end; bench took {time.perf_counter() - started:.0f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
