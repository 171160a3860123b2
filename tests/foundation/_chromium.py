"""Run a probe script in a report page with headless Chromium and read back what it measured."""

from __future__ import annotations

import html as html_lib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def probe_page(page: Path, script: str, work: Path, *, width: int = 1280) -> dict[str, Any]:
    """Load ``page`` with ``script`` appended to its body; return the JSON the script leaves in
    ``document.body``'s ``data-probe`` attribute."""
    probed = work / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", script + "</body>"))
    cmd = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={work / 'profile'}",
        f"--window-size={width},900",
        "--virtual-time-budget=3000",
        "--dump-dom",
        probed.as_uri(),
    ]
    dom = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=180).stdout
    found = re.search(r'data-probe="([^"]*)"', dom)
    assert found is not None, "the probe script left no data-probe attribute"
    result: dict[str, Any] = json.loads(html_lib.unescape(found.group(1)))
    return result
