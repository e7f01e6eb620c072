"""What every export shares: colours and shapes per node type, short labels, redaction, intervals.

Also JSON-safe values.

Redaction
---------
:data:`graphmodel.model.schema.SENSITIVE_FIELDS` names the fields that exports meant
for sharing must not carry (a person's ``name`` and ``aliases``, a facility's
``address``). :func:`redact_graph` returns a copy of the graph in which

- every Person gets a neutral id (``person-1``, ``person-2`` ... in id order,
  because the curated ids spell the name) and the name
  ``"Person (office: ...)"``; its aliases are dropped;
- every other sensitive field is dropped;
- every text value anywhere in the graph (evidence quotes, notes, names of
  sources, ``represented_by`` ...) has each person's name, each alias and each
  word of four letters or more of a name replaced by ``[name withheld]``, and
  each address by ``[address withheld]``.

The graph attribute ``redacted`` is ``True`` on the copy.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

import networkx as nx

from graphmodel.graph import as_date
from graphmodel.model.schema import SENSITIVE_FIELDS, ActivityStatus, DatePrecision, NodeLabel, RelType

__all__ = [
    "NODE_STYLE",
    "NodeStyle",
    "Highlight",
    "redact_graph",
    "short_label",
    "node_interval",
    "edge_interval",
    "json_safe",
    "edge_element_id",
    "NAME_WITHHELD",
    "STATUS_STYLE",
    "StatusStyle",
    "edge_status",
    "pair_status",
    "date_text",
    "meeting_date_text",
    "reference_date",
    "as_of_text",
]

NAME_WITHHELD = "[name withheld]"
ADDRESS_WITHHELD = "[address withheld]"


@dataclass(frozen=True)
class NodeStyle:
    """How a node type is drawn: fill colour (hex), matplotlib marker, Cytoscape.js shape, GEXF shape."""

    colour: str
    marker: str
    cy_shape: str
    gexf_shape: str
    title: str

    @property
    def rgb(self) -> tuple[int, int, int]:
        """The colour as ``(red, green, blue)``, each 0-255."""
        return tuple(int(self.colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


# Colour-blind-safe palette (Okabe & Ito 2008) plus two greys; shapes differ too,
# so a black-and-white print still tells the types apart.
NODE_STYLE: dict[str, NodeStyle] = {
    NodeLabel.AGENCY: NodeStyle("#0072B2", "o", "ellipse", "disc", "Agency"),
    NodeLabel.REGION: NodeStyle("#009E73", "s", "round-rectangle", "square", "Region"),
    NodeLabel.MIGRANT_COHORT: NodeStyle("#D55E00", "h", "hexagon", "disc", "Migrant cohort"),
    NodeLabel.MEETING: NodeStyle("#E69F00", "D", "diamond", "diamond", "Meeting"),
    NodeLabel.PROGRAMME: NodeStyle("#CC79A7", "^", "triangle", "triangle", "Programme"),
    NodeLabel.FACILITY: NodeStyle("#56B4E9", "p", "pentagon", "square", "Facility"),
    NodeLabel.LEGAL_INSTRUMENT: NodeStyle("#7F5F3F", "v", "vee", "triangle", "Legal instrument"),
    NodeLabel.PERSON: NodeStyle("#999999", "o", "ellipse", "disc", "Person"),
    NodeLabel.SOURCE: NodeStyle("#555555", "P", "rectangle", "square", "Source"),
}
"""Style per node type (keys are :class:`~graphmodel.model.schema.NodeLabel` values)."""

_FALLBACK = NodeStyle("#BBBBBB", "o", "ellipse", "disc", "Other")


def style_of(label: str | None) -> NodeStyle:
    return NODE_STYLE.get(label or "", _FALLBACK)


# --------------------------------------------------------------------------- how a tie is known


@dataclass(frozen=True)
class StatusStyle:
    """How a tie of one :class:`~graphmodel.model.schema.ActivityStatus` is drawn.

    ``dashes``: the on/off pattern in line widths (empty: solid), for
    matplotlib and Cytoscape.js alike; ``mpl`` the matplotlib line style;
    ``gexf_shape`` the GEXF ``viz:shape`` of an edge (``None``: GEXF's solid
    default); ``title`` the legend entry.
    """

    mpl: Any
    dashes: tuple[float, ...]
    gexf_shape: str | None
    title: str


# Planned and hoped ties must never read as delivered ones: a solid line is what was reported done,
# dashes what was only announced, dots what was only wished for, dash-dot the curator's inference.
STATUS_STYLE: dict[str, StatusStyle] = {
    ActivityStatus.REPORTED: StatusStyle("solid", (), None, "Reported"),
    ActivityStatus.INFERRED: StatusStyle((0, (6, 2, 1.5, 2)), (6, 2, 1.5, 2), None, "Inferred by the curator"),
    ActivityStatus.PLANNED: StatusStyle((0, (5, 3)), (5, 3), "dashed", "Planned, not yet reported"),
    ActivityStatus.HOPED: StatusStyle((0, (1, 2.5)), (1, 2.5), "dotted", "Hoped for or requested"),
}
"""Line style per status (keys are :class:`~graphmodel.model.schema.ActivityStatus` values), strongest first."""

_STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_STYLE)}


def edge_status(attrs: Mapping[str, Any]) -> str:
    """The status of an edge; a derived edge (a mention, a region's parent) is what a source reports."""
    return str(attrs.get("status") or ActivityStatus.REPORTED.value)


def pair_status(statuses: Iterable[str]) -> str:
    """The status a line joining two nodes is drawn with: the best known of its relationships.

    A pair that has a reported relationship is a reported tie, whatever else
    was also planned between them; only a pair whose every relationship is
    planned (or hoped) is drawn as a planned (or hoped) tie.

    >>> pair_status(["planned", "reported"]), pair_status(["hoped", "planned"])
    ('reported', 'planned')
    """
    return min(statuses, key=lambda s: _STATUS_RANK.get(s, len(_STATUS_RANK)), default=ActivityStatus.REPORTED.value)


# --------------------------------------------------------------------------- dates shown


def date_text(value: Any, precision: str | None = None) -> str:
    """A date as shown to a reader, as precise as the source makes it.

    ``no_later_than`` is an upper bound (the source dates only a later report
    of the fact), shown with ``≤``; ``month`` and ``year`` drop what the source
    does not fix.

    >>> import datetime as dt
    >>> date_text(dt.date(2016, 10, 1), "no_later_than"), date_text("2016-10-01", "month"), date_text("2016-10-01")
    ('≤ 2016-10-01', '2016-10', '2016-10-01')
    """
    day = as_date(value)
    if day is None:
        return ""
    if precision == DatePrecision.NO_LATER_THAN:
        return f"≤ {day.isoformat()}"
    if precision == DatePrecision.MONTH:
        return day.isoformat()[:7]
    if precision == DatePrecision.YEAR:
        return day.isoformat()[:4]
    return day.isoformat()


def meeting_date_text(attrs: Mapping[str, Any]) -> str:
    """A meeting's date (and end date) as :func:`date_text` shows it."""
    precision = attrs.get("date_precision")
    start = date_text(attrs.get("date"), precision)
    end = attrs.get("end_date")
    if end and as_date(end) != as_date(attrs.get("date")):
        return f"{start} to {date_text(end, precision).removeprefix('≤ ')}"
    return start


def reference_date(G: nx.MultiDiGraph) -> dt.date | None:
    """The graph's reference date: the one the report measures recency from (the latest date the sources record).

    It is :func:`graphmodel.analytics.graph_as_of`, so the overview, the
    interactive page and the report say the same "as of"; never today's
    date, so the same seed gives the same pictures next year.
    """
    from graphmodel.analytics import graph_as_of  # not at import time: only the pictures need the analytics

    return graph_as_of(G)


def as_of_text(as_of: dt.date | None) -> str:
    """``as of 2024-09-11 (the latest date in the sources)``, the words every picture prints.

    >>> import datetime as dt
    >>> as_of_text(dt.date(2024, 9, 11))
    'as of 2024-09-11 (the latest date in the sources)'
    """
    if as_of is None:
        return "no dated record in the sources"
    return f"as of {as_of.isoformat()} (the latest date in the sources)"


# --------------------------------------------------------------------------- highlight


@dataclass(frozen=True)
class Highlight:
    """What to emphasise: node ids and (from, to) node pairs, with a reason per item."""

    nodes: frozenset[str] = frozenset()
    edges: frozenset[tuple[str, str]] = frozenset()
    reasons: Mapping[str, str] | None = None

    @classmethod
    def of(cls, value: Highlight | Iterable[Any] | None) -> Highlight:
        """Accept a Highlight, or any iterable of node ids and (u, v) pairs."""
        if value is None:
            return cls()
        if isinstance(value, Highlight):
            return value
        nodes, edges = set(), set()
        for item in value:
            if isinstance(item, str):
                nodes.add(item)
            elif isinstance(item, (tuple, list)) and len(item) >= 2:
                edges.add((str(item[0]), str(item[1])))
        return cls(frozenset(nodes), frozenset(edges))

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges)

    def has_edge(self, u: str, v: str) -> bool:
        """Whether the tie between ``u`` and ``v`` is highlighted, in either direction."""
        return (u, v) in self.edges or (v, u) in self.edges

    def renamed(self, mapping: Mapping[str, str]) -> Highlight:
        """The same highlight after node ids were renamed (redaction of people)."""
        reasons = {mapping.get(k, k): r for k, r in (self.reasons or {}).items()}
        return Highlight(
            frozenset(mapping.get(n, n) for n in self.nodes),
            frozenset((mapping.get(u, u), mapping.get(v, v)) for u, v in self.edges),
            reasons,
        )


