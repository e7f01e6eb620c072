"""The domain schema: node types, relationship types and the vocabularies they share.

Pure pydantic v2 models, frozen and strict about unknown fields
(``extra="forbid"``), so a typo in a seed file is an error, not a silently
ignored field. Nothing here reads files or talks to a database.

The closed sets :class:`NodeLabel` and :class:`RelType` are the only source of
Neo4j labels and relationship types: Cypher cannot parameterise them, so they
must never come from strings in the data.

References
----------
Domain primer ``DOMAIN.md`` (node types, services, legal frame).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# --------------------------------------------------------------------------- vocabularies


class NodeLabel(StrEnum):
    """Node types of the graph; the value is the Neo4j label."""

    AGENCY = "Agency"
    REGION = "Region"
    MEETING = "Meeting"
    PROGRAMME = "Programme"
    MIGRANT_COHORT = "MigrantCohort"
    FACILITY = "Facility"
    LEGAL_INSTRUMENT = "LegalInstrument"
    SOURCE = "Source"
    PERSON = "Person"


class RelType(StrEnum):
    """Relationship types; the value is the Neo4j relationship type."""

    ATTENDED = "ATTENDED"
    HOSTED = "HOSTED"
    LOCATED_IN = "LOCATED_IN"
    HAS_JURISDICTION = "HAS_JURISDICTION"
    HOSTS_COHORT = "HOSTS_COHORT"
    SERVES = "SERVES"
    FUNDS = "FUNDS"
    IMPLEMENTS = "IMPLEMENTS"
    TARGETS = "TARGETS"
    SUPPORTS = "SUPPORTS"
    OPERATES = "OPERATES"
    SHELTERS = "SHELTERS"
    PART_OF = "PART_OF"
    COOPERATES_WITH = "COOPERATES_WITH"
    MANDATES = "MANDATES"
    APPLIES = "APPLIES"
    DISCUSSED = "DISCUSSED"
    HOLDS_OFFICE = "HOLDS_OFFICE"
    MENTIONED_IN = "MENTIONED_IN"


class AgencyKind(StrEnum):
    """What sort of organisation an agency is."""

    INTERNATIONAL_ORGANISATION = "international_organisation"
    INTERNATIONAL_OFFICE = "international_office"  # a country or field office of one
    MINISTRY = "ministry"
    DIRECTORATE_GENERAL = "directorate_general"
    DIRECTORATE = "directorate"
    MINISTRY_REGIONAL_OFFICE = "ministry_regional_office"  # Kanwil
    IMMIGRATION_OFFICE = "immigration_office"
    DETENTION_CENTRE = "detention_centre"  # Rudenim
    REGIONAL_GOVERNMENT = "regional_government"  # Pemprov, Pemkab, Pemko
    REGIONAL_DEPARTMENT = "regional_department"  # Dinas, Badan, Bagian
    POLICE = "police"
    MILITARY = "military"
    TASK_FORCE = "task_force"  # Satgas, Gugus Tugas
    NGO = "ngo"
    OTHER = "other"


class AdminLevel(StrEnum):
    """Administrative level at which an agency works."""

    INTERNATIONAL = "international"
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    REGENCY_CITY = "regency_city"


class RegionKind(StrEnum):
    """Kind of region; provinces, regencies (kabupaten) and cities (kota) carry Kemendagri codes."""

    COUNTRY = "country"
    PROVINCE = "province"
    REGENCY = "regency"
    CITY = "city"


class CohortType(StrEnum):
    """Migrant cohort types."""

    FOREIGN_REFUGEES = "foreign_refugees"  # refugees and asylum seekers from abroad
    INDONESIAN_MIGRANT_WORKERS = "indonesian_migrant_workers"  # PMI
    NON_PROCEDURAL_MIGRANT_WORKERS = "non_procedural_migrant_workers"  # PMI-NP
    TRAFFICKING_VICTIMS = "trafficking_victims"  # identified victims (korban TPPO)
    GENDER_BASED_VIOLENCE_VICTIMS = "gender_based_violence_victims"  # korban kekerasan berbasis gender


class SizeBasis(StrEnum):
    """How a cohort's size is known."""

    STATED = "stated"
    APPROXIMATE = "approximate"  # "sekitar 2.000"
    INFERRED = "inferred"
    UNKNOWN = "unknown"


