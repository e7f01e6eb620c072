"""Mandates as data: the legal instruments and the duties their articles set.

A *mandate* says that, under a legal instrument's article, agencies of some
kind at some administrative level (or one named actor, such as UNHCR) must
provide a service (a :class:`~graphmodel.model.schema.ServiceType` duty) to migrants
of a cohort type. The package ships them in ``graphmodel/data/mandates.yaml``,
each with its citation, how the article binds (``phrasing``) and an honest
``verified`` flag; ``docs/mandates.md`` explains them to analysts.

References
----------
.. [1] Peraturan Presiden No. 125 Tahun 2016 tentang Penanganan Pengungsi dari
   Luar Negeri.
.. [2] Undang-Undang No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran
   Indonesia; Peraturan Pemerintah No. 59 Tahun 2021.
.. [3] Undang-Undang No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana
   Perdagangan Orang; Perpres 69/2008 as amended by Perpres 22/2021 and
   Perpres 49/2023.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import Field, model_validator

from graphmodel.model.base import FrozenModel
from graphmodel.model.schema import (
    AdminLevel,
    AgencyKind,
    CohortType,
    InstrumentKind,
    Presence,
    ServiceType,
)
from graphmodel.util.text import fold_name

__all__ = [
    "BINDING_PHRASINGS",
    "Mandate",
    "MandateInstrument",
    "MandateSet",
    "Phrasing",
    "load_mandates",
    "mandates_table",
    "parse_mandates",
]

_Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=2, max_length=80)]
_Text = Annotated[str, Field(min_length=1, max_length=2000)]

Phrasing = Literal["duty", "definition", "enabling", "practice", "cooperation"]
"""How an article binds the actor a mandate row names (``docs/mandates.md``).

``duty``: the article says the actor must do it. ``definition``: a definition
that implies a role and imposes nothing. ``enabling``: the article allows or
asks for it ("dapat"), or the instrument is no regulation (a circular).
``practice``: the actor's role in practice, with no assigning article found.
``cooperation``: the government may cooperate with the actor, which the
article cannot bind: such a row never yields a gap.
"""

BINDING_PHRASINGS: frozenset[str] = frozenset({"duty"})
"""Phrasings whose gaps are unmet obligations; the others' gaps are questions to check (cooperation: none)."""

_NO_GAP_PHRASINGS = frozenset({"cooperation"})

Where = Literal["anywhere", "abroad", "in_indonesia"]


class MandateInstrument(FrozenModel):
    """A legal instrument that mandates rows cite."""

    id: _Slug
    short: _Text
    title: _Text
    kind: InstrumentKind
    number: _Text
    year: Annotated[int, Field(ge=1945, le=2100)]


class Mandate(FrozenModel):
    """Who should provide which service to which cohort type, under which article, and how the article binds.

    An agency is responsible under the mandate when its kind is one of
    ``agency_kinds`` (if any are given), its level one of ``levels`` (if any),
    and -- when ``actor_match`` is given -- one of its names, or those of an
    organisation it is part of, contains one of those phrases as whole words.

    The mandate applies to a cohort in a region when the cohort's type is one
    of ``cohort_types``, the region is where ``applies_where`` says (``abroad``:
    in a country other than Indonesia), and the cohort's presence there is one
    of ``applies_to_presence`` (if any are given).
    """

    id: _Slug
    instrument: _Slug
    article: _Text
    phrasing: Phrasing = "duty"
    duty: ServiceType
    cohort_types: tuple[CohortType, ...] = Field(min_length=1)
    responsible: _Text
    agency_kinds: tuple[AgencyKind, ...] = ()
    levels: tuple[AdminLevel, ...] = ()
    actor: _Text | None = None
    actor_match: tuple[_Text, ...] = ()
    obligation: _Text | None = None
    not_recorded: _Text | None = None
    applies_where: Where = "anywhere"
    applies_to_presence: tuple[Presence, ...] = ()
    citation: _Text
    verified: bool
    verification_note: _Text
    checked_sources: tuple[_Text, ...] = ()

    @model_validator(mode="after")
    def _says_who(self) -> Mandate:
        if not self.agency_kinds and not self.actor_match:
            raise ValueError("a mandate names agency_kinds, an actor (actor_match), or both")
        if bool(self.actor) != bool(self.actor_match):
            raise ValueError("actor and actor_match go together")
        return self

    @property
    def binding(self) -> bool:
        """Whether the article imposes the duty (``phrasing == "duty"``): only then is a gap an unmet obligation."""
        return self.phrasing in BINDING_PHRASINGS

    @property
    def yields_gaps(self) -> bool:
        """Whether the row can yield a gap at all (a cooperation row cannot: the article binds nobody)."""
        return self.phrasing not in _NO_GAP_PHRASINGS

    @property
    def asks(self) -> str:
        """What the article asks of the actor, as a verb phrase ("determine the shelter site ...")."""
        return self.obligation or f"provide {self.duty.value}"

    @property
    def evidence_sought(self) -> str:
        """What the sources would have to show for the mandate to be met, as a noun phrase."""
        return self.not_recorded or f"{self.duty.value} delivered"

    def matches_names(self, names: list[str]) -> bool:
        """Whether any folded name contains one of ``actor_match`` as whole words."""
        patterns = [fold_name(p) for p in self.actor_match]
        return any(f" {p} " in f" {n} " for p in patterns for n in names)


