"""Referral pathway templates: the ordered services a cohort of one type needs (``data/pathways.yaml``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from pydantic import Field, model_validator

from graphmodel.model.base import FrozenModel
from graphmodel.model.schema import CohortType, ServiceType

__all__ = ["PathwayTemplate", "PathwayTemplates", "load_pathways", "parse_pathways"]


class PathwayTemplate(FrozenModel):
    """The ordered services a cohort of one type needs.

    A step is a :class:`~graphmodel.model.schema.ServiceType`; where the step means
    something narrower than the service's name (screening for trafficking is
    an ``identification_registration`` step), the template gives it a
    ``label``. In YAML a step is either the service or a mapping
    ``{service: ..., label: ...}``.

    >>> t = PathwayTemplate.model_validate({"cohort_type": "non_procedural_migrant_workers", "basis": "t",
    ...     "steps": ["prevention_awareness", {"service": "law_enforcement", "label": "referral to investigation"}]})
    >>> [s.value for s in t.steps], t.label("law_enforcement"), t.label("prevention_awareness")
    (['prevention_awareness', 'law_enforcement'], 'referral to investigation', 'prevention awareness')
    """

    cohort_type: CohortType
    steps: tuple[ServiceType, ...] = Field(min_length=1)
    labels: dict[ServiceType, str] = Field(default_factory=dict)
    basis: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _labelled_steps(cls, data: Any) -> Any:
        # a step written as {service, label}: the service goes to steps, the label to labels
        if not isinstance(data, Mapping) or not isinstance(data.get("steps"), (list, tuple)):
            return data
        if not any(isinstance(s, Mapping) for s in data["steps"]):
            return data
        steps, labels = [], dict(data.get("labels") or {})
        for s in data["steps"]:
            if isinstance(s, Mapping):
                if set(s) - {"service", "label"} or "service" not in s:
                    raise ValueError(f"a step is a service or {{service, label}}, got {dict(s)!r}")
                steps.append(s["service"])
                if s.get("label"):
                    labels[s["service"]] = s["label"]
            else:
                steps.append(s)
        return {**data, "steps": steps, "labels": labels}

    @model_validator(mode="after")
    def _unique_steps(self) -> PathwayTemplate:
        if len(set(self.steps)) != len(self.steps):
            raise ValueError("a service appears twice in the pathway")
        stray = set(self.labels) - set(self.steps)
        if stray:
            raise ValueError(f"labels for services that are not steps: {', '.join(sorted(stray))}")
        return self

    def label(self, service: str) -> str:
        """What the step of ``service`` is called: its label, else the service's name in words."""
        return self.labels.get(ServiceType(service), str(service).replace("_", " "))


class PathwayTemplates(FrozenModel):
    """The pathway templates, at most one per cohort type (``data/pathways.yaml``: ``{"templates": [...]}``).

    See Also
    --------
    load_pathways, parse_pathways
    """

    templates: tuple[PathwayTemplate, ...]

    @model_validator(mode="after")
    def _one_per_type(self) -> PathwayTemplates:
        types = [t.cohort_type for t in self.templates]
        if len(types) != len(set(types)):
            raise ValueError("more than one template for a cohort type")
        return self

    def for_cohort_type(self, cohort_type: str) -> PathwayTemplate | None:
        """The template of one cohort type (None when there is none)."""
        return next((t for t in self.templates if t.cohort_type == cohort_type), None)


def parse_pathways(data: Mapping[str, Any]) -> PathwayTemplates:
    """Validate a templates mapping (``{"templates": [...]}``); raises ``pydantic.ValidationError``.

    The mapping is the content of a templates YAML file such as
    ``graphmodel/data/pathways.yaml``: per cohort type, its ordered steps
    (services, or ``{service, label}``) and the ``basis`` they follow. A
    service twice in one template, a label for a service that is no step or
    two templates for one cohort type is an error.

    Parameters
    ----------
    data : mapping
        ``templates``: each with ``cohort_type``, ``basis`` and ``steps``.

    Returns
    -------
    PathwayTemplates
        The templates, validated.

    Raises
    ------
    pydantic.ValidationError
        Listing every problem.

    See Also
    --------
    load_pathways : the templates the package ships.
    referral_pathways : a cohort's pathway through its template.

    References
    ----------
    .. [1] The project's ``docs/pathways.md``, "Steps": where the templates
       come from and what their order means.
    .. [2] Pydantic, ``BaseModel.model_validate``.

    Examples
    --------
    >>> tp = parse_pathways({"templates": [{"cohort_type": "foreign_refugees", "basis": "Perpres 125/2016",
    ...                                     "steps": ["identification_registration", "shelter"]}]})
    >>> [s.value for s in tp.for_cohort_type("foreign_refugees").steps]
    ['identification_registration', 'shelter']
    >>> import pydantic
    >>> try:
    ...     parse_pathways({"templates": [{"cohort_type": "foreign_refugees", "basis": "b", "steps": ["shelter", "shelter"]}]})
    ... except pydantic.ValidationError as exc:
    ...     [e["msg"] for e in exc.errors()]
    ['Value error, a service appears twice in the pathway']
    """
    return PathwayTemplates.model_validate(data)


@lru_cache(maxsize=1)
def load_pathways() -> PathwayTemplates:
    """The referral pathway templates shipped in ``graphmodel/data/pathways.yaml``.

    Read once and kept (the result is immutable). Each template cites its
    legal basis; the order of its steps is a planning aid, not a legal
    requirement.

    Returns
    -------
    PathwayTemplates
        One template per cohort type that has one.

    See Also
    --------
    parse_pathways : the same validation, for a mapping of one's own.
    referral_pathways, coverage_gaps : the analytics that read the templates.

    References
    ----------
    .. [1] Peraturan Presiden No. 125 Tahun 2016 tentang Penanganan Pengungsi
       dari Luar Negeri (the stages of the refugee template).
    .. [2] Undang-Undang No. 21 Tahun 2007 tentang Pemberantasan Tindak Pidana
       Perdagangan Orang (screening for trafficking, referral to
       investigation; the victims' rights to rehabilitation and return).
    .. [3] Undang-Undang No. 18 Tahun 2017 tentang Pelindungan Pekerja Migran
       Indonesia; Peraturan Pemerintah No. 59 Tahun 2021, Pasal 21-22.
    .. [4] The project's ``docs/pathways.md``, "Steps".

    Examples
    --------
    >>> [s.value for s in load_pathways().for_cohort_type("foreign_refugees").steps][:2]
    ['identification_registration', 'status_determination']
    """
    text = (resources.files("graphmodel") / "data" / "pathways.yaml").read_text(encoding="utf-8")
    return parse_pathways(yaml.safe_load(text))