# --------------------------------------------------------------------------- values


def json_safe(value: Any) -> Any:
    """Dates to ISO text, enums to values, tuples and sets to lists, recursively."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    return value


def scalar_text(value: Any) -> Any:
    """A value as a scalar: lists and records become JSON text, dates ISO text."""
    value = json_safe(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def edge_element_id(u: str, key: str, v: str) -> str:
    """A unique, readable id for an edge of a MultiDiGraph: ``from--KEY--to``.

    Node ids are slugs and keys ``TYPE[:qualifier]``, so the id is an XML
    NMTOKEN; knowing ``from`` and ``to`` gives the key back exactly.
    """
    return f"{u}--{key}--{v}"


def key_from_edge_element_id(edge_id: str, u: str, v: str) -> str | None:
    prefix, suffix = f"{u}--", f"--{v}"
    if edge_id.startswith(prefix) and edge_id.endswith(suffix) and len(edge_id) > len(prefix) + len(suffix):
        return edge_id[len(prefix) : -len(suffix)]
    return None


# --------------------------------------------------------------------------- time


def node_interval(attrs: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """When a node exists on a timeline: a meeting on its day(s), a programme from start to end.

    Other nodes have no interval (always present).
    """
    label = attrs.get("label")
    if label == NodeLabel.MEETING:
        start = as_date(attrs.get("date"))
        return start, as_date(attrs.get("end_date")) or start
    if label == NodeLabel.PROGRAMME:
        return as_date(attrs.get("start")), as_date(attrs.get("end"))
    return None, None


_MEETING_RELS = {RelType.ATTENDED, RelType.HOSTED, RelType.DISCUSSED}


def edge_interval(G: nx.MultiDiGraph, u: str, v: str, attrs: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """When an edge exists on a timeline.

    Attendance, hosting and discussion take their meeting's day(s); a service
    starts at ``since``; a shelter count, an office holding from ``as_of``.
    ``last_seen`` is the latest date a source shows, not an end, so it is not
    used as one.
    """
    rtype = attrs.get("type")
    if rtype in _MEETING_RELS:
        meeting = u if G.nodes[u].get("label") == NodeLabel.MEETING else v
        return node_interval(G.nodes[meeting])
    if rtype == RelType.SERVES:
        return as_date(attrs.get("since")), None
    if rtype in {RelType.SHELTERS, RelType.HOLDS_OFFICE}:
        return as_date(attrs.get("as_of")), None
    return None, None


# --------------------------------------------------------------------------- labels

_COHORT_SHORT = {
    "foreign_refugees": "Refugees",
    "indonesian_migrant_workers": "PMI",
    "non_procedural_migrant_workers": "PMI-NP",
    "trafficking_victims": "TIP victims",
    "gender_based_violence_victims": "GBV victims",
}
_MEETING_SHORT = {
    "audience": "Audience",
    "coordination_meeting": "Rakor",
    "visit": "Visit",
    "handover": "Handover",
    "press_conference": "Press conf.",
}
_ABBREVIATIONS = (
    ("Direktorat Jenderal", "Ditjen"),
    ("Direktorat", "Dit."),
    ("Kementerian", "Kemen."),
    ("Kabupaten", "Kab."),
    ("Pemerintah", "Pem."),
    ("Provinsi", "Prov."),
    ("International Organization for Migration", "IOM"),
)


def _shortest_alias(attrs: Mapping[str, Any]) -> str | None:
    """The shortest alias, preferring one whose words all occur in the name ("IOM Indonesia", not "IOM UN")."""
    name = str(attrs.get("name", ""))
    name_words = set(re.findall(r"\w+", name.casefold()))
    aliases = [
        a for a in attrs.get("aliases") or ()
        if 2 <= len(a) < len(name) and len(a) <= 24 and "withheld" not in a
    ]
    if not aliases:
        return None
    return min(aliases, key=lambda a: (not set(re.findall(r"\w+", a.casefold())) <= name_words, len(a)))


def _abbreviate(text: str) -> str:
    for long, short in _ABBREVIATIONS:
        text = text.replace(long, short)
    return text


def _cohort_place(G: nx.MultiDiGraph, node: str) -> str | None:
    presence_rank = {"residing": 0, "transit": 1, "origin": 2}
    hosts = [
        (presence_rank.get(d.get("presence", "residing"), 3), u)
        for u, _, d in G.in_edges(node, data=True)
        if d.get("type") == RelType.HOSTS_COHORT
    ]
    if not hosts:
        return None
    best = min(hosts)[0]
    candidates = sorted(u for rank, u in hosts if rank == best)
    name = str(G.nodes[node].get("name", "")).casefold()
    for region in candidates:  # the region the cohort's own name mentions, when it names one
        attrs = G.nodes[region]
        official = str(attrs.get("name", ""))
        words = [official, official.removeprefix("Kota ").removeprefix("Kabupaten "), *(attrs.get("aliases") or ())]
        if any(w and w.casefold() in name for w in words):
            return _base_label(G, region)
    return _base_label(G, candidates[0])


def _base_label(G: nx.MultiDiGraph, node: str) -> str:
    attrs = G.nodes[node]
    label = attrs.get("label")
    name = str(attrs.get("name", node))
    if attrs.get("label") == NodeLabel.PERSON and attrs.get("redacted"):
        return "Person"
    if label == NodeLabel.AGENCY and attrs.get("acronym"):
        return str(attrs["acronym"])
    if label == NodeLabel.MEETING:  # "Audience ≤ 2016-10-01" when the source dates only a later report
        return f"{_MEETING_SHORT.get(attrs.get('kind', ''), 'Meeting')} {date_text(attrs.get('date'), attrs.get('date_precision'))}".strip()
    if label == NodeLabel.MIGRANT_COHORT:
        kind = _COHORT_SHORT.get(attrs.get("cohort_type", ""), "Cohort")
        place = _cohort_place(G, node)
        alias = _shortest_alias(attrs)
        if alias and len(alias) <= 10:
            kind = alias
        return f"{kind} ({place})" if place else kind
    if label == NodeLabel.REGION and name.startswith(("Kota ", "Kabupaten ")):
        return _shortest_alias(attrs) or name.split(" ", 1)[1]
    return _shortest_alias(attrs) or _abbreviate(name)


def short_label(G: nx.MultiDiGraph, node: str, *, width: int = 18, lines: int = 2) -> str:
    """A short display label: acronym, shortest alias or abbreviated name, wrapped.

    Meetings read ``Audience 2016-10-01``; cohorts ``Refugees (Medan)``.
    """
    text = _base_label(G, node)
    wrapped = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [text]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(" ,.;:") + "…"
    return "\n".join(wrapped)


# --------------------------------------------------------------------------- redaction

_NOT_NAMES = frozenset(  # name words that are also everyday Indonesian words (day names)
    {"senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"}
)


def _sensitive_patterns(G: nx.MultiDiGraph) -> list[tuple[re.Pattern[str], str]]:
    names: set[str] = set()
    addresses: set[str] = set()
    for _, d in G.nodes(data=True):
        fields = SENSITIVE_FIELDS.get(d.get("label"), frozenset())
        for field in fields:
            value = d.get(field)
            values = value if isinstance(value, (list, tuple)) else [value] if value else []
            for text in values:
                text = str(text).strip()
                if not text:
                    continue
                if field == "address":
                    addresses.add(text)
                    # each part of an address ("Jalan Selebes") may be quoted alone
                    addresses.update(part.strip() for part in text.split(",") if len(part.strip()) >= 8)
                    continue
                names.add(text)
                names.update(w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if len(w.strip(".")) >= 4 and w.casefold() not in _NOT_NAMES)
    patterns = []
    for text, repl in sorted(((a, ADDRESS_WITHHELD) for a in addresses), key=lambda t: -len(t[0])) + sorted(
        ((n, NAME_WITHHELD) for n in names), key=lambda t: -len(t[0])
    ):
        patterns.append((re.compile(rf"(?<!\w){re.escape(text.strip('.'))}(?!\w)", re.IGNORECASE), repl))
    return patterns


def _scrub(value: Any, patterns: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(value, str):
        for pattern, repl in patterns:
            value = pattern.sub(repl, value)
        return value
    if isinstance(value, Mapping):
        return {k: _scrub(v, patterns) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v, patterns) for v in value]
    return value


def redact_graph(G: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """A copy of ``G`` without sensitive fields (see the module docstring), and the id renaming.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person-ani", id="person-ani", label="Person", name="Ani Lestari", office="Camat")
    >>> G.add_node("src", id="src", label="Source", name="Ani Lestari visits", evidence=[])
    >>> H, renamed = redact_graph(G)
    >>> renamed, H.nodes["person-1"]["name"], H.nodes["src"]["name"]
    ({'person-ani': 'person-1'}, 'Person (office: Camat)', '[name withheld] visits')
    """
    patterns = _sensitive_patterns(G)
    people = sorted(n for n, d in G.nodes(data=True) if d.get("label") == NodeLabel.PERSON)
    renamed = {p: f"person-{i}" for i, p in enumerate(people, start=1)}
    H = nx.MultiDiGraph(**{**G.graph, "redacted": True})
    for n, d in G.nodes(data=True):
        label = d.get("label")
        sensitive = SENSITIVE_FIELDS.get(label, frozenset())
        attrs = {k: _scrub(v, patterns) for k, v in d.items() if k not in sensitive}
        new_id = renamed.get(n, n)
        attrs["id"] = new_id
        if label == NodeLabel.PERSON:
            office = attrs.get("office")
            attrs["name"] = f"Person (office: {office})" if office else "Person"
            attrs["redacted"] = True
        elif "name" in sensitive:
            attrs["name"] = f"{label} (name withheld)"
        H.add_node(new_id, **attrs)
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(renamed.get(u, u), renamed.get(v, v), key=k, **{kk: _scrub(vv, patterns) for kk, vv in d.items()})
    return H, renamed


def prepare(G: nx.MultiDiGraph, *, redact: bool, highlight: Any = None) -> tuple[nx.MultiDiGraph, Highlight]:
    """The graph an export writes (redacted or not) and the highlight in its ids."""
    hl = Highlight.of(highlight)
    if not redact:
        return G, hl
    H, renamed = redact_graph(G)
    return H, hl.renamed(renamed)


def type_counts(G: nx.MultiDiGraph) -> Counter:
    return Counter(d.get("label") for _, d in G.nodes(data=True))