class MandateSet(FrozenModel):
    """The instruments and the mandates citing them."""

    instruments: tuple[MandateInstrument, ...]
    mandates: tuple[Mandate, ...]

    @model_validator(mode="after")
    def _consistent(self) -> MandateSet:
        ids = [i.id for i in self.instruments]
        if len(ids) != len(set(ids)):
            raise ValueError("duplicate instrument id")
        mids = [m.id for m in self.mandates]
        dupes = sorted({m for m in mids if mids.count(m) > 1})
        if dupes:
            raise ValueError(f"duplicate mandate id(s): {', '.join(dupes)}")
        unknown = sorted({m.instrument for m in self.mandates} - set(ids))
        if unknown:
            raise ValueError(f"mandates cite unknown instrument(s): {', '.join(unknown)}")
        return self

    def instrument(self, instrument_id: str) -> MandateInstrument:
        """The instrument of that id (``StopIteration`` when there is none)."""
        return next(i for i in self.instruments if i.id == instrument_id)

    def for_cohort_type(self, cohort_type: str) -> list[Mandate]:
        """The mandates that apply to cohorts of one type."""
        return [m for m in self.mandates if cohort_type in m.cohort_types]


def parse_mandates(data: Mapping[str, Any]) -> MandateSet:
    """Validate a mandates mapping (``{"instruments": [...], "mandates": [...]}``).

    The mapping is the content of a mandates YAML file such as
    ``graphmodel/data/mandates.yaml``: every instrument once, every mandate
    row citing one of them. Fields are strict: an unknown field, an unknown
    service, cohort type, agency kind or level, a duplicate id or a row
    citing no listed instrument is an error.

    Parameters
    ----------
    data : mapping
        ``instruments``: each with ``id``, ``short``, ``title``, ``kind``,
        ``number``, ``year``; ``mandates``: the rows of :class:`Mandate`.

    Returns
    -------
    MandateSet
        The instruments and the mandates, validated.

    Raises
    ------
    pydantic.ValidationError
        Listing every problem (``errors()`` gives each field's location).

    See Also
    --------
    load_mandates : the mandates the package ships.
    mandates_table : the mandates as a table.

    References
    ----------
    .. [1] The project's ``docs/mandates.md``, "What a mandate row says" and
       "How an article binds (phrasing)".
    .. [2] Pydantic, ``BaseModel.model_validate`` (strict models: unknown
       fields are forbidden).

    Examples
    --------
    >>> data = {
    ...     "instruments": [{"id": "perpres-125-2016", "short": "Perpres 125/2016", "kind": "presidential_regulation",
    ...                      "title": "Penanganan Pengungsi dari Luar Negeri", "number": "125", "year": 2016}],
    ...     "mandates": [{"id": "shelter-regency-city", "instrument": "perpres-125-2016", "article": "Pasal 26",
    ...                   "duty": "shelter", "cohort_types": ["foreign_refugees"], "responsible": "the regency/city",
    ...                   "agency_kinds": ["regional_government"], "levels": ["regency_city"], "citation": "...",
    ...                   "verified": False, "verification_note": "an example"}],
    ... }
    >>> ms = parse_mandates(data)
    >>> ms.mandates[0].binding, ms.instrument("perpres-125-2016").short
    (True, 'Perpres 125/2016')

    A misspelt field is an error, not a field ignored:

    >>> import pydantic
    >>> try:
    ...     parse_mandates({**data, "mandates": [{**data["mandates"][0], "dutty": "shelter"}]})
    ... except pydantic.ValidationError as exc:
    ...     [(e["loc"], e["type"]) for e in exc.errors()]
    [(('mandates', 0, 'dutty'), 'extra_forbidden')]
    """
    return MandateSet.model_validate(data)


