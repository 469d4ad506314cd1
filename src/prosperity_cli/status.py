"""Where a target stands: the statuses `status` reports, in the order of its summary line."""

from __future__ import annotations

from enum import Enum


class Status(Enum):
    """Where a target stands; the order is the order of the summary line."""

    ACHIEVED = "achieved"
    ON_TRACK = "on-track"
    MODERATE = "moderate"
    INSUFFICIENT = "insufficient"
    MOVING_AWAY = "moving-away"
    PENDING = "pending"
    MISSED = "missed"
    INSUFFICIENT_DATA = "insufficient-data"
    NO_BASELINE = "no-baseline"
    NO_DATA = "no-data"

    @property
    def label(self) -> str:
        return self.value.replace("-", " ")


#: The statuses that judge a target's progress (the others say why there is no verdict).
VERDICTS = frozenset(
    {
        Status.ACHIEVED,
        Status.ON_TRACK,
        Status.MODERATE,
        Status.INSUFFICIENT,
        Status.MOVING_AWAY,
        Status.MISSED,
    }
)
#: The pace classes, worst first: a class's index is its rank (momentum.py compares them).
PACE_CLASSES = (Status.MOVING_AWAY, Status.INSUFFICIENT, Status.MODERATE, Status.ON_TRACK)
