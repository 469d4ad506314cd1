"""Time `prosperity` as whole processes at scale, against floors measured in the same run.

Generates a synthetic registry (N targets, M observations, valid in every entry), then runs
each command several times as a separate process and reports the minimum and median wall
time, the peak resident memory of that one process, each as a ratio to its floor, and the
budgets of issue 7 with PASS or FAIL. Standard library only.

    python benchmarks/run.py                      # 200 targets, 100,000 observations
    python benchmarks/run.py --observations 1000000 --targets 10 --runs 3
    python benchmarks/run.py --write-registry /tmp/big.toml   # only write the file

Rows: floors (bare python; import typer, rich; benchmarks/floor_app.py hello; a bare tomllib
parse of the synthetic file, and a bare parse with tomli, the parser prosperity uses),
`prosperity --help`, `status` on the bundled targets.toml, then on the synthetic file
`status`, `status --format json` and `check`, each cold and warm, `add-observation` (a new
month every run, on a copy of the file), `import` and `show` at scale, `report` on 100
targets x 100 observations and on the bundled file, `show` with its chart on the bundled
file, and `status` cold on a file with twice the observations. Budgets (issues 7 and 13):
--help <= 1.2x the Typer app, bundled status <= 1.5x (warm) and 1.2x (nothing cached);
cold status <= 1.0x the tomllib parse; warm's cost beyond the Typer app <= 0.2x cold's;
add-observation <= 1.2x warm status; report <= 10x a cold status --format json of the same
file, bundled report <= 3x the Typer app, show with its chart <= 1.5x warm bundled status;
2x observations <= 2x cold time; peak RSS <= 1.5x the peak of the tomli parse. The report
also says whether prosperity's source files changed during the run (an editable install
being edited mixes two versions in one table).

Measurement: every process is timed from spawn to exit, with its own peak RSS: through GNU
time's %M when /usr/bin/time is there (it forks the command from a tiny process), else
os.wait4's ru_maxrss, which on Linux also counts the benchmark's own RSS as a floor. Rounds
are interleaved (one run of every row, then the next round) after one uncounted warm-up
round, so a floor and the command compared with it see the same machine state. Ratios use
the minimum (the least disturbed run) unless --ratio-of median.

Cache: `cold` rows get a new empty XDG_CACHE_HOME for every run; `warm` rows and every other
row share one XDG_CACHE_HOME kept for the whole benchmark, filled by the warm-up round
(PROSPERITY_CACHE_DIR and PROSPERITY_NO_CACHE are removed from the environment, so the
cache lives where XDG_CACHE_HOME says). Without a parse cache in prosperity, cold and warm
are the same command and take the same time.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

HERE = Path(__file__).resolve().parent
BUNDLED_REGISTRY = HERE.parent / "targets.toml"
FLOOR_APP = HERE / "floor_app.py"

#: Every status and check runs "as of" this date, so output (and the work done) is fixed.
AS_OF = "2026-11-29"
#: The most recent month with a value in the synthetic registry (it ends before AS_OF).
LATEST_YEAR, LATEST_MONTH = 2026, 10
#: Enough indicators that each holds at most about this many observations (~40 years).
OBSERVATIONS_PER_INDICATOR = 400

#: The floor app ended as prosperity's main() ends (flush, os._exit: no interpreter
#: teardown), to show how much of prosperity's margin over the floor that is.
FAST_EXIT_SNIPPET = """
import os, runpy, sys
sys.argv = [sys.argv[1], "hello"]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit as done:
    sys.stdout.flush()
    os._exit(done.code or 0)
