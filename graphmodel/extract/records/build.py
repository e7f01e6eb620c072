"""One article's mentions in, its proposed records out: the record builders run in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphmodel.extract.articles import Article
from graphmodel.extract.gazetteer import Gazetteer
from graphmodel.extract.mentions import Mentions
from graphmodel.extract.records.agencies import propose_agencies, propose_agency_relationships
from graphmodel.extract.records.builder import DocumentBuilder
from graphmodel.extract.records.cohorts import propose_cohorts
from graphmodel.extract.records.document import DocumentExtraction, FreshIds
from graphmodel.extract.records.facilities import propose_facilities
from graphmodel.extract.records.instruments import propose_instruments
from graphmodel.extract.records.meetings import propose_meetings
from graphmodel.extract.records.programmes import propose_programmes
from graphmodel.extract.records.regions import propose_regions
from graphmodel.extract.records.services import propose_cooperation, propose_services

if TYPE_CHECKING:  # pragma: no cover
    from graphmodel.seed import Dataset

__all__ = ["build_document"]


def build_document(article: Article, mentions: Mentions, dataset: Dataset | None, gaz: Gazetteer, *,
                   source_id: str, source_match: str | None, ids: FreshIds) -> DocumentExtraction:
    """Turn one article's mentions into proposed records and relationships.

    Each family of records reads what the ones before it found: agencies
    attach to regions, cohorts to both, facilities and programmes to
    cohorts, meetings to all of them.

    Parameters
    ----------
    article : Article
        The article read.
    mentions : Mentions
        What :func:`~graphmodel.extract.rules.find_mentions` found in its text.
    dataset : Dataset or None
        The seed the records attach to (None: every record is new).
    gaz : Gazetteer
        The gazetteer the mentions were found with.
    source_id : str
        The id the records' evidence cites.
    source_match : str or None
        The seed source the article already is, if any.
    ids : FreshIds
        Fresh ids, shared by the documents of one run.

    Returns
    -------
    DocumentExtraction
        The proposed node records and relationships, and the agencies named.

    See Also
    --------
    graphmodel.extract.extractor.extract_articles : reads articles and calls this for each.
    """
    b = DocumentBuilder(article, mentions, dataset, gaz, source_id, source_match, ids)
    propose_regions(b)
    propose_agencies(b)
    propose_agency_relationships(b)
    propose_instruments(b)
    propose_cohorts(b)
    propose_facilities(b)
    propose_programmes(b)
    propose_meetings(b)
    propose_cooperation(b)
    propose_services(b)
    return DocumentExtraction(b.article, b.src, b.source_match, b.m, b.entities, b.records,
                              list(b.rels.values()), b.reference_date)
