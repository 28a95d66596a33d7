"""Measure tospolicy against its baselines, side by side, in one run.

    .venv/bin/python benchmarks/run.py [--services 2000] [--repeat 5] [--markdown FILE]

Each comparison runs its commands alternately (A B A B …) after one warm-up
run each, and reports the median wall time of each and their ratio, so that a
machine that slows down for a while slows both sides. Every Python command
runs under this interpreter (sys.executable), never a `python3` found on PATH,
which may be a shim that adds its own start-up time. Bytecode caching is left
on for the measured commands (as for users), whatever PYTHONDONTWRITEBYTECODE
says here.

    (a) tospolicy check of N services    vs  libyaml's C loader reading the same facts
    (b) tospolicy check of one service   vs  python -c "import click, yaml, lark"
    (c) tospolicy check                  vs  fides --local evaluate (100 and 500 systems)
    (d) tospolicy check                  vs  spectral lint, N services and one service
    (e) tospolicy check at 500 and 5,000 services: growth over 10x the input, peak memory
    (f) tospolicy fmt --check of N services  vs  tospolicy check of the same file

Fides and Spectral are optional: without them (see benchmarks/README.md for
the set-up) their rows say "not measured" and why.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (benchmarks/ is not a package)

PYTHON = sys.executable
FIDES = HERE / ".fides-venv" / "bin" / "fides"
SPECTRAL = HERE / "node_modules" / ".bin" / "spectral"
SPECTRAL_RULESET = HERE / "spectral-ruleset.yaml"
# Like tospolicy, which keeps every file's model until it reports, the loader
# keeps every document it reads.
YAML_LOAD = ("import sys, yaml\n"
             "documents = []\n"
             "for path in sys.argv[1:]:\n"
             "    with open(path, 'rb') as stream:\n"
             "        documents.append(yaml.load(stream, Loader=yaml.CSafeLoader))\n")
IMPORTS = "import click, yaml, lark"
# (a): 1.5x faster than Spectral on the same facts, against a floor that does not move.
A_TARGET, A_LIMIT = "<= 0.63x", 0.63
# (e): the largest declaration's peak memory.
PEAK_LIMIT_MB = 500
# `--jobs` for the rows that measure it: the cores of the machine the results were taken on.
JOBS = 2


@dataclass
class Command:
    label: str
    argv: list[str]
    ok_codes: tuple[int, ...] = (0, 1)  # a linter with findings exits 1
    cwd: Path | None = None
    expect: str | None = None  # printed by a run that did its work (Fides exits 1 on errors too)
    times: list[float] = field(default_factory=list)  # wall time
    cpu_times: list[float] = field(default_factory=list)  # user + system time of the process

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_times)


@dataclass
class Row:
    case: str
    what: str
    ours: float | None
    theirs: float | None
    baseline: str
    ratio: str
    cpu_ratio: str
    target: str
    met: str


def _environment() -> dict:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("TOSPOLICY_DEBUG", None)
    env["FIDES__USER__ANALYTICS_OPT_OUT"] = "true"
    env["NO_COLOR"] = "1"
    return env


ENV = _environment()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: Command) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    cpu = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(command.argv, cwd=command.cwd, env=ENV, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - started
    cpu = _children_cpu() - cpu
    output = (completed.stdout + completed.stderr).decode("utf-8", "replace")
    if completed.returncode not in command.ok_codes or (command.expect and command.expect not in output):
        reason = output.strip().splitlines()
        raise RuntimeError(f"{command.label} exited {completed.returncode}: "
                           f"{reason[-1] if reason else 'no message'}")
    return elapsed, cpu


def measure(commands: list[Command], repeat: int) -> None:
    """Warm each command up once, then run them alternately `repeat` times."""
    for command in commands:
        run_once(command)
    for _ in range(repeat):
        for command in commands:
            wall, cpu = run_once(command)
            command.times.append(wall)
            command.cpu_times.append(cpu)
    for command in commands:
        print(f"  {command.label}: median {command.median:.3f} s, CPU {command.cpu_median:.3f} s "
              f"({', '.join(f'{t:.3f}' for t in command.times)})", flush=True)


def tospolicy(*args: str) -> list[str]:
    """`tospolicy ARGS` through this interpreter, as the installed script runs it."""
    script = Path(PYTHON).parent / "tospolicy"
    if script.exists():
        return [PYTHON, str(script), *args]
    return [PYTHON, "-m", "tospolicy", *args]


def check(*paths: Path, extra: tuple[str, ...] = (), cached: bool = False) -> list[str]:
    """`tospolicy check` of `paths`. Every file is checked (`--no-cache`) unless
    `cached`: a run repeated over unchanged files otherwise takes every finding
    from the result cache, which measures the cache, not the checker."""
    return tospolicy("check", "--quiet", "--fail-on", "never", *([] if cached else ["--no-cache"]),
                     *extra, *map(str, paths))


def inputs(folder: Path, services: int, seed: int) -> dict:
    """Generated inputs, reused when the folder already holds the same ones."""
    out = folder / str(services)
    marker = out / generate.MARKER
    wanted = f"services={services} seed={seed} layout=both\n"
    if not (marker.exists() and marker.read_text(encoding="utf-8") == wanted):
        print(f"generating {services} services in {out}", flush=True)
        generate.write(out, services, seed, "both")
    return {
        "tos": out / "tos" / "all.tos", "tos_one": out / "tos" / "one.tos",
        "tos_many": out / "tos" / "services",
        "yaml": out / "yaml" / "all.yaml", "yaml_one": out / "yaml" / "one.yaml",
        "yaml_many": out / "yaml" / "services", "fides": out / "fides",
    }


def _size(path: Path) -> str:
    return f"{path.stat().st_size / 1e6:.1f} MB"


def ratio_row(case, what, ours: Command, theirs: Command, baseline, target, limit,
              faster=False) -> Row:
    """`faster`: the ratio is theirs/ours (how many times faster we are)."""
    value = theirs.median / ours.median if faster else ours.median / theirs.median
    cpu = (theirs.cpu_median / ours.cpu_median if faster
           else ours.cpu_median / theirs.cpu_median)
    met = value >= limit if faster else value <= limit
    return Row(case, what, ours.median, theirs.median, baseline, f"{value:.2f}x", f"{cpu:.2f}x",
               target, "yes" if met else "no")


def missing_row(case, what, baseline, target, reason, ours: Command | None = None) -> Row:
    return Row(case, what, ours.median if ours else None, None, baseline, "not measured", "-",
               target, f"not measured: {reason}")


def case_a(data, repeat, extra) -> list[Row]:
    print(f"(a) check vs yaml.CSafeLoader, {_size(data['tos'])} .tos / {_size(data['yaml'])} YAML",
          flush=True)
    ours = Command("tospolicy check", check(data["tos"], extra=extra))
    ours_split = Command(f"tospolicy check --jobs {JOBS}",
                         check(data["tos"], extra=(*extra, "--jobs", str(JOBS))))
    theirs = Command("CSafeLoader", [PYTHON, "-c", YAML_LOAD, str(data["yaml"])], ok_codes=(0,))
    measure([ours, ours_split, theirs], repeat)
    many = sorted(data["tos_many"].glob("*.tos"))
    ours_many = Command("tospolicy check (one file per service)", check(data["tos_many"], extra=extra))
    ours_jobs = Command(f"tospolicy check --jobs {JOBS} (one file per service)",
                        check(data["tos_many"], extra=(*extra, "--jobs", str(JOBS))))
    ours_warm = Command("tospolicy check, result cache warm (one file per service)",
                        check(data["tos_many"], extra=extra, cached=True))
    theirs_many = Command("CSafeLoader (one file per service)",
                          [PYTHON, "-c", YAML_LOAD, *map(str, sorted(data["yaml_many"].glob("*.yaml")))],
                          ok_codes=(0,))
    measure([ours_many, ours_jobs, ours_warm, theirs_many], repeat)
    return [
        ratio_row("a", f"check, one file of {data['count']} services", ours, theirs,
                  "yaml.CSafeLoader", A_TARGET, A_LIMIT),
        ratio_row("a", f"check --jobs {JOBS}, one file of {data['count']} services (split by "
                       "service)", ours_split, theirs, "yaml.CSafeLoader", A_TARGET, A_LIMIT),
        ratio_row("a", f"check, {len(many)} files of one service", ours_many, theirs_many,
                  "yaml.CSafeLoader", A_TARGET, A_LIMIT),
        ratio_row("a", f"check --jobs {JOBS}, {len(many)} files of one service", ours_jobs,
                  theirs_many, "yaml.CSafeLoader", A_TARGET, A_LIMIT),
        ratio_row("a", f"check, {len(many)} unchanged files, result cache warm", ours_warm,
                  theirs_many, "yaml.CSafeLoader", A_TARGET, A_LIMIT),
    ]


def case_b(data, repeat, extra) -> list[Row]:
    print("(b) start-up: check one service vs importing click, yaml and lark", flush=True)
    ours = Command("tospolicy check one.tos", check(data["tos_one"], extra=extra))
    ours_warm = Command("tospolicy check one.tos, result cache warm",
                        check(data["tos_one"], extra=extra, cached=True))
    theirs = Command("import click, yaml, lark", [PYTHON, "-c", IMPORTS], ok_codes=(0,))
    bare = Command("python -c pass", [PYTHON, "-c", "pass"], ok_codes=(0,))
    measure([ours, ours_warm, theirs, bare], repeat)
    row = ratio_row("b", "check one service (start-up)", ours, theirs,
                    f'python -c "{IMPORTS}"', "<= 1.1x", 1.1)
    row.what += f"; bare interpreter {bare.median:.3f} s"
    return [row, ratio_row("b", "check one unchanged service, result cache warm", ours_warm, theirs,
                           f'python -c "{IMPORTS}"', "<= 1.1x", 1.1)]


def case_c(folder, seed, repeat, extra, sizes=(100, 500)) -> list[Row]:
    rows = []
    for count in sizes:
        data = inputs(folder, count, seed)
        what = f"{count} systems / services"
        ours = Command(f"tospolicy check ({count})", check(data["tos"], extra=extra))
        if not FIDES.exists():
            rows.append(missing_row("c", what, "fides --local evaluate", ">= 50x faster",
                                    f"{FIDES.relative_to(REPO)} not installed (benchmarks/setup.sh)"))
            continue
        print(f"(c) check vs fides --local evaluate, {count} systems", flush=True)
        theirs = Command(f"fides evaluate ({count})", [str(FIDES), "--local", "evaluate", str(data["fides"])],
                         cwd=data["fides"], expect="Executing Policy evaluation")
        commands = [ours, theirs]
        if count == sizes[-1]:
            ours_jobs = Command(f"tospolicy check --jobs {JOBS} ({count} files)",
                                check(data["tos_many"], extra=(*extra, "--jobs", str(JOBS))))
            ours_split = Command(f"tospolicy check --jobs {JOBS} ({count} in one file)",
                                 check(data["tos"], extra=(*extra, "--jobs", str(JOBS))))
            commands[1:1] = [ours_jobs, ours_split]
        measure(commands, repeat)
        rows.append(ratio_row("c", what, ours, theirs, "fides --local evaluate", ">= 50x faster",
                              50.0, faster=True))
        if count == sizes[-1]:
            rows.append(ratio_row("c", f"{what}, one file per service, --jobs {JOBS}", ours_jobs,
                                  theirs, "fides --local evaluate", ">= 50x faster", 50.0,
                                  faster=True))
            rows.append(ratio_row("c", f"{what}, one file, --jobs {JOBS} (split by service)",
                                  ours_split, theirs, "fides --local evaluate", ">= 50x faster",
                                  50.0, faster=True))
    return rows


def case_d(data, repeat, extra) -> list[Row]:
    baseline = "spectral lint (14 rules)"
    if not SPECTRAL.exists():
        reason = "node_modules missing (npm ci --prefix benchmarks)"
        return [missing_row("d", f"{data['count']} services", baseline, "<= 0.67x", reason),
                missing_row("d", "one service (start-up)", baseline, ">= 5x faster", reason)]
    print(f"(d) check vs spectral lint, {_size(data['yaml'])} YAML", flush=True)

    def spectral(path):
        return [str(SPECTRAL), "lint", "--ruleset", str(SPECTRAL_RULESET), "--quiet",
                "--fail-severity", "error", str(path)]

    ours = Command("tospolicy check", check(data["tos"], extra=extra))
    ours_split = Command(f"tospolicy check --jobs {JOBS}",
                         check(data["tos"], extra=(*extra, "--jobs", str(JOBS))))
    theirs = Command("spectral lint", spectral(data["yaml"]))
    measure([ours, ours_split, theirs], repeat)
    ours_one = Command("tospolicy check one.tos", check(data["tos_one"], extra=extra))
    theirs_one = Command("spectral lint one.yaml", spectral(data["yaml_one"]))
    measure([ours_one, theirs_one], repeat)
    return [
        ratio_row("d", f"{data['count']} services", ours, theirs, baseline, "<= 0.67x", 0.67),
        ratio_row("d", f"{data['count']} services, --jobs {JOBS} (split by service)", ours_split,
                  theirs, baseline, "<= 0.67x", 0.67),
        ratio_row("d", "one service (start-up)", ours_one, theirs_one, baseline, ">= 5x faster",
                  5.0, faster=True),
    ]


def case_e(small, large, one, repeat, extra) -> list[Row]:
    print(f"(e) growth: {small['count']} vs {large['count']} services", flush=True)
    start = Command("check one.tos", check(one, extra=extra))
    low = Command(f"check {small['count']}", check(small["tos"], extra=extra))
    high = Command(f"check {large['count']}", check(large["tos"], extra=extra))
    yaml_low = Command(f"CSafeLoader {small['count']}", [PYTHON, "-c", YAML_LOAD, str(small["yaml"])],
                       ok_codes=(0,))
    yaml_high = Command(f"CSafeLoader {large['count']}", [PYTHON, "-c", YAML_LOAD, str(large["yaml"])],
                        ok_codes=(0,))
    measure([start, low, high, yaml_low, yaml_high], repeat)
    # Start-up is paid once whatever the size: growth is what comes on top of it.
    # Growth is a property of the algorithm: it is judged on CPU time, which a
    # busy shared machine disturbs far less than wall time.
    def growth(first: Command, second: Command, base: Command, cpu: bool) -> float:
        pick = (lambda command: command.cpu_median) if cpu else (lambda command: command.median)
        return (pick(second) - pick(base)) / (pick(first) - pick(base))

    cpu_growth = growth(low, high, start, cpu=True)
    wall_growth = growth(low, high, start, cpu=False)
    yaml_growth = yaml_high.cpu_median / yaml_low.cpu_median
    scale = large["count"] / small["count"]
    per_service = [1000 * (command.cpu_median - start.cpu_median) / data["count"]
                   for command, data in ((low, small), (high, large))]
    return [Row("e", f"check at {scale:g}x the input ({small['count']} -> {large['count']} services, "
                     f"{_size(small['tos'])} -> {_size(large['tos'])}): {per_service[0]:.2f} -> "
                     f"{per_service[1]:.2f} ms of CPU a service once start-up is set aside; "
                     f"CSafeLoader grows {yaml_growth:.1f}x",
                high.median, low.median, f"check of {small['count']} services",
                f"{wall_growth:.1f}x for {scale:g}x", f"{cpu_growth:.1f}x for {scale:g}x",
                f"linear (<= {scale * 1.1:g}x)", "yes" if cpu_growth <= scale * 1.1 else "no"),
            memory_row(high, large)]


def peak_memory_mb(command: Command) -> float:
    """The peak resident memory of one run of `command` (its processes' largest),
    measured in a process of its own so that no earlier run counts."""
    probe = ("import resource, subprocess, sys\n"
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    completed = subprocess.run([PYTHON, "-c", probe, *command.argv], cwd=command.cwd, env=ENV,
                               capture_output=True, text=True, check=True)
    return int(completed.stdout.split()[-1]) / 1024


def memory_row(command: Command, data) -> Row:
    peak = peak_memory_mb(command)
    return Row("e", f"peak memory checking {data['count']} services ({_size(data['tos'])})",
               command.median, None, "-", f"{peak:.0f} MB", "-", f"<= {PEAK_LIMIT_MB} MB",
               "yes" if peak <= PEAK_LIMIT_MB else "no")


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    lines = [
        f"CPU: {cpu}, {os.cpu_count()} cores (nproc); memory {memory}",
        f"OS: {platform.platform()}",
        f"Python: {platform.python_version()} ({PYTHON})",
    ]
    versions = subprocess.run(
        [PYTHON, "-c", "import lark, yaml, click; print(lark.__version__, yaml.__version__, "
                       "yaml.__with_libyaml__, click.__version__ if hasattr(click, '__version__') else '')"],
        capture_output=True, text=True, env=ENV).stdout.split()
    if versions:
        lines.append(f"lark {versions[0]}, PyYAML {versions[1]} (libyaml: {versions[2]})")
    if FIDES.exists():
        fides = subprocess.run([str(FIDES.parent / "python"), "-c",
                                "from importlib.metadata import version; print(version('ethyca-fides'))"],
                               capture_output=True, text=True, env=ENV).stdout.strip()
        lines.append(f"ethyca-fides {fides} (own virtual environment, same Python)")
    if SPECTRAL.exists():
        spectral = subprocess.run([str(SPECTRAL), "--version"], capture_output=True, text=True,
                                  env=ENV).stdout.strip()
        node = shutil.which("node")
        node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() \
            if node else "?"
        lines.append(f"@stoplight/spectral-cli {spectral}, node {node_version}")
    return lines


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def markdown(rows: list[Row], repeat: int, info: list[str]) -> str:
    lines = [
        f"Measured {datetime.date.today().isoformat()}, medians of {repeat} alternating runs "
        "(wall time, seconds; targets are judged on wall time, except growth (e), judged on "
        "CPU time).",
        "",
        *(f"- {line}" for line in info),
        "",
        "| case | what | tospolicy (s) | baseline (s) | baseline | ratio (or measure) | CPU-time ratio | target | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(f"| ({row.case}) | {row.what} | {_seconds(row.ours)} | {_seconds(row.theirs)} "
                     f"| {row.baseline} | {row.ratio} | {row.cpu_ratio} | {row.target} | {row.met} |")
    return "\n".join(lines) + "\n"


def case_f(data, repeat, extra) -> list[Row]:
    print(f"(f) fmt --check vs check, one {_size(data['tos'])} file", flush=True)
    # --check formats the whole file and writes nothing, so every run sees the same input.
    ours = Command("tospolicy fmt --check", tospolicy("fmt", "--check", "--quiet", str(data["tos"])))
    theirs = Command("tospolicy check", check(data["tos"], extra=extra))
    measure([ours, theirs], repeat)
    return [ratio_row("f", f"fmt --check, one file of {data['count']} services", ours, theirs,
                      "tospolicy check", "<= 3.0x", 3.0)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=2000,
                        help="services for (a) and (d) (default 2000)")
    parser.add_argument("--growth-base", type=int, default=500,
                        help="(e) measures this many services and ten times as many (default 500; "
                             "10x must stay under the 16 MiB file limit)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "out",
                        help="where generated inputs are kept (default benchmarks/out)")
    parser.add_argument("--cases", default="abcdef", help="which cases to run (default abcdef)")
    parser.add_argument("--check-arg", action="append", default=[], dest="check_args",
                        help="extra argument for every `tospolicy check` (repeatable), "
                             "e.g. --check-arg=--pack --check-arg=gdpr")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    extra = tuple(args.check_args)

    data = inputs(args.work, args.services, args.seed)
    data["count"] = args.services
    rows: list[Row] = []
    cases = set(args.cases)
    if "a" in cases:
        rows += case_a(data, args.repeat, extra)
    if "b" in cases:
        rows += case_b(data, args.repeat, extra)
    if "c" in cases:
        rows += case_c(args.work, args.seed, args.repeat, extra)
    if "d" in cases:
        rows += case_d(data, args.repeat, extra)
    if "e" in cases:
        small = inputs(args.work, args.growth_base, args.seed)
        small["count"] = args.growth_base
        large = inputs(args.work, args.growth_base * 10, args.seed)
        large["count"] = args.growth_base * 10
        rows += case_e(small, large, data["tos_one"], args.repeat, extra)
    if "f" in cases:
        rows += case_f(data, args.repeat, extra)

    info = machine()
    table = markdown(rows, args.repeat, info)
    print()
    print(table)
    if args.markdown:
        args.markdown.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
