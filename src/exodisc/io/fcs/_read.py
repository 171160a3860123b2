"""FCS 2.0 / 3.0 / 3.1 files through FlowIO + FlowKit (we do not parse the binary ourselves)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from exodisc.errors import InputFormatError
from exodisc.io._guard import missing_file
from exodisc.io._registry import Format, register_format

__all__ = ["FcsData", "parse_spillover", "read_fcs", "read_spill_matrix", "sniff_fcs"]

_VERSIONS = ("FCS2.0", "FCS3.0", "FCS3.1", "FCS3.2")
_HEADER_LEN = 58


@dataclass(frozen=True)
class FcsData:
    """The events and keywords of one FCS file.

    Attributes
    ----------
    path
        The file read.
    sha256
        Checksum of the file's bytes (for provenance).
    version
        FCS version from the header, e.g. ``"3.1"``.
    events
        Events x channels, named by ``$PnN``; values after FlowKit's pre-processing
        (``$PnE`` log decoding and ``$PnG`` gain), uncompensated, untransformed.
    labels
        ``$PnN`` -> ``$PnS`` (the marker / stain label; ``""`` where the file has none).
    spill
        The file's ``$SPILLOVER`` / ``$SPILL`` / ``SPILL`` matrix (detectors x detectors,
        rows = the fluorochrome's primary detector), or None.
    keywords
        Every TEXT keyword, lower-case keys without the leading ``$``.
    """

    path: Path
    sha256: str
    version: str
    events: pd.DataFrame
    labels: dict[str, str]
    spill: pd.DataFrame | None
    keywords: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file name without its extension (how studies name flow samples)."""
        return self.path.stem

    def channel(self, name_or_label: str) -> str:
        """The ``$PnN`` channel whose name or ``$PnS`` label is ``name_or_label``."""
        if name_or_label in self.events.columns:
            return name_or_label
        hits = [pnn for pnn, pns in self.labels.items() if pns and pns == name_or_label]
        if len(hits) == 1:
            return hits[0]
        described = ", ".join(f"{pnn} ({pns})" if pns else pnn for pnn, pns in self.labels.items())
        msg = (
            f"channel {name_or_label!r} not found; the file's channels ($PnN ($PnS)) are: "
            f"{described}"
        )
        raise InputFormatError(msg, path=self.path)


def sniff_fcs(path: str | Path) -> bool:
    """True when ``path`` starts with an FCS version header.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from exodisc.io.fcs import sniff_fcs
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "tube.fcs"
    ...     _ = path.write_bytes(b"FCS3.1    " + b" " * 50)
    ...     print(sniff_fcs(path), sniff_fcs(path.with_name("missing.fcs")))
    True False
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(6)
    except OSError:
        return False
    return head.decode("ascii", "replace") in _VERSIONS


def _check_header(path: Path) -> None:
    try:
        data = path.read_bytes()
    except (IsADirectoryError, FileNotFoundError):
        raise missing_file(path) from None
    except OSError as exc:
        msg = f"cannot read the file ({exc.strerror})"
        raise InputFormatError(msg, path=path) from None
    if len(data) < _HEADER_LEN:
        msg = (
            f"file is {len(data)} bytes, shorter than the 58-byte FCS header; "
            "it is empty or truncated"
        )
        raise InputFormatError(msg, path=path, where="HEADER")
    version = data[:6].decode("ascii", "replace")
    if version not in _VERSIONS:
        msg = (
            f"starts with {version!r}, expected an FCS version ({', '.join(_VERSIONS)}); "
            "this is not an FCS file"
        )
        raise InputFormatError(msg, path=path, where="HEADER")
    offsets = []
    for i, (a, b) in enumerate(((10, 18), (18, 26), (26, 34), (34, 42))):
        raw = data[a:b].decode("ascii", "replace").strip()
        if not raw.isdigit():
            what = ("TEXT start", "TEXT end", "DATA start", "DATA end")[i]
            msg = f"{what} offset is {raw!r}, expected digits; the header is corrupt"
            raise InputFormatError(msg, path=path, where=f"HEADER bytes {a}-{b - 1}")
        offsets.append(int(raw))
    text_end = offsets[1]
    if text_end >= len(data):
        msg = (
            f"TEXT segment ends at byte {text_end} but the file has {len(data)} bytes; "
            "the file is truncated"
        )
        raise InputFormatError(msg, path=path, where="TEXT")
    _check_keywords(data, offsets, path)


def _keywords(data: bytes, start: int, end: int) -> dict[str, str]:
    """The TEXT segment's keywords (upper-case names), split on its own delimiter."""
    text = data[start : end + 1].decode("latin-1")
    if not text:
        return {}
    delim = text[0]
    body = text[1:].replace(delim * 2, "\0")  # an escaped (doubled) delimiter inside a value
    parts = [x.replace("\0", delim) for x in body.split(delim)]
    return {parts[k].strip().upper(): parts[k + 1] for k in range(0, len(parts) - 1, 2)}