"""
PARSE_SNIPPET = "import sys, tomllib; tomllib.load(open(sys.argv[1], 'rb'))"
#: The parser prosperity itself uses (tomli's compiled wheel): the memory budget is against
#: "parsing the file alone with the same parser".
SAME_PARSER_SNIPPET = "import sys, tomli; tomli.load(open(sys.argv[1], 'rb'))"

# --- the synthetic registry ----------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """One synthetic indicator: its ID, cadence and the shape of its series."""

    index: int
    cadence: str  # monthly | quarterly | annual

    @property
    def id(self) -> str:
        return f"ind-{self.index:05d}"

    @property
    def unit(self) -> str:
        return "percent" if self.index % 5 == 4 else "yuan"

    @property
    def rising(self) -> bool:
        return self.index % 2 == 0

    def publishes_in(self, month: int) -> bool:
        """Does a period of this indicator end in calendar month `month` (1-12)?"""
        if self.cadence == "monthly":
            return True
        if self.cadence == "quarterly":
            return month % 3 == 0
        return month == 12

    def period(self, year: int, month: int) -> str:
        """The period ending in (year, month), written as the registry expects it."""
        if self.cadence == "monthly":
            return f"{year:04d}-{month:02d}"
        if self.cadence == "quarterly":
            return f"{year:04d}-Q{month // 3}"
        return f"{year:04d}"

    def value(self, months_back: int) -> float:
        """A smooth trend with a little deterministic noise, always positive."""
        years_back = months_back / 12
        noise = ((self.index * 7919 + months_back * 104729) % 1000 - 500) / 100_000
        if self.unit == "percent":
            trend = 60 - 0.5 * years_back if self.rising else 20 + 0.5 * years_back
            return round(max(trend, 1.0) * (1 + noise), 2)
        base = 50_000 + 997 * self.index
        growth = 1.04 if self.rising else 0.99
        return round(base * growth ** (-years_back) * (1 + noise), 2)


def cadence_of(index: int) -> str:
    """Eight indicators in ten are monthly, one quarterly, one annual."""
    return {8: "quarterly", 9: "annual"}.get(index % 10, "monthly")


def month_at(months_back: int) -> tuple[int, int]:
    """(year, month) that lies `months_back` months before the latest month."""
    absolute = LATEST_YEAR * 12 + (LATEST_MONTH - 1) - months_back
    return absolute // 12, absolute % 12 + 1


def default_indicator_count(targets: int, observations: int) -> int:
    return max(targets, 1, math.ceil(observations / OBSERVATIONS_PER_INDICATOR))


def observation_window(indicators: list[IndicatorSpec], observations: int) -> list[int]:
    """How many observations each month holds, newest month first, summing to `observations`.

    Walks back from the latest month and takes every indicator that publishes in it, so the
    journal holds the most recent `observations` values; the oldest month may be partial.
    """
    taken: list[int] = []
    remaining = observations
    months_back = 0
    while remaining > 0:
        publishing = sum(1 for _ in publishers(indicators, months_back))
        take = min(publishing, remaining)
        taken.append(take)
        remaining -= take
        months_back += 1
        if months_back > 12 * 1000:
            raise SystemExit("too many observations for the indicators: raise --indicators")
    return taken


def publishers(indicators: list[IndicatorSpec], months_back: int) -> Iterator[IndicatorSpec]:
    """The indicators that publish a value for the month `months_back` before the latest."""
    _, month = month_at(months_back)
    return (spec for spec in indicators if spec.publishes_in(month))


def baseline_months_back(spec: IndicatorSpec, window: list[int]) -> int | None:
    """About five years before the latest value, or the oldest value if the series is shorter.

    The oldest month of the window may be partial, so it is never chosen: every other month
    holds a value of every indicator that publishes in it.
    """
    held = [back for back in range(len(window) - 1) if spec.publishes_in(month_at(back)[1])]
    return min(held, key=lambda back: abs(back - 60)) if held else None


def write_header(out: TextIO, targets: int, observations: int) -> None:
    out.write(
        "# Synthetic registry written by benchmarks/run.py: "
        f"{targets} targets, {observations} observations.\n"
        "# Every entry is valid; values follow smooth trends. Not real data.\n\n"
        "format = 1\n\n"
    )


def write_plans(out: TextIO, plans: int) -> None:
    for number in range(plans):
        out.write(
            f"[plans.plan-{number:03d}]\n"
            f'title = "Synthetic plan {number}"\n'
            f'region = "Region {number % 7}"\n'
            "published = 2021-07-29\n"
            'source = "benchmarks/run.py"\n\n'
        )


def write_indicators(out: TextIO, indicators: list[IndicatorSpec]) -> None:
    lags = {"monthly": "15 days", "quarterly": "1 month", "annual": "3 months"}
    for spec in indicators:
        out.write(
            f"[indicators.{spec.id}]\n"
            f'name = "Synthetic {spec.cadence} series {spec.index}"\n'
            f'region = "Region {spec.index % 7}"\n'
            f'unit = "{spec.unit}"\n'
            f'cadence = "{spec.cadence}"\n'
            f'lag = "{lags[spec.cadence]}"\n'
            'source = "benchmarks/run.py"\n\n'
        )


def write_targets(
    out: TextIO, targets: int, plans: int, indicators: list[IndicatorSpec], window: list[int]
) -> None:
    for number in range(targets):
        spec = indicators[number % len(indicators)]
        baseline = baseline_months_back(spec, window)
        goal = ("at-least" if number % 4 else "above") if spec.rising else "at-most"
        latest = spec.value(0)
        value = round(latest * (1.15 if spec.rising else 0.9), 2)
        method = "linear" if number % 3 == 0 or spec.unit == "percent" else "cagr"
        out.write(
            f"[targets.target-{number:05d}]\n"
            f'indicator = "{spec.id}"\n'
            f'plan = "plan-{number % plans:03d}"\n'
            f'goal = "{goal}"\n'
            f"value = {value}\n"
            f"deadline = {2027 + number % 9}-12-31\n"
        )
        if baseline is not None:
            out.write(f'baseline = "{spec.period(*month_at(baseline))}"\n')
        out.write(
            f'method = "{method}"\n'
            f'quote = "Synthetic target {number} for {spec.id}."\n'
            'source = "benchmarks/run.py"\n\n'
        )


def write_observations(out: TextIO, indicators: list[IndicatorSpec], window: list[int]) -> None:
    """The journal, oldest month first, as it would grow month by month."""
    for months_back in range(len(window) - 1, -1, -1):
        year, month = month_at(months_back)
        for spec in itertools.islice(publishers(indicators, months_back), window[months_back]):
            period = spec.period(year, month)
            out.write(
                "[[observations]]\n"
                f'indicator = "{spec.id}"\n'
                f'period = "{period}"\n'
                f"value = {spec.value(months_back)}\n"
                f'source = "Synthetic bulletin, {period}"\n\n'
            )


@dataclass(frozen=True)
class SyntheticRegistry:
    path: Path
    targets: int
    observations: int
    indicators: int
    size_bytes: int
    seconds: float
    #: A monthly indicator, for add-observation; its next free months follow the latest.
    monthly_indicator: str


def write_registry(
    path: Path, targets: int, observations: int, indicators: int | None = None
) -> SyntheticRegistry:
    """Write a valid synthetic registry to `path` and describe it."""
    started = time.perf_counter()
    count = indicators or default_indicator_count(targets, observations)
    specs = [IndicatorSpec(index, cadence_of(index)) for index in range(count)]
    window = observation_window(specs, observations)
    plans = max(1, math.ceil(targets / 25))
    with path.open("w", encoding="utf-8", newline="\n") as out:
        write_header(out, targets, observations)
        write_plans(out, plans)
        write_indicators(out, specs)
        write_targets(out, targets, plans, specs, window)
        write_observations(out, specs, window)
    monthly = next(spec.id for spec in specs if spec.cadence == "monthly")
    return SyntheticRegistry(
        path,
        targets,
        observations,
        count,
        path.stat().st_size,
        time.perf_counter() - started,
        monthly,
    )


# --- running one process -------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One run of one process: wall time, its own peak RSS, exit code, output digest."""

    seconds: float
    peak_kb: int
    exit_code: int
    stdout_sha256: str


