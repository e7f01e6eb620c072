"""The closed vocabularies of the schema: node labels, relationship types, and the kinds, levels and statuses.

The closed sets :class:`NodeLabel` and :class:`RelType` are the only source of
Neo4j labels and relationship types: Cypher cannot parameterise them, so they
must never come from strings in the data.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "DELIVERING_STATUSES", "ActivityStatus", "AdminLevel", "AgencyKind", "AttendanceRole", "CohortType",
    "DateBasis", "DatePrecision", "FacilityKind", "InstrumentKind", "MeetingFormat", "MeetingKind", "NodeLabel",
    "Presence", "ProgrammeKind", "RegionKind", "RelType", "ServiceType", "SizeBasis", "SourceKind",
]


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
    """How a meeting was held."""

    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class MeetingKind(StrEnum):
    """What sort of meeting: an audience, a coordination meeting (Rakor), a visit, a handover, a press conference."""

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
    """What sort of programme: cash, aid in kind, prevention, protection or cooperation."""

    CASH_ASSISTANCE = "cash_assistance"
    IN_KIND_AID = "in_kind_aid"
    PREVENTION = "prevention"
    PROTECTION = "protection"
    COOPERATION = "cooperation"


class FacilityKind(StrEnum):
    """What sort of place a facility is."""

    DETENTION_CENTRE = "detention_centre"
    COMMUNITY_SHELTER = "community_shelter"
    HOTEL_SHELTER = "hotel_shelter"
    TRANSIT_POST = "transit_post"
    PROTECTION_CENTRE = "protection_centre"  # RPTC


class InstrumentKind(StrEnum):
    """What sort of law or regulation a legal instrument is."""

    LAW = "law"  # Undang-Undang
    GOVERNMENT_REGULATION = "government_regulation"  # Peraturan Pemerintah
    PRESIDENTIAL_REGULATION = "presidential_regulation"  # Perpres
    MINISTERIAL_REGULATION = "ministerial_regulation"
    REGIONAL_REGULATION = "regional_regulation"
    CIRCULAR = "circular"  # Surat Edaran (a ministry's circular letter)


class SourceKind(StrEnum):
    """What sort of document a source is: a news report, or a reference dataset (the official region codes)."""

    NEWS = "news"
    REFERENCE_DATASET = "reference_dataset"


class AttendanceRole(StrEnum):
    """The part an attendee played at a meeting."""

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