@lru_cache(maxsize=1)
def load_mandates() -> MandateSet:
    """The mandates shipped in ``graphmodel/data/mandates.yaml``.

    Read once and kept (the result is immutable): each row with its
    instrument, article, how the article binds (``phrasing``), the citation
    and whether its wording was verified in a copy of the text.

    Returns
    -------
    MandateSet
        The shipped instruments and mandates.

    See Also
    --------
    parse_mandates : the same validation, for a mapping of one's own.
    mandates_table : the mandates as a table.
    mandate_gaps : where the graph does not show a mandated actor acting.

    References
    ----------
    .. [1] Peraturan Presiden No. 125 Tahun 2016 tentang Penanganan Pengungsi
       dari Luar Negeri.
    .. [2] Undang-Undang No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran
       Indonesia; Peraturan Pemerintah No. 59 Tahun 2021.
    .. [3] Undang-Undang No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana
       Perdagangan Orang; Perpres 69/2008 as amended by Perpres 22/2021 and
       Perpres 49/2023.
    .. [4] Surat Edaran Menteri Dalam Negeri 300/2308/SJ (11 March 2020): the
       local refugee task force.
    .. [5] The project's ``docs/mandates.md``: every row, its article and how
       it was checked.

    Examples
    --------
    >>> ms = load_mandates()
    >>> m = next(m for m in ms.mandates if m.id == "perpres125-status-determination-unhcr")
    >>> (m.actor, m.duty.value, m.article, m.phrasing, m.verified)
    ('UNHCR', 'status_determination', 'Pasal 1 angka 1', 'definition', True)
    """
    text = (resources.files("graphmodel") / "data" / "mandates.yaml").read_text(encoding="utf-8")
    return parse_mandates(yaml.safe_load(text))


def mandates_table(mandates: MandateSet | None = None) -> pd.DataFrame:
    """The mandates as a table (one row per mandate, with its instrument's short name).

    Parameters
    ----------
    mandates : MandateSet, optional
        The mandates to list (default: :func:`load_mandates`).

    Returns
    -------
    pandas.DataFrame
        One row per mandate, in file order: ``id``, ``instrument`` (short
        name), ``article``, ``phrasing``, ``duty``, ``obligation``,
        ``cohort_types``, ``applies_where``, ``applies_to_presence``,
        ``responsible``, ``agency_kinds``, ``levels``, ``actor``,
        ``verified``, ``verification_note`` and ``citation`` (lists joined
        with ", ").

    See Also
    --------
    load_mandates, parse_mandates

    References
    ----------
    .. [1] The project's ``docs/mandates.md``, "The instruments and their
       rows": the same rows, explained for analysts.

    Examples
    --------
    >>> t = mandates_table()
    >>> t.loc[0, ["id", "instrument", "article", "phrasing"]].tolist()
    ['perpres125-status-determination-unhcr', 'Perpres 125/2016', 'Pasal 1 angka 1', 'definition']
    """
    ms = mandates or load_mandates()
    rows = []
    for m in ms.mandates:
        rows.append(
            {
                "id": m.id,
                "instrument": ms.instrument(m.instrument).short,
                "article": m.article,
                "phrasing": m.phrasing,
                "duty": m.duty.value,
                "obligation": m.asks,
                "cohort_types": ", ".join(c.value for c in m.cohort_types),
                "applies_where": m.applies_where,
                "applies_to_presence": ", ".join(p.value for p in m.applies_to_presence),
                "responsible": m.responsible,
                "agency_kinds": ", ".join(k.value for k in m.agency_kinds),
                "levels": ", ".join(lv.value for lv in m.levels),
                "actor": m.actor or "",
                "verified": m.verified,
                "verification_note": m.verification_note,
                "citation": m.citation,
            }
        )
    return pd.DataFrame(rows)
