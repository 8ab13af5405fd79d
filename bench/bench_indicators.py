"""Benchmark: ``besa indicators`` against ``ocdscardinal indicators`` 0.0.8, 1 and 2 cores.

    .venv/bin/python -m bench.bench_indicators --lines 200000

Generates (or reuses) ``synth.jsonl`` with the seeded ``/work/shared/bench/synth_ocds.py``
(200,000 compiled releases, about 377 MB), writes ``S.ini`` enabling all 11 indicators with
``currency = DOP``, then runs each engine pinned to 1 core (``taskset -c 0``) and to 2 cores
(``taskset -c 0,1``; ``RAYON_NUM_THREADS`` set to match; besa follows the affinity). Wall time is
measured around the process; peak memory is the largest **sum** of the resident sets of the
process and its descendants, sampled every 20 ms (so worker processes count). Outputs are
compared as JSON objects. ``ocdscardinal`` (the Rust executable) is used when it is on PATH or
given with ``--cardinal``; the PyPI wheel of 0.0.8 only contains ``coverage``. ``--baseline``
runs another BESA checkout (for example the previous engine) in the same run, for a ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench._setup import machine

ROOT = Path(__file__).resolve().parent.parent
SYNTH = Path("/work/shared/bench/synth_ocds.py")
#: ``ocdscardinal`` 0.0.8 built from source, same input and settings, on this machine when quiet
#: (issue 17, 2026-12-05): cores → (wall s, lowest and highest; peak MiB). Used for the ratio
#: when the executable is not at hand (it cannot be installed here: see docs/benchmarks.md).
CARDINAL_FIGURES = {1: ((4.72, 4.72), 190), 2: ((2.74, 2.90), 210)}
SETTINGS = "currency = DOP\n" + "".join(
    f"[{code}]\n"
    for code in (
        "R003",
        "R018",
        "R024",
        "R025",
        "R028",
        "R030",
        "R035",
        "R036",
        "R038",
        "R048",
        "R058",
    )
)


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total = 0
    for pid, size in rss.items():
        ancestor = pid
        while ancestor not in (0, 1, root) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor == root:
            total += size
    return total


def measure(command: list[str], env: dict[str, str], output: Path) -> tuple[float, int, float]:
    """(wall s, peak tree RSS bytes, CPU s) of one run; stdout goes to ``output``.

    CPU time (user + system of the process and its waited-for descendants) is reported because
    the machine is shared: wall time then includes waiting for a core, CPU time much less so.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with output.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, env=env)
        peak = 0

        def sample() -> None:
            nonlocal peak
            while process.poll() is None:
                peak = max(peak, _tree_rss(process.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status = process.wait()
        wall = time.perf_counter() - start
        sampler.join()
    if status:
        raise SystemExit(f"{command[0]} exited with {status}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, peak, cpu


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench-indicators")
    parser.add_argument(
        "--cardinal", default=shutil.which("ocdscardinal"), help="the ocdscardinal executable"
    )
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per configuration (the best is kept)"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="the src/ folder of another BESA checkout (e.g. a git worktree of an earlier "
        "commit) to run side by side as the baseline",
    )
    args = parser.parse_args()

    args.workdir.mkdir(parents=True, exist_ok=True)
    data = args.workdir / f"synth-{args.lines}.jsonl"
    if not data.exists():
        with data.open("wb") as out:
            subprocess.run([sys.executable, str(SYNTH), str(args.lines)], stdout=out, check=True)
    ini = args.workdir / "S.ini"
    ini.write_text(SETTINGS)

    besa = [sys.executable, "-m", "besa", "indicators", "--settings", str(ini), str(data)]
    # (name, command, thread-count variable, PYTHONPATH); besa's own worker threads follow
    # the CPU affinity that taskset sets.
    engines: list[tuple[str, list[str], str | None, str]] = [
        ("besa", besa, None, str(ROOT / "src"))
    ]
    if args.baseline:
        engines.insert(0, ("besa-baseline", besa, None, str(args.baseline.resolve())))
    if args.cardinal:
        command = [args.cardinal, "indicators", "--settings", str(ini), str(data)]
        engines.insert(0, ("ocdscardinal", command, "RAYON_NUM_THREADS", ""))
    rows = []
    outputs: dict[tuple[str, int], Path] = {}
    for cores, cpus in ((1, "0"), (2, "0,1")):
        for name, command, threads, path in engines:
            env = {**os.environ, "PYTHONPATH": path}
            if threads:
                env[threads] = str(cores)
            output = args.workdir / f"{name}-{cores}.json"
            best = min(
                (measure(["taskset", "-c", cpus, *command], env, output) for _ in range(args.runs)),
                key=lambda r: r[0],
            )
            outputs[(name, cores)] = output
            rows.append((name, cores, *best))
            wall, peak, cpu = best
            mib = peak / 2**20
            print(
                f"{name:13} {cores} core(s): {wall:6.2f} s wall, {cpu:6.2f} s CPU, {mib:4.0f} MiB"
            )

    reference = json.loads(outputs[rows[0][0], 1].read_bytes())
    same = all(json.loads(path.read_bytes()) == reference for path in outputs.values())
    size = data.stat().st_size / 1e6
    print()
    print(f"{dt.date.today()} · {machine()} · load average {os.getloadavg()[0]:.1f} at the end")
    print(f"input: {args.lines:,} compiled releases, {size:.0f} MB; outputs identical: {same}")
    print()
    print("| engine | cores | wall | CPU (user + sys) | peak memory (process tree) |")
    print("| --- | --- | --- | --- | --- |")
    for name, cores, wall, peak, cpu in rows:
        print(f"| {name} | {cores} | {wall:.2f} s | {cpu:.2f} s | {peak / 2**20:.0f} MiB |")
    for other in ("ocdscardinal", "besa-baseline"):
        if not any(r[0] == other for r in rows):
            continue
        for cores in (1, 2):
            ours = next(r[2] for r in rows if r[0] == "besa" and r[1] == cores)
            theirs = next(r[2] for r in rows if r[0] == other and r[1] == cores)
            print(f"\nbesa / {other} wall, {cores} core(s): {ours / theirs:.2f}")
    if not any(r[0] == "ocdscardinal" for r in rows):
        print("\nagainst Cardinal's figures of 2026-12-05 (issue 17; not measured in this run):")
        for cores, ((low, high), mib) in CARDINAL_FIGURES.items():
            wall, peak = next((r[2], r[3]) for r in rows if r[0] == "besa" and r[1] == cores)
            print(
                f"  {cores} core(s): wall {wall / high:.2f}–{wall / low:.2f} of Cardinal's "
                f"{low}–{high} s (aim 0.5); peak {peak / 2**20 / mib:.2f} of its {mib} MiB (aim 1)"
            )
    if not same:
        raise SystemExit("outputs differ")


if __name__ == "__main__":
    main()