class DatePrecision(StrEnum):
    """How much of a date the source fixes.

    ``no_later_than`` is an upper bound: the source dates only a later event
    (the press briefing that reported a meeting), so the fact happened on or
    before ``date``, on a day the source does not give.
    """

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    NO_LATER_THAN = "no_later_than"


class DateBasis(StrEnum):
    """Whether a date is printed in the source or inferred by the curator."""

    STATED = "stated"
    INFERRED = "inferred"


class ActivityStatus(StrEnum):
    """How far the source says an activity went: the evidence threshold of ``seed/README.md``.

    Read from the quoted sentence's own words, the same way in every document:

    ``reported``
        the source states it as done or going on ("menyalurkan", "menetap di",
        "telah", a figure of people served).
    ``planned``
        announced, committed or planned, not yet reported done ("akan",
        "berencana", "berkomitmen", "rencana", "siap").
    ``hoped``
        wished for or requested of someone ("berharap", "meminta",
        "diharapkan", "minta dukungan").
    ``inferred``
        not said in the source; the curator's inference, explained in the
        record's ``notes``.

    Only ``reported`` (and, with lower confidence, ``inferred``) activity can
    close a coordination gap; planned and hoped activity is shown beside it.
    """

    REPORTED = "reported"
    PLANNED = "planned"
    HOPED = "hoped"
    INFERRED = "inferred"


DELIVERING_STATUSES: frozenset[str] = frozenset({ActivityStatus.REPORTED, ActivityStatus.INFERRED})
"""Statuses of an activity that count as delivered (inferred with a lower confidence)."""


