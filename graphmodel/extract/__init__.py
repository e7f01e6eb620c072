"""Rule-based extraction of seed records from Indonesian news articles, for review before merging.

Offline: a blank spaCy Indonesian tokeniser with a span ruler built from the
seed, the shipped Kemendagri region list and a short list of organisations;
Indonesian date, number and money rules; entity resolution against the seed
(near matches are flagged, never merged). See docs/extraction.md for the
reviewer's workflow (``graphmodel extract`` -> ``review`` -> ``merge``).

Modules: ``articles`` (reading input), ``gazetteer``, ``rules`` (mentions),
``dates``, ``numbers``, ``resolve`` (resolution, PMI), ``records`` (proposed
records and relationships), ``extractor``, ``draft`` (draft folders, merge),
``review``, ``evaluate``.
"""

from graphmodel.extract.errors import ArticleError, DraftError, ExtractionError, ReviewError

__all__ = ["ArticleError", "DraftError", "ExtractionError", "ReviewError"]
