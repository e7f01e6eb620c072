"""The one base of every record model: frozen, strict about unknown fields, whitespace stripped."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["FrozenModel"]


class FrozenModel(BaseModel):
    """A pydantic model that is frozen and refuses unknown fields (``extra="forbid"``).

    Records come from files a person typed: a misspelt field must be an error,
    not a silently ignored value, and a record once validated never changes.
    Leading and trailing whitespace of strings is stripped. Subclasses add to
    this configuration (pydantic merges ``model_config``), never restate it.

    Examples
    --------
    >>> class Term(FrozenModel):
    ...     name: str
    >>> Term(name=" IOM ").name
    'IOM'
    >>> from pydantic import ValidationError
    >>> try:
    ...     Term(name="IOM", nmae="typo")
    ... except ValidationError as exc:
    ...     print(exc.errors()[0]["type"], exc.errors()[0]["loc"])
    extra_forbidden ('nmae',)
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)
