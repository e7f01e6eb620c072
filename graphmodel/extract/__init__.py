"""Rule-based extraction of seed records from Indonesian news articles, for review before merging.

Offline: a blank spaCy Indonesian tokeniser with a span ruler built from the
seed, the shipped Kemendagri region list and a short list of organisations;
Indonesian date, number and money rules; entity resolution against the seed
(near matches are flagged, never merged). See docs/extraction.md for the
reviewer's workflow (``graphmodel extract`` -> ``review`` -> ``merge``).

Modules, in the order an article goes through them: ``articles`` (reading
input), ``gazetteer``, ``rules`` (every rule over a text; ``mentions`` holds
what they find, ``agency_names`` and ``agency_words`` the agency-name
patterns), ``dates``, ``numbers``, ``resolve`` (resolution, PMI),
``records/`` (proposed records and relationships, one module per family),
``extractor``, ``draft/`` (draft folders: write, read, merge), ``review``,
``evaluate``.
"""

from graphmodel.extract.errors import ArticleError, DraftError, ExtractionError, ReviewError

__all__ = ["ArticleError", "DraftError", "ExtractionError", "ReviewError"]
