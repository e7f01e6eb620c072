"""Mandates as data, and mandate gaps: where the law expects an actor the graph does not show acting.

=========  ======================================================================
module     what it holds
=========  ======================================================================
``law``    the instruments and the mandates their articles set
           (:class:`Mandate`, :func:`load_mandates`, :func:`mandates_table`)
``gaps``   whom a mandate names and where it applies, and the gaps
           (:func:`responsible_agencies`, :func:`applies`, :func:`mandate_gaps`)
=========  ======================================================================

A *mandate* says that, under a legal instrument's article, agencies of some
kind at some administrative level (or one named actor, such as UNHCR) must
provide a service (a :class:`~graphmodel.model.schema.ServiceType` duty) to migrants
of a cohort type. The package ships them in ``graphmodel/data/mandates.yaml``,
each with its citation, how the article binds (``phrasing``) and an honest
``verified`` flag; ``docs/mandates.md`` explains them to analysts.

A *mandate gap* is a cohort present in a region, a mandate for its type that
applies there, and no matching agency with jurisdiction over that region
recorded delivering *the mandated service* to the cohort. Planned or hoped
activity never meets a mandate: it is carried beside the gap (``pending``).

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

from graphmodel.analytics.mandates.gaps import (
    MandateGap,
    ResponsibleAgencies,
    applies,
    mandate_gaps,
    responsible_agencies,
)
from graphmodel.analytics.mandates.law import (
    BINDING_PHRASINGS,
    Mandate,
    MandateInstrument,
    MandateSet,
    Phrasing,
    load_mandates,
    mandates_table,
    parse_mandates,
)

__all__ = [
    "BINDING_PHRASINGS",
    "ResponsibleAgencies",
    "Mandate",
    "MandateGap",
    "MandateInstrument",
    "MandateSet",
    "Phrasing",
    "applies",
    "parse_mandates",
    "load_mandates",
    "mandate_gaps",
    "mandates_table",
    "responsible_agencies",
]
