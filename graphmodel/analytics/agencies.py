"""What the index reads about an agency: where it answers, what it delivers, where it takes part.

:class:`~graphmodel.analytics.index.GraphIndex` builds these records from the
evidence graph; the analytics read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from graphmodel.analytics.findings import EvidenceRef
from graphmodel.model.schema import DELIVERING_STATUSES, RelType

__all__ = ["Jurisdiction", "Participation", "Provision"]


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """The regions an agency answers for, and how that is known."""

    agency: str
    regions: frozenset[str]
    basis: str
    evidence: tuple[EvidenceRef, ...] = ()


_FUNDS = RelType.FUNDS.value  # a plain str: compared millions of times
_DELIVERING = frozenset(str(s) for s in DELIVERING_STATUSES)


@dataclass(frozen=True, slots=True)
class Provision:
    """An agency delivering (or funding) a service to a cohort or a region.

    ``via`` is ``SERVES``, ``IMPLEMENTS``, ``FUNDS`` or ``OPERATES``;
    ``through`` the programme or facility it goes through; ``cohort`` is None
    when a programme targets a region rather than a cohort. ``status`` is the
    weakest :class:`~graphmodel.model.schema.ActivityStatus` of the facts along the
    chain (an agency implementing a programme that only *plans* to target a
    cohort is a planned provision).
    """

    agency: str
    service: str
    via: str
    through: str | None
    cohort: str | None
    regions: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    evidence: tuple[EvidenceRef, ...]
    status: str = "reported"

    @property
    def delivers(self) -> bool:
        """Whether the agency delivers the service itself (funders do not) by a reported or inferred activity.

        Planned and hoped provisions never count as delivery: they are shown
        beside the gap they would close (:attr:`pending`).
        """
        return self.via != _FUNDS and self.status in _DELIVERING

    @property
    def pending(self) -> bool:
        """Whether the provision is only planned or hoped for (not reported as delivered)."""
        return self.status not in _DELIVERING


@dataclass(frozen=True, slots=True)
class Participation:
    """An agency taking part in a meeting or a programme, with the quotes that show it."""

    agency: str
    event: str
    role: str
    evidence: tuple[EvidenceRef, ...]


