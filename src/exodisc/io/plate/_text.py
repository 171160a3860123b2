"""Reading text exports: encodings and tab-separated lines."""

from __future__ import annotations

from pathlib import Path

from exodisc.errors import InputFormatError

__all__ = ["head_text", "read_lines", "time_to_seconds"]


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def head_text(path: Path, n: int = 4096) -> str:
    """The first ``n`` bytes of a file as text (UTF-16, UTF-8 or cp1252), '' on failure."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(n)
    except OSError:
        return ""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw = raw[: len(raw) // 2 * 2]
        return raw.decode("utf-16", errors="ignore")
    return _decode(raw) if b"\x00" not in raw else ""


def read_lines(path: Path) -> list[list[str]]:
    """Every line of a tab-separated text export, split into cells (line ends removed)."""
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError as exc:
        msg = f"cannot decode the text ({exc.reason})"
        raise InputFormatError(msg, path=path) from None
    return [line.split("\t") for line in text.splitlines()]


def time_to_seconds(text: str) -> float | None:
    """``H:MM:SS`` (or ``MM:SS``) as seconds, else None."""
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    nums = [int(p) for p in parts]
    if len(nums) == 2:
        nums.insert(0, 0)
    return float(nums[0] * 3600 + nums[1] * 60 + nums[2])
