"""report.html renders in headless Chromium without a single network request from the page."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exodisc.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)"
)


def _page_requests(html: Path, work: Path) -> tuple[list[str], bytes]:
    """URLs the page itself asked for (browser-internal requests excluded), and a screenshot."""
    netlog, shot = work / "net.json", work / "shot.png"
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        f"--user-data-dir={work / 'profile'}",
        f"--log-net-log={netlog}",
        f"--screenshot={shot}",
        "--window-size=1200,1600",
        html.as_uri(),
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    log = json.loads(netlog.read_text())
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    urls = []
    for event in log["events"]:
        params = event.get("params", {})
        if names.get(event["type"]) != "URL_REQUEST_START_JOB" or "url" not in params:
            continue
        if params.get("initiator") == "not an origin":  # the browser's own services
            continue
        if params["url"].startswith(("file:", "data:")):
            continue
        urls.append(params["url"])
    return urls, shot.read_bytes()


def test_detector_sees_a_page_request(tmp_path: Path):
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://127.0.0.1:9/pixel.png"></body></html>')
    urls, _ = _page_requests(page, tmp_path)
    assert urls == ["http://127.0.0.1:9/pixel.png"]


def test_report_renders_offline(make_study, tmp_path: Path):
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["run", str(make_study()), "-o", str(out), "-q"])
    assert r.exit_code == 0, r.output
    urls, png = _page_requests(out / "report.html", tmp_path)
    assert urls == []
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # a page with content, not blank