#: GNU time forks the measured process from a ~2 MB program, so its peak RSS is that process's
#: alone. Without it we fall back to os.wait4, whose ru_maxrss also counts the RSS of the
#: benchmark itself (Linux carries the pre-exec peak of a forked child across execve).
GNU_TIME = Path("/usr/bin/time")


def gnu_time_works() -> bool:
    """Whether /usr/bin/time is GNU time and understands -f %M -o FILE."""
    if not GNU_TIME.is_file():
        return False
    with tempfile.NamedTemporaryFile("r") as report:
        done = subprocess.run(
            [str(GNU_TIME), "-f", "%M", "-o", report.name, "true"], capture_output=True
        )
        return done.returncode == 0 and report.read().strip().isdigit()


def run_process(
    argv: list[str], env: dict[str, str], cwd: Path, gnu_time: bool
) -> tuple[Sample, bytes, str]:
    """Run `argv` to completion and measure it; return the sample, its stdout and stderr.

    Output goes to files rather than pipes, so the benchmark never slows the process by
    reading slowly. The peak RSS is GNU time's %M when available, else os.wait4's.
    """
    with (
        tempfile.TemporaryFile(dir=cwd) as stdout,
        tempfile.TemporaryFile(dir=cwd) as stderr,
        tempfile.NamedTemporaryFile("r", dir=cwd) as rss_report,
    ):
        wrapped = argv
        if gnu_time:
            wrapped = [str(GNU_TIME), "-f", "%M", "-o", rss_report.name, *argv]
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=stdout, stderr=stderr, env=env, cwd=cwd)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        if gnu_time:
            # GNU time writes "Command exited with non-zero status N" before the figure.
            peak_kb = int(rss_report.read().split()[-1])
        else:
            # Linux reports ru_maxrss in KiB, macOS in bytes.
            darwin = sys.platform == "darwin"
            peak_kb = usage.ru_maxrss // 1024 if darwin else usage.ru_maxrss
        stdout.seek(0)
        output = stdout.read()
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")
    digest = hashlib.sha256(output).hexdigest()
    return Sample(seconds, peak_kb, process.returncode, digest), output, errors


# --- what is measured ----------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a command, how its cache is set, and its samples."""

    key: str
    label: str
    argv: Callable[[], list[str]]
    cache: str = "shared"  # "cold": a new empty cache per run; "shared": one kept cache
    allowed_exit: tuple[int, ...] = (0,)
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def available(self) -> bool:
        return not self.note

    def times_ms(self) -> list[float]:
        return [sample.seconds * 1000 for sample in self.samples]

    def min_ms(self) -> float:
        return min(self.times_ms())

    def median_ms(self) -> float:
        return statistics.median(self.times_ms())

    def peak_mb(self) -> float:
        return max(sample.peak_kb for sample in self.samples) / 1024


@dataclass
class Bench:
    """The rows of one benchmark run and the places it works in."""

    python: str
    prosperity: list[str]
    workdir: Path
    shared_cache: Path
    gnu_time: bool
    rows: list[Row] = field(default_factory=list)
    #: 1-minute load average before the first round and after the last: other work on the
    #: machine shows up here, and in the spread between min and median.
    load: list[float] = field(default_factory=list)
    #: Modification times of prosperity's source files before and after the rounds: an
    #: editable install edited mid-run mixes two versions in one table.
    sources: list[dict[str, int]] = field(default_factory=list)
    #: Whether prosperity's modules were compiled to bytecode before the rounds.
    bytecode: str = ""

    def run(self, argv: list[str], cache: str) -> tuple[Sample, bytes, str]:
        """Run one process in the work folder with the cache set as `cache` says."""
        return run_process(argv, self.env(cache), self.workdir, self.gnu_time)

    def env(self, cache: str) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("PROSPERITY_REGISTRY", "PROSPERITY_CACHE_DIR", "PROSPERITY_NO_CACHE"):
            env.pop(name, None)
        if cache == "cold":
            env["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="cold-cache-", dir=self.workdir)
        else:
            env["XDG_CACHE_HOME"] = str(self.shared_cache)
        return env

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)


def prosperity_command(python: str) -> list[str]:
    """The console script next to the interpreter, else `python -m prosperity_cli`."""
    script = Path(python).parent / "prosperity"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [python, "-m", "prosperity_cli"]


def has_add_observation(bench: Bench) -> bool:
    """Whether the installed CLI has an add-observation command (later issues add it)."""
    argv = [*bench.prosperity, "add-observation", "--help"]
    sample, _, _ = bench.run(argv, "shared")
    return sample.exit_code == 0


