"""Roll-ups: the targets' statuses counted per plan, region, owner or tag, worst first.

Open SDG's reporting-status page counts a goal's indicators per status and shows a bar per
goal; `status --by` does the same for targets. The share on track is (achieved + on
track) / the targets with a verdict (status.VERDICTS); a group with no verdict has none
and is listed last. docs/methodology.md, "Roll-ups". Pure; no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from prosperity_cli.assessment import Assessment, owner_of, region_of
from prosperity_cli.progress import TargetFigures
from prosperity_cli.status import VERDICTS, Status

#: The statuses that count as on track in a group's share.
ON_TRACK = frozenset({Status.ACHIEVED, Status.ON_TRACK})
#: The statuses that make a group stand earlier among groups of equal share.
OFF_TRACK = frozenset({Status.MOVING_AWAY, Status.MISSED})


class GroupBy(Enum):
    PLAN = "plan"
    REGION = "region"
    OWNER = "owner"
    TAG = "tag"


#: The group of targets that have no value for the grouping key.
NONE_LABEL = {
    GroupBy.PLAN: "(no plan)",
    GroupBy.REGION: "(no region)",
    GroupBy.OWNER: "(no owner)",
    GroupBy.TAG: "(no tag)",
}


@dataclass(frozen=True, slots=True)
class Group:
    """One group's targets, counted by status."""

    key: str
    #: What people read: a plan's title, else the key itself.
    label: str
    counts: Mapping[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def assessed(self) -> int:
        return sum(n for status, n in self.counts.items() if status in VERDICTS)

    @property
    def on_track_share(self) -> float | None:
        if not self.assessed:
            return None
        return sum(self.counts.get(s, 0) for s in ON_TRACK) / self.assessed

    @property
    def off_track(self) -> int:
        return sum(self.counts.get(s, 0) for s in OFF_TRACK)


def _keys(assessment: Assessment, figures: TargetFigures, by: GroupBy) -> Iterable[str | None]:
    registry, target = assessment.registry, figures.target
    if by is GroupBy.PLAN:
        return (target.plan,)
    if by is GroupBy.REGION:
        return (region_of(registry, target),)
    if by is GroupBy.OWNER:
        return (owner_of(registry, target),)
    return target.tags or (None,)


def rollup(assessment: Assessment, by: GroupBy) -> tuple[Group, ...]:
    """The groups of the assessment's targets, worst first: the lowest share on track,
    then the most moving away or missed, then the largest; groups without a verdict last.
    A target with several tags counts in each of its tags' groups."""
    counted: dict[str | None, Counter[Status]] = {}
    for figures in assessment.targets:
        for key in dict.fromkeys(_keys(assessment, figures, by)):
            counted.setdefault(key, Counter())[figures.status] += 1
    groups = [
        Group(
            key or NONE_LABEL[by],
            _label(assessment, by, key),
            {status: counts[status] for status in Status if counts[status]},
        )
        for key, counts in counted.items()
    ]
    return tuple(sorted(groups, key=_worst_first))


def _label(assessment: Assessment, by: GroupBy, key: str | None) -> str:
    if key is None:
        return NONE_LABEL[by]
    plans = assessment.registry.plans
    return plans[key].title if by is GroupBy.PLAN and key in plans else key


def _worst_first(group: Group) -> tuple[bool, float, int, int, str]:
    share = group.on_track_share
    return (share is None, share or 0.0, -group.off_track, -group.total, group.key)


def rollups(assessment: Assessment) -> tuple[GroupBy, ...]:
    """The roll-ups a report shows: by plan, and by owner, region or tag when the targets
    have more than one (or any owner at all)."""
    shown = [GroupBy.PLAN]
    for by in (GroupBy.OWNER, GroupBy.REGION, GroupBy.TAG):
        keys = {key for f in assessment.targets for key in _keys(assessment, f, by)}
        if len(keys) > 1 or (by is GroupBy.OWNER and keys - {None}):
            shown.append(by)
    return tuple(shown)