def _int_keyword(kw: dict[str, str], key: str, path: Path) -> int | None:
    if key not in kw:
        return None
    value = kw[key].strip()
    if not value.isdigit():
        msg = f"{key} is {value!r}, expected a whole number"
        raise InputFormatError(msg, path=path, where=key)
    return int(value)


def _check_keywords(data: bytes, offsets: list[int], path: Path) -> None:
    """Keywords that decide how DATA is read: $PAR, $TOT, $DATATYPE, $BYTEORD, $PnB.

    flowio trusts them; a wrong one gives an unrelated error ("cannot reshape array") or
    silently wrong events, so each is checked here and named when it is wrong.
    """
    kw = _keywords(data, offsets[0], offsets[1])
    if not kw:
        return
    datatype = kw.get("$DATATYPE", "").strip().upper()
    if datatype and datatype not in {"I", "F", "D"}:
        msg = f"$DATATYPE is {kw['$DATATYPE']!r}, expected I (integer), F (float) or D (double)"
        raise InputFormatError(msg, path=path, where="$DATATYPE")
    order = kw.get("$BYTEORD", "").strip()
    if order:
        try:
            nums = [int(x) for x in order.split(",")]
        except ValueError:
            nums = []
        if sorted(nums) != list(range(1, len(nums) + 1)) or len(nums) not in (1, 2, 4, 8):
            msg = f"$BYTEORD is {order!r}, expected a byte order such as 1,2,3,4 or 4,3,2,1"
            raise InputFormatError(msg, path=path, where="$BYTEORD")
    n_par = _int_keyword(kw, "$PAR", path)
    n_tot = _int_keyword(kw, "$TOT", path)
    if n_par is not None and not 1 <= n_par <= 10_000:
        msg = f"$PAR is {n_par}, expected between 1 and 10,000 parameters"
        raise InputFormatError(msg, path=path, where="$PAR")
    if n_par is None or n_tot is None or datatype not in {"I", "F", "D"}:
        return
    bits = 0
    for i in range(1, n_par + 1):
        b = kw.get(f"$P{i}B", "").strip()
        if not b.isdigit() or int(b) == 0 or int(b) % 8:
            msg = f"$P{i}B is {b!r}, expected the bits of parameter {i} (8, 16, 32 or 64)"
            raise InputFormatError(msg, path=path, where=f"$P{i}B")
        bits += int(b)
    begin, end = offsets[2], offsets[3]
    if begin == 0 and end == 0:
        begin = _int_keyword(kw, "$BEGINDATA", path) or 0
        end = _int_keyword(kw, "$ENDDATA", path) or 0
    if end >= len(data):
        msg = (
            f"not a readable FCS file: the DATA segment ends at byte {end:,} but the file has "
            f"{len(data):,} bytes (the file is truncated)"
        )
        raise InputFormatError(msg, path=path)
    size = end - begin + 1 if end >= begin > 0 else None
    need = n_tot * bits // 8
    if size is not None and need > size:
        msg = (
            f"$TOT says {n_tot:,} events of {bits // 8} bytes ({need:,} bytes) but the DATA "
            f"segment holds {size:,} bytes; the file is truncated or $TOT is wrong"
        )
        raise InputFormatError(msg, path=path, where="$TOT")
    if need > len(data):
        msg = (
            f"$TOT says {n_tot:,} events ({need:,} bytes) but the file has {len(data):,} bytes; "
            "the file is truncated or $TOT is wrong"
        )
        raise InputFormatError(msg, path=path, where="$TOT")


