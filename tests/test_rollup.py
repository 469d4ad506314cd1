"""`status --by plan|region|owner|tag`: the statuses counted per group, worst first."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli
from prosperity_cli.assessment import assess
from prosperity_cli.model import Goal, Indicator, Observation, Plan, Registry, Target
from prosperity_cli.periods import Cadence, parse_period
from prosperity_cli.rollup import GroupBy, rollup

#: Two plans, two owners (one inherited), tags: one target on track, one moving away,
#: one achieved, one without data.
GROUPS = """\
format = 1

[plans.city]
title = "City plan"
region = "City"
owner = "City government"

[plans.province]
title = "Province plan"
region = "Province"
owner = "Province government"

[indicators.income]
name = "Income"
unit = "yuan"
cadence = "annual"

[indicators.jobs]
name = "Jobs"
unit = "people"
cadence = "annual"

[indicators.parks]
name = "Parks"
unit = "parks"
cadence = "annual"

[targets.city-income]
indicator = "income"
plan = "city"
goal = "at-least"
value = 50
deadline = 2030-12-31
baseline = "2020"
method = "linear"
tags = ["income"]

[targets.city-jobs]
indicator = "jobs"
plan = "city"
goal = "at-least"
value = 200
deadline = 2030-12-31
baseline = "2020"
method = "linear"
owner = "Labour bureau"
tags = ["income", "work"]

[targets.province-income]
indicator = "income"
plan = "province"
goal = "at-least"
value = 40
deadline = 2030-12-31
baseline = "2020"

[targets.province-parks]
indicator = "parks"
plan = "province"
goal = "at-least"
value = 10
deadline = 2030-12-31

[[observations]]
indicator = "income"
period = "2020"
value = 30

[[observations]]
indicator = "income"
period = "2024"
value = 45

[[observations]]
indicator = "jobs"
period = "2020"
value = 100

[[observations]]
indicator = "jobs"
period = "2024"
value = 90
"""
AS_OF = "2025-06-30"


def by(cli: Cli, registry: Path, group: str, *more: str) -> str:
    result = cli("status", "-r", registry, "--as-of", AS_OF, "--by", group, *more)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_json_adds_the_rollup_and_keeps_the_targets(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    data = json.loads(by(cli, write_registry(GROUPS), "plan", "-f", "json"))
    assert [t["id"] for t in data["targets"]] == [
        "city-income", "city-jobs", "province-income", "province-parks"
    ]  # fmt: skip
    rollup_ = data["rollup"]
    assert rollup_["by"] == "plan"
    # city: on track + moving away (share 0.5); province: achieved + no data (share 1.0).
    assert [g["key"] for g in rollup_["groups"]] == ["city", "province"]
    city, province = rollup_["groups"]
    assert city == {
        "key": "city",
        "label": "City plan",
        "targets": 2,
        "assessed": 2,
        "on_track_share": 0.5,
        "counts": {"on-track": 1, "moving-away": 1},
    }
    assert province["counts"] == {"achieved": 1, "no-data": 1}
    assert province["assessed"] == 1 and province["on_track_share"] == 1.0


def test_owners_are_inherited_from_the_plan_unless_the_target_names_its_own(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    data = json.loads(by(cli, write_registry(GROUPS), "owner", "-f", "json"))
    groups = {g["key"]: g["counts"] for g in data["rollup"]["groups"]}
    assert groups == {
        "Labour bureau": {"moving-away": 1},
        "City government": {"on-track": 1},
        "Province government": {"achieved": 1, "no-data": 1},
    }
    assert data["rollup"]["groups"][0]["key"] == "Labour bureau"  # worst first
    owners = {t["id"]: t["owner"] for t in data["targets"]}
    assert owners["city-income"] == "City government"
    assert owners["city-jobs"] == "Labour bureau"


def test_a_target_counts_under_each_of_its_tags(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    data = json.loads(by(cli, write_registry(GROUPS), "tag", "-f", "json"))
    groups = {g["key"]: g["targets"] for g in data["rollup"]["groups"]}
    assert groups == {"income": 2, "work": 1, "(no tag)": 2}


def test_csv_has_one_row_per_group_and_a_column_per_status(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    rows = list(csv.DictReader(io.StringIO(by(cli, write_registry(GROUPS), "region", "-f", "csv"))))
    assert [(r["key"], r["targets"], r["on_track_share"]) for r in rows] == [
        ("City", "2", "0.5"),
        ("Province", "2", "1.0"),
    ]
    assert rows[0]["moving-away"] == "1" and rows[0]["no-data"] == "0"


def test_the_table_and_markdown_show_the_share_and_a_bar(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    registry = write_registry(GROUPS)
    table = by(cli, registry, "plan")
    assert "Targets by plan, worst first" in table
    assert table.index("City plan") < table.index("Province plan")
    assert "50%" in table and "2: 1 on track, 1 moving away" in table
    markdown = by(cli, registry, "plan", "-f", "markdown")
    assert "| City plan | 2 | 50% |" in markdown


def test_an_unknown_grouping_is_a_usage_error(
    cli: Cli, write_registry: Callable[[str], Path]
) -> None:
    result = cli("status", "-r", write_registry(GROUPS), "--by", "ministry")
    assert result.exit_code == 2
    assert "--by 'ministry' is not a grouping — choose one of plan, region, owner, tag" in (
        result.stderr
    )


def _registry(statuses: list[tuple[int, int, int]]) -> Registry:
    """Targets on indicators with values chosen to give many statuses; plan and tag by index."""
    plans = {f"p{n}": Plan(f"p{n}", f"Plan {n}", owner=f"o{n % 2}") for n in range(3)}
    indicators = {}
    targets = {}
    observations: list[Observation] = []
    for n, (plan, rise, tags) in enumerate(statuses):
        ident = f"i{n}"
        indicators[ident] = Indicator(ident, ident, "units", Cadence.ANNUAL)
        targets[f"t{n}"] = Target(
            f"t{n}", ident, f"p{plan}", Goal.AT_LEAST, 100, date(2030, 12, 31),
            parse_period("2020"), tags=tuple(f"g{k}" for k in range(tags)),
        )  # fmt: skip
        if rise >= 0:
            observations.append(Observation(ident, parse_period("2020"), 50, len(observations)))
        if rise > 0:
            observations.append(
                Observation(ident, parse_period("2024"), 50 + rise * 10, len(observations))
            )
    return Registry(plans, indicators, targets, tuple(observations))


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(-1, 6), st.integers(0, 2)),
        min_size=1,
        max_size=12,
    )
)
def test_a_groups_counts_add_up_to_its_targets(statuses: list[tuple[int, int, int]]) -> None:
    assessment = assess(_registry(statuses), date(2025, 6, 30))
    for grouping in (GroupBy.PLAN, GroupBy.OWNER, GroupBy.REGION):
        groups = rollup(assessment, grouping)
        assert sum(g.total for g in groups) == len(assessment.targets)
    for group in rollup(assessment, GroupBy.TAG):
        members = [
            f for f in assessment.targets
            if group.key in f.target.tags or (group.key == "(no tag)" and not f.target.tags)
        ]  # fmt: skip
        assert group.total == len(members)
    shares = [g.on_track_share for g in rollup(assessment, GroupBy.PLAN)]
    known = [s for s in shares if s is not None]
    assert known == sorted(known)
    assert shares == known + [None] * (len(shares) - len(known))
