"""The dashboard in a real browser: Debian's headless Chromium driven by Playwright, against the app
served by uvicorn on a loopback port (fixtures in conftest.py; skipped without /usr/bin/chromium)."""

from __future__ import annotations

from conftest import wait_until_drawn


def test_web_browser_india_pakistan_timeline_network_map_table_and_sentences(page, live_server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(live_server + "/")
    page.wait_for_selector("[data-testid=timeline-chart]")  # the busiest dyad is shown first
    page.fill("[data-testid=dyad-input]", "IND-PAK")
    page.select_option("#by", "day")
    page.click("[data-testid=show]")
    wait_until_drawn(page, "IND-PAK")
    assert page.locator("#timeline-title").inner_text() == "IND-PAK: events per day"
    assert page.locator("[data-testid=timeline-chart] rect.bar").count() >= 8
    assert page.locator("[data-testid=timeline-chart] polyline.goldstein-line").count() == 1
    parties = {page.locator("[data-testid=network-chart] g.node").nth(i).get_attribute("data-party")
               for i in range(page.locator("[data-testid=network-chart] g.node").count())}
    assert {"IND", "PAK", "USA", "CHN"} <= parties
    assert page.locator("[data-testid=map-chart] circle.dot").count() >= 1  # located events, Poonch among them
    assert "India" in page.locator("[data-testid=map-chart] text.country-label").all_text_contents()
    assert page.locator("[data-testid=stances-table] tbody tr").count() >= 2

    rows = page.locator("#events tbody tr.event-row")
    assert rows.count() >= 8
    for text in rows.all_inner_texts():
        assert "IND" in text and "PAK" in text, text
    # The truce is coded both ways; India's side is the row that starts with India.
    truces = rows.filter(has_text="0871 Declare truce")
    assert truces.count() == 2
    india = next(i for i in range(2) if truces.nth(i).locator("td").nth(1).inner_text() == "IND (India)")
    truces.nth(india).click()
    detail = page.locator("[data-testid=event-detail]")
    detail.wait_for()
    sentence = detail.locator("[data-testid=sentence]").first
    assert sentence.inner_text().startswith("India and Pakistan agreed to a ceasefire")
    assert sentence.locator("mark.hl-trigger").inner_text() == "agreed"
    assert sentence.locator("mark.hl-source").inner_text() == "India"
    assert sentence.locator("mark.hl-target").inner_text() == "Pakistan"
    assert all(url.startswith(live_server) for url in requests), [u for u in requests if not u.startswith(live_server)]


def test_web_browser_paste_a_text_and_see_its_events(page, live_server):
    page.goto(live_server + "/")
    page.wait_for_selector("[data-testid=timeline-chart]")
    page.fill("[data-testid=paste-text]", "Iran offered to mediate between India and Pakistan. "
                                          "<script>window.__xss=1</script>India expelled Pakistani diplomats.")
    page.fill("#paste-date", "2025-04-25")
    page.click("[data-testid=paste-submit]")
    table = page.locator("[data-testid=paste-events]")
    table.wait_for()
    rows = table.locator("tbody tr")
    texts = rows.all_inner_texts()
    assert any("IRN" in t and "039" in t and "IND" in t for t in texts), texts
    assert any("<script>window.__xss=1</script>" in t for t in texts), texts
    assert rows.first.locator("mark.hl-trigger").count() == 1
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("[data-testid=paste-count]").inner_text().startswith(f"{rows.count()} event")
