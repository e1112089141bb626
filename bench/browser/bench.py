#!/usr/bin/env python3
"""Browser benchmark of the users CSV validation worker against Papa Parse.

Writes a deterministic users CSV, serves it with the built console's worker
files and the bench page from a loopback-only HTTP server, opens the page in
headless Chromium through ChromeDriver and prints what the page measured.
`run.sh` installs Papa Parse and builds `dist/` first; see BENCHMARKS.md.
"""

import argparse
import functools
import http.server
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

HEADER = "action,login_id,email,family_name,given_name,display_name,department,title,phone"
FAMILY_NAMES = [
    ("Tanaka", "田中"), ("Suzuki", "鈴木"), ("Takahashi", "髙橋"), ("Watanabe", "渡辺"),
    ("Ito", "伊藤"), ("Yamamoto", "山本"), ("Nakamura", "中村"), ("Kobayashi", "小林"),
    ("Kato", "加藤"), ("Yoshida", "吉田"), ("Smith", None), ("Garcia", None),
    ("Müller", None), ("Martin", None), ("Nguyen", None), ("Kowalski", None),
]
GIVEN_NAMES = [
    ("Aiko", "愛子"), ("Ben", None), ("Chiaki", "千秋"), ("Daisuke", "大輔"),
    ("Emi", "恵美"), ("Hiroshi", "博"), ("Yuki", "雪"), ("Kenji", "健二"),
    ("Sofia", None), ("Lucas", None), ("Olivia", None), ("Noah", None),
]
DEPARTMENTS = [
    "Sales", "Research and Development", "Human Resources", "Finance", "Legal",
    "Customer Support", "営業部", "開発本部", "人事部", "Sales, Tokyo", "Operations, Osaka",
]
TITLES = ["", "", "Manager", "Senior Engineer", "Director", "Analyst", "主任", "課長"]
DOMAINS = ["example.com", "example.co.jp", "mail.example.org", "corp.example.net"]


def quote(value):
    """Quotes a CSV value when it contains a comma, quote or line break."""
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def users_csv(rows, seed=20240601):
    """Returns `rows` valid users rows after the header, as UTF-8 bytes with CRLF line ends.

    Login ids and emails are unique; about a third of the names are Japanese,
    some departments are quoted because they contain commas, and the actions
    are 90% create, 8% update and 2% delete.
    """
    generator = random.Random(seed)
    lines = [HEADER]
    for index in range(rows):
        family_latin, family_kanji = generator.choice(FAMILY_NAMES)
        given_latin, given_kanji = generator.choice(GIVEN_NAMES)
        japanese = family_kanji is not None and given_kanji is not None and generator.random() < 0.6
        login_id = f"{given_latin.lower()}.{family_latin.lower()}.{index:06d}".replace("ü", "u")
        email = f"{login_id}@{generator.choice(DOMAINS)}"
        if japanese:
            family, given, display = family_kanji, given_kanji, f"{family_kanji} {given_kanji}"
        else:
            family, given, display = family_latin, given_latin, f"{given_latin} {family_latin}"
        draw = generator.random()
        if draw < 0.90:
            action = "create"
        elif draw < 0.98:
            action = "update"
        else:
            action = "delete"
        phone = f"+81 {generator.randint(3, 99)} {generator.randint(1000, 9999)} {generator.randint(1000, 9999)}"
        cells = [
            action, login_id, email, family, given, display,
            generator.choice(DEPARTMENTS), generator.choice(TITLES), phone,
        ]
        lines.append(",".join(quote(cell) for cell in cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the console server's script policy and wasm's MIME type."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
    }

    def end_headers(self):
        # The same script rules as crates/server/src/security.rs, without the
        # hashes of index.html's inline scripts: the bench page has none, so
        # a worker from a blob: URL or an inline script would fail here too.
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'",
        )
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def serve(root):
    """Starts a static server on a free loopback port; returns it and its base URL."""
    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def webdriver(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.load(response)["value"]


def run_in_chromium(url, timeout_seconds, profile):
    """Opens `url` in headless Chromium and waits for window.benchResult."""
    chromedriver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    port = free_port()
    driver = subprocess.Popen(
        [chromedriver, f"--port={port}", "--allowed-ips=127.0.0.1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                webdriver(base, "GET", "/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"ChromeDriver did not listen on {base} within 20 s")
                time.sleep(0.1)
        capabilities = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
            ],
        }}}}
        session = webdriver(base, "POST", "/session", capabilities)["sessionId"]
        try:
            webdriver(base, "POST", f"/session/{session}/url", {"url": url})
            deadline = time.monotonic() + timeout_seconds
            while time.monotonic() < deadline:
                result = webdriver(base, "POST", f"/session/{session}/execute/sync",
                                   {"script": "return window.benchResult || null", "args": []})
                if result is not None:
                    return result
                time.sleep(0.5)
            raise RuntimeError(f"the bench page gave no result within {timeout_seconds} s")
        finally:
            webdriver(base, "DELETE", f"/session/{session}")
    finally:
        driver.terminate()
        driver.wait(timeout=10)