class MeetingFormat(StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class MeetingKind(StrEnum):
    AUDIENCE = "audience"
    COORDINATION_MEETING = "coordination_meeting"  # Rakor
    VISIT = "visit"
    HANDOVER = "handover"
    PRESS_CONFERENCE = "press_conference"


class ServiceType(StrEnum):
    """Services a migrant cohort may need (DOMAIN.md, "Services a cohort may need").

    Shared by the seed, the mandates and the referral pathway templates.
    """

    IDENTIFICATION_REGISTRATION = "identification_registration"
    SHELTER = "shelter"
    BASIC_NEEDS_CASH = "basic_needs_cash"
    HEALTH = "health"
    PSYCHOSOCIAL = "psychosocial"
    LEGAL_AID_DOCUMENTATION = "legal_aid_documentation"
    STATUS_DETERMINATION = "status_determination"
    REPATRIATION_RESETTLEMENT = "repatriation_resettlement"
    SAFE_RETURN = "safe_return"
    REINTEGRATION_LIVELIHOODS = "reintegration_livelihoods"
    PREVENTION_AWARENESS = "prevention_awareness"
    LAW_ENFORCEMENT = "law_enforcement"
    IMMIGRATION_SUPERVISION = "immigration_supervision"  # pengawasan keimigrasian (Perpres 125/2016)
    SECURITY = "security"  # pengamanan (Perpres 125/2016)


class ProgrammeKind(StrEnum):
    CASH_ASSISTANCE = "cash_assistance"
    IN_KIND_AID = "in_kind_aid"
    PREVENTION = "prevention"
    PROTECTION = "protection"
    COOPERATION = "cooperation"


class FacilityKind(StrEnum):
    DETENTION_CENTRE = "detention_centre"
    COMMUNITY_SHELTER = "community_shelter"
    HOTEL_SHELTER = "hotel_shelter"
    TRANSIT_POST = "transit_post"
    PROTECTION_CENTRE = "protection_centre"  # RPTC


class InstrumentKind(StrEnum):
    LAW = "law"  # Undang-Undang
    GOVERNMENT_REGULATION = "government_regulation"  # Peraturan Pemerintah
    PRESIDENTIAL_REGULATION = "presidential_regulation"  # Perpres
    MINISTERIAL_REGULATION = "ministerial_regulation"
    REGIONAL_REGULATION = "regional_regulation"
    CIRCULAR = "circular"  # Surat Edaran (a ministry's circular letter)


class SourceKind(StrEnum):
    NEWS = "news"
    REFERENCE_DATASET = "reference_dataset"


class AttendanceRole(StrEnum):
    HOST = "host"
    SPEAKER = "speaker"
    PARTICIPANT = "participant"
    VISITOR = "visitor"
    RECIPIENT = "recipient"


class Presence(StrEnum):
    """How a cohort relates to a region."""

    RESIDING = "residing"  # living there (refugees in Medan)
    ORIGIN = "origin"  # region the migrants come from (PMI from Sergai)
    TRANSIT = "transit"  # passing through (returnees at the Pontianak transit post)


# --------------------------------------------------------------------------- value objects

# One rule for every value, so that what `validate` accepts every command can process and every format can
# carry (Neo4j, JSON, GraphML/GEXF, matplotlib, the terminal): text without control characters and of bounded
# length, dates in a plausible window, finite numbers in the range JSON holds exactly. Each field below takes
# one of these types; tests/test_value_rules.py walks every model's validation schema and fails on a string,
# date or number field that does not carry its rule.

MIN_DATE = dt.date(1945, 8, 17)
"""The earliest date a fact may carry: the proclamation of independence; no institution in this graph is older.

A date before it is a typo (0001-01-01 is a common placeholder), and so is one after :data:`MAX_DATE`
(3016-10-01 for 2016-10-01), which the timeline and the pathways' recency could not place.
"""
MAX_DATE = dt.date(2100, 12, 31)
"""The latest date a fact may carry (planned programmes end in the future; the same bound as instruments' years)."""

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer JSON carries exactly (JavaScript's ``Number.MAX_SAFE_INTEGER``); Neo4j holds 64-bit integers."""

TEXT_CONTROLS = r"\x00-\x08\x0B-\x1F\x7F-\x9F\uFFFE\uFFFF"
TEXT_PATTERN = f"^[^{TEXT_CONTROLS}]*$"
"""Free text (notes, reasoning, quotes): no control characters except tab and line feed.

C0 controls (NUL, ESC ...) break XML 1.0 (GraphML, GEXF) and reach terminals as commands; C1 controls and the
non-characters U+FFFE/U+FFFF are not allowed in XML either. A carriage return is refused too: YAML reads every
line break as a line feed, so a CR can only come from an escape, and a lone CR overwrites a terminal's line and
is left unquoted by CSV writers that end lines with a line feed.
"""
LINE_CONTROLS = r"\x00-\x1F\x7F-\x9F\uFFFE\uFFFF"
LINE_PATTERN = f"^[^{LINE_CONTROLS}]*$"
"""One-line text (names, acronyms, units): no control characters at all, tab and line breaks included."""

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
ISO3_PATTERN = r"^[A-Z]{3}$"  # ISO 3166-1 alpha-3
REGION_CODE_PATTERN = r"^[0-9]{2}(\.[0-9]{2})?$"  # Kemendagri: NN for a province, NN.NN below
Id = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=80)]
"""Node ids: lower-case slugs, unique across all node types."""

NonEmpty = Annotated[str, Field(min_length=1, max_length=500, pattern=LINE_PATTERN)]
"""A name or a short label: one line, 1 to 500 characters."""

Acronym = Annotated[str, Field(min_length=1, max_length=80, pattern=LINE_PATTERN)]
"""An acronym or short form ("IOM", "Kanwil Kemenkumham Kepulauan Bangka Belitung"): one line, at most 80 characters."""