def later_days(first: str) -> Iterator[str]:
    """The days after `first`, one per call: an --as-of no earlier run has used."""
    day = datetime.date.fromisoformat(first)
    while True:
        day += datetime.timedelta(days=1)
        yield day.isoformat()


def fresh_periods(start_year: int, start_month: int) -> Iterator[str]:
    """Months after the latest one: a new period for every add-observation run."""
    absolute = start_year * 12 + start_month - 1
    while True:
        absolute += 1
        yield f"{absolute // 12:04d}-{absolute % 12 + 1:02d}"


def define_rows(
    bench: Bench, synthetic: SyntheticRegistry, doubled: SyntheticRegistry | None
) -> None:
    """Every row of the table, floors first, in the order they are printed."""
    python, cli = bench.python, bench.prosperity
    file = str(synthetic.path)
    size = f"{synthetic.observations:,} obs"
    rows = bench.rows
    rows += [
        Row("bare_python", "floor: python -c pass", lambda: [python, "-c", "pass"]),
        Row(
            "import_floor",
            "floor: import typer, rich",
            lambda: [python, "-c", "import typer, rich"],
        ),
        Row(
            "app_floor",
            "floor: typer app (floor_app.py)",
            lambda: [python, str(FLOOR_APP), "hello"],
        ),
        Row(
            "app_floor_fast_exit",
            "floor: typer app, ended with os._exit",
            lambda: [python, "-c", FAST_EXIT_SNIPPET, str(FLOOR_APP)],
        ),
        Row(
            "parse_floor",
            f"floor: tomllib parse, {size}",
            lambda: [python, "-c", PARSE_SNIPPET, file],
        ),
        Row(
            "parser_floor",
            f"floor: tomli parse (our parser), {size}",
            lambda: [python, "-c", SAME_PARSER_SNIPPET, file],
        ),
        Row("help", "prosperity --help", lambda: [*cli, "--help"]),
        Row(
            "bundled_status",
            "status, bundled registry",
            lambda: [*cli, "status", "--registry", str(BUNDLED_REGISTRY), "--as-of", AS_OF],
        ),
        Row(
            "bundled_status_first",
            "status, bundled registry, first run",
            lambda: [*cli, "status", "--registry", str(BUNDLED_REGISTRY), "--as-of", AS_OF],
            cache="cold",
        ),
    ]
    commands = {
        "status": ["status"],
        "status_json": ["status", "--format", "json"],
        "check": ["check"],
    }
    for key, words in commands.items():
        allowed = (0, 1) if key == "check" else (0,)
        for cache in ("cold", "warm"):
            argv = [*cli, *words, "--registry", file, "--as-of", AS_OF]
            rows.append(
                Row(
                    f"{key}_{cache}",
                    f"{' '.join(words)}, {size}, {cache}",
                    lambda argv=argv: argv,
                    cache="cold" if cache == "cold" else "shared",
                    allowed_exit=allowed,
                )
            )
        # The same file, but an output never printed before (a new --as-of every run): the
        # parsed registry comes from the cache, the rest is computed.
        dates = later_days(AS_OF)
        rows.append(
            Row(
                f"{key}_new_output",
                f"{' '.join(words)}, {size}, warm, new date",
                lambda words=words, dates=dates: [
                    *cli,
                    *words,
                    "--registry",
                    file,
                    "--as-of",
                    next(dates),
                ],
                allowed_exit=allowed,
            )
        )
    rows.append(add_observation_row(bench, synthetic))
    rows += scale_rows(bench)
    rows += report_rows(bench)
    if doubled is not None:
        twice = str(doubled.path)
        rows += [
            Row(
                "parse_floor_2x",
                f"floor: tomllib parse, {doubled.observations:,} obs",
                lambda: [python, "-c", PARSE_SNIPPET, twice],
            ),
            Row(
                "parser_floor_2x",
                f"floor: tomli parse (our parser), {doubled.observations:,} obs",
                lambda: [python, "-c", SAME_PARSER_SNIPPET, twice],
            ),
            Row(
                "status_cold_2x",
                f"status, {doubled.observations:,} obs, cold",
                lambda: [*cli, "status", "--registry", twice, "--as-of", AS_OF],
                cache="cold",
            ),
        ]


#: The two cases of the hostile-input issue that once took minutes: importing many rows
#: into a large journal, and `show` on an indicator with a long series.
IMPORT_INTO, IMPORT_ROWS, LONG_SERIES = 50_000, 20_000, 50_000


