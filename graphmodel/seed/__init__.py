"""Seed files -> a validated :class:`Dataset` (see :func:`load_seed`).

Modules: :mod:`~graphmodel.seed.loader` (:func:`load_seed`), :mod:`~graphmodel.seed.dataset` (what it returns),
:mod:`~graphmodel.seed.records` (files and records), :mod:`~graphmodel.seed.sources` (source documents),
:mod:`~graphmodel.seed.checks` (checks across records), :mod:`~graphmodel.seed.yamlfile` (YAML with line numbers).
"""

from graphmodel.seed.dataset import Dataset, Origin, RecordSink
from graphmodel.seed.loader import load_seed
from graphmodel.seed.records import NODE_FILES

__all__ = ["Dataset", "NODE_FILES", "Origin", "RecordSink", "load_seed"]