ShortText = Annotated[str, Field(min_length=1, max_length=500, pattern=LINE_PATTERN)]
"""A short one-line value that may be absent (an amount as printed, an article, an office)."""

Url = Annotated[str, Field(min_length=1, max_length=2000, pattern=LINE_PATTERN)]
"""A web address, as long as browsers and servers accept (about 2,000 characters)."""

Text = Annotated[str, Field(max_length=5000, pattern=TEXT_PATTERN)]
"""Free text (notes, date reasoning): line breaks allowed, at most 5,000 characters (a long paragraph)."""

Date = Annotated[dt.date, Field(ge=MIN_DATE, le=MAX_DATE)]
"""A date between :data:`MIN_DATE` and :data:`MAX_DATE`."""

Count = Annotated[int, Field(gt=0, le=MAX_SAFE_INTEGER)]
"""A positive whole number that JSON and Neo4j both carry exactly."""

Amount = Annotated[float, Field(gt=0, le=MAX_SAFE_INTEGER, allow_inf_nan=False)]
"""A positive finite amount (no ``.inf``, no ``.nan``) no larger than JSON's exact integers."""

Size = Annotated[int, Field(gt=0, lt=100_000_000)]
"""A number of people: more than the world's displaced in one place is a typo."""


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Evidence(_Strict):
    """Where a fact comes from: a source document and a short quote found in it verbatim."""

    source: Id
    quote: Annotated[str, Field(min_length=3, max_length=600, pattern=TEXT_PATTERN)]


class Money(_Strict):
    """An amount of money with its currency and what it is per (e.g. per person per month)."""

    amount: Amount
    currency: Literal["IDR", "USD"]
    per: ShortText | None = None
    original: ShortText | None = None  # as printed, e.g. "Rp1,2 jt"


class Quantity(_Strict):
    """A count of things with its unit (2,500 hygiene kits)."""

    value: Count
    unit: NonEmpty
    original: ShortText | None = None  # as printed, e.g. "2.500 paket"


# --------------------------------------------------------------------------- nodes


class _Node(_Strict):
    id: Id
    name: NonEmpty
    aliases: tuple[NonEmpty, ...] = ()
    evidence: tuple[Evidence, ...] = Field(default=(), description="quotes that mention this node")
    notes: Text | None = None


class Agency(_Node):
    """An organisation or office: IOM and its offices, ministries, Dinas, Rudenim, police ..."""

    label: Literal["Agency"] = "Agency"
    kind: AgencyKind
    level: AdminLevel
    acronym: Acronym | None = None


class Region(_Node):
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


class Meeting(_Node):
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


class Programme(_Node):
    """A programme, aid delivery or cooperation with the services it provides."""

    label: Literal["Programme"] = "Programme"
    kind: ProgrammeKind
    services: tuple[ServiceType, ...] = Field(min_length=1)
    start: Date | None = None
    end: Date | None = None
    money: Money | None = None
    quantity: Quantity | None = None


class MigrantCohort(_Node):
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


class Facility(_Node):
    """A place where migrants are held, sheltered or received."""

    label: Literal["Facility"] = "Facility"
    kind: FacilityKind
    address: ShortText | None = Field(default=None, json_schema_extra={"sensitive": True})


class LegalInstrument(_Node):
    """A law or regulation (UU, Perpres, Permen ...)."""

    label: Literal["LegalInstrument"] = "LegalInstrument"
    kind: InstrumentKind
    number: NonEmpty
    year: Annotated[int, Field(ge=1945, le=2100)]
    title: NonEmpty


class Source(_Node):
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


class Person(_Node):
    """A named person, modelled as the holder of an office at a date. Names are sensitive."""

    label: Literal["Person"] = "Person"
    office: NonEmpty


