"""From mentions to proposed seed records: nodes, relationships, their evidence and draft notes.

Each proposed record is a seed record (the fields of :mod:`graphmodel.model.schema`)
plus a ``draft`` mapping the reviewer reads and merge strips::

    draft:
      status: proposed        # proposed | accepted | rejected
      confidence: 0.85
      rule: agency:rudenim
      offsets: [412, 489]     # the first evidence quote in the source text
      mention: [430, 452]     # what the rule matched
      match: null             # an existing seed id this record attaches to
      note: ...

A record that matches an existing node keeps that node's id and name and
carries only new evidence (and new spellings as aliases): merge adds those to
the existing node and changes nothing else about it.

The builder's cost is linear in the article's length: mentions, sentences,
regions and dates are in text order, so "what lies in this sentence" is a
bisection, and what a meeting or a cohort needs of the others is indexed
once, not searched for each of them.

The builders, one module per family of records: :mod:`.regions`,
:mod:`.agencies`, :mod:`.instruments`, :mod:`.cohorts`, :mod:`.facilities`,
:mod:`.programmes`, :mod:`.meetings` and :mod:`.services` (cooperation and
services), each a function of the :class:`~.builder.DocumentBuilder` they
share; :func:`build_document` runs them in order.
"""

from graphmodel.extract.records.build import build_document
from graphmodel.extract.records.document import NODE_FILE_OF, AgencyEntity, DocumentExtraction, DraftRecord, FreshIds

__all__ = ["DraftRecord", "DocumentExtraction", "build_document", "NODE_FILE_OF", "AgencyEntity", "FreshIds"]
