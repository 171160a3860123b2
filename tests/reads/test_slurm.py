"""The reads workflow under SLURM: a one-node cluster on localhost, counts equal to the local run.

Needs root (the daemons and the munge key), Debian's slurm-wlm and munge (``make
system-deps-reads``); skipped with the reason otherwise. The cluster (generated slurm.conf,
fresh munge key, munged + slurmctld + slurmd on free ports) lives in a temporary folder and is
stopped afterwards. No slurmdbd is started: job records come from the job-completion log
(``JobCompType=jobcomp/filetxt``) that ``sacct --completion`` reads, and Snakemake polls job
states with ``squeue``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.slurm]

_DAEMONS = ("munged", "slurmctld", "slurmd")
_MARK = "# written by exodisc's SLURM test (tests/reads/test_slurm.py), pid "


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _skip_reason() -> str | None:
    if os.environ.get("EXODISC_SLURM") != "1":
        return (
            "the one-node SLURM cluster test starts daemons and writes /etc/slurm/slurm.conf "
            "for minutes: it runs with `make test-slurm` (EXODISC_SLURM=1, part of CI's .ci/run)"
        )
    if os.geteuid() != 0:
        return "needs root to start munged, slurmctld and slurmd (run as root: make test-slurm)"
    missing = [t for t in (*_DAEMONS, "sbatch", "squeue", "sacct") if shutil.which(t) is None]
    if missing:
        return f"slurm-wlm / munge not installed ({', '.join(missing)}); make system-deps-reads"
    return None


_REASON = _skip_reason()
# decided at import: the session's local run (synthetic_run) is not started for a skipped test
pytestmark.append(pytest.mark.skipif(_REASON is not None, reason=_REASON or ""))


def _node_line(host: str) -> str:
    """This node as ``slurmd -C`` sees it (CPUs, sockets, cores, threads), memory halved."""
    p = subprocess.run(["slurmd", "-C"], capture_output=True, text=True, check=False)
    line = next((x for x in p.stdout.splitlines() if x.startswith("NodeName=")), "")
    fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
    if "CPUs" not in fields:  # slurmd -C failed: CPU count only
        fields = {"CPUs": str(os.cpu_count() or 1)}
        mem_mb = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    else:
        mem_mb = int(fields.pop("RealMemory", "2048"))
    fields.pop("NodeName", None)
    topology = " ".join(f"{k}={v}" for k, v in fields.items())
    # half the memory: the node must not claim more than it has, or slurmd drains it
    return f"NodeName={host} NodeAddr=127.0.0.1 {topology} RealMemory={mem_mb // 2} State=UNKNOWN"


def _ours(conf: Path) -> bool:
    """Whether ``conf`` was left by an earlier run of this test whose process is gone."""
    text = conf.read_text(errors="replace")
    if not text.startswith(_MARK):
        return False
    pid = int(text[len(_MARK) :].split()[0])
    return pid != os.getpid() and not Path(f"/proc/{pid}").exists()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop(pid_file: Path) -> None:
    """SIGTERM the daemon named in ``pid_file``, SIGKILL it after 15 s."""
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return
    for sig, wait in ((signal.SIGTERM, 15.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _pid_alive(pid):
            time.sleep(0.2)
        if not _pid_alive(pid):
            return


def _logs(d: Path) -> str:
    return "\n".join(
        f"--- {f.name}:\n" + "\n".join(f.read_text(errors="replace").splitlines()[-15:])
        for f in sorted(d.glob("*.log"))
    )


@pytest.fixture(scope="module")
def slurm_cluster() -> Iterator[Path]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    # the plugin's job steps run a nested srun with SLURM_* variables removed (SLURM_CONF
    # too), so the configuration must be at Debian's compiled-in path for the test's duration
    etc = Path("/etc/slurm")
    conf = etc / "slurm.conf"
    if conf.exists() and not _ours(conf):
        pytest.skip(f"{conf} exists (a configured SLURM host); the test does not overwrite it")
    # a short path: munged's socket path must fit a unix socket name (108 bytes)
    d = Path(tempfile.mkdtemp(prefix="exodisc-slurm-", dir="/tmp"))
    made_etc = not etc.exists()
    old = os.environ.get("SLURM_CONF")
    old_term = signal.getsignal(signal.SIGTERM)

    def _terminated(signum: int, frame: object) -> None:  # a killed pytest still cleans up
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _terminated)
    started = False
    try:
        (d / "state").mkdir()
        (d / "spool").mkdir()
        key = d / "munge.key"
        key.write_bytes(os.urandom(1024))
        key.chmod(0o600)
        etc.mkdir(parents=True, exist_ok=True)
        host = socket.gethostname().split(".")[0]
        conf.write_text(
            f"""{_MARK}{os.getpid()}
