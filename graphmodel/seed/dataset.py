"""What :func:`~graphmodel.seed.load_seed` returns and hands on: the :class:`Dataset`, record :class:`Origin` s, the :class:`RecordSink`."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphmodel.model.schema import AnyNode, AnyRel, NationalityTerm, NodeLabel
from graphmodel.util.text import fold_name

__all__ = ["Dataset", "Origin", "RecordSink"]


@dataclass(frozen=True, slots=True)  # one per record: millions in a national seed
class Origin:
    """Where a record was read: seed-relative file name and 1-based line."""

    file: str
    line: int


@dataclass
class Dataset:
    """A validated seed: nodes by id, relationships, vocabularies and the source texts."""

    nodes: dict[str, AnyNode]
    relationships: list[AnyRel]
    nationalities: list[NationalityTerm] = field(default_factory=list)
    source_texts: dict[str, str] = field(default_factory=dict, repr=False)
    origins: dict[Any, Origin] = field(default_factory=dict, repr=False)
    """Where each node (by id) and relationship (by :func:`rel_key`) was read."""

    def by_label(self, label: NodeLabel | str) -> list[AnyNode]:
        """Nodes of one type, in seed order."""
        return [n for n in self.nodes.values() if n.label == label]

    def counts(self) -> dict[str, Counter]:
        """Counts of nodes by label and of relationships by type."""
        return {
            "nodes": Counter(n.label for n in self.nodes.values()),
            "relationships": Counter(r.type for r in self.relationships),
        }

    def resolve(self, mention: str) -> str:
        """The id of the node a mention names (name, alias, acronym or id), case and punctuation folded.

        Raises ``KeyError`` when nothing matches and ``LookupError`` (with the
        candidates) when the mention is ambiguous.

        >>> ds = Dataset(nodes={}, relationships=[])
        >>> ds.resolve("IOM")
        Traceback (most recent call last):
        ...
        KeyError: "no node is called 'IOM'"
        """
        candidates = self.candidates(mention)
        if not candidates:
            raise KeyError(f"no node is called {mention!r}")
        if len(candidates) > 1:
            raise LookupError(f"{mention!r} is ambiguous: {', '.join(sorted(candidates))}")
        return next(iter(candidates))

    def candidates(self, mention: str) -> set[str]:
        """Every node id whose name, alias, acronym or id folds to the same text as ``mention``."""
        return set(self._alias_index().get(fold_name(mention), ()))

    def _alias_index(self) -> dict[str, set[str]]:
        cached = self.__dict__.get("_aliases")
        if cached is None:
            cached = defaultdict(set)
            for node in self.nodes.values():
                for name in (node.id, node.name, *node.aliases, getattr(node, "acronym", None)):
                    if name:
                        cached[fold_name(name)].add(node.id)
            self.__dict__["_aliases"] = cached
        return cached

    def nationality(self, spelling: str) -> str:
        """The canonical nationality for a spelling found in a source ("Etophia" -> "Ethiopia")."""
        key = fold_name(spelling)
        for term in self.nationalities:
            if key in {fold_name(term.name), *(fold_name(a) for a in term.aliases)}:
                return term.name
        raise KeyError(f"no nationality is spelt {spelling!r}")



class RecordSink(Protocol):
    """Where :func:`load_seed` hands the records as they pass, instead of keeping the relationships.

    ``nodes`` is called once, with every node by id in seed order, before the
    first relationship; ``relationship`` then once per relationship that passed
    every check, in seed order. A seed with problems still raises at the end,
    so whatever the sink built from it must be dropped then.
    """

    def nodes(self, nodes: Mapping[str, AnyNode]) -> None:
        """Take every node of the seed, by id in seed order."""
        ...

    def relationship(self, rel: AnyRel) -> None:
        """Take one relationship that passed every check."""
        ...