Node = Annotated[
    Agency | Region | Meeting | Programme | MigrantCohort | Facility | LegalInstrument | Source | Person,
    Field(discriminator="label"),
]

NODE_MODELS: dict[NodeLabel, type[_Node]] = {
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


class _Rel(_Strict):
    source_node: Id = Field(alias="from")
    target_node: Id = Field(alias="to")
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    notes: Text | None = None
    # how the fact is known; the activity types below (ACTIVITY_RELS) must say it, the others are
    # reported unless a record says it is the curator's inference (an org-chart PART_OF)
    status: ActivityStatus = ActivityStatus.REPORTED

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class Attended(_Rel):
    type: Literal["ATTENDED"] = "ATTENDED"
    role: AttendanceRole = AttendanceRole.PARTICIPANT
    represented_by: ShortText | None = None  # the office that attended for the agency


class Hosted(_Rel):
    type: Literal["HOSTED"] = "HOSTED"


class LocatedIn(_Rel):
    type: Literal["LOCATED_IN"] = "LOCATED_IN"


class HasJurisdiction(_Rel):
    type: Literal["HAS_JURISDICTION"] = "HAS_JURISDICTION"


class HostsCohort(_Rel):
    type: Literal["HOSTS_COHORT"] = "HOSTS_COHORT"
    presence: Presence = Presence.RESIDING


class Serves(_Rel):
    type: Literal["SERVES"] = "SERVES"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md
    service: ServiceType
    since: Date | None = None
    last_seen: Date | None = None  # the latest date the source shows the service


class Funds(_Rel):
    type: Literal["FUNDS"] = "FUNDS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Implements(_Rel):
    type: Literal["IMPLEMENTS"] = "IMPLEMENTS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Targets(_Rel):
    type: Literal["TARGETS"] = "TARGETS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Supports(_Rel):
    type: Literal["SUPPORTS"] = "SUPPORTS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Operates(_Rel):
    type: Literal["OPERATES"] = "OPERATES"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md


class Shelters(_Rel):
    type: Literal["SHELTERS"] = "SHELTERS"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md
    count: Size | None = None
    count_basis: SizeBasis | None = None
    as_of: Date | None = None


class PartOf(_Rel):
    type: Literal["PART_OF"] = "PART_OF"


class CooperatesWith(_Rel):
    type: Literal["COOPERATES_WITH"] = "COOPERATES_WITH"
    status: ActivityStatus  # required: see ActivityStatus and seed/README.md
    last_seen: Date | None = None


class Mandates(_Rel):
    type: Literal["MANDATES"] = "MANDATES"
    article: ShortText | None = None
    duty: ServiceType | None = None


class Applies(_Rel):
    type: Literal["APPLIES"] = "APPLIES"


class Discussed(_Rel):
    type: Literal["DISCUSSED"] = "DISCUSSED"


class HoldsOffice(_Rel):
    type: Literal["HOLDS_OFFICE"] = "HOLDS_OFFICE"
    office: NonEmpty
    as_of: Date | None = None


class MentionedIn(_Rel):
    type: Literal["MENTIONED_IN"] = "MENTIONED_IN"


Relationship = Annotated[
    Attended | Hosted | LocatedIn | HasJurisdiction | HostsCohort | Serves | Funds | Implements | Targets | Supports | Operates | Shelters | PartOf | CooperatesWith | Mandates | Applies | Discussed | HoldsOffice | MentionedIn,
    Field(discriminator="type"),
]

REL_MODELS: dict[RelType, type[_Rel]] = {
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


class NationalityTerm(_Strict):
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
    # __getattr__ and an AttributeError (a tenth of validating a national seed)
    fields = rel.__dict__
    value = fields.get("service") or fields.get("duty")
    return str(value) if value else ""


def rel_key(rel: AnyRel) -> tuple[str, str, str, str]:
    """The identity of a relationship: (from id, type, to id, qualifier)."""
    return (rel.source_node, rel.type, rel.target_node, rel_qualifier(rel))

