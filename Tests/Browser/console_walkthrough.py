#!/usr/bin/env python3
"""Drives the web console of a running `weaver server` in Debian's Chromium (headless,
through Playwright from PyPI), as a person would: sign in, open a service and isolate an
instance, see a new instance appear live, publish a config change and see it in history,
compare two releases, roll back, break a governance rule and see the error at its line,
read the audit log. Saves a screenshot of each page under --out.

Runs with the default python3 (pyenv; `python3 -m pip install playwright`); the browser is
Debian's (`apt-get install chromium`): Playwright's own download is not used.

Usage: console_walkthrough.py --base http://127.0.0.1:PORT --token TOKEN --out DIR
Prints one line per step; exits non-zero with the failing step on any failure.
"""
import argparse
import json
import os
import shutil
import sys
import urllib.request

from playwright.sync_api import expect, sync_playwright


def chromium_path():
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("error: Debian's Chromium is not installed: apt-get install chromium (scripts/install-test-deps does)")


def api(base, token, method, path, body):
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--trace", required=True, help="a trace id the server holds (gateway → FeedService, one failed span, one log line)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    stale = os.path.join(args.out, "failure.png")
    if os.path.exists(stale):
        os.remove(stale)
    base = args.base.rstrip("/")
    step_name = ["start"]

    def step(name):
        step_name[0] = name
        print("step:", name, flush=True)

    def shot(page, name):
        page.screenshot(path=os.path.join(args.out, name + ".png"), full_page=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 800})
            page.set_default_timeout(15000)
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            # 4xx pages are part of the walk (a wrong token, a broken rule): a console error
            # counts unless it is the browser reporting such a status; the assets must load.
            page.on("console", lambda message: errors.append(message.text)
                    if message.type == "error" and "Failed to load resource" not in message.text else None)
            page.on("response", lambda response: errors.append("%s answered %d" % (response.url, response.status))
                    if "/console/assets/" in response.url and response.status != 200 else None)
            page.on("requestfailed", lambda request: errors.append("%s failed" % request.url)
                    if "/console/events" not in request.url else None)

            step("reads need a session: /console sends the browser to sign in")
            page.goto(base + "/console")
            expect(page).to_have_url(base + "/console/login?next=%2Fconsole%2Fservices")
            page.fill("input[name=name]", "ana")
            page.fill("input[name=token]", "not-the-token")
            page.click("button[type=submit]")
            expect(page.locator("p.error")).to_contain_text("not one of this server's")

            step("sign in")
            page.fill("input[name=name]", "ana")
            page.fill("input[name=token]", args.token)
            page.click("form.card button[type=submit]")
            expect(page).to_have_url(base + "/console/services")
            expect(page.locator("header .user")).to_have_text("ana")
            expect(page.locator("table.grid")).to_contain_text("FeedService")

            step("open a service; isolate an instance")
            page.click("text=FeedService")
            expect(page.locator("h1")).to_have_text("FeedService")
            row = page.locator("tr", has_text="feed-2")
            expect(row).to_contain_text("canary")
            row.get_by_role("button", name="Isolate").click()
            expect(page.locator("p.flash")).to_contain_text("Isolated feed-2")
            expect(page.locator("tr", has_text="feed-2")).to_contain_text("isolated")
            healthy = json.load(urllib.request.urlopen(urllib.request.Request(
                base + "/v1/services/FeedService/instances?healthy=true", headers={"Authorization": "Bearer " + args.token}), timeout=10))
            ids = sorted(instance["id"] for instance in healthy["instances"])
            if ids != ["feed-1"]:
                raise AssertionError("an isolated instance must leave healthy-only queries; got %s" % ids)

            step("a new instance shows up live, without a reload")
            page.evaluate("window.__stayed = true")
            api(base, args.token, "POST", "/v1/services/FeedService/instances",
                {"host": "127.0.0.1", "port": 9103, "id": "feed-3", "region": "eu-west", "zone": "eu-west-1a", "releaseTag": "stable"})
            expect(page.locator("tr", has_text="feed-3")).to_contain_text("eu-west", timeout=15000)
            if page.evaluate("window.__stayed") is not True:
                raise AssertionError("the page reloaded instead of updating in place")
            shot(page, "services")

            step("publish a config change with a comment; it is in history")
            page.click("nav >> text=Config")
            page.click("table.grid >> text=application")
            expect(page.locator("h1")).to_contain_text("application")
            page.fill("textarea[name=content]", "feed.pageSize=50\nfeed.title=Today\n")
            page.fill("input[name=comment]", "bigger pages")
            page.click("button[value=publish]")
            expect(page.locator("p.flash")).to_contain_text("Published release 2")
            history = page.locator("#history")
            expect(history.locator("tr", has_text="bigger pages")).to_contain_text("ana")
            expect(page.locator("pre.content").first).to_contain_text("feed.pageSize=50")
            shot(page, "config")

            step("compare releases 1 and 2 side by side")
            page.select_option("select[name=from]", "1")
            page.select_option("select[name=to]", "2")
            page.click("text=Side by side")
            expect(page.locator("table.diff tr.changed")).to_contain_text("feed.pageSize=50")
            expect(page.locator("table.diff tr.changed")).to_contain_text("feed.pageSize=20")
            shot(page, "diff")

            step("roll back to release 1")
            page.go_back()
            page.locator("#history tr", has_text="initial").get_by_role("button", name="Roll back to this").click()
            expect(page.locator("p.flash")).to_contain_text("Rolled back")
            expect(page.locator("#history tr").nth(1)).to_contain_text("rollback")
            expect(page.locator("pre.content").first).to_contain_text("feed.pageSize=20")

            step("break a governance rule; the error shows at its line; nothing is published")
            page.click("nav >> text=Governance")
            page.click("table.grid >> text=FeedService")
            page.fill("textarea[name=content]", "retry:\n  maxAttempts: 3\ncircuitBreaker:\n  failureRateThreshold: 160%\n")
            page.click("button[value=publish]")
            expect(page.locator("section.problems")).to_contain_text("line 4")
            expect(page.locator("section.problems")).to_contain_text("not a percentage")
            expect(page.locator("tr#L4")).to_have_class("marked")
            shot(page, "governance-error")

            step("fix it; publish; the effective rules show it")
            page.fill("textarea[name=content]", "retry:\n  maxAttempts: 3\ncircuitBreaker:\n  failureRateThreshold: 60%\n")
            page.fill("input[name=comment]", "three attempts")
            page.click("button[value=publish]")
            expect(page.locator("p.flash")).to_contain_text("Published rules release")
            expect(page.locator(".columns")).to_contain_text("maxAttempts: 3")

            step("traffic: the call graph and the served method")
            page.click("nav >> text=Traffic")
            expect(page.locator("svg.graph")).to_contain_text("gateway")
            expect(page.locator("svg.graph")).to_contain_text("FeedService")
            expect(page.locator("table.grid tr", has_text="getFeed")).to_contain_text("100.0 %")
            shot(page, "traffic")

            step("open a trace by its id: spans, its log line, its path")
            page.click("nav >> text=Requests")
            page.fill("input[name=trace]", args.trace)
            page.click("text=Open")
            expect(page.locator("h1")).to_contain_text(args.trace)
            expect(page.locator("svg.waterfall rect")).to_have_count(3)
            expect(page.locator("svg.waterfall rect.failing")).to_have_count(1)
            expect(page.locator("table.grid").last).to_contain_text("injected fault: abort")
            expect(page.locator("main")).to_contain_text("gateway → FeedService")
            shot(page, "request")

            step("the audit log has who did what")
            page.click("nav >> text=Audit")
            table = page.locator("table.grid")
            for action in ("isolate", "publish", "rollback", "rules: publish"):
                expect(table.locator("tr", has_text=action).first).to_contain_text("ana")
            shot(page, "audit")

            step("sign out")
            page.click("text=Sign out")
            expect(page).to_have_url(base + "/console/login")

            if errors:
                raise AssertionError("the pages logged errors: %s" % errors)
        except Exception as error:  # noqa: BLE001 - reported with the step it failed in
            try:
                page.screenshot(path=os.path.join(args.out, "failure.png"), full_page=True)
            except Exception:  # noqa: BLE001
                pass
            print("error: step '%s' failed: %s" % (step_name[0], error), file=sys.stderr, flush=True)
            sys.exit(1)
        finally:
            browser.close()
    print("console walkthrough passed", flush=True)


if __name__ == "__main__":
    main()