def scale_rows(bench: Bench) -> list[Row]:
    """import of 20,000 revisions into 50,000 observations (a fresh copy each run), the cold
    status of that file beside it, and show of one indicator with 50,000 observations."""
    folder = bench.workdir / "scale"
    folder.mkdir()
    base = folder / "base.toml"
    write_registry(base, targets=50, observations=IMPORT_INTO)
    rows_csv = folder / "revisions.csv"
    with base.open("rb") as registry, rows_csv.open("w", encoding="utf-8") as out:
        journal = tomllib.load(registry)["observations"][-IMPORT_ROWS:]
        out.write("indicator,period,value,revises\n")
        for o in journal:
            out.write(f"{o['indicator']},{o['period']},{o['value'] * 1.01:.2f},yes\n")
    copy = folder / "targets.toml"

    def import_argv() -> list[str]:
        shutil.copyfile(base, copy)  # before the timed run: every run imports the same rows
        return [*bench.prosperity, "import", str(rows_csv), "--recorded", AS_OF, "-r", str(copy)]

    long_series = folder / "long-series.toml"
    with long_series.open("w", encoding="utf-8") as out:
        out.write('format = 1\n\n[indicators.x]\nname = "X"\nunit = "yuan"\n')
        out.write('cadence = "irregular"\n')
        first = datetime.date(1900, 1, 1)
        for n in range(LONG_SERIES):
            day = (first + datetime.timedelta(days=n)).isoformat()
            out.write(f'\n[[observations]]\nindicator = "x"\nperiod = "{day}"\nvalue = {n}\n')
    size, series = f"{IMPORT_INTO:,} obs", f"{LONG_SERIES:,} obs"
    return [
        Row(
            "scale_status_cold",
            f"status, {size}, cold",
            lambda: [*bench.prosperity, "status", "-r", str(base), "--as-of", AS_OF],
            cache="cold",
        ),
        Row("import_rows", f"import {IMPORT_ROWS:,} rows into {size}", import_argv, cache="cold"),
        Row(
            "show_long",
            f"show, one indicator of {series}, with its chart",
            lambda: [*bench.prosperity, "show", "x", "-r", str(long_series), "--as-of", AS_OF],
        ),
        Row(
            "long_status_warm",
            f"status, one indicator of {series}, warm",
            lambda: [*bench.prosperity, "status", "-r", str(long_series), "--as-of", AS_OF],
        ),
    ]


#: Issue 13's report registry: 100 targets with 100 observations each.
REPORT_TARGETS, REPORT_OBSERVATIONS = 100, 10_000
#: A target of the bundled registry with a long enough series for `show` to chart.
SHOW_TARGET = "zj-urban-rural-income-ratio-2025"


def report_rows(bench: Bench) -> list[Row]:
    """report (HTML, every chart) on 100 targets x 100 observations beside a cold status
    --format json of the same file; report and show (with its chart) on the bundled file."""
    folder = bench.workdir / "report"
    folder.mkdir()
    registry = folder / "targets.toml"
    write_registry(registry, targets=REPORT_TARGETS, observations=REPORT_OBSERVATIONS)
    file, bundled = str(registry), str(BUNDLED_REGISTRY)
    size = f"{REPORT_TARGETS} targets x {REPORT_OBSERVATIONS // REPORT_TARGETS} obs"
    cli = bench.prosperity
    return [
        Row(
            "report_status_json_cold",
            f"status --format json, {size}, cold",
            lambda: [*cli, "status", "--format", "json", "-r", file, "--as-of", AS_OF],
            cache="cold",
        ),
        Row(
            "report_cold",
            f"report (HTML, every chart), {size}, cold",
            lambda: [*cli, "report", "-r", file, "--as-of", AS_OF, "-o", str(folder / "r.html")],
            cache="cold",
        ),
        Row(
            "bundled_report_first",
            "report, bundled registry, nothing cached",
            lambda: [*cli, "report", "-r", bundled, "--as-of", AS_OF, "-o", str(folder / "b.html")],
            cache="cold",
        ),
        Row(
            "bundled_show",
            f"show {SHOW_TARGET} with its chart, bundled registry",
            lambda: [*cli, "show", SHOW_TARGET, "-r", bundled, "--as-of", AS_OF],
        ),
    ]


def add_observation_row(bench: Bench, synthetic: SyntheticRegistry) -> Row:
    """add-observation on a copy of the synthetic file, with a new period every run."""
    label = f"add-observation, {synthetic.observations:,} obs"
    if not has_add_observation(bench):
        return Row("add_observation", label, list, note="not available in the installed CLI")
    copy = bench.workdir / "add-observation" / "targets.toml"
    copy.parent.mkdir()
    shutil.copyfile(synthetic.path, copy)
    periods = fresh_periods(LATEST_YEAR, LATEST_MONTH)

    def argv() -> list[str]:
        period = next(periods)
        return [
            *bench.prosperity,
            "add-observation",
            synthetic.monthly_indicator,
            period,
            "12345.6",
            "--source",
            f"Synthetic bulletin, {period}",
            "--recorded",
            AS_OF,
            "--registry",
            str(copy),
        ]

    return Row("add_observation", label, argv)


def save_output(bench: Bench, row: Row, sample: Sample, output: bytes) -> None:
    """Keep each distinct stdout of a row under outputs/, to diff when cold and warm differ."""
    path = bench.workdir / "outputs" / f"{row.key}-{sample.stdout_sha256[:12]}.txt"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(output)


def run_rounds(bench: Bench, runs: int, progress: TextIO) -> None:
    """One uncounted warm-up round, then `runs` rounds of every row, interleaved."""
    rows = [row for row in bench.rows if row.available]
    bench.load.append(os.getloadavg()[0])
    for round_number in range(runs + 1):
        warm_up = round_number == 0
        progress.write("warm-up round ..." if warm_up else f"round {round_number}/{runs} ...")
        progress.flush()
        for row in rows:
            sample, output, errors = bench.run(row.argv(), row.cache)
            save_output(bench, row, sample, output)
            if sample.exit_code not in row.allowed_exit:
                raise SystemExit(
                    f"\n{row.label}: exit code {sample.exit_code}, expected "
                    f"{' or '.join(map(str, row.allowed_exit))}\n{errors}"
                )
            if not warm_up:
                row.samples.append(sample)
        progress.write(" done\n")
    bench.load.append(os.getloadavg()[0])


def verify_registry(bench: Bench, synthetic: SyntheticRegistry) -> int:
    """`prosperity check` must accept the synthetic file (exit 0 or 1, never 2)."""
    argv = [*bench.prosperity, "check", "--registry", str(synthetic.path), "--as-of", AS_OF]
    sample, _, errors = bench.run(argv, "shared")
    if sample.exit_code not in (0, 1):
        raise SystemExit(
            f"the synthetic registry {synthetic.path} is not valid "
            f"(check exit {sample.exit_code}):\n{errors[:4000]}"
        )
    return sample.exit_code


# --- ratios and budgets --------------------------------------------------------------------


@dataclass(frozen=True)
class Ratio:
    """One figure divided by its floor, with its budget (issues 7 and 13) when it has one."""

    row: str
    what: str  # how the ratio is formed, for the summary
    value: float
    budget: float | None = None

    @property
    def verdict(self) -> str:
        if self.budget is None:
            return ""
        return "PASS" if self.value <= self.budget else "FAIL"


def time_ratios(bench: Bench, stat: str) -> list[Ratio]:
    """Each time ratio the issue asks for (and a few for context), from `stat` (min/median)."""

    def ms(key: str) -> float | None:
        row = next((row for row in bench.rows if row.key == key), None)
        if row is None or not row.samples:
            return None
        return row.min_ms() if stat == "min" else row.median_ms()

    ratios: list[Ratio] = []

    def add(key: str, over: str, what: str, budget: float | None = None) -> None:
        numerator, denominator = ms(key), ms(over)
        if numerator is not None and denominator:
            ratios.append(Ratio(key, what, numerator / denominator, budget))

    def add_beyond(key: str, cold: str, budget: float) -> None:
        warm_ms, cold_ms, app_ms = ms(key), ms(cold), ms("app_floor")
        if warm_ms is None or cold_ms is None or app_ms is None:
            return
        value = (warm_ms - app_ms) / (cold_ms - app_ms) if cold_ms > app_ms else math.inf
        what = "(warm − typer app) / (cold − typer app)"
        ratios.append(Ratio(key, what, value, budget))

    add("app_floor", "import_floor", "typer app / import typer, rich")
    add("app_floor_fast_exit", "app_floor", "typer app ended with os._exit / typer app")
    add("help", "app_floor", "--help / typer app", 1.2)
    add("bundled_status", "app_floor", "bundled status / typer app", 1.5)
    add("bundled_status_first", "app_floor", "bundled status, nothing cached / typer app", 1.2)
    add(
        "bundled_status_first",
        "app_floor_fast_exit",
        "bundled status, nothing cached / typer app ended with os._exit",
    )
    add("status_cold", "parse_floor", "cold status / tomllib parse", 1.0)
    add("status_json_cold", "parse_floor", "cold status --format json / tomllib parse")
    add("check_cold", "parse_floor", "cold check / tomllib parse")
    add_beyond("status_warm", "status_cold", 0.2)
    add_beyond("status_json_warm", "status_json_cold", 0.2)
    add_beyond("check_warm", "check_cold", 0.2)
    add_beyond("status_new_output", "status_cold", 0.2)
    add_beyond("status_json_new_output", "status_json_cold", 0.2)
    add_beyond("check_new_output", "check_cold", 0.2)
    add("add_observation", "status_warm", "add-observation / warm status", 1.2)
    add("add_observation", "status_new_output", "add-observation / warm status, new date", 1.2)
    add("import_rows", "scale_status_cold", "import 20,000 rows / cold status of the file")
    add("show_long", "long_status_warm", "show with chart / warm status, 50,000-obs series")
    add("report_cold", "report_status_json_cold", "report / cold status --format json", 10.0)
    add("bundled_report_first", "app_floor", "bundled report, nothing cached / typer app", 3.0)
    add("bundled_show", "bundled_status", "show with chart / warm bundled status", 1.5)
    add("parse_floor_2x", "parse_floor", "tomllib parse, 2× observations / 1×")
    add("status_cold_2x", "status_cold", "cold status, 2× observations / 1×", 2.0)
    return ratios


def memory_ratios(bench: Bench) -> list[Ratio]:
    """Peak RSS of every command on the synthetic file over the peak of parsing it alone
    with the same parser (tomli)."""
    ratios = []
    for row in bench.rows:
        if not row.samples or not row.key.startswith(("status_", "check_", "add_")):
            continue
        floor_key = "parser_floor_2x" if row.key.endswith("_2x") else "parser_floor"
        floor = bench.row(floor_key)
        what = f"peak RSS / {floor.label.removeprefix('floor: ')} peak"
        ratios.append(Ratio(row.key, what, row.peak_mb() / floor.peak_mb(), 1.5))
    return ratios


def doubling_beyond_startup(bench: Bench, stat: str) -> float | None:
    """The doubling ratio without start-up: (2× − typer app) / (1× − typer app)."""
    try:
        rows = [bench.row(key) for key in ("status_cold_2x", "status_cold", "app_floor")]
    except StopIteration:
        return None
    twice, once, app = (row.min_ms() if stat == "min" else row.median_ms() for row in rows)
    return (twice - app) / (once - app)


# --- printing ------------------------------------------------------------------------------


def format_ratio(ratio: Ratio | None) -> tuple[str, str]:
    if ratio is None:
        return "", ""
    budget = "" if ratio.budget is None else f"≤ {ratio.budget:g} {ratio.verdict}"
    return f"{ratio.value:.2f}", budget


def table_lines(bench: Bench, times: list[Ratio], memory: list[Ratio]) -> list[str]:
    """The main table: one line per row, times, time ratio, peak memory, memory ratio."""
    by_row: dict[str, Ratio] = {}
    for ratio in times:  # a row's first ratio is the one the budget is about
        by_row.setdefault(ratio.row, ratio)
    memory_by_row = {ratio.row: ratio for ratio in memory}
    header = ("command", "min ms", "med ms", "ratio", "budget", "peak MB", "mem ×", "budget")
    lines: list[tuple[str, ...]] = [header]
    for row in bench.rows:
        if not row.samples:
            lines.append((row.label, "—", "—", "", row.note, "", "", ""))
            continue
        ratio, budget = format_ratio(by_row.get(row.key))
        mem_ratio, mem_budget = format_ratio(memory_by_row.get(row.key))
        lines.append(
            (
                row.label,
                f"{row.min_ms():.0f}",
                f"{row.median_ms():.0f}",
                ratio,
                budget,
                f"{row.peak_mb():.1f}",
                mem_ratio,
                mem_budget,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    right = {1, 2, 3, 5, 6}
    text = []
    for line in lines:
        cells = [
            cell.rjust(width) if column in right else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        text.append("  ".join(cells).rstrip())
    text.insert(1, "-" * len(text[0]))
    return text


def budget_lines(times: list[Ratio], memory: list[Ratio], beyond: float | None) -> list[str]:
    """Every ratio spelled out (budgeted ones with PASS or FAIL), then the verdict count."""
    lines = []
    for ratio in [*times, *memory]:
        budget = "" if ratio.budget is None else f" (budget ≤ {ratio.budget:g})"
        verdict = ratio.verdict or "info"
        lines.append(f"{verdict}  {ratio.row}: {ratio.what} = {ratio.value:.2f}{budget}")
    if beyond is not None:
        lines.append(f"info  status_cold_2x: (2× − typer app) / (1× − typer app) = {beyond:.2f}")
    failed = sum(1 for line in lines if line.startswith("FAIL"))
    passed = sum(1 for line in lines if line.startswith("PASS"))
    lines.append(f"{passed} budgets pass, {failed} fail")
    return lines


def same_output_lines(bench: Bench) -> list[str]:
    """Whether every warm run printed exactly what every cold run printed."""
    lines = []
    for key in ("status", "status_json", "check"):
        cold, warm = bench.row(f"{key}_cold"), bench.row(f"{key}_warm")
        digests = {sample.stdout_sha256 for sample in [*cold.samples, *warm.samples]}
        verdict = (
            "identical"
            if len(digests) == 1
            else f"DIFFERENT ({len(digests)} distinct outputs; --keep, then see outputs/)"
        )
        lines.append(f"{key}: cold and warm stdout {verdict}")
    return lines


SOURCES_SNIPPET = """
import json, os, prosperity_cli
root = os.path.dirname(prosperity_cli.__file__)
paths = [os.path.join(d, n) for d, _, names in os.walk(root) for n in names if n.endswith(".py")]
print(json.dumps({os.path.relpath(p, root): os.stat(p).st_mtime_ns for p in paths}))
"""


def source_stamps(python: str) -> dict[str, int]:
    """Each .py file of the installed prosperity_cli package and its modification time."""
    done = subprocess.run(
        [python, "-c", SOURCES_SNIPPET], capture_output=True, text=True, check=True
    )
    stamps: dict[str, int] = json.loads(done.stdout)
    return stamps


def sources_line(bench: Bench) -> str:
    before, after = bench.sources[0], bench.sources[-1]
    if before == after:
        newest = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(max(after.values()) / 1e9))
        return f"prosperity source: unchanged during the run (newest file {newest})"
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    return (
        f"prosperity source: CHANGED during the run ({', '.join(changed)}): "
        "the rows mix two versions, run again"
    )


COMPILE_SNIPPET = """
import compileall, os, prosperity_cli
root = os.path.dirname(prosperity_cli.__file__)
print(int(compileall.compile_dir(root, quiet=1)))
"""


def compile_package(python: str) -> str:
    """Compile prosperity's modules to bytecode first, as `pip install` does for a regular
    install: an editable install under PYTHONDONTWRITEBYTECODE (set on some machines,
    including the one docs/performance.md was measured on) would otherwise compile every
    module again in every timed process, which no installed copy does."""
    done = subprocess.run(
        [python, "-c", COMPILE_SNIPPET], capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or done.stdout.strip() != "1":
        return "prosperity bytecode: could NOT be compiled; every run compiles its modules"
    return "prosperity bytecode: compiled before the rounds (as pip install does)"


def interpreter_version(python: str) -> str:
    return subprocess.run(
        [python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def rss_method(bench: Bench) -> str:
    if bench.gnu_time:
        return "GNU time %M, each process alone"
    return "os.wait4 ru_maxrss (no GNU time: includes the benchmark's own RSS as a floor)"


def describe_machine(python: str) -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": interpreter_version(python),
        "python_path": python,
    }


def print_report(
    bench: Bench,
    synthetic: SyntheticRegistry,
    doubled: SyntheticRegistry | None,
    args: argparse.Namespace,
    out: TextIO,
) -> dict[str, Any]:
    """Print the table, the budgets and the output check; return the raw numbers."""
    machine = describe_machine(bench.python) | {
        "rss": rss_method(bench),
        "load": bench.load,
        "sources": sources_line(bench),
        "bytecode": bench.bytecode,
    }
    times = time_ratios(bench, args.ratio_of)
    memory = memory_ratios(bench)
    beyond = doubling_beyond_startup(bench, args.ratio_of)
    registries = [synthetic] if doubled is None else [synthetic, doubled]
    out.write(
        f"machine: {machine['cores']} cores, {machine['platform']}, "
        f"Python {machine['python']} ({bench.python})\n"
        f"prosperity: {' '.join(bench.prosperity)}\n"
        f"peak RSS: {rss_method(bench)}\n"
        f"load average (1 min) before and after: {bench.load[0]:.2f}, {bench.load[-1]:.2f}\n"
        f"{sources_line(bench)}\n"
        f"{bench.bytecode}\n"
    )
    for registry in registries:
        out.write(
            f"synthetic registry: {registry.targets} targets, {registry.indicators} indicators, "
            f"{registry.observations:,} observations, {registry.size_bytes / 1e6:.1f} MB "
            f"(written in {registry.seconds:.1f} s)\n"
        )
    out.write(
        f"{args.runs} runs per row after 1 warm-up round, interleaved; ratios use the "
        f"{args.ratio_of}; status and check run --as-of {AS_OF}\n\n"
    )
    out.write("\n".join(table_lines(bench, times, memory)) + "\n\n")
    out.write("Ratios and budgets (issues 7 and 13)\n")
    out.write("\n".join(budget_lines(times, memory, beyond)) + "\n\n")
    out.write("\n".join(same_output_lines(bench)) + "\n")
    return {
        "machine": machine,
        "arguments": {key: value for key, value in vars(args).items() if key != "json"},
        "registries": [
            {
                "targets": r.targets,
                "indicators": r.indicators,
                "observations": r.observations,
                "bytes": r.size_bytes,
            }
            for r in registries
        ],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "note": row.note,
                "ms": row.times_ms(),
                "peak_kb": [sample.peak_kb for sample in row.samples],
                "exit_codes": [sample.exit_code for sample in row.samples],
            }
            for row in bench.rows
        ],
        "time_ratios": [vars(ratio) | {"verdict": ratio.verdict} for ratio in times],
        "memory_ratios": [vars(ratio) | {"verdict": ratio.verdict} for ratio in memory],
        "doubling_beyond_startup": beyond,
    }


# --- command line --------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--targets", type=int, default=200, help="targets in the registry (default: %(default)s)"
    )
    parser.add_argument(
        "--observations",
        type=int,
        default=100_000,
        help="observations in the registry (default: %(default)s)",
    )
    parser.add_argument(
        "--indicators",
        type=int,
        help=f"indicators (default: enough for about {OBSERVATIONS_PER_INDICATOR} observations "
        "each, and at least one per target)",
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs of every row (default: %(default)s)"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter with prosperity installed; the console script next to it is run, "
        "else -m prosperity_cli (default: this one, %(default)s)",
    )
    parser.add_argument(
        "--ratio-of",
        choices=("min", "median"),
        default="min",
        help="statistic the ratios are computed from (default: %(default)s)",
    )
    parser.add_argument(
        "--no-doubling",
        action="store_true",
        help="skip the registry with twice the observations and the doubling check",
    )
    parser.add_argument("--json", metavar="PATH", type=Path, help="write the raw numbers here")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder (registries, each distinct output) and print its path",
    )
    parser.add_argument(
        "--write-registry",
        metavar="PATH",
        type=Path,
        help="only write the synthetic registry to PATH (for profiling) and exit",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.targets < 1 or args.observations < 1:
        parser.error("--runs, --targets and --observations must be at least 1")
    return args


def benchmark(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Write the registries, check them, run every row, print the report."""
    progress = sys.stderr
    synthetic = write_registry(
        workdir / "synthetic" / "targets.toml", args.targets, args.observations, args.indicators
    )
    doubled = None
    if not args.no_doubling:
        doubled = write_registry(
            workdir / "doubled" / "targets.toml",
            args.targets,
            2 * args.observations,
            synthetic.indicators,
        )
    shared_cache = workdir / "shared-cache"
    shared_cache.mkdir()
    cli = prosperity_command(args.python)
    bench = Bench(args.python, cli, workdir, shared_cache, gnu_time_works())
    for registry in (synthetic, doubled):
        if registry is not None:
            code = verify_registry(bench, registry)
            progress.write(f"{registry.path}: prosperity check exit {code} (valid)\n")
    define_rows(bench, synthetic, doubled)
    bench.bytecode = compile_package(args.python)
    bench.sources.append(source_stamps(args.python))
    run_rounds(bench, args.runs, progress)
    bench.sources.append(source_stamps(args.python))
    return print_report(bench, synthetic, doubled, args, sys.stdout)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    if args.write_registry is not None:
        args.write_registry.parent.mkdir(parents=True, exist_ok=True)
        written = write_registry(
            args.write_registry, args.targets, args.observations, args.indicators
        )
        print(f"{written.path}: {written.size_bytes / 1e6:.1f} MB, {written.indicators} indicators")
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="prosperity-bench-"))
    try:
        for folder in ("synthetic", "doubled"):
            (workdir / folder).mkdir()
        raw = benchmark(args, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json is not None:
        args.json.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