ClusterName=exodisc
SlurmctldHost={host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={d}/munge.socket
CredType=cred/munge
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldPort={_free_port()}
SlurmdPort={_free_port()}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
JobCompType=jobcomp/filetxt
JobCompLoc={d}/jobcomp.txt
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MinJobAge=600
MpiDefault=none
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
{_node_line(host)}
PartitionName=exodisc Nodes={host} Default=YES MaxTime=INFINITE State=UP
"""
        )
        os.environ["SLURM_CONF"] = str(conf)
        started = True
        for cmd in (
            [
                "munged",
                f"--key-file={key}",
                f"--socket={d}/munge.socket",
                f"--pid-file={d}/munged.pid",
                f"--log-file={d}/munged.log",
                f"--seed-file={d}/munge.seed",
                "--force",
            ],
            ["slurmctld", "-f", str(conf)],
            ["slurmd", "-f", str(conf)],
        ):
            p = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if p.returncode != 0:
                pytest.fail(f"{cmd[0]} did not start ({p.returncode}): {p.stderr}\n{_logs(d)}")
        for _ in range(60):
            p = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
            if p.returncode == 0 and p.stdout.strip() in ("idle", "mixed"):
                break
            time.sleep(1)
        else:
            pytest.fail(
                f"the one-node SLURM cluster did not come up: {p.stdout} {p.stderr}\n" + _logs(d)
            )
        yield d
    finally:
        if started and (d / "slurmctld.pid").is_file():
            # jobs left by a failed run end with the cluster
            subprocess.run(["scancel", "--partition=exodisc"], capture_output=True, check=False)
            for _ in range(20):
                q = subprocess.run(["squeue", "-h"], capture_output=True, text=True)
                if q.returncode != 0 or not q.stdout.strip():
                    break
                time.sleep(0.5)
        for name in reversed(_DAEMONS):
            _stop(d / f"{name}.pid")
        print(_logs(d))  # shown by pytest when the test failed
        with contextlib.suppress(FileNotFoundError):
            if conf.read_text(errors="replace").startswith(f"{_MARK}{os.getpid()}"):
                conf.unlink()
        if made_etc:
            shutil.rmtree(etc, ignore_errors=True)
        shutil.rmtree(d, ignore_errors=True)
        if old is None:
            os.environ.pop("SLURM_CONF", None)
        else:
            os.environ["SLURM_CONF"] = old
        signal.signal(signal.SIGTERM, old_term)


def _test_profile(folder: Path) -> Path:
    """The shipped SLURM profile, scaled to one small node (1 thread, 500 MB per job)."""
    from ruamel.yaml import YAML

    from exodisc.reads import workflow_dir

    yaml = YAML(typ="safe")
    cfg = yaml.load((workflow_dir() / "profiles" / "slurm" / "config.yaml").read_text())
    rules = re.findall(r"^rule (\w+):", (workflow_dir() / "Snakefile").read_text(), re.M)
    cfg["set-resources"] = {r: {"mem_mb": 500} for r in rules}
    cfg["set-threads"] = dict.fromkeys(rules, 1)
    cfg["slurm-status-command"] = "squeue"
    cfg["slurm-init-seconds-before-status-checks"] = 1
    cfg["seconds-between-status-checks"] = 2
    cfg["latency-wait"] = 5
    cfg["retries"] = 0
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "config.yaml").open("w") as fh:
        yaml.dump(cfg, fh)
    return folder


def test_slurm_run_equals_local(
    slurm_cluster: Path, synthetic, synthetic_run, tmp_path: Path
) -> None:
    from exodisc.reads import run_reads

    work = tmp_path / "work"
    result = run_reads(
        synthetic.samplesheet,
        genome=synthetic.genome,
        gtf=synthetic.gtf,
        mirbase_gff=synthetic.mirbase_gff,
        hairpins=synthetic.hairpins,
        out=tmp_path / "out",
        cores=4,
        executor="slurm",
        profile=_test_profile(tmp_path / "profile"),
        work_dir=work,
    )
    log = (work / "snakemake.log").read_text()
    submitted = set(re.findall(r"submitted with SLURM jobid (\d+)", log))
    records = subprocess.run(
        ["sacct", "--completion", "-n", "-P", "-o", "JobID,State"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    states = dict(r.split("|", 1) for r in records)
    finished = re.findall(r"Finished jobid: \d+ \(Rule: (\w+)\)", log)
    remote = [r for r in finished if r != "all"]  # `all` is the workflow's only local rule
    assert len(remote) >= 30, log[-3000:]
    assert len(submitted) == len(remote), log[-3000:]  # every other job was a SLURM job
    assert submitted <= set(states), (submitted, states)
    assert {states[j] for j in submitted} == {"COMPLETED"}
    for name in ("mrna", "lncrna", "mirna", "circrna", "all_genes", "gene_classes"):
        assert (result.out / "counts" / f"{name}.tsv").read_bytes() == (
            synthetic_run.out / "counts" / f"{name}.tsv"
        ).read_bytes(), name