def parse_spillover(text: str, *, path: str | Path | None = None) -> pd.DataFrame:
    """Parse an FCS ``$SPILLOVER`` keyword value (``n,det1,…,detn,v11,v12,…,vnn``).

    Returns
    -------
    pandas.DataFrame
        n x n spillover matrix; index and columns are the detector names. Row *i* holds
        the spill of the fluorochrome read primarily in detector *i* into every detector.

    Notes
    -----
    Same layout as R ``flowCore::spillover(ff)`` / ``keyword(ff)$SPILL``.

    Examples
    --------
    >>> from exodisc.io.fcs import parse_spillover
    >>> parse_spillover("2,FL1-A,FL2-A,1,0.12,0.03,1")
           FL1-A  FL2-A
    FL1-A   1.00   0.12
    FL2-A   0.03   1.00
    """
    parts = [p.strip() for p in text.split(",")]
    try:
        n = int(float(parts[0]))
    except ValueError:
        msg = f"spillover keyword starts with {parts[0]!r}, expected the number of detectors"
        raise InputFormatError(msg, path=path, where="$SPILLOVER") from None
    if n < 1 or len(parts) != 1 + n + n * n:
        msg = (
            f"spillover keyword declares {n} detectors, so it needs {1 + n + n * n} "
            f"comma-separated fields, found {len(parts)}"
        )
        raise InputFormatError(msg, path=path, where="$SPILLOVER")
    names = parts[1 : n + 1]
    try:
        values = np.array([float(v) for v in parts[n + 1 :]], dtype=float).reshape(n, n)
    except ValueError as exc:
        msg = f"spillover keyword has a non-numeric coefficient ({exc})"
        raise InputFormatError(msg, path=path, where="$SPILLOVER") from None
    return pd.DataFrame(values, index=names, columns=names)


