"""Helpers of the reliability tests: crafted headers and a memory-capped subprocess."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def huge_tiff(path: Path, width: int = 40_000, height: int = 40_000) -> Path:
    """A tiny file whose TIFF header declares a ``width`` x ``height`` 8-bit image."""
    entries = [
        (256, 4, 1, width),  # ImageWidth, LONG
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 8),  # Compression: deflate
        (262, 3, 1, 1),  # Photometric: min-is-black
        (273, 4, 1, 8),  # StripOffsets
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, 16),  # StripByteCounts
    ]
    ifd_offset = 8 + 16
    head = b"II" + struct.pack("<HI", 42, ifd_offset) + zlib.compress(b"\0" * 64)[:16].ljust(16)
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        packed = struct.pack("<HHI", tag, typ, count)
        packed += struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        ifd += packed
    ifd += struct.pack("<I", 0)
    path.write_bytes(head + ifd)
    return path


def huge_png(path: Path, width: int = 40_000, height: int = 40_000) -> Path:
    """A tiny PNG whose header declares a ``width`` x ``height`` greyscale image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\0" * 1000)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )
    return path


def run_capped(args: list[str], *, memory_mb: int = 2500, timeout: float = 300):
    """``exodisc ARGS`` in a subprocess whose address space is capped (resource.setrlimit)."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory_mb} << 20, {memory_mb} << 20))\n"
        f"sys.path[:0] = [{str(REPO)!r}, {str(REPO / 'src')!r}]\n"
        "from exodisc.cli import main\n"
        f"sys.argv = ['exodisc', *{args!r}]\n"
        "main()\n"
    )
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONPATH": "",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )
