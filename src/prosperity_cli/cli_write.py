"""The commands that write a registry: add-observation and import. They parse what was
typed, and store.py appends it, checked, in one atomic write."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from prosperity_cli import completion
from prosperity_cli.cli_options import RegistryOption, app, guarded
from prosperity_cli.errors import UsageError
from prosperity_cli.option_values import parse_date

if TYPE_CHECKING:
    from prosperity_cli.store import Appended, EntriesFor

#: From this many rows on, `import` shows a progress bar on a terminal while it checks them.
IMPORT_PROGRESS_FROM = 5000

RecordedOption = Annotated[
    str | None,
    typer.Option(
        "--recorded",
        "--as-of",
        metavar="DATE",
        help="Date the values were recorded (YYYY-MM-DD), written as recorded = DATE. "
        "Default: today.",
        show_default=False,
    ),
]
DryRunOption = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the blocks that would be appended; write nothing."),
]
ForceOption = Annotated[
    bool,
    typer.Option("--force", help="Accept periods that do not fit their indicator's cadence."),
]


UrlOption = Annotated[
    str | None,
    typer.Option(
        metavar="URL",
        help="Address (http/https) of the page the value was read on.",
        show_default=False,
    ),
]
PublisherOption = Annotated[
    str | None,
    typer.Option(
        metavar="TEXT",
        help="Who published the source (a statistics bureau, a newspaper).",
        show_default=False,
    ),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(
        metavar="DATE", help="Date the source was published (YYYY-MM-DD).", show_default=False
    ),
]
LocatorOption = Annotated[
    str | None,
    typer.Option(
        metavar="TEXT",
        help='Where in the source the value is, in your own words ("section 9, incomes").',
        show_default=False,
    ),
]
GradeOption = Annotated[
    str | None,
    typer.Option(
        metavar="GRADE",
        help="How reliable the source is: official-statistics, official-media or secondary. "
        "Of two values for one period, the better-graded one counts.",
        show_default=False,
    ),
]


def _append(path: Path, entries_for: EntriesFor, dry_run: bool) -> Appended:
    """Append (or, with --dry-run, preview) the entries; print the blocks or confirmations."""
    from prosperity_cli import store
    from prosperity_cli.confirmations import confirmation_lines

    if dry_run:
        preview = store.preview_append(path, entries_for)
        count = len(preview.entries)
        typer.echo(preview.blocks, nl=False)
        typer.echo(
            f"dry run: nothing written to {path} ({count} observation"
            f"{'' if count == 1 else 's'} would start at line {preview.lines[0]})",
            err=True,
        )
        return preview
    appended = store.append_observations(path, entries_for)
    for line in confirmation_lines(
        appended.before, appended.after, appended.entries, appended.lines, date.today()
    ):
        typer.echo(line)
    return appended


# Negative values ("-0.5") must reach VALUE instead of being read as unknown options.
@app.command("add-observation", context_settings={"ignore_unknown_options": True})
@guarded
def add_observation(
    indicator: Annotated[
        str,
        typer.Argument(
            metavar="INDICATOR",
            help="ID of the indicator ([indicators.ID]).",
            autocompletion=completion.indicators,
        ),
    ],
    period: Annotated[
        str,
        typer.Argument(
            metavar="PERIOD",
            help="Period of the value: 2024, 2024-H1, 2024-Q3, 2024-09, 2024-09-30, "
            "or a span such as 2025-01/2025-09.",
        ),
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE",
            help="The value as published: 69,987, 1.55, 9e12, -0.5; 1.7:1 or 4:3 for a ratio; "
            "50% for a percent.",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Where the value was published (title, date, url).",
            show_default=False,
        ),
    ] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="The sentence of the source that states the value, verbatim.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help='Any reading you made ("around", inferred period, ...).',
            show_default=False,
        ),
    ] = None,
    url: UrlOption = None,
    publisher: PublisherOption = None,
    published: PublishedOption = None,
    locator: LocatorOption = None,
    grade: GradeOption = None,
    derived: Annotated[
        bool,
        typer.Option(
            "--derived",
            help="The value was computed from published figures, not stated by the source; "
            "say how in --note.",
        ),
    ] = False,
    reported: Annotated[
        bool,
        typer.Option(
            "--reported",
            help="For a derived indicator: the figure the source states, kept beside the "
            "computed values for comparison (reported = true).",
        ),
    ] = False,
    provisional: Annotated[
        bool, typer.Option("--provisional", help="Mark the value as provisional.")
    ] = False,
    revise: Annotated[
        bool,
        typer.Option(
            "--revise",
            help="Record a second value for a period that has one (a correction, a census "
            "revision, another source): the block gets revises = true.",
        ),
    ] = False,
    force: ForceOption = False,
    recorded: RecordedOption = None,
    dry_run: DryRunOption = False,
    registry: RegistryOption = None,
) -> None:
    """Append one observation to the registry, keeping every existing byte of the file."""
    from prosperity_cli.new_observations import AddOptions, ObservationText, observation_entry
    from prosperity_cli.registry_file import find_registry

    options = AddOptions(
        parse_date(recorded, "--recorded") or date.today(), revise=revise, force=force
    )
    given = ObservationText(
        indicator,
        period,
        value,
        source,
        quote,
        note,
        provisional,
        url=url,
        publisher=publisher,
        published=published,
        locator=locator,
        grade=grade,
        derived=derived,
        reported=reported,
    )
    path = find_registry(registry)
    _append(path, lambda current: [observation_entry(given, current, options)], dry_run)


@app.command("import")
@guarded
def import_csv(
    csv_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.csv",
            help="UTF-8 CSV (with or without BOM) whose header names the columns "
            "indicator,period,value and optionally source, url, publisher, published, "
            "locator, grade, quote, note, provisional, revises, derived, reported.",
        ),
    ],
    source: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="Source of every row whose source cell is empty (one bulletin's rows).",
            show_default=False,
        ),
    ] = None,
    url: UrlOption = None,
    publisher: PublisherOption = None,
    published: PublishedOption = None,
    locator: LocatorOption = None,
    grade: GradeOption = None,
    revise: Annotated[
        bool,
        typer.Option(
            "--revise",
            help="Every row is a second value for its period (revises = true), unless its "
            "revises cell says otherwise.",
        ),
    ] = False,
    force: ForceOption = False,
    recorded: RecordedOption = None,
    dry_run: DryRunOption = False,
    registry: RegistryOption = None,
) -> None:
    """Append every row of a CSV file in one atomic write; one bad row and nothing is added.

    --source, --url, --publisher, --published, --locator and --grade fill the matching
    cells that a row leaves empty, so a bulletin's rows can cite it once."""
    from prosperity_cli.csv_import import csv_entries, decode_csv, read_csv_rows, with_defaults
    from prosperity_cli.new_observations import AddOptions
    from prosperity_cli.registry_file import find_registry

    options = AddOptions(
        parse_date(recorded, "--recorded") or date.today(), revise=revise, force=force
    )
    from prosperity_cli.registry_file import MAX_REGISTRY_BYTES, read_limited

    try:
        data = read_limited(csv_file, MAX_REGISTRY_BYTES)
    except IsADirectoryError:
        raise UsageError(f"{csv_file}: is a folder — pass the path of the CSV file") from None
    except OSError as exc:
        raise UsageError(f"{csv_file}: cannot read ({exc.strerror}) — check the path") from None
    if data is None:
        raise UsageError(
            f"{csv_file}: larger than {MAX_REGISTRY_BYTES // 2**20} MiB — split it into "
            "smaller files"
        )
    rows = with_defaults(
        read_csv_rows(decode_csv(data, str(csv_file)), str(csv_file)),
        {
            "source": source,
            "url": url,
            "publisher": publisher,
            "published": published,
            "locator": locator,
            "grade": grade,
        },
    )
    path = find_registry(registry)
    from prosperity_cli.render.progress_bar import progress

    with progress("Checking rows", len(rows.rows), IMPORT_PROGRESS_FROM) as advance:
        appended = _append(
            path, lambda current: csv_entries(rows, current, options, advance), dry_run
        )
    if not dry_run:
        count = len(appended.entries)
        plural = "" if count == 1 else "s"
        typer.echo(f"imported {count} observation{plural} from {csv_file} into {path}")