def read_spill_matrix(path: str | Path) -> pd.DataFrame:
    """Read a spillover matrix file (CSV or TSV; first row = detector names).

    FlowJo's exported ``*.csv`` (an optional ``#`` before the header) and FlowKit's
    ``Matrix.as_dataframe().to_csv()`` (with a leading index column) both read.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> tmp = tempfile.TemporaryDirectory()
    >>> from exodisc.io.fcs import read_spill_matrix
    >>> path = Path(tmp.name) / "spillover.csv"
    >>> _ = path.write_text("FL1-A,FL2-A\\n1,0.12\\n0.03,1\\n")
    >>> read_spill_matrix(path)
           FL1-A  FL2-A
    FL1-A   1.00   0.12
    FL2-A   0.03   1.00
    >>> tmp.cleanup()
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        msg = f"cannot read the spillover matrix ({exc.strerror})"
        raise InputFormatError(msg, path=p) from None
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputFormatError("spillover matrix file is empty", path=p)
    sep = "\t" if "\t" in lines[0] else ","
    header = [h.strip() for h in lines[0].lstrip("#").split(sep)]
    rows = [[c.strip() for c in ln.split(sep)] for ln in lines[1:]]
    if header and header[0] == "" and all(len(r) == len(header) for r in rows):
        header = header[1:]
        rows = [r[1:] for r in rows]
    n = len(header)
    if len(rows) != n:
        msg = f"spillover matrix has {n} detector columns but {len(rows)} rows; expected square"
        raise InputFormatError(msg, path=p)
    values = np.empty((n, n))
    for i, r in enumerate(rows):
        if len(r) != n:
            msg = f"has {len(r)} values, expected {n} (one per detector)"
            raise InputFormatError(msg, path=p, where=f"line {i + 2}")
        for j, v in enumerate(r):
            try:
                values[i, j] = float(v)
            except ValueError:
                msg = f"{v!r} is not a number"
                where = f"line {i + 2}, column {header[j]!r}"
                raise InputFormatError(msg, path=p, where=where) from None
    return pd.DataFrame(values, index=header, columns=header)


_SPILL_KEYS = ("spillover", "spill", "$spillover", "$spill")


def read_fcs(path: str | Path) -> FcsData:
    """Read one FCS file (2.0, 3.0, 3.1) with FlowIO / FlowKit.

    Parameters
    ----------
    path
        The ``.fcs`` file.

    Returns
    -------
    FcsData
        Events (``$PnN`` columns, pre-processed, uncompensated), labels, spillover, keywords.

    Raises
    ------
    exodisc.errors.InputFormatError
        Empty, truncated or corrupt files, naming the file and what is wrong.

    Notes
    -----
    R equivalent: ``flowCore::read.FCS(path, transformation = "linearize")``.
    FlowJo equivalent: loading the sample (no compensation applied yet).

    Examples
    --------
    >>> from exodisc.io.fcs import read_fcs
    >>> fcs = read_fcs("tube_01.fcs")  # doctest: +SKIP
    >>> fcs.events.head()  # events x channels, uncompensated  # doctest: +SKIP
    """
    import warnings

    import flowio
    import flowkit

    p = Path(path)
    _check_header(p)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fd = flowio.FlowData(str(p))
            sample = flowkit.Sample(fd, subsample=0)
    except Exception as exc:
        reason = str(exc) or type(exc).__name__
        if "greater than file size" in reason or isinstance(exc, EOFError):
            reason += " (the file is truncated)"
        msg = f"not a readable FCS file: {reason}"
        raise InputFormatError(msg, path=p) from None
    pnn = list(sample.pnn_labels)
    pns = [s or "" for s in sample.pns_labels]
    raw = np.asarray(sample.get_events(source="raw"), dtype=float)
    if raw.ndim != 2 or raw.shape[1] != len(pnn) or len(set(pnn)) != len(pnn):
        msg = (
            f"the DATA segment has {raw.shape[-1] if raw.ndim == 2 else '?'} parameters but the "
            f"$PnN keywords name {len(pnn)} ({pnn}); $PAR or a $PnN keyword is wrong or repeated"
        )
        raise InputFormatError(msg, path=p, where="$PnN")
    events = pd.DataFrame(raw, columns=pnn)
    keywords = {str(k).lstrip("$").lower(): str(v) for k, v in fd.text.items()}
    spill = None
    for key in _SPILL_KEYS:
        if key.lstrip("$") in keywords:
            spill = parse_spillover(keywords[key.lstrip("$")], path=p)
            break
    if spill is not None:
        unknown = [d for d in spill.index if d not in pnn]
        if unknown:
            msg = f"$SPILLOVER names detector(s) {unknown} that are not channels ($PnN) {pnn}"
            raise InputFormatError(msg, path=p, where="$SPILLOVER")
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    version = re.sub(r"^FCS", "", str(fd.version))
    return FcsData(p, digest, version, events, dict(zip(pnn, pns, strict=True)), spill, keywords)


def read_fcs_keywords(path: str | Path) -> dict[str, str]:
    """The TEXT keywords of an FCS file, without reading its events (for cheap checks).

    Keys as in :attr:`FcsData.keywords`: lower case, without the leading ``$``
    (``"p1n"``, ``"p1s"``, ``"tot"`` …). The header is checked as :func:`read_fcs` does.

    Examples
    --------
    >>> from exodisc.io.fcs import read_fcs_keywords
    >>> kw = read_fcs_keywords("sample_A1.fcs")  # doctest: +SKIP
    >>> kw["tot"], kw["p1n"]  # doctest: +SKIP
    """
    p = Path(path)
    _check_header(p)
    data = p.read_bytes()
    kw = _keywords(data, int(data[10:18].strip()), int(data[18:26].strip()))
    return {k.lstrip("$").lower(): v for k, v in kw.items()}


register_format(
    Format("fcs", "Flow Cytometry Standard 2.0 / 3.0 / 3.1", sniff_fcs, read_fcs, kind="fcs")
)
