"""Screenshots of the dashboard for the README, from the Wikipedia current-events store.

    .venv/bin/python bench/dashboard_screenshots.py [--db out/wcep.duckdb] [--out docs]

Serves the store (build it with bench/wcep_report.py) on a loopback port, opens the dashboard in
Debian's headless Chromium, follows India-Pakistan through 2025 week by week, opens the first
event's sentences, codes a pasted text, and saves docs/dashboard-*.png. It also prints how long
the dashboard took to draw each view, and how long each API call took on this store.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kautilya.web import CHROMIUM, CHROMIUM_ARGS, background_server, create_app

REPO = Path(__file__).resolve().parents[1]
PASTED = ("Pakistan's army said Indian drones were shot down over Lahore on Thursday. India accused Pakistan of "
          "shelling villages in Poonch, and the United States urged both countries to show restraint.")
API_CALLS = ["/api/summary", "/api/dyads?limit=30", "/api/actors?limit=300",
             "/api/dyads/IND-PAK/timeline?by=week&from=2025-01-01&to=2025-12-31",
             "/api/network?around_dyad=IND-PAK&from=2025-01-01&to=2025-12-31&max_nodes=24",
             "/api/locations?dyad=IND-PAK&limit=2000", "/api/claims?dyad=IND-PAK&limit=50",
             "/api/events?dyad=IND-PAK&limit=25", "/api/events?q=attack&limit=25", "/api/events?limit=500",
             "/api/dyads/ISR-PSE/timeline?by=day&from=2025-01-01&to=2026-08-31", "/api/network?max_nodes=150"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=REPO / "out" / "wcep.duckdb")
    parser.add_argument("--out", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    if not args.db.is_file():
        print(f"no store at {args.db}: build it with bench/wcep_report.py", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).is_file():
        print(f"{CHROMIUM} is absent: apt-get install chromium", file=sys.stderr)
        return 2
    import httpx
    from playwright.sync_api import sync_playwright

    with background_server(create_app(args.db)) as url, sync_playwright() as playwright:
        for call in API_CALLS:
            started = time.perf_counter()
            response = httpx.get(url + call, timeout=30)
            print(f"{response.status_code} {1000 * (time.perf_counter() - started):6.0f} ms  "
                  f"{len(response.content):>8,} bytes  {call}")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1400, "height": 1250}, device_scale_factor=1)
        started = time.perf_counter()
        page.goto(f"{url}/#dyad=IND-PAK&by=week&from=2025-01-01&to=2025-12-31")
        page.wait_for_selector('main[aria-busy="false"][data-subject="IND-PAK"]')  # every panel drawn
        print(f"dashboard drawn (timeline, network, map, claims, events) in {time.perf_counter() - started:.2f} s")
        page.screenshot(path=args.out / "dashboard-overview.png")
        page.locator("#network-panel").screenshot(path=args.out / "dashboard-network.png")
        page.locator("#map-panel").screenshot(path=args.out / "dashboard-map.png")
        page.locator("#stances-panel").screenshot(path=args.out / "dashboard-third-parties.png")
        page.locator("#events tbody tr.event-row").first.click()
        page.locator("[data-testid=event-detail]").wait_for()
        page.locator("#events-panel").screenshot(path=args.out / "dashboard-events.png")
        page.fill("[data-testid=paste-text]", PASTED)
        page.fill("#paste-date", "2025-05-08")
        started = time.perf_counter()
        page.click("[data-testid=paste-submit]")
        page.locator("[data-testid=paste-events]").wait_for()
        print(f"pasted text coded and shown in {time.perf_counter() - started:.2f} s (the first call loads the parser)")
        page.locator("#paste-panel").screenshot(path=args.out / "dashboard-paste.png")
        browser.close()
    print(f"screenshots: {', '.join(sorted(p.name for p in args.out.glob('dashboard-*.png')))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
