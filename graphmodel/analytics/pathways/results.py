"""The records a referral pathway analysis returns: steps, hand-offs, chains, gaps, one cohort's result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from graphmodel.analytics.findings import EvidenceRef, Finding

__all__ = ["Chain", "Handoff", "PathwayGap", "PathwayResult", "PendingProvider", "StepProviders"]


@dataclass(frozen=True, slots=True)
class PendingProvider(Finding):
    """An agency that only plans or is hoped to provide a step: shown beside the step, never counted as its provider.

    ``since`` is the earliest date a source states the plan or the wish (the
    publication date of the earliest source in ``evidence``; the provision's
    own start date when no source is dated): "planned by X since DATE".
    """

    agency: str
    agency_name: str
    status: str  # "planned" | "hoped"
    since: dt.date | None
    through: str | None
    text: str
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True, slots=True)
class StepProviders(Finding):
    """The providers of one pathway step for a cohort (and those excluded for lack of jurisdiction).

    ``providers`` deliver the step by a reported or inferred activity;
    ``pending`` only plan or are hoped to (they never fill the step).
    """

    step: int
    service: str
    providers: tuple[str, ...]
    provider_names: tuple[str, ...]
    outside_jurisdiction: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...]
    label: str = ""
    pending: tuple[PendingProvider, ...] = ()


@dataclass(frozen=True, slots=True)
class Handoff(Finding):
    """A referral from the provider of one step to the provider of the next."""

    from_service: str
    to_service: str
    from_agency: str
    to_agency: str
    kind: str  # "same_provider" | "tied" | "broken"
    cost: float
    last_contact: dt.date | None
    reasons: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...]


@dataclass(frozen=True, slots=True)
class Chain(Finding):
    """One chain of providers, a provider per step that has one, with its hand-offs."""

    steps: tuple[tuple[str, str], ...]  # (service, agency)
    cost: float
    broken: int
    handoffs: tuple[Handoff, ...]
    explanation: str

    def row(self) -> dict[str, Any]:
        """A table row: the chain in words, its cost and broken hand-offs."""
        return {
            "chain": " -> ".join(f"{a} ({s})" for s, a in self.steps),
            "cost": self.cost,
            "broken": self.broken,
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class PathwayGap(Finding):
    """A missing step (no provider with jurisdiction) or a broken hand-off of the best chain."""

    kind: str  # "missing_step" | "broken_handoff"
    cohort: str
    cohort_name: str
    service: str
    agencies: tuple[str, ...]
    explanation: str
    evidence: tuple[EvidenceRef, ...]
    score: float


@dataclass(frozen=True, slots=True)
class PathwayResult(Finding):
    """The referral pathway analysis of one cohort.

    Robustness is read with the steps it covers: ``disjoint_chains`` counts
    node-disjoint chains without a broken hand-off over the ``steps_covered``
    steps that have a provider; ``complete_chains`` is that number only when
    no step is missing (0 otherwise: no chain covers the whole pathway);
    ``robustness`` says both in one sentence ("2 node-disjoint chains over 3
    of 5 steps; 2 steps have no recorded provider ..."). ``as_of`` is the
    date the cohort is analysed at and ``as_of_basis`` how it was chosen
    (:func:`cohort_as_of`).
    """

    cohort: str
    cohort_name: str
    cohort_type: str
    regions: tuple[str, ...]
    steps: tuple[str, ...]
    providers: tuple[StepProviders, ...]
    best: Chain | None
    alternatives: tuple[Chain, ...]
    disjoint_chains: int
    critical_providers: tuple[str, ...]
    gaps: tuple[PathwayGap, ...]
    as_of: dt.date | None
    explanation: str
    steps_total: int = 0
    steps_covered: int = 0
    steps_missing: int = 0
    missing_steps: tuple[str, ...] = ()
    complete_chains: int = 0
    robustness: str = ""
    as_of_basis: str = ""

    @property
    def complete(self) -> bool:
        """Whether every step of the template has a provider (only then can a chain be intact end to end)."""
        return self.steps_missing == 0

    def row(self) -> dict[str, Any]:
        """A table row: the cohort, its best chain, the missing and pending steps and the robustness."""
        return {
            "cohort": self.cohort,
            "cohort_type": self.cohort_type,
            "as_of": self.as_of,
            "best_chain": self.best.row()["chain"] if self.best else "",
            "broken_handoffs": self.best.broken if self.best else None,
            "steps": f"{self.steps_covered} of {self.steps_total}",
            "steps_missing": self.steps_missing,
            "missing_steps": "; ".join(self.missing_steps),
            "pending": "; ".join(pp.text for sp in self.providers for pp in sp.pending),
            "disjoint_chains": self.disjoint_chains,
            "complete_chains": self.complete_chains,
            "robustness": self.robustness,
            "critical_providers": "; ".join(self.critical_providers),
            "explanation": self.explanation,
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per (chain rank, step): the k best chains laid out step by step."""
        rows = []
        for rank, chain in enumerate(self.alternatives, start=1):
            into = {h.to_service: h for h in chain.handoffs}
            for service, agency in chain.steps:
                h = into.get(service)
                rows.append(
                    {
                        "rank": rank,
                        "service": service,
                        "agency": agency,
                        "handoff_in": h.kind if h else "start",
                        "handoff_from": h.from_agency if h else "",
                        "last_contact": h.last_contact if h else None,
                        "chain_cost": chain.cost,
                        "chain_broken": chain.broken,
                    }
                )
        return pd.DataFrame(rows)