def papa_version():
    package = HERE / "node_modules" / "papaparse" / "package.json"
    return json.loads(package.read_text())["version"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="data rows in the CSV (default 100000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each validator after its first run (default 5)")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="the built console (default dist/)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds to wait for the page (default 300)")
    parser.add_argument("--json", type=Path, help="also write the full result to this file")
    args = parser.parse_args()

    loader = args.dist / "csv_worker_loader.js"
    if not loader.is_file():
        sys.exit(f"{loader} is missing: build the console with `trunk build --release` first.")
    work = Path(tempfile.mkdtemp(prefix="gatehouse-bench-"))
    try:
        (work / "users.csv").write_bytes(users_csv(args.rows))
        os.symlink(HERE / "page", work / "page")
        os.symlink(args.dist.resolve(), work / "dist")
        os.symlink(HERE / "node_modules" / "papaparse", work / "papaparse")
        server, origin = serve(work)
        try:
            version = papa_version()
            url = f"{origin}/page/index.html?runs={args.runs}&papa={version}"
            load_before = os.getloadavg()[0]
            result = run_in_chromium(url, args.timeout, work / "chromium-profile")
            # Other processes on the machine slow both validators down, so the
            # load goes next to the figures.
            result["loadAverage"] = [load_before, os.getloadavg()[0]]
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if "error" in result:
        sys.exit(f"The bench page failed: {result['error']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    report(result, args.rows)


def report(result, rows):
    ours, papa = result["ours"], result["papa"]
    megabytes = result["fileBytes"] / 1e6
    print(f"File: {rows} rows, {megabytes:.1f} MB; a first run in a fresh worker, then "
          f"{result['runs']} timed runs; "
          f"{result['hardwareConcurrency']} logical cores; {result['userAgent']}")
    before, after = result["loadAverage"]
    print(f"Load average (1 min) before and after the run: {before:.2f}, {after:.2f}")
    for entry in (ours, papa):
        counts = entry["result"]["counts"]
        print(f"{entry['name']}:")
        first = entry["firstRunMs"]
        print(f"  first run {first:.0f} ms, {result['fileBytes'] / 1e3 / first:.0f} MB/s; "
              f"worker start {entry['startupMs']:.0f} ms")
        print(f"  later runs: median {entry['medianMs']:.0f} ms (min {entry['minMs']:.0f} ms), "
              f"{entry['mbPerSecond']:.0f} MB/s")
        print(f"  rows {entry['result']['rows']}, valid {entry['result']['validRows']}, "
              f"errors {counts['errors']}, warnings {counts['warnings']}, notices {counts['notices']}")
        longest = entry["longestTaskMs"]
        print(f"  main thread: {entry['longTasks']} long tasks (>= 50 ms)"
              + (f", longest {longest:.0f} ms" if longest else "")
              + f"; largest gap between timer ticks {entry['maxTimerGapMs']:.0f} ms")
    extra = ours["result"]
    print(f"Our worker sent a {extra['digestBytes']} byte digest, {extra['progressMessages']} progress "
          f"messages and {extra['textBytes']} bytes of UTF-8 text per run.")
    print(f"Speed-up over Papa Parse: {result['speedup']:.2f}x (median against median), "
          f"{papa['firstRunMs'] / ours['firstRunMs']:.2f}x on the first run")
    for entry in (ours, papa):
        if entry["result"]["rows"] != rows:
            sys.exit(f"{entry['name']} counted {entry['result']['rows']} rows, expected {rows}.")


if __name__ == "__main__":
    main()
