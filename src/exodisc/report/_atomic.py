"""Building an output folder beside its destination and renaming it into place, safely.

Guarantees (tested in ``tests/reliability/test_output_safety.py``):

* an output path that is, contains or lies inside the study folder's inputs is refused, whatever
  ``--force`` says (:func:`check_output_path`);
* the final swap happens under an exclusive lock file beside ``OUT`` (``.OUT.lock``), and the
  "exists already" check is made again under that lock, so two runs into the same new ``OUT``
  never silently replace each other;
* SIGINT and SIGTERM are held back during the two renames of the swap, and an interrupted swap
  is undone on the way out;
* staging folders left by a killed run (``.OUT.tmp-*``, ``.OUT.old-*``) are recognised by the
  next run that takes the lock (only a lock holder creates them, so they are provably abandoned):
  a previous output is restored, everything else removed, and a message says so;
* a folder of figures rendered ahead while the analysis runs (``.OUT.render-*``,
  :func:`render_folder`) holds its own lock for as long as its run (or a process it forked)
  lives; the next run removes one whose lock is free.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from exodisc.errors import ExodiscError

__all__ = [
    "OutputExistsError",
    "OutputPathError",
    "check_output_path",
    "check_writable_parent",
    "output_lock",
    "render_folder",
    "staging_folder",
]


def _say(message: str) -> None:
    """A note on stderr (the run goes on); used when an earlier run's leftovers are cleaned."""
    sys.stderr.write(f"note: {message}\n")
    sys.stderr.flush()


#: Seconds to wait for another exodisc process holding ``.OUT.lock`` before giving up.
LOCK_TIMEOUT_S = 60.0


class OutputExistsError(ExodiscError):
    """The output folder exists and --force was not given."""


class OutputPathError(ExodiscError):
    """The output path would overwrite an input, or cannot be written."""


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def check_output_path(out: Path, *, study_dir: Path, inputs: Iterable[Path]) -> None:
    """Refuse an output folder that is, contains or lies inside the study folder or an input.

    Paths are compared after resolving symbolic links. An output folder *inside* the study
    folder (``study/results``) is allowed as long as it holds no input; one that is the study
    folder, an ancestor of it, or a folder holding any input is refused, with or without
    ``--force``.

    Raises
    ------
    OutputPathError
        Naming the output path and the input it would destroy.
    """
    target = _real(out)
    study = _real(study_dir)
    why = None
    if target == study:
        why = f"it is the study folder {study_dir}"
    elif study.is_relative_to(target):
        why = f"it contains the study folder {study_dir}"
    else:
        for p in inputs:
            rp = _real(p)
            if rp == target:
                why = f"it is the input {p}"
            elif rp.is_relative_to(target):
                why = f"it contains the input {p}"
            elif target.is_relative_to(rp):
                why = f"it lies inside the input {p}"
            if why:
                break
    if why:
        msg = (
            f"refusing to write the output to {out}: {why}, and writing it would delete inputs "
            "(--force does not change this); choose a new folder, e.g. beside the study folder"
        )
        raise OutputPathError(msg)


def check_writable_parent(out: Path) -> None:
    """Check, before any analysis, that the folder that will hold ``out`` can be written."""
    parent = Path(os.path.abspath(out)).parent
    probe = parent
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        msg = f"cannot create the output {out}: {probe} is a file, not a folder"
        raise OutputPathError(msg)
    if not os.access(probe, os.W_OK | os.X_OK):
        msg = (
            f"cannot write the output {out}: no permission to write in {probe}; "
            "choose a folder you can write to"
        )
        raise OutputPathError(msg)


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path, *, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``.OUT.lock`` beside ``out`` (released and removed on exit)."""
    import fcntl

    timeout = LOCK_TIMEOUT_S if timeout is None else timeout
    path = _lock_path(out)
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() > deadline:
                        msg = (
                            f"another exodisc process is writing {out} (lock {path} held for "
                            f"more than {timeout:.0f} s); wait for it to finish or choose "
                            "another output folder"
                        )
                        raise OutputPathError(msg) from None
                    time.sleep(0.05)
            # the file we locked must still be the one at ``path`` (an unlocking process
            # removes it; a lock on a removed file protects nothing)
            try:
                same = os.stat(path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        try:
            path.unlink(missing_ok=True)
        finally:
            os.close(fd)


def _recover(out: Path) -> None:
    """Restore or remove staging folders of ``out`` left behind by a killed run.

    Called only while holding the output lock: every staging folder is made by a lock holder,
    so any found now belongs to a process that died (kill -9, power loss).
    """
    old = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    tmp = sorted(out.parent.glob(f".{out.name}.tmp-*"))
    if old and not out.exists() and not out.is_symlink():
        keep = old.pop()
        os.replace(keep, out)
        _say(f"restored the previous output {out} from {keep.name}, left by an interrupted run")
    for p in [*old, *tmp]:
        shutil.rmtree(p, ignore_errors=True)
        _say(f"removed {p}, an unfinished output folder left by an interrupted run")
    for p in sorted(out.parent.glob(f".{out.name}.render-*")):
        if _abandoned(p):
            shutil.rmtree(p, ignore_errors=True)
            _say(f"removed {p}, figures rendered ahead by an interrupted run")


_RENDER_LOCK = ".lock"


def _abandoned(folder: Path) -> bool:
    """Whether no living process holds the lock of a render folder (its run was killed)."""
    import fcntl

    try:
        fd = os.open(folder / _RENDER_LOCK, os.O_RDWR)
    except OSError:
        return True  # killed before the lock file was made
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases a lock taken here
    return True


@contextmanager
def render_folder(out: Path) -> Iterator[Path]:
    """Yield a new folder beside ``out`` for figures and tables rendered ahead; removed on exit.

    The folder (``.OUT.render-*``) lives on the output's file system, so its files move into
    the staging folder by renaming. It holds a lock while this process or a child forked from
    it lives, so the next run into ``out`` removes it only when its run was killed.
    """
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    folder = out.parent / f".{out.name}.render-{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    fd = -1
    try:
        fd = os.open(folder / _RENDER_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if fd >= 0:
            os.close(fd)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Delay SIGINT and SIGTERM until the block ends (main thread only; a no-op elsewhere)."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def staging_folder(out: Path, *, force: bool = True) -> Iterator[Path]:
    """Yield an empty folder beside ``out``; on success it replaces ``out`` in one rename.

    On any error or interruption the staging folder is removed and ``out`` (new or existing)
    is left exactly as it was. The swap is made under :func:`output_lock`, after checking
    again that ``out`` may be replaced (``force``).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(out):
        _recover(out)
        if (out.exists() or out.is_symlink()) and not force:
            msg = f"{out} exists already; choose another folder or pass --force to replace it"
            raise OutputExistsError(msg)
        tmp = out.parent / f".{out.name}.tmp-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        trash: Path | None = None
        try:
            yield tmp
            if (out.exists() or out.is_symlink()) and not force:
                msg = f"{out} exists already; choose another folder or pass --force to replace it"
                raise OutputExistsError(msg)
            with _signals_held():
                if out.exists() or out.is_symlink():
                    trash = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
                    os.replace(out, trash)
                os.replace(tmp, out)
            if trash is not None:
                shutil.rmtree(trash, ignore_errors=True)
        except BaseException:
            if trash is not None and trash.exists() and not out.exists():
                os.replace(trash, out)
            shutil.rmtree(tmp, ignore_errors=True)
            raise
