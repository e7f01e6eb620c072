"""Seed files -> a validated :class:`Dataset` (see :func:`load_seed`)."""

from graphmodel.seed.loader import NODE_FILES, Dataset, Origin, RecordSink, load_seed

__all__ = ["Dataset", "NODE_FILES", "Origin", "RecordSink", "load_seed"]
