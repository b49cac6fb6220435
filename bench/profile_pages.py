"""Where a cold render spends its time: cProfile over a few pages of a benchmark site.

Not a test: a script to run by hand on a site that `site_benchmark.py --keep` generated.

    .venv/bin/python bench/profile_pages.py --reuse /tmp/site-bench-XXXX --only library,month
        [--renders 20] [--fragments warm|cold] [--top 25] [--sort tottime|cumulative]

It runs in this process with the production settings of that site (the same environment as the
benchmark's gunicorn, page cache off), through Django's test client as an anonymous visitor:

1. each sampled URL of each page type is requested once, so that what a running worker makes
   once (URL configuration, renditions, per-process caches, and with `--fragments warm` the
   shared fragments) is made;
2. then `--renders` requests per page type, cycling over the sampled URLs, timed, and as many
   again under cProfile. With `--fragments unseen`, those requests go to pages not requested
   before, once each (a detail page's own fragments are rendered, the shared ones are read, as
   in the benchmark's cold pass); with `--fragments cold` the cache is cleared before each one
   (every fragment is rendered, the facet indexes are built again).

It prints, per page type, the CPU milliseconds per request outside the profiler (measured
first, without it), the SQL queries per request, and the functions where the profiled requests
spent the most time. Why by hand rather than with a profiler attached to gunicorn: the test
client runs the same middleware, URL resolution and templates without a socket, so the figures
are the render's own, and the profile is not diluted by the server's loop.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import production_environment  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", required=True, help="a site kept by site_benchmark.py --keep")
    parser.add_argument("--only", default="library,projects,agenda,month,publication,project")
    parser.add_argument("--samples", type=int, default=5, help="URLs sampled per page type")
    parser.add_argument("--renders", type=int, default=20, help="profiled requests per type")
    parser.add_argument("--fragments", choices=("warm", "unseen", "cold"), default="warm")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", choices=("tottime", "cumulative"), default="tottime")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--dump", help="write each page type's profile to DIR/<type>.prof")
    args = parser.parse_args()

    workdir = Path(args.reuse).resolve()
    config = json.loads((workdir / "config.json").read_text(encoding="utf-8"))
    state = json.loads(Path(config["state_file"]).read_text(encoding="utf-8"))
    os.environ.update(
        production_environment(
            "site",
            config["database_url"],
            workdir,
            WAGTAILADMIN_BASE_URL=f"http://127.0.0.1:{config['port']}",
            PUBLIC_PAGE_CACHE_SECONDS="0",
        )
    )
    os.chdir(BASE_DIR)
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    client = Client(headers={"host": f"127.0.0.1:{config['port']}"})
    rng = random.Random(args.seed)

    def get(url):
        client.cookies.clear()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        response.close()
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")

    def requests(urls):
        for index in range(args.renders):
            if args.fragments == "cold":
                cache.clear()
            get(urls[index % len(urls)])

    for key in args.only.split(","):
        pool = state["pools"].get(key)
        if not pool:
            raise SystemExit(f"no URL for {key!r} (types: {', '.join(state['pools'])})")
        urls = rng.sample(pool, min(args.samples + 2 * args.renders, len(pool)))
        warm = urls[: args.samples]
        timed = profiled = warm
        if args.fragments == "unseen":
            # Warm up on some pages, then time and profile others, each requested once: each
            # renders its own fragments (body, related lists), as a visitor's first request.
            timed = urls[args.samples : args.samples + args.renders]
            profiled = urls[args.samples + args.renders :]
            if len(profiled) < args.renders:
                raise SystemExit(f"{key}: too few pages for --fragments unseen")
        for url in warm:
            get(url)
        queries = []
        started = time.process_time()
        # Counted by a wrapper: the connection is closed after each request, which empties
        # the log CaptureQueriesContext reads.
        with connection.execute_wrapper(
            lambda execute, *params, queries=queries: queries.append(1) or execute(*params)
        ):
            requests(timed)
        cpu = (time.process_time() - started) * 1000 / args.renders
        profile = cProfile.Profile()
        profile.enable()
        requests(profiled)
        profile.disable()
        if args.dump:
            Path(args.dump).mkdir(parents=True, exist_ok=True)
            profile.dump_stats(str(Path(args.dump) / f"{key}.prof"))
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(
            f"\n=== {key}: {cpu:.1f} ms CPU per request, "
            f"{len(queries) / args.renders:.1f} queries, "
            f"fragments {args.fragments}, {len(set(timed))} URLs ===",
            flush=True,
        )
        text = out.getvalue()
        print(text[text.find("   ncalls") :].replace(str(BASE_DIR) + "/", ""), flush=True)


if __name__ == "__main__":
    main()
