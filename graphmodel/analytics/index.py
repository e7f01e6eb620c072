"""The shared reading of the evidence graph: one index every analytic can use.

Every analytic is a pure function of a :func:`graphmodel.graph.build_graph`
``MultiDiGraph``. :class:`GraphIndex` reads that graph's conventions once --
node ``label``, edge ``type``, ``evidence`` lists, dates that may be ISO
strings -- into the views the analytics share: the region hierarchy, where
each cohort is present, each agency's jurisdiction, and every *provision* (an
agency delivering a service to a cohort or a region) with the quotes behind it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Any

import networkx as nx

from graphmodel.analytics.agencies import Jurisdiction, Participation, Provision
from graphmodel.analytics.dates import latest_date
from graphmodel.analytics.findings import EvidenceRef, dedupe, evidence_of, fact_status, weakest
from graphmodel.errors import AnalyticsError
from graphmodel.graph import as_date
from graphmodel.model.schema import (
    DELIVERING_STATUSES,
    AdminLevel,
    FacilityKind,
    NodeLabel,
    RegionKind,
    RelType,
    ServiceType,
)
from graphmodel.util.text import fold_name

__all__ = ["GraphIndex"]

_DELIVERING = frozenset(str(s) for s in DELIVERING_STATUSES)
_DETENTION = FacilityKind.DETENTION_CENTRE.value



class GraphIndex:
    """Adjacency by relationship type plus the derived views the analytics share.

    It never changes ``G`` and caches what it derives, so one index can (and,
    on a large graph, should) be shared by every analytic run on the same,
    unchanged graph: an :class:`~graphmodel.analytics.analysis.Analysis`
    holds one, and the analytics given that ``Analysis`` share it.
    """

    def __init__(self, G: nx.MultiDiGraph):
        if not isinstance(G, nx.MultiDiGraph):
            raise AnalyticsError(f"expected the evidence graph (a MultiDiGraph from build_graph), got {type(G).__name__}")
        self.G = G
        # node -> attribute dict, looked up millions of times on a national graph: NetworkX's own node
        # dict (what its node view reads; the index only reads it) instead of a Python call per lookup
        self._attrs: Mapping[str, dict[str, Any]] = G._node
        # Every edge once, by type, as three parallel columns (no tuple per edge). The adjacency of a
        # type in one direction is built from them when an analytic first asks for it: the analytics
        # ask for a few (type, direction) pairs, and the rest (mentions, meetings' agendas, the
        # attendees' side of attendance) would have been most of a national index's memory.
        columns: dict[str, tuple[list[str], list[str], list[dict]]] = {}
        for u, v, d in G.edges(data=True):
            rtype = str(d.get("type", ""))
            found = columns.get(rtype)
            if found is None:
                found = columns[rtype] = ([], [], [])
            found[0].append(u)
            found[1].append(v)
            found[2].append(d)
        self._columns = columns
        self._adjacency: dict[tuple[str, bool], dict[str, list[tuple[str, dict]]]] = {}
        self._jurisdiction: dict[str, Jurisdiction] = {}
        self._related: dict[str, frozenset[str]] = {}
        self._presence: dict[str, dict[str, tuple[EvidenceRef, ...]]] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._names: dict[str, list[str]] = {}
        self._regional_positions: dict[tuple[str, ...], list[int]] = {}
        self._regional_agencies: dict[tuple[str, ...], frozenset[str]] = {}
        self._regional_delivered: dict[tuple[str, ...], dict[str, list[int]]] = {}
        self.shared: dict[str, Any] = {}
        """Views that other analytics derive from this index, by name, made once for all of them."""

    # ---------------------------------------------------------------- nodes and edges

    def label(self, node: str) -> str:
        """The node's ``label`` (``Agency``, ``MigrantCohort``, ...)."""
        return str(self._attrs[node].get("label", ""))

    def name(self, node: str) -> str:
        """The node's ``name`` (its id when it has none, or is not in the graph)."""
        attrs = self._attrs.get(node)
        return node if attrs is None else str(attrs.get("name", node))

    def attr(self, node: str, key: str, default: Any = None) -> Any:
        """The node's attribute ``key`` (``default`` when it has none, or is not in the graph)."""
        attrs = self._attrs.get(node)
        return default if attrs is None else attrs.get(key, default)

    @cached_property
    def _by_label(self) -> dict[str, list[str]]:
        # one pass over the nodes instead of one per call (countries() is asked per agency)
        found: dict[str, list[str]] = defaultdict(list)
        for n, d in self.G.nodes(data=True):
            found[str(d.get("label"))].append(n)
        return {label: sorted(nodes) for label, nodes in found.items()}

    def nodes(self, label: NodeLabel | str) -> list[str]:
        """The nodes of one label, sorted by id."""
        return list(self._by_label.get(str(label), ()))

    @property
    def built_adjacencies(self) -> frozenset[tuple[str, bool]]:
        """The ``(relationship type, outgoing)`` adjacencies built so far: each is built when first asked for."""
        return frozenset(self._adjacency)

    def _adjacent(self, rtype: RelType | str, outgoing: bool) -> dict[str, list[tuple[str, dict]]]:
        """Node -> its ``(other end, attributes)`` by edges of one type, out of or into the node, in graph order."""
        key = (str(rtype), outgoing)
        found = self._adjacency.get(key)
        if found is None:
            adjacent: dict[str, list[tuple[str, dict]]] = defaultdict(list)
            us, vs, ds = self._columns.get(key[0], ((), (), ()))
            if outgoing:
                for u, v, d in zip(us, vs, ds):
                    adjacent[u].append((v, d))
            else:
                for u, v, d in zip(us, vs, ds):
                    adjacent[v].append((u, d))
            found = self._adjacency[key] = dict(adjacent)
        return found

    def out(self, node: str, rtype: RelType | str, *, derived: bool = True) -> list[tuple[str, dict]]:
        """The ``(target, attributes)`` of the node's outgoing edges of one type (``derived=False``: recorded only)."""
        edges = self._adjacent(rtype, True).get(node, [])
        return edges if derived else [(v, d) for v, d in edges if not d.get("derived")]

    def inn(self, node: str, rtype: RelType | str, *, derived: bool = True) -> list[tuple[str, dict]]:
        """The ``(source, attributes)`` of the node's incoming edges of one type (``derived=False``: recorded only)."""
        edges = self._adjacent(rtype, False).get(node, [])
        return edges if derived else [(u, d) for u, d in edges if not d.get("derived")]

    def edges(self, rtype: RelType | str) -> Iterator[tuple[str, str, dict]]:
        """The edges of one type, grouped by source node (in the order the sources are first met)."""
        for u, targets in self._adjacent(rtype, True).items():
            for v, d in targets:
                yield u, v, d

    def agencies(self) -> list[str]:
        """The agencies, sorted by id."""
        return self.nodes(NodeLabel.AGENCY)

    def cohorts(self) -> list[str]:
        """The migrant cohorts, sorted by id."""
        return self.nodes(NodeLabel.MIGRANT_COHORT)

    def is_agency(self, node: str) -> bool:
        """Whether ``node`` is an agency of the graph."""
        return node in self.G and self.label(node) == NodeLabel.AGENCY

    def agency_names(self, agency: str) -> list[str]:
        """Folded name, acronym, aliases and id of an agency (for matching named actors)."""
        if agency not in self._names:
            # asked once per mandate for every agency and its parents: fold each name once
            self._names[agency] = self._agency_names(agency)
        return list(self._names[agency])

    def _agency_names(self, agency: str) -> list[str]:
        d = self.G.nodes[agency]
        aliases = d.get("aliases") or []
        if isinstance(aliases, str):
            aliases = json.loads(aliases) if aliases.startswith("[") else [aliases]
        names = [d.get("name"), d.get("acronym"), agency, *aliases]
        return [fold_name(str(n)) for n in names if n]

    # ---------------------------------------------------------------- regions

    @cached_property
    def _parents(self) -> dict[str, str]:
        parents: dict[str, str] = {}
        for r in self.nodes(NodeLabel.REGION):
            parent = self.attr(r, "parent")
            if parent and parent in self.G:
                parents[r] = parent
                continue
            for v, _ in self.out(r, RelType.LOCATED_IN):
                if self.label(v) == NodeLabel.REGION:
                    parents[r] = v
                    break
        return parents

    @cached_property
    def _children(self) -> dict[str, set[str]]:
        children: dict[str, set[str]] = defaultdict(set)
        for child, parent in self._parents.items():
            children[parent].add(child)
        return children

    def ancestors(self, region: str) -> tuple[str, ...]:
        """The region itself, then its parent, grandparent ... (a cycle stops the walk)."""
        chain = [region]
        while chain[-1] in self._parents and self._parents[chain[-1]] not in chain:
            chain.append(self._parents[chain[-1]])
        return tuple(chain)

    def descendants(self, region: str) -> set[str]:
        """The regions inside ``region``, at any depth (a cycle stops the walk)."""
        found: set[str] = set()
        stack = [region]
        while stack:
            for child in self._children.get(stack.pop(), ()):
                if child not in found:
                    found.add(child)
                    stack.append(child)
        return found

    def related_regions(self, region: str) -> frozenset[str]:
        """The region, the regions above it and the regions inside it."""
        if region not in self._related:
            self._related[region] = frozenset(self.ancestors(region)) | self.descendants(region)
        return self._related[region]

    def countries(self) -> list[str]:
        """Countries with regions below them (the ones whose national agencies the seed models)."""
        return list(self._countries)

    @cached_property
    def _countries(self) -> tuple[str, ...]:
        return tuple(r for r in self.nodes(NodeLabel.REGION) if self.attr(r, "kind") == RegionKind.COUNTRY and self._children.get(r))

    def admin_areas(self, region: str) -> tuple[str | None, str | None]:
        """(province, regency/city) a region lies in, as region ids (None where above that level)."""
        adm1 = adm2 = None
        for r in self.ancestors(region):
            kind = self.attr(r, "kind")
            if kind == RegionKind.PROVINCE and adm1 is None:
                adm1 = r
            elif kind in (RegionKind.REGENCY, RegionKind.CITY) and adm2 is None:
                adm2 = r
        return adm1, adm2

    # ---------------------------------------------------------------- cohorts

    def cohort_presence(self, cohort: str) -> dict[str, tuple[EvidenceRef, ...]]:
        """Regions where a cohort is present: HOSTS_COHORT, or a facility LOCATED_IN there SHELTERS it."""
        if cohort not in self._presence:
            self._presence[cohort] = self._cohort_presence(cohort)
        return dict(self._presence[cohort])

    def _cohort_presence(self, cohort: str) -> dict[str, tuple[EvidenceRef, ...]]:
        presence: dict[str, list[EvidenceRef]] = defaultdict(list)
        for region, d in self.inn(cohort, RelType.HOSTS_COHORT):
            presence[region].extend(evidence_of(d, f"HOSTS_COHORT {region} -> {cohort} ({d.get('presence', 'residing')})"))
        for facility, d in self.inn(cohort, RelType.SHELTERS):
            for region, d2 in self.out(facility, RelType.LOCATED_IN):
                if self.label(region) == NodeLabel.REGION:
                    presence[region].extend(evidence_of(d, f"SHELTERS {facility} -> {cohort}"))
                    presence[region].extend(evidence_of(d2, f"LOCATED_IN {facility} -> {region}"))
        return {r: dedupe(ev) for r, ev in sorted(presence.items())}

    def cohort_regions(self, cohort: str) -> tuple[str, ...]:
        """The regions where a cohort is present (:meth:`cohort_presence`), sorted by id."""
        return tuple(self.cohort_presence(cohort))

    def cohort_size(self, cohort: str) -> int | None:
        """The cohort's recorded ``size`` (None when not recorded)."""
        size = self.attr(cohort, "size")
        return int(size) if size not in (None, "") else None

    # ---------------------------------------------------------------- agencies

    def part_of_chain(self, agency: str) -> tuple[str, ...]:
        """The organisations an agency is part of, nearest first (cycle-safe)."""
        if agency not in self._chains:
            self._chains[agency] = self._part_of_chain(agency)
        return self._chains[agency]

    def _part_of_chain(self, agency: str) -> tuple[str, ...]:
        chain: list[str] = []
        frontier = [agency]
        while frontier:
            current = frontier.pop(0)
            for parent, _ in self.out(current, RelType.PART_OF):
                if parent != agency and parent not in chain:
                    chain.append(parent)
                    frontier.append(parent)
        return tuple(chain)

    def same_organisation(self, a: str, b: str) -> bool:
        """Whether one agency is part of the other, or both of a common parent."""
        chain_a, chain_b = {a, *self.part_of_chain(a)}, {b, *self.part_of_chain(b)}
        return bool(chain_a & chain_b)

    def jurisdiction(self, agency: str) -> Jurisdiction:
        """The regions an agency answers for.

        Recorded ``HAS_JURISDICTION`` first; otherwise a national or
        international agency is taken to answer for the whole country; otherwise
        the region it is ``LOCATED_IN``; otherwise its parent organisation's.
        """
        if agency not in self._jurisdiction:
            self._jurisdiction[agency] = self._find_jurisdiction(agency, frozenset())
        return self._jurisdiction[agency]

    def _find_jurisdiction(self, agency: str, seen: frozenset[str]) -> Jurisdiction:
        recorded = [(r, d) for r, d in self.out(agency, RelType.HAS_JURISDICTION) if self.label(r) == NodeLabel.REGION]
        if recorded:
            ev = dedupe(e for r, d in recorded for e in evidence_of(d, f"HAS_JURISDICTION {agency} -> {r}"))
            return Jurisdiction(agency, frozenset(r for r, _ in recorded), "recorded HAS_JURISDICTION", ev)
        level = self.attr(agency, "level")
        if level in (AdminLevel.NATIONAL, AdminLevel.INTERNATIONAL):
            return Jurisdiction(agency, frozenset(self.countries()), f"assumed nationwide ({level} agency, no HAS_JURISDICTION recorded)")
        located = [(r, d) for r, d in self.out(agency, RelType.LOCATED_IN) if self.label(r) == NodeLabel.REGION]
        if located:
            ev = dedupe(e for r, d in located for e in evidence_of(d, f"LOCATED_IN {agency} -> {r}"))
            return Jurisdiction(agency, frozenset(r for r, _ in located), "assumed from where it is located (no HAS_JURISDICTION recorded)", ev)
        for parent, _ in self.out(agency, RelType.PART_OF):
            if parent in seen or parent == agency:
                continue
            inherited = self._find_jurisdiction(parent, seen | {agency})
            if inherited.regions:
                return Jurisdiction(agency, inherited.regions, f"inherited from {parent} (PART_OF)", inherited.evidence)
        return Jurisdiction(agency, frozenset(), "none recorded")

    def covers(self, agency: str, region: str) -> bool:
        """Whether an agency's jurisdiction includes the region, a region above it, or one inside it.

        A national agency without recorded jurisdiction in a graph that has no
        country region covers every region (there is nothing to bound it by).
        """
        j = self.jurisdiction(agency)
        if j.basis.startswith("assumed nationwide") and not j.regions:
            return True
        return bool(j.regions & self.related_regions(region))

    # ---------------------------------------------------------------- provisions

    @cached_property
    def provisions(self) -> tuple[Provision, ...]:
        """Every (agency, service, cohort or region) delivery or funding recorded in the graph."""
        found: list[Provision] = []
        for agency, cohort, d in self.edges(RelType.SERVES):
            if not (self.is_agency(agency) and self.label(cohort) == NodeLabel.MIGRANT_COHORT):
                continue
            service = str(d.get("service", ""))
            found.append(
                Provision(
                    agency, service, RelType.SERVES.value, None, cohort, self.cohort_regions(cohort),
                    as_date(d.get("since")), as_date(d.get("last_seen")),
                    evidence_of(d, f"SERVES {agency} -> {cohort} ({service})"), fact_status(d),
                )
            )
        for rtype in (RelType.IMPLEMENTS, RelType.FUNDS):
            for agency, programme, d in self.edges(rtype):
                if not self.is_agency(agency):
                    continue
                found.extend(self._programme_provisions(
                    agency, programme, rtype.value, evidence_of(d, f"{rtype} {agency} -> {programme}"), fact_status(d)))
        for agency, facility, d in self.edges(RelType.OPERATES):
            if not self.is_agency(agency) or self.attr(facility, "kind") == _DETENTION:
                # detention is not shelter: Perpres 125/2016 keeps the Rudenim apart from the shelter (tempat
                # penampungan, Pasal 24-26), so holding people in a detention house provides no shelter
                continue
            own = evidence_of(d, f"OPERATES {agency} -> {facility}")
            for cohort, d2 in self.out(facility, RelType.SHELTERS):
                located = tuple(r for r, _ in self.out(facility, RelType.LOCATED_IN) if self.label(r) == NodeLabel.REGION)
                found.append(
                    Provision(
                        agency, ServiceType.SHELTER.value, RelType.OPERATES.value, facility, cohort,
                        located or self.cohort_regions(cohort), as_date(d2.get("as_of")), as_date(d2.get("as_of")),
                        own + evidence_of(d2, f"SHELTERS {facility} -> {cohort}"), weakest(fact_status(d), fact_status(d2)),
                    )
                )
        return tuple(found)

    def _programme_provisions(
        self, agency: str, programme: str, via: str, own: tuple[EvidenceRef, ...], status: str,
    ) -> list[Provision]:
        attrs = self.G.nodes[programme]
        services = attrs.get("services") or []
        if isinstance(services, str):
            services = json.loads(services) if services.startswith("[") else [services]
        start, end = as_date(attrs.get("start")), as_date(attrs.get("end"))
        targets: list[tuple[str | None, tuple[str, ...], tuple[EvidenceRef, ...], str]] = []
        for target, d in self.out(programme, RelType.TARGETS):
            ev = evidence_of(d, f"TARGETS {programme} -> {target}")
            if self.label(target) == NodeLabel.MIGRANT_COHORT:
                targets.append((target, self.cohort_regions(target), ev, weakest(status, fact_status(d))))
            elif self.label(target) == NodeLabel.REGION:
                targets.append((None, (target,), ev, weakest(status, fact_status(d))))
        for facility, d in self.out(programme, RelType.SUPPORTS):
            if self.label(facility) != NodeLabel.FACILITY:
                continue
            for cohort, d2 in self.out(facility, RelType.SHELTERS):
                ev = evidence_of(d, f"SUPPORTS {programme} -> {facility}") + evidence_of(d2, f"SHELTERS {facility} -> {cohort}")
                targets.append((cohort, self.cohort_regions(cohort), ev, weakest(status, fact_status(d), fact_status(d2))))
        return [
            Provision(agency, str(service), via, programme, cohort, regions, start, end, own + ev, chain)
            for service in services
            for cohort, regions, ev, chain in targets
        ]

    @cached_property
    def provisions_by_agency(self) -> dict[str, tuple[Provision, ...]]:
        """Agency id -> its :attr:`provisions`, in their order."""
        found: dict[str, list[Provision]] = defaultdict(list)
        for p in self.provisions:
            found[p.agency].append(p)
        return {a: tuple(ps) for a, ps in found.items()}

    def reaches(self, provision: Provision, cohort: str, region: str | None = None) -> bool:
        """Whether a provision reaches a cohort (in a region where the cohort is present)."""
        if provision.cohort is not None:
            return provision.cohort == cohort
        regions = [region] if region else list(self.cohort_regions(cohort))
        return any(set(provision.regions) & self.related_regions(r) for r in regions)

    @cached_property
    def _provision_index(self) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
        """Positions in :attr:`provisions` by cohort, and (for provisions without a cohort) by region."""
        by_cohort: dict[str, list[int]] = defaultdict(list)
        by_region: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.provisions):
            if p.cohort is not None:
                by_cohort[p.cohort].append(i)
            else:
                for r in dict.fromkeys(p.regions):
                    by_region[r].append(i)
        return by_cohort, by_region

    def provisions_to(self, cohort: str, region: str | None = None, service: str | None = None) -> list[Provision]:
        """The provisions that :meth:`reaches` the cohort (in ``region``), of ``service``, in :attr:`provisions` order.

        Looked up by cohort and by the regions related to the question's
        regions instead of testing every provision: the same list as
        ``[p for p in provisions if reaches(p, cohort, region)]``, without the
        cohorts x provisions scan.
        """
        provisions = self.provisions
        return [provisions[i] for i in self._positions_to(cohort, region) if service is None or provisions[i].service == service]

    def _positions_to(self, cohort: str, region: str | None) -> list[int]:
        own = self._provision_index[0].get(cohort)
        regional = self._regional((region,) if region else self.cohort_regions(cohort))
        return sorted(regional + own) if own else regional  # own (cohort-level) and regional positions are disjoint

    def _regional(self, regions: tuple[str, ...]) -> list[int]:
        """Sorted positions of the region-level provisions reaching any of ``regions``.

        Cached per tuple of regions: every cohort of a place shares them, and at
        national scale a province's programmes reach thousands of cohorts.
        """
        found = self._regional_positions.get(regions)
        if found is None:
            by_region = self._provision_index[1]
            positions: set[int] = set()
            for r in regions:
                for related in self.related_regions(r):
                    positions.update(by_region.get(related, ()))
            found = self._regional_positions[regions] = sorted(positions)
        return found

    def agencies_reaching(self, cohort: str, region: str | None = None) -> frozenset[str]:
        """Agencies with a provision that reaches the cohort (in ``region``): funders included."""
        regions = (region,) if region else self.cohort_regions(cohort)
        regional = self._regional_agencies.get(regions)
        if regional is None:
            provisions = self.provisions
            regional = self._regional_agencies[regions] = frozenset(provisions[i].agency for i in self._regional(regions))
        own = self._provision_index[0].get(cohort)
        return regional.union(self.provisions[i].agency for i in own) if own else regional

    def delivered_to(self, cohort: str, region: str | None = None) -> dict[str, list[Provision]]:
        """The provisions that deliver a service to the cohort (in ``region``), by service, each in :attr:`provisions` order.

        :meth:`provisions_to` without funders (:attr:`Provision.delivers`),
        split by service; the region-level part is grouped once per tuple of
        regions.
        """
        regions = (region,) if region else self.cohort_regions(cohort)
        grouped = self._regional_delivered.get(regions)
        provisions = self.provisions
        if grouped is None:
            grouped = {}
            for i in self._regional(regions):
                if provisions[i].delivers:
                    grouped.setdefault(provisions[i].service, []).append(i)
            self._regional_delivered[regions] = grouped
        own: dict[str, list[int]] = {}
        for i in self._provision_index[0].get(cohort, ()):
            if provisions[i].delivers:
                own.setdefault(provisions[i].service, []).append(i)
        found = {}
        for service in {**grouped, **own}:
            positions = grouped.get(service, [])
            if service in own:
                positions = sorted(positions + own[service])
            found[service] = [provisions[i] for i in positions]
        return found

    # ---------------------------------------------------------------- participation

    @cached_property
    def meeting_participation(self) -> dict[str, list[Participation]]:
        """Meeting id -> the agencies that attended or hosted it (:meth:`meeting_participants`), for every meeting that has any."""
        found = {}
        for meeting in self.nodes(NodeLabel.MEETING):
            parts = self.meeting_participants(meeting)
            if parts:
                found[meeting] = parts
        return found

    def meeting_participants(self, meeting: str, *, evidence: bool = True) -> list[Participation]:
        """The agencies that attended or hosted one meeting, in id order, each once (as host if it hosted).

        Only agencies' own attendance counts: a person's office at the meeting
        date is not known (HOLDS_OFFICE may be a past office). Worked out on
        each call: the coordination projections go through a national graph's
        meetings once each, and a cache of every meeting's participants would
        hold them all in memory at once. With ``evidence=False`` every evidence
        tuple is empty (for who took part, and in which role, only).
        """
        found: dict[str, Participation] = {}
        for name, rtype in (("HOSTED", RelType.HOSTED), ("ATTENDED", RelType.ATTENDED)):
            for who, d in self.inn(meeting, rtype):
                if not self.is_agency(who):
                    continue
                role = "host" if name == "HOSTED" else str(d.get("role", "participant"))
                ev = evidence_of(d, f"{name} {who} -> {meeting}") if evidence else ()
                old = found.get(who)
                if old is None:
                    found[who] = Participation(who, meeting, role, ev)
                else:
                    best = role if role == "host" else old.role
                    found[who] = Participation(who, meeting, best, dedupe(old.evidence + ev))
        return sorted(found.values(), key=lambda x: x.agency)

    @cached_property
    def programme_participation(self) -> dict[str, list[Participation]]:
        """Programme id -> its funders, implementers and the agencies it SUPPORTS.

        Only reported (or inferred) participation counts: two agencies that
        only *plan* a programme together have no coordination tie yet.
        """
        found: dict[str, dict[str, Participation]] = defaultdict(dict)
        for programme in self.nodes(NodeLabel.PROGRAMME):
            for rtype, role in ((RelType.FUNDS, "funder"), (RelType.IMPLEMENTS, "implementer")):
                for who, d in self.inn(programme, rtype):
                    if self.is_agency(who) and fact_status(d) in _DELIVERING:
                        ev = evidence_of(d, f"{rtype} {who} -> {programme}")
                        old = found[programme].get(who)
                        if old is None:
                            found[programme][who] = Participation(who, programme, role, ev)
                        else:
                            found[programme][who] = Participation(who, programme, "funder+implementer", dedupe(old.evidence + ev))
            for who, d in self.out(programme, RelType.SUPPORTS):
                if self.is_agency(who) and who not in found[programme] and fact_status(d) in _DELIVERING:
                    found[programme][who] = Participation(who, programme, "supported", evidence_of(d, f"SUPPORTS {programme} -> {who}"))
        return {p: sorted(v.values(), key=lambda x: x.agency) for p, v in found.items() if v}

    def meeting_dates(self, meeting: str) -> tuple[dt.date | None, dt.date | None]:
        """A meeting's ``(date, end_date)``; a one-day meeting ends on its date."""
        start = as_date(self.attr(meeting, "date"))
        return start, as_date(self.attr(meeting, "end_date")) or start

    def programme_dates(self, programme: str) -> tuple[dt.date | None, dt.date | None]:
        """A programme's ``(start, end)``, None where not recorded."""
        return as_date(self.attr(programme, "start")), as_date(self.attr(programme, "end"))

    # ---------------------------------------------------------------- dates

    def latest_date(self) -> dt.date | None:
        """The latest date the graph records (:func:`~graphmodel.analytics.dates.latest_date`, worked out once)."""
        return self._latest_date

    @cached_property
    def _latest_date(self) -> dt.date | None:
        # a scan of the whole graph: asked once per cohort by referral_pathways, so kept
        return latest_date(self.G)
