"""The domain schema: node types, relationship types and the endpoints each relationship allows.

Pure pydantic v2 models, frozen and strict about unknown fields
(:class:`~graphmodel.model.base.FrozenModel`), so a typo in a seed file is an
error, not a silently ignored field. Nothing here reads files or talks to a
database. The closed vocabularies (:class:`NodeLabel`, :class:`RelType`, the
kinds and statuses) are in :mod:`graphmodel.model.vocabulary` and the value
rules in :mod:`graphmodel.model.values`; both are importable from here too.

References
----------
Domain primer ``DOMAIN.md`` (node types, services, legal frame).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from graphmodel.model.base import FrozenModel
from graphmodel.model.values import (
    ID_PATTERN,
    ISO3_PATTERN,
    LINE_CONTROLS,
    LINE_PATTERN,
    MAX_DATE,
    MAX_SAFE_INTEGER,
    MIN_DATE,
    REGION_CODE_PATTERN,
    TEXT_CONTROLS,
    TEXT_PATTERN,
    Acronym,
    Amount,
    Count,
    Date,
    Evidence,
    Id,
    Money,
    NonEmpty,
    Quantity,
    ShortText,
    Size,
    Text,
    Url,
)
from graphmodel.model.vocabulary import (
    DELIVERING_STATUSES,
    ActivityStatus,
    AdminLevel,
    AgencyKind,
    AttendanceRole,
    CohortType,
    DateBasis,
    DatePrecision,
    FacilityKind,
    InstrumentKind,
    MeetingFormat,
    MeetingKind,
    NodeLabel,
    Presence,
    ProgrammeKind,
    RegionKind,
    RelType,
    ServiceType,
    SizeBasis,
    SourceKind,
)

__all__ = [
    # nodes, relationships and what ties them
    "ACTIVITY_RELS", "DERIVED_RELS", "ENDPOINTS", "NODE_MODELS", "REL_MODELS", "SENSITIVE_FIELDS",
    "Agency", "AnyNode", "AnyRel", "Applies", "Attended", "CooperatesWith", "Discussed", "Facility", "Funds",
    "HasJurisdiction", "HoldsOffice", "Hosted", "HostsCohort", "Implements", "LegalInstrument", "LocatedIn",
    "Mandates", "Meeting", "MentionedIn", "MigrantCohort", "NationalityTerm", "Node", "NodeBase", "Operates",
    "PartOf", "Person", "Programme", "Region", "RelationshipBase", "Relationship", "Serves", "Shelters", "Source",
    "Supports", "Targets", "rel_key", "rel_qualifier",
    # the base model (graphmodel.model.base)
    "FrozenModel",
    # the value rules (graphmodel.model.values)
    "ID_PATTERN", "ISO3_PATTERN", "LINE_CONTROLS", "LINE_PATTERN", "MAX_DATE", "MAX_SAFE_INTEGER", "MIN_DATE",
    "REGION_CODE_PATTERN", "TEXT_CONTROLS", "TEXT_PATTERN", "Acronym", "Amount", "Count", "Date", "Evidence", "Id",
    "Money", "NonEmpty", "Quantity", "ShortText", "Size", "Text", "Url",
    # the vocabularies (graphmodel.model.vocabulary)
    "DELIVERING_STATUSES", "ActivityStatus", "AdminLevel", "AgencyKind", "AttendanceRole", "CohortType",
    "DateBasis", "DatePrecision", "FacilityKind", "InstrumentKind", "MeetingFormat", "MeetingKind", "NodeLabel",
    "Presence", "ProgrammeKind", "RegionKind", "RelType", "ServiceType", "SizeBasis", "SourceKind",
]

# --------------------------------------------------------------------------- nodes


class NodeBase(FrozenModel):
    """The fields every node has: id, name, aliases, evidence and notes."""

    id: Id
    name: NonEmpty
    aliases: tuple[NonEmpty, ...] = ()
    evidence: tuple[Evidence, ...] = Field(default=(), description="quotes that mention this node")
    notes: Text | None = None


class Agency(NodeBase):
    """An organisation or office: IOM and its offices, ministries, Dinas, Rudenim, police ..."""

    label: Literal["Agency"] = "Agency"
    kind: AgencyKind
    level: AdminLevel
    acronym: Acronym | None = None


class Region(NodeBase):
    """A country, province, regency (kabupaten) or city (kota), with its Kemendagri code."""

    label: Literal["Region"] = "Region"
    kind: RegionKind
    code: Annotated[str, Field(pattern=REGION_CODE_PATTERN, max_length=5)] | None = None
    parent: Id | None = None

    @model_validator(mode="after")
    def _code_matches_kind(self) -> Region:
        if self.kind is RegionKind.COUNTRY:
            if self.code is not None or self.parent is not None:
                raise ValueError("a country has neither code nor parent")
        elif self.code is None:
            raise ValueError(f"a {self.kind.value} needs its official Kemendagri code")
        elif (self.kind is RegionKind.PROVINCE) != ("." not in self.code):
            raise ValueError(f"code {self.code!r} does not fit a {self.kind.value} (NN for provinces, NN.NN below)")
        return self


class Meeting(NodeBase):
    """A meeting, visit, audience or handover; its date says how precise and how known it is."""

    label: Literal["Meeting"] = "Meeting"
    kind: MeetingKind
    date: Date
    end_date: Date | None = None
    date_precision: DatePrecision = DatePrecision.DAY
    date_basis: DateBasis
    date_reasoning: Text | None = None
    venue: ShortText | None = None
    format: MeetingFormat
    topics: tuple[NonEmpty, ...] = ()

    @model_validator(mode="after")
    def _inferred_dates_are_explained(self) -> Meeting:
        if self.date_basis is DateBasis.INFERRED and not self.date_reasoning:
            raise ValueError("an inferred date needs date_reasoning")
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError("end_date is before date")
        return self


class Programme(NodeBase):
    """A programme, aid delivery or cooperation with the services it provides."""

    label: Literal["Programme"] = "Programme"
    kind: ProgrammeKind
    services: tuple[ServiceType, ...] = Field(min_length=1)
    start: Date | None = None
    end: Date | None = None
    money: Money | None = None
    quantity: Quantity | None = None


class MigrantCohort(NodeBase):
    """A group of migrants of one type in one place: size, how the size is known, nationalities."""

    label: Literal["MigrantCohort"] = "MigrantCohort"
    cohort_type: CohortType
    size: Size | None = None
    size_basis: SizeBasis
    nationalities: tuple[NonEmpty, ...] = ()
    as_of: Date | None = None

    @model_validator(mode="after")
    def _size_and_basis_agree(self) -> MigrantCohort:
        if (self.size is None) != (self.size_basis is SizeBasis.UNKNOWN):
            raise ValueError("size_basis is 'unknown' exactly when size is absent")
        return self


class Facility(NodeBase):
    """A place where migrants are held, sheltered or received."""

    label: Literal["Facility"] = "Facility"
    kind: FacilityKind
    address: ShortText | None = Field(default=None, json_schema_extra={"sensitive": True})


class LegalInstrument(NodeBase):
    """A law or regulation (UU, Perpres, Permen ...)."""

    label: Literal["LegalInstrument"] = "LegalInstrument"
    kind: InstrumentKind
    number: NonEmpty
    year: Annotated[int, Field(ge=1945, le=2100)]
    title: NonEmpty


class Source(NodeBase):
    """A source document: a news report in the corpus, or a reference dataset."""

    label: Literal["Source"] = "Source"
    kind: SourceKind
    outlet: NonEmpty
    published: Date | None = None
    date_basis: DateBasis | None = None
    date_reasoning: Text | None = None
    url: Url | None = None
    path: NonEmpty  # relative to the seed folder
    language: Literal["id", "en"] = "id"

    @model_validator(mode="after")
    def _inferred_dates_are_explained(self) -> Source:
        if self.date_basis is DateBasis.INFERRED and not self.date_reasoning:
            raise ValueError("an inferred date needs date_reasoning")
        return self


class Person(NodeBase):
    """A named person, modelled as the holder of an office at a date. Names are sensitive."""

    label: Literal["Person"] = "Person"
    office: NonEmpty


Node = Annotated[
    Agency | Region | Meeting | Programme | MigrantCohort | Facility | LegalInstrument | Source | Person,
    Field(discriminator="label"),
]

NODE_MODELS: dict[NodeLabel, type[AnyNode]] = {
    NodeLabel.AGENCY: Agency,
    NodeLabel.REGION: Region,
    NodeLabel.MEETING: Meeting,
    NodeLabel.PROGRAMME: Programme,
    NodeLabel.MIGRANT_COHORT: MigrantCohort,
    NodeLabel.FACILITY: Facility,
    NodeLabel.LEGAL_INSTRUMENT: LegalInstrument,
    NodeLabel.SOURCE: Source,
    NodeLabel.PERSON: Person,
}

SENSITIVE_FIELDS: dict[NodeLabel, frozenset[str]] = {
    NodeLabel.PERSON: frozenset({"name", "aliases"}),
    NodeLabel.FACILITY: frozenset({"address"}),
}
"""Fields that exports meant for sharing redact (people's names, shelter addresses)."""


# --------------------------------------------------------------------------- relationships

L = NodeLabel
ENDPOINTS: dict[RelType, frozenset[tuple[NodeLabel, NodeLabel]]] = {
    RelType.ATTENDED: frozenset({(L.AGENCY, L.MEETING), (L.PERSON, L.MEETING)}),
    RelType.HOSTED: frozenset({(L.AGENCY, L.MEETING)}),
    RelType.LOCATED_IN: frozenset(
        {(L.MEETING, L.REGION), (L.FACILITY, L.REGION), (L.AGENCY, L.REGION), (L.REGION, L.REGION)}
    ),
    RelType.HAS_JURISDICTION: frozenset({(L.AGENCY, L.REGION)}),
    RelType.HOSTS_COHORT: frozenset({(L.REGION, L.MIGRANT_COHORT)}),
    RelType.SERVES: frozenset({(L.AGENCY, L.MIGRANT_COHORT)}),
    RelType.FUNDS: frozenset({(L.AGENCY, L.PROGRAMME)}),
    RelType.IMPLEMENTS: frozenset({(L.AGENCY, L.PROGRAMME)}),
    RelType.TARGETS: frozenset({(L.PROGRAMME, L.REGION), (L.PROGRAMME, L.MIGRANT_COHORT)}),
    RelType.SUPPORTS: frozenset({(L.PROGRAMME, L.AGENCY), (L.PROGRAMME, L.FACILITY)}),
    RelType.OPERATES: frozenset({(L.AGENCY, L.FACILITY)}),
    RelType.SHELTERS: frozenset({(L.FACILITY, L.MIGRANT_COHORT)}),
    RelType.PART_OF: frozenset({(L.AGENCY, L.AGENCY)}),
    RelType.COOPERATES_WITH: frozenset({(L.AGENCY, L.AGENCY)}),
    RelType.MANDATES: frozenset({(L.LEGAL_INSTRUMENT, L.AGENCY)}),
    RelType.APPLIES: frozenset({(L.AGENCY, L.LEGAL_INSTRUMENT)}),
    RelType.DISCUSSED: frozenset(
        {(L.MEETING, L.MIGRANT_COHORT), (L.MEETING, L.PROGRAMME), (L.MEETING, L.LEGAL_INSTRUMENT)}
    ),
    RelType.HOLDS_OFFICE: frozenset({(L.PERSON, L.AGENCY)}),
    RelType.MENTIONED_IN: frozenset({(lab, L.SOURCE) for lab in L if lab is not L.SOURCE}),
}
"""The endpoint types each relationship type allows, as (from label, to label) pairs."""

ACTIVITY_RELS: frozenset[RelType] = frozenset(
    {RelType.SERVES, RelType.FUNDS, RelType.IMPLEMENTS, RelType.TARGETS, RelType.SUPPORTS, RelType.OPERATES,
     RelType.SHELTERS, RelType.COOPERATES_WITH}
)
"""Relationship types that describe activity: each record must give its :class:`ActivityStatus`."""

DERIVED_RELS: frozenset[RelType] = frozenset({RelType.MENTIONED_IN})
"""Relationship types the graph builder derives (from node evidence); seed files never list them."""


class RelationshipBase(FrozenModel):
    """The fields every relationship has: its ends (``from``, ``to``), evidence, notes and status."""

    source_node: Id = Field(alias="from")
    target_node: Id = Field(alias="to")
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    notes: Text | None = None
    # how the fact is known; the activity types below (ACTIVITY_RELS) must say it, the others are
    # reported unless a record says it is the curator's inference (an org-chart PART_OF)
    status: ActivityStatus = ActivityStatus.REPORTED

    model_config = ConfigDict(populate_by_name=True)  # merged with FrozenModel's: "from" or source_node


class Attended(RelationshipBase):
    """An agency or person attended a meeting, in a role (host, speaker, participant ...)."""

    type: Literal["ATTENDED"] = "ATTENDED"
    role: AttendanceRole = AttendanceRole.PARTICIPANT
    represented_by: ShortText | None = None  # the office that attended for the agency


class Hosted(RelationshipBase):
    """An agency hosted a meeting."""

    type: Literal["HOSTED"] = "HOSTED"


class LocatedIn(RelationshipBase):
    """A meeting, facility or agency is in a region (region to region is derived from ``parent``)."""

    type: Literal["LOCATED_IN"] = "LOCATED_IN"


class HasJurisdiction(RelationshipBase):
    """An agency's area of authority covers a region."""

    type: Literal["HAS_JURISDICTION"] = "HAS_JURISDICTION"


class HostsCohort(RelationshipBase):
    """A region hosts a cohort: where it lives, comes from or passes through (:class:`Presence`)."""

    type: Literal["HOSTS_COHORT"] = "HOSTS_COHORT"
    presence: Presence = Presence.RESIDING


class Serves(RelationshipBase):
    """An agency provides a service to a cohort (an activity: its status is required)."""

    type: Literal["SERVES"] = "SERVES"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md
    service: ServiceType
    since: Date | None = None
    last_seen: Date | None = None  # the latest date the source shows the service


class Funds(RelationshipBase):
    """An agency funds a programme."""

    type: Literal["FUNDS"] = "FUNDS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Implements(RelationshipBase):
    """An agency carries out a programme."""

    type: Literal["IMPLEMENTS"] = "IMPLEMENTS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Targets(RelationshipBase):
    """A programme reaches a region or a cohort."""

    type: Literal["TARGETS"] = "TARGETS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Supports(RelationshipBase):
    """A programme supports an agency or a facility."""

    type: Literal["SUPPORTS"] = "SUPPORTS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Operates(RelationshipBase):
    """An agency runs a facility."""

    type: Literal["OPERATES"] = "OPERATES"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Shelters(RelationshipBase):
    """A facility shelters (part of) a cohort, with a count where the source gives one."""

    type: Literal["SHELTERS"] = "SHELTERS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md
    count: Size | None = None
    count_basis: SizeBasis | None = None
    as_of: Date | None = None


class PartOf(RelationshipBase):
    """An agency is part of another (an office of a ministry, a Dinas of a regional government)."""

    type: Literal["PART_OF"] = "PART_OF"


class CooperatesWith(RelationshipBase):
    """Two agencies cooperate (a memorandum of understanding, a joint operation)."""

    type: Literal["COOPERATES_WITH"] = "COOPERATES_WITH"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md
    last_seen: Date | None = None


class Mandates(RelationshipBase):
    """A legal instrument gives an agency a duty (the article and the service where known)."""

    type: Literal["MANDATES"] = "MANDATES"
    article: ShortText | None = None
    duty: ServiceType | None = None


class Applies(RelationshipBase):
    """An agency applies a legal instrument."""

    type: Literal["APPLIES"] = "APPLIES"


class Discussed(RelationshipBase):
    """A meeting discussed a cohort, a programme or a legal instrument."""

    type: Literal["DISCUSSED"] = "DISCUSSED"


class HoldsOffice(RelationshipBase):
    """A person holds an office in an agency, as of a date."""

    type: Literal["HOLDS_OFFICE"] = "HOLDS_OFFICE"
    office: NonEmpty
    as_of: Date | None = None


class MentionedIn(RelationshipBase):
    """A node is mentioned in a source (derived from the node's evidence; never listed in a seed)."""

    type: Literal["MENTIONED_IN"] = "MENTIONED_IN"


Relationship = Annotated[
    Attended | Hosted | LocatedIn | HasJurisdiction | HostsCohort | Serves | Funds | Implements | Targets | Supports | Operates | Shelters | PartOf | CooperatesWith | Mandates | Applies | Discussed | HoldsOffice | MentionedIn,
    Field(discriminator="type"),
]

REL_MODELS: dict[RelType, type[AnyRel]] = {
    RelType(m.model_fields["type"].default): m
    for m in (
        Attended, Hosted, LocatedIn, HasJurisdiction, HostsCohort, Serves, Funds, Implements, Targets,
        Supports, Operates, Shelters, PartOf, CooperatesWith, Mandates, Applies, Discussed, HoldsOffice,
        MentionedIn,
    )
}

AnyNode = Agency | Region | Meeting | Programme | MigrantCohort | Facility | LegalInstrument | Source | Person
AnyRel = (
    Attended | Hosted | LocatedIn | HasJurisdiction | HostsCohort | Serves | Funds | Implements | Targets
    | Supports | Operates | Shelters | PartOf | CooperatesWith | Mandates | Applies | Discussed | HoldsOffice
    | MentionedIn
)


class NationalityTerm(FrozenModel):
    """A nationality in the controlled vocabulary, with the spellings found in sources."""

    name: NonEmpty
    iso3: Annotated[str, Field(pattern=ISO3_PATTERN, max_length=3)]
    aliases: tuple[NonEmpty, ...] = ()


def rel_qualifier(rel: AnyRel) -> str:
    """What tells apart two relationships of one type between the same pair of nodes.

    Two SERVES of different services between the same agency and cohort are
    different facts, so the service is part of the identity (likewise a
    MANDATES duty); for every other type one relationship per
    (from, type, to) is allowed and the qualifier is empty.
    """
    # the fields live in the model's __dict__; getattr of a field the model lacks goes through pydantic's
    # __getattr__ and an AttributeError, once per relationship of a national seed
    fields = rel.__dict__
    value = fields.get("service") or fields.get("duty")
    return str(value) if value else ""


def rel_key(rel: AnyRel) -> tuple[str, str, str, str]:
    """The identity of a relationship: (from id, type, to id, qualifier).

    Examples
    --------
    >>> ev = [{"source": "src-1", "quote": "IOM memberikan bantuan tunai."}]
    >>> rel_key(Serves(**{"from": "iom", "to": "ref-medan", "service": "basic_needs_cash", "status": "reported",
    ...                   "evidence": ev}))
    ('iom', 'SERVES', 'ref-medan', 'basic_needs_cash')
    """
    return (rel.source_node, rel.type, rel.target_node, rel_qualifier(rel))
