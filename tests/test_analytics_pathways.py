"""Referral pathways: providers per step, best chains, robustness, gaps.

Costs are computed by hand with the documented formula: a tied hand-off costs
``1 / (w * 0.5 ** (age / 5))`` (w = tie weight, age in 365.25-day years
before ``as_of``), the same provider continuing costs 0, an untied hand-off
costs BROKEN_HANDOFF_COST.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from graphmodel.analytics import (
    BROKEN_HANDOFF_COST,
    all_referral_pathways,
    load_pathways,
    parse_pathways,
    referral_pathways,
)
from graphmodel.analytics.pathways import cohort_as_of
from graphmodel.errors import AnalyticsError

SEED = Path(__file__).resolve().parents[1] / "seed"
AS_OF = dt.date(2024, 1, 1)


class Builder:
    def __init__(self) -> None:
        self.G = nx.MultiDiGraph()

    def node(self, n: str, label: str, **attrs) -> Builder:
        self.G.add_node(n, id=n, label=label, name=attrs.pop("name", n), **attrs)
        return self

    def agency(self, n: str, level: str = "regency_city") -> Builder:
        return self.node(n, "Agency", name=n, kind="other", level=level)

    def edge(self, u: str, v: str, rtype: str, qualifier: str = "", **attrs) -> Builder:
        key = f"{rtype}:{qualifier}" if qualifier else rtype
        self.G.add_edge(u, v, key=key, type=rtype, evidence=[{"source": "src-t", "quote": f"{u} {rtype} {v}"}], **attrs)
        return self

    def serves(self, agency: str, service: str) -> Builder:
        return self.edge(agency, "victims", "SERVES", qualifier=service, service=service)

    def meeting(self, mid: str, day: dt.date, *agencies: str) -> Builder:
        self.node(mid, "Meeting", date=day)
        for a in agencies:
            self.edge(a, mid, "ATTENDED")
        return self


def victims_in_town(*agencies: str) -> Builder:
    """A city R hosting the cohort "victims" (trafficking victims), and national agencies (nationwide jurisdiction)."""
    b = Builder()
    b.node("R", "Region", kind="city")
    b.node("victims", "MigrantCohort", name="Victims", cohort_type="trafficking_victims")
    b.edge("R", "victims", "HOSTS_COHORT")
    for a in agencies:
        b.agency(a, level="national")
    return b


def recency_cost(day: dt.date, weight: float = 1.0) -> float:
    age = (AS_OF - day).days / 365.25
    return 1 / (weight * 0.5 ** (age / 5))


TEMPLATES = parse_pathways({"templates": [{
    "cohort_type": "trafficking_victims",
    "steps": ["shelter", "health", "legal_aid_documentation", "safe_return"],
    "basis": "test",
}]})


def town() -> Builder:
    """Victims in city R. Shelter: A, B. Health: H. Legal aid: nobody. Return: A, T.
    Ties: A-H met 2024-01-01 (age 0); B-H met 2014-01-01 (~10 y); H-T cooperated 2019-01-01 (~5 y)."""
    b = Builder()
    b.node("R", "Region", kind="city")
    b.node("victims", "MigrantCohort", name="Victims in R", cohort_type="trafficking_victims")
    b.edge("R", "victims", "HOSTS_COHORT")
    for a in "ABHT":
        b.agency(a).edge(a, "R", "HAS_JURISDICTION")
    b.serves("A", "shelter").serves("B", "shelter").serves("H", "health").serves("A", "safe_return").serves("T", "safe_return")
    b.meeting("m1", dt.date(2024, 1, 1), "A", "H").meeting("m2", dt.date(2014, 1, 1), "B", "H")
    b.edge("H", "T", "COOPERATES_WITH", last_seen=dt.date(2019, 1, 1))
    return b


def test_best_chains_by_hand():
    r = referral_pathways(town().G, "victims", k=3, templates=TEMPLATES, as_of=AS_OF)
    # Layers: shelter {A, B} -> health {H} -> (legal aid missing, skipped) -> return {A, T}.
    # Chains and costs:
    #   A -> H -> A : cost(A-H, age 0) = 1           + cost(H-A) = 1          = 2
    #   A -> H -> T : 1 + cost(H-T, 2019-01-01)                                ~ 1 + 2.0
    #   B -> H -> A : cost(B-H, 2014-01-01) ~ 4.0 + 1                          ~ 5.0
    #   B -> H -> T : ~ 4.0 + ~ 2.0                                             ~ 6.0
    expected = [
        ((("shelter", "A"), ("health", "H"), ("safe_return", "A")), 2.0),
        ((("shelter", "A"), ("health", "H"), ("safe_return", "T")), 1 + recency_cost(dt.date(2019, 1, 1))),
        ((("shelter", "B"), ("health", "H"), ("safe_return", "A")), recency_cost(dt.date(2014, 1, 1)) + 1),
    ]
    assert [(c.steps, c.cost) for c in r.alternatives] == [(s, pytest.approx(c, rel=1e-6)) for s, c in expected]
    assert r.best == r.alternatives[0] and r.best.broken == 0
    assert [h.kind for h in r.best.handoffs] == ["tied", "tied"]
    assert r.best.handoffs[0].last_contact == dt.date(2024, 1, 1)


def test_robustness_and_critical_provider_by_hand():
    r = referral_pathways(town().G, "victims", k=3, templates=TEMPLATES, as_of=AS_OF)
    # Every chain passes the single health provider H: at most 1 node-disjoint chain, and H is critical.
    assert r.disjoint_chains == 1 and r.critical_providers == ("H",)
    # Give health a second provider G tied to B and T: chains A-H-A and B-G-T share no node -> 2.
    b = town()
    b.agency("G").edge("G", "R", "HAS_JURISDICTION").serves("G", "health")
    b.meeting("m3", dt.date(2023, 6, 1), "B", "G", "T")
    r2 = referral_pathways(b.G, "victims", templates=TEMPLATES, as_of=AS_OF)
    assert r2.disjoint_chains == 2 and r2.critical_providers == ()


def test_missing_step_is_skipped_and_reported():
    r = referral_pathways(town().G, "victims", templates=TEMPLATES, as_of=AS_OF)
    missing = [g for g in r.gaps if g.kind == "missing_step"]
    assert [g.service for g in missing] == ["legal_aid_documentation"]
    assert [sp.service for sp in r.providers if not sp.providers] == ["legal_aid_documentation"]
    # the hand-off bridges the gap: health -> safe_return
    assert (r.best.handoffs[1].from_service, r.best.handoffs[1].to_service) == ("health", "safe_return")
    assert "1 step has no recorded provider (legal_aid_documentation)" in r.explanation


def test_broken_handoff_when_no_tie_exists():
    b = victims_in_town("X", "Y")
    b.serves("X", "shelter").serves("Y", "health")
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": ["shelter", "health"], "basis": "t"}]})
    r = referral_pathways(b.G, "victims", templates=tpl, as_of=AS_OF)
    # One chain X -> Y with an untied hand-off: cost 100, no intact chain.
    assert r.best.steps == (("shelter", "X"), ("health", "Y")) and r.best.cost == BROKEN_HANDOFF_COST
    assert r.best.broken == 1 and r.disjoint_chains == 0
    broken = [g for g in r.gaps if g.kind == "broken_handoff"]
    assert [(g.service, g.agencies) for g in broken] == [("shelter -> health", ("X", "Y"))]
    assert {e.quote for e in broken[0].evidence} == {"X SERVES victims", "Y SERVES victims"}
    # X and Y share a programme: the hand-off is tied (an undated tie counts as one half-life old: cost 2)
    b.node("p", "Programme", services=["health"]).edge("X", "p", "FUNDS").edge("Y", "p", "IMPLEMENTS")
    r2 = referral_pathways(b.G, "victims", templates=tpl, as_of=AS_OF)
    assert r2.best.broken == 0 and r2.best.cost == pytest.approx(2.0) and r2.disjoint_chains == 1


def test_providers_need_jurisdiction_over_the_cohorts_region():
    b = town()
    b.node("elsewhere", "Region", kind="city")
    b.agency("Z").edge("Z", "elsewhere", "HAS_JURISDICTION").serves("Z", "legal_aid_documentation")
    r = referral_pathways(b.G, "victims", templates=TEMPLATES, as_of=AS_OF)
    legal = next(sp for sp in r.providers if sp.service == "legal_aid_documentation")
    assert legal.providers == () and legal.outside_jurisdiction == ("Z",)
    assert "without recorded jurisdiction" in next(g for g in r.gaps if g.kind == "missing_step").explanation


def test_to_frame_lays_chains_out_step_by_step():
    frame = referral_pathways(town().G, "victims", k=2, templates=TEMPLATES, as_of=AS_OF).to_frame()
    assert frame[frame["rank"] == 1][["service", "agency", "handoff_in"]].values.tolist() == [
        ["shelter", "A", "start"], ["health", "H", "tied"], ["safe_return", "A", "tied"]]


def test_unknown_cohort_bad_k_and_missing_template():
    G = town().G
    with pytest.raises(AnalyticsError, match="cohort 'nobody' not in graph"):
        referral_pathways(G, "nobody")
    with pytest.raises(AnalyticsError, match="cohort 'R' not in graph"):
        referral_pathways(G, "R")  # a region, not a cohort
    with pytest.raises(AnalyticsError, match="k must be at least 1"):
        referral_pathways(G, "victims", k=0)
    other = parse_pathways({"templates": [{"cohort_type": "foreign_refugees", "steps": ["shelter"], "basis": "t"}]})
    with pytest.raises(AnalyticsError, match="no referral pathway template"):
        referral_pathways(G, "victims", templates=other)


def test_shipped_templates_cover_every_cohort_type():
    from graphmodel.model.schema import CohortType

    tpl = load_pathways()
    assert all(tpl.for_cohort_type(ct.value) for ct in CohortType)  # gender_based_violence_victims included
    assert [s.value for s in tpl.for_cohort_type("trafficking_victims").steps] == [
        "identification_registration", "shelter", "health", "psychosocial", "legal_aid_documentation",
        "safe_return", "reintegration_livelihoods"]


def test_refugee_pathway_has_immigration_supervision_after_shelter():
    # Perpres 125/2016's stages are discovery, shelter, security and immigration supervision (pengawasan
    # keimigrasian); src-002 attests the last: "pengungsi luar negeri yang berada di bawah pengawasan Rumah
    # Detensi Imigrasi Kupang". Security is a duty around the shelter, not a referral step.
    t = load_pathways().for_cohort_type("foreign_refugees")
    steps = [s.value for s in t.steps]
    assert steps.index("immigration_supervision") == steps.index("shelter") + 1
    assert "security" not in steps and "pengawasan keimigrasian" in t.basis
    assert t.label("immigration_supervision") == "immigration supervision (pengawasan keimigrasian)"


def test_non_procedural_worker_pathway_screens_for_trafficking_and_refers_to_investigation():
    # Issue 21: "the non-procedural worker pathway includes screening for trafficking and referral to
    # investigation" -- identification (screening) first, then law enforcement (UU 21/2007 Pasal 45 ayat 1:
    # police special service rooms examine victims), then legal aid, return and reintegration.
    t = load_pathways().for_cohort_type("non_procedural_migrant_workers")
    assert [s.value for s in t.steps] == ["prevention_awareness", "identification_registration", "law_enforcement",
                                          "legal_aid_documentation", "safe_return", "reintegration_livelihoods"]
    assert "trafficking" in t.label("identification_registration") and t.label("law_enforcement") == "referral to investigation"
    assert "Pasal 45" in t.basis and "Pasal 28" in t.basis


def test_gender_based_violence_pathway_rests_on_uu21_pasal_45_46():
    t = load_pathways().for_cohort_type("gender_based_violence_victims")
    steps = [s.value for s in t.steps]
    assert steps[0] == "identification_registration" and "law_enforcement" in steps and "psychosocial" in steps
    assert "Pasal 45" in t.basis and "Pasal 46" in t.basis


def test_template_labels_must_name_steps():
    with pytest.raises(ValueError, match="labels for services that are not steps: health"):
        parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": ["shelter"],
                                       "labels": {"health": "x"}, "basis": "t"}]})
    with pytest.raises(ValueError, match="a step is a service or"):
        parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": [{"label": "x"}], "basis": "t"}]})
    # a template read back from model_dump (labels as a mapping) is the same template
    t = load_pathways().for_cohort_type("non_procedural_migrant_workers")
    assert parse_pathways({"templates": [t.model_dump()]}).templates[0] == t


# --------------------------------------------------------------------------- missing steps, pending providers, own dates

FIVE_STEPS = parse_pathways({"templates": [{
    "cohort_type": "trafficking_victims",
    "steps": ["prevention_awareness", "identification_registration", "legal_aid_documentation", "safe_return",
              "reintegration_livelihoods"],
    "basis": "test",
}]})


def two_providers_three_steps() -> Builder:
    """The seed's NTB shape by hand: A and B each provide prevention, return and reintegration; nobody the other two steps."""
    b = victims_in_town("A", "B")
    for a in "AB":
        b.serves(a, "prevention_awareness").serves(a, "safe_return").serves(a, "reintegration_livelihoods")
    return b


def test_missing_steps_are_counted_and_the_chain_count_is_not_called_intact():
    r = referral_pathways(two_providers_three_steps().G, "victims", templates=FIVE_STEPS, as_of=AS_OF)
    # By hand: layers prevention {A, B} -> return {A, B} -> reintegration {A, B}; A -> A -> A and B -> B -> B are
    # same-provider chains sharing no node, so 2 node-disjoint chains over the 3 covered steps. Steps 2 and 5 of
    # the template (identification_registration, legal_aid_documentation) have nobody: 2 of 5 missing.
    assert r.disjoint_chains == 2
    assert (r.steps_total, r.steps_covered, r.steps_missing) == (5, 3, 2)
    assert r.missing_steps == ("identification_registration", "legal_aid_documentation")
    assert r.complete is False and r.complete_chains == 0  # no chain covers the whole pathway
    assert r.robustness == (
        "2 node-disjoint chains without a broken hand-off over 3 of 5 steps; 2 steps have no recorded provider "
        "(identification_registration, legal_aid_documentation), so no chain covers the whole pathway")
    assert r.robustness in r.explanation and "2 node-disjoint intact chains" not in r.explanation
    d = r.to_dict()  # what `graphmodel pathways --format json` prints
    assert (d["steps_total"], d["steps_missing"], d["complete_chains"], d["robustness"]) == (5, 2, 0, r.robustness)
    assert r.row()["steps"] == "3 of 5" and r.row()["steps_missing"] == 2


def test_a_complete_pathway_keeps_its_chain_count():
    # The same graph with a two-step template that both A and B cover: nothing missing, the 2 chains are whole.
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": ["prevention_awareness", "safe_return"],
                                         "basis": "t"}]})
    r = referral_pathways(two_providers_three_steps().G, "victims", templates=tpl, as_of=AS_OF)
    assert (r.steps_missing, r.disjoint_chains, r.complete_chains, r.complete) == (0, 2, 2, True)
    assert r.robustness == "2 node-disjoint chains without a broken hand-off over all 2 steps"


def test_no_provider_at_all_says_so():
    r = referral_pathways(victims_in_town().G, "victims", templates=FIVE_STEPS, as_of=AS_OF)
    assert (r.steps_covered, r.steps_missing, r.best, r.disjoint_chains) == (0, 5, None, 0)
    assert r.robustness == "no chain: none of the 5 steps has a recorded provider"


def test_a_planned_or_hoped_provider_does_not_fill_a_step_and_is_shown_as_pending():
    # town(): legal aid has no provider. P *plans* to give it (SERVES, status planned, in a source published
    # 2023-05-02) and Q is *hoped* to (a programme Q implements, whose TARGETS the cohort is hoped for; the weakest
    # link of the chain is what counts). Neither may fill the step (ActivityStatus: "Only reported (and, with lower
    # confidence, inferred) activity can close a coordination gap; planned and hoped activity is shown beside it").
    b = town()
    b.node("src-plan", "Source", published=dt.date(2023, 5, 2))
    b.agency("P").edge("P", "R", "HAS_JURISDICTION")
    b.G.add_edge("P", "victims", key="SERVES:legal_aid_documentation", type="SERVES", service="legal_aid_documentation",
                 status="planned", evidence=[{"source": "src-plan", "quote": "P akan memberikan bantuan hukum"}])
    b.agency("Q").edge("Q", "R", "HAS_JURISDICTION")
    b.node("prog", "Programme", services=["legal_aid_documentation"]).edge("Q", "prog", "IMPLEMENTS", status="reported")
    b.edge("prog", "victims", "TARGETS", status="hoped")
    before = referral_pathways(town().G, "victims", templates=TEMPLATES, as_of=AS_OF)
    r = referral_pathways(b.G, "victims", templates=TEMPLATES, as_of=AS_OF)
    legal = next(sp for sp in r.providers if sp.service == "legal_aid_documentation")
    assert legal.providers == () and r.missing_steps == ("legal_aid_documentation",)
    assert (r.best, r.disjoint_chains) == (before.best, before.disjoint_chains)  # the chains do not change
    assert [(pp.agency, pp.status, pp.since) for pp in legal.pending] == [
        ("P", "planned", dt.date(2023, 5, 2)), ("Q", "hoped", None)]
    assert legal.pending[0].text == "planned by P since 2023-05-02" and legal.pending[1].text == "hoped by Q (undated)"
    assert legal.pending[1].through == "prog"
    gap = next(g for g in r.gaps if g.kind == "missing_step")
    assert "Not delivered, only planned by P since 2023-05-02; hoped by Q (undated)." in gap.explanation
    assert "legal_aid_documentation planned by P since 2023-05-02" in r.robustness
    # read as of 2023-01-01, P's plan (first stated 2023-05-02) was not yet known; Q's undated wish stays
    earlier = referral_pathways(b.G, "victims", templates=TEMPLATES, as_of=dt.date(2023, 1, 1))
    assert [pp.agency for pp in earlier.providers[2].pending] == ["Q"]


def test_a_reported_provider_is_not_listed_as_pending_too():
    # A already gives shelter (reported); a planned extension by A is no pending provider of a step it fills.
    b = town()
    b.G.add_edge("A", "victims", key="SERVES:x", type="SERVES", service="shelter", status="planned", evidence=[])
    shelter = referral_pathways(b.G, "victims", templates=TEMPLATES, as_of=AS_OF).providers[0]
    assert shelter.providers == ("A", "B") and shelter.pending == ()


def own_dates() -> Builder:
    """town(), whose cohort is known from one source of 2016-10-01, in a graph whose latest date is 2024-01-01 (meeting m1)."""
    b = town()
    b.node("src-2016", "Source", published=dt.date(2016, 10, 1))
    b.G.nodes["victims"]["evidence"] = [{"source": "src-2016", "quote": "victims in R"}]
    return b


def test_a_cohort_is_analysed_as_of_its_own_date():
    G = own_dates().G
    # The cohort's latest dated evidence is src-2016 (published 2016-10-01); the builder's edges cite a source
    # "src-t" that is not in the graph, so they add no date. The graph's latest date is 2024-01-01 (meeting m1).
    assert cohort_as_of(G, "victims") == (dt.date(2016, 10, 1), "the latest dated evidence about the cohort: src-2016 published 2016-10-01")
    r = referral_pathways(G, "victims", templates=TEMPLATES)
    assert r.as_of == dt.date(2016, 10, 1) and r.as_of_basis.startswith("the latest dated evidence")
    # B -> H (met 2014-01-01) is aged as of 2016-10-01: 1 / 0.5 ** (1004 days / 365.25 / 5), by hand ~ 1.464;
    # A -> H met after the cohort's date (2024-01-01) and is not aged at all (cost 1).
    b_h = next(c for c in referral_pathways(G, "victims", k=3, templates=TEMPLATES).alternatives if c.steps[0][1] == "B")
    assert b_h.handoffs[0].cost == pytest.approx(1 / 0.5 ** ((dt.date(2016, 10, 1) - dt.date(2014, 1, 1)).days / 365.25 / 5), rel=1e-6)
    # a date given by the caller wins, for every cohort
    assert referral_pathways(G, "victims", templates=TEMPLATES, as_of=AS_OF).as_of == AS_OF
    assert all_referral_pathways(G, templates=TEMPLATES) == {"victims": r}
    assert all_referral_pathways(G, templates=TEMPLATES, as_of=AS_OF)["victims"].as_of_basis == "given by the caller"


def test_a_shelter_head_count_dates_the_cohort_and_plans_do_not():
    # SHELTERS as_of 2020-08-26 is the latest observation; a programme ending in 2030 is a plan's horizon, not one.
    b = own_dates()
    b.node("post", "Facility", kind="transit_post").edge("post", "victims", "SHELTERS", as_of=dt.date(2020, 8, 26))
    b.node("future", "Programme", services=["health"], start=dt.date(2021, 1, 1), end=dt.date(2030, 12, 31))
    b.edge("H", "future", "IMPLEMENTS").edge("future", "victims", "TARGETS")
    day, basis = cohort_as_of(b.G, "victims")
    assert day == dt.date(2020, 8, 26) and "SHELTERS post -> victims as_of 2020-08-26" in basis


def test_a_cohort_with_no_dated_evidence_falls_back_to_the_graphs_latest_date():
    day, basis = cohort_as_of(town().G, "victims")
    assert day == dt.date(2024, 1, 1) and basis == "no dated evidence about the cohort: the latest date in the graph"


def test_each_cohort_of_a_loop_gets_its_own_date():
    # Two cohorts in R: "victims" known from 2016, "later" from a source of 2024-01-01; same providers.
    b = own_dates()
    b.node("src-2024", "Source", published=dt.date(2024, 1, 1))
    b.node("later", "MigrantCohort", name="Later", cohort_type="trafficking_victims",
           evidence=[{"source": "src-2024", "quote": "later"}])
    b.edge("R", "later", "HOSTS_COHORT")
    found = all_referral_pathways(b.G, templates=TEMPLATES)
    assert {c: r.as_of for c, r in found.items()} == {"later": dt.date(2024, 1, 1), "victims": dt.date(2016, 10, 1)}
    assert found == {c: referral_pathways(b.G, c, templates=TEMPLATES) for c in ("later", "victims")}


def test_cli_pathways_prints_the_missing_steps_beside_the_chain_count():
    """``graphmodel pathways`` on the test mini seed (tests/data/mini_seed, one article: src-002, Kupang).

    By hand from its files: the refugee template has 7 steps; the only
    provision is Rudenim Kupang SERVES immigration_supervision ("pengungsi luar
    negeri yang berada di bawah pengawasan Rumah Detensi Imigrasi Kupang"); the
    hotel SHELTERS the cohort but nobody OPERATES it, so shelter has no
    provider. One step, one provider: 1 chain over 1 of 7 steps, 6 missing.
    The cohort's dated evidence (its as_of, src-kupang, the SERVES last_seen)
    all falls on 2024-09-11.
    """
    import json

    import typer
    from typer.testing import CliRunner

    from graphmodel.cli.analytics import register

    app = typer.Typer()
    register(app)
    mini = Path(__file__).resolve().parent / "data" / "mini_seed"
    missing = ["identification_registration", "status_determination", "shelter", "basic_needs_cash", "health",
               "repatriation_resettlement"]
    robustness = ("1 node-disjoint chain without a broken hand-off over 1 of 7 steps; 6 steps have no recorded provider "
                  f"({', '.join(missing)}), so no chain covers the whole pathway")
    result = CliRunner().invoke(app, ["pathways", "--cohort", "cohort-kupang", "--seed", str(mini), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["steps_total"], data["steps_covered"], data["steps_missing"], data["missing_steps"]) == (7, 1, 6, missing)
    assert (data["disjoint_chains"], data["complete_chains"], data["robustness"]) == (1, 0, robustness)
    assert data["as_of"] == "2024-09-11" and data["as_of_basis"].endswith("src-kupang published 2024-09-11")
    result = CliRunner().invoke(app, ["pathways", "--cohort", "cohort-kupang", "--seed", str(mini)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())  # the console folds long lines
    assert "steps with a provider: 1 of 7; steps missing: 6" in text
    assert f"robustness: {robustness}; critical providers: rudenim-kupang" in text
    assert "as of 2024-09-11" in text


# --------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed_graph():
    if not SEED.is_dir():
        pytest.skip("no seed/ folder")
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed

    return build_graph(load_seed(SEED))


def test_seed_medan_refugees_are_analysed_as_of_2016_and_detention_is_no_shelter(seed_graph):
    # src-000 is the only source on the Medan cohort: "Sabtu (1/10/2016)", published 2016-10-01. Evaluated as of
    # the graph's latest date (2024-09-11, src-002) the report aged its ties by eight more years.
    r = referral_pathways(seed_graph, "cohort-medan-refugees")
    assert r.as_of == dt.date(2016, 10, 1) and "src-000" in r.as_of_basis
    # Perpres 125/2016 keeps the detention house apart from the shelter (tempat penampungan): Rudenim Medan
    # supervises, it does not shelter (domain review, finding 3)
    shelter = next(sp for sp in r.providers if sp.service == "shelter")
    assert "rudenim-medan" not in shelter.providers
    supervision = next(sp for sp in r.providers if sp.service == "immigration_supervision")
    assert "rudenim-medan" in supervision.providers
    # whatever the seed's providers are, the count pairs with its caveat
    assert r.steps_missing == len(r.missing_steps) > 0 and r.complete_chains == 0
    assert f"over {r.steps_covered} of {r.steps_total} steps" in r.robustness


def test_seed_kupang_immigration_supervision_is_a_step_rudenim_kupang_provides(seed_graph):
    # src-002: "pengungsi luar negeri yang berada di bawah pengawasan Rumah Detensi Imigrasi Kupang" (2024-09-11)
    r = referral_pathways(seed_graph, "cohort-kupang-refugees")
    assert r.as_of == dt.date(2024, 9, 11)
    supervision = next(sp for sp in r.providers if sp.service == "immigration_supervision")
    assert supervision.providers == ("rudenim-kupang",)


def test_seed_ntb_plan_fills_no_step_and_is_shown_as_pending(seed_graph):
    # src-004 (Monday 21 Feb, stored as 2022-02-21): IOM "akan melakukan kerjasama" with the province -- a plan.
    # Before issue 21 the pathway read "3 of 5 steps ... 2 node-disjoint intact chains" (domain review, finding
    # 19); a planned programme now fills no step: nothing is recorded as delivered to NTB migrant workers.
    r = referral_pathways(seed_graph, "cohort-ntb-pmi", k=3)
    assert r.as_of == dt.date(2022, 2, 21)
    assert (r.steps_covered, r.steps_missing, r.disjoint_chains, r.complete_chains, r.best) == (0, 5, 0, 0, None)
    pending = {sp.service: {pp.agency for pp in sp.pending} for sp in r.providers if sp.pending}
    assert pending["safe_return"] >= {"iom-indonesia"} and pending["reintegration_livelihoods"] >= {"iom-indonesia"}
    assert all(pp.status == "planned" and pp.since == dt.date(2022, 2, 21) for sp in r.providers for pp in sp.pending)
    assert r.robustness.startswith("no chain: none of the 5 steps has a recorded provider; pending: ")


def test_seed_every_cohort_has_its_own_date(seed_graph):
    # each cohort's latest source (sources.yaml): Medan src-000 2016-10-01, Sergai src-001 2019-07-25,
    # Kupang src-002 2024-09-11, NTB src-004 2022-02-21
    found = all_referral_pathways(seed_graph)
    dates = {c: r.as_of for c, r in found.items() if not isinstance(r, AnalyticsError)}
    assert {c: dates[c] for c in ("cohort-medan-refugees", "cohort-sergai-pmi-np", "cohort-kupang-refugees", "cohort-ntb-pmi")} == {
        "cohort-medan-refugees": dt.date(2016, 10, 1), "cohort-sergai-pmi-np": dt.date(2019, 7, 25),
        "cohort-kupang-refugees": dt.date(2024, 9, 11), "cohort-ntb-pmi": dt.date(2022, 2, 21)}
    for r in found.values():
        if not isinstance(r, AnalyticsError):
            assert r.steps_missing == len(r.missing_steps) and r.complete_chains == (r.disjoint_chains if r.complete else 0)

# --------------------------------------------------------------------------- algorithm against definitions

from itertools import combinations  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def test_equal_cost_chains_come_in_agency_id_order():
    # One step with providers C, A, B: three one-node chains of cost 0, ordered by agency id.
    b = victims_in_town(*"CAB")
    for a in "CAB":
        b.serves(a, "shelter")
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": ["shelter"], "basis": "t"}]})
    r = referral_pathways(b.G, "victims", k=2, templates=tpl, as_of=AS_OF)
    assert [c.steps for c in r.alternatives] == [(("shelter", "A"),), (("shelter", "B"),)]
    # each provider alone is a chain: 3 disjoint chains, nobody critical
    assert r.disjoint_chains == 3 and r.critical_providers == ()


def test_an_agency_on_every_chain_across_steps_is_critical_despite_two_disjoint_chains():
    # Shelter {A, B}, health {A, C}; ties A-C and B-A, none B-C.
    # Intact hand-offs: A->A (same), A->C, B->A; B->C is broken.
    # A->C and B->A share no (step, agency) node: 2 disjoint chains, yet both use agency A
    # (at different steps), and without A only the broken B->C is left: A is critical.
    b = victims_in_town(*"ABC")
    b.serves("A", "shelter").serves("B", "shelter").serves("A", "health").serves("C", "health")
    b.edge("A", "C", "COOPERATES_WITH", last_seen=AS_OF).edge("B", "A", "COOPERATES_WITH", last_seen=AS_OF)
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": ["shelter", "health"], "basis": "t"}]})
    r = referral_pathways(b.G, "victims", k=4, templates=tpl, as_of=AS_OF)
    assert r.disjoint_chains == 2 and r.critical_providers == ("A",)
    # costs: A->A 0; A->C 1 and B->A 1 (weight 1, age 0; tie order by agency ids); B->C broken
    assert [(tuple(a for _, a in c.steps), c.cost) for c in r.alternatives] == [
        (("A", "A"), 0.0), (("A", "C"), 1.0), (("B", "A"), 1.0), (("B", "C"), BROKEN_HANDOFF_COST)]


PROPERTY_SERVICES = ["shelter", "health", "psychosocial", "legal_aid_documentation", "safe_return"]
PROPERTY_AGENCIES = [f"a{i:02d}" for i in range(12)]
# from 1950: a tie older than about 33 years costs more than a broken hand-off and must still count as intact
_days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2023, 12, 31))


@st.composite
def layered_instances(draw, max_agencies=6, max_services=5, max_k=6):
    """Random steps with random provider sets (possibly empty, agencies repeating across steps) and random ties.

    A tie is a COOPERATES_WITH edge (in a random direction, with or without
    ``last_seen``) plus 0-2 dated shared meetings, so its weight is 1 + meetings.
    """
    agencies = PROPERTY_AGENCIES[: draw(st.integers(1, max_agencies))]
    services = PROPERTY_SERVICES[: draw(st.integers(1, max_services))]
    layers = [sorted(draw(st.sets(st.sampled_from(agencies)))) for _ in services]
    pairs = list(combinations(agencies, 2))
    ties = {}
    if pairs:
        ties = draw(st.dictionaries(
            st.sampled_from(pairs),
            st.tuples(st.booleans(), st.one_of(st.none(), _days), st.lists(_days, max_size=2)),
            max_size=len(pairs)))
    return services, layers, ties, draw(st.integers(1, max_k))


def _evidence_graph(services, layers, ties) -> nx.MultiDiGraph:
    b = victims_in_town(*PROPERTY_AGENCIES)
    for service, layer in zip(services, layers):
        for a in layer:
            b.serves(a, service)
    for n, ((x, y), (flip, last_seen, meetings)) in enumerate(ties.items()):
        u, v = (y, x) if flip else (x, y)
        b.edge(u, v, "COOPERATES_WITH", **({"last_seen": last_seen} if last_seen else {}))
        for m, day in enumerate(meetings):
            b.meeting(f"m{n}-{m}", day, x, y)
    return b.G


def _reference_dag(services, layers, ties):
    """The definition of the chain DAG, built explicitly as an ``nx.DiGraph``.

    Source, one layer of ``(service, agency)`` nodes per step with providers
    (steps without providers are skipped), sink. Hand-off cost between
    consecutive layers: 0 for the same agency; ``1 / (w * 0.5 ** (age / 5))``
    for a tie of weight ``w`` (1 for the cooperation + 1 per shared meeting)
    whose latest date is ``age`` 365.25-day years before AS_OF (undated:
    age 5); BROKEN_HANDOFF_COST otherwise. Returns the full DAG (edge
    attribute ``cost``) and the intact DAG (without broken hand-offs).
    """
    tie = {}
    for (x, y), (_, last_seen, meetings) in ties.items():
        dates = [d for d in [last_seen, *meetings] if d]
        age = (AS_OF - max(dates)).days / 365.25 if dates else 5.0
        tie[x, y] = tie[y, x] = 1 / ((1 + len(meetings)) * 0.5 ** (age / 5))
    D = nx.DiGraph()
    D.add_nodes_from(["source", "sink"])
    previous = ["source"]
    for service, layer in zip(services, layers):
        if not layer:
            continue
        here = [(service, a) for a in layer]
        for u in previous:
            for v in here:
                if u == "source":
                    cost = 0.0
                elif u[1] == v[1]:
                    cost = 0.0
                else:
                    cost = tie.get((u[1], v[1]), BROKEN_HANDOFF_COST)
                D.add_edge(u, v, cost=cost, broken=cost == BROKEN_HANDOFF_COST and u != "source")
        previous = here
    if previous != ["source"]:
        D.add_edges_from(((u, "sink") for u in previous), cost=0.0, broken=False)
    intact = D.edge_subgraph([(u, v) for u, v, broken in D.edges(data="broken") if not broken]).copy()
    intact.add_nodes_from(["source", "sink"])
    return D, intact


@settings(max_examples=250, deadline=None)
@given(layered_instances())
def test_chains_disjoint_and_critical_match_their_definitions(instance):
    _check_against_definitions(*instance)


@settings(max_examples=200, deadline=None)
@given(layered_instances(max_agencies=12, max_services=5, max_k=1))
def test_plain_python_dag_engine_equals_the_array_engine(instance):
    """A cohort's DAG worked in plain Python (k = 1, a small DAG) gives the result the NumPy/SciPy engine gives.

    Both are also checked against the definitions (the tests around this
    one); this pins the two engines to each other on wider layers as well.
    """
    from unittest import mock

    from graphmodel.analytics.pathways import dag, python_engine

    services, layers, ties, _ = instance
    G = _evidence_graph(services, layers, ties)
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": services, "basis": "t"}]})
    calls = {"lists": 0}
    real = python_engine.best_chain

    def counted(chain_dag):
        calls["lists"] += 1
        return real(chain_dag)

    with mock.patch.object(python_engine, "best_chain", counted):
        lists = referral_pathways(G, "victims", k=1, templates=tpl, as_of=AS_OF)
    with mock.patch.object(dag, "PYTHON_DAG_MAX_HANDOFFS", -1):
        arrays = referral_pathways(G, "victims", k=1, templates=tpl, as_of=AS_OF)
    assert lists == arrays
    assert calls["lists"] == (1 if any(layers) else 0)  # the plain engine did run


@settings(max_examples=60, deadline=None)
@given(layered_instances(max_agencies=12, max_services=3, max_k=3))
def test_wide_layers_match_their_definitions(instance):
    # up to 12 providers per step with k <= 3: a node's broken candidates come from a window of the
    # previous layer's best partial chains that is shorter than the layer, which the narrow case never cuts
    _check_against_definitions(*instance)


def _check_against_definitions(services, layers, ties, k):
    G = _evidence_graph(services, layers, ties)
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": services, "basis": "t"}]})
    r = referral_pathways(G, "victims", k=k, templates=tpl, as_of=AS_OF)
    D, intact = _reference_dag(services, layers, ties)

    # k best chains: all source-sink paths, ranked by cost (hand-off costs rounded to 6 decimals,
    # as Handoff.cost is) and then by the agency ids in step order.
    def micro(path):
        return sum(round(round(D.edges[u, v]["cost"], 6) * 1_000_000) for u, v in zip(path, path[1:]))

    paths = list(nx.all_simple_paths(D, "source", "sink"))
    ranked = sorted(paths, key=lambda p: (micro(p), tuple(a for _, a in p[1:-1])))[:k]
    assert [c.steps for c in r.alternatives] == [tuple(p[1:-1]) for p in ranked]
    assert [c.cost for c in r.alternatives] == [
        pytest.approx(nx.path_weight(D, p, "cost"), rel=1e-6, abs=1e-5) for p in ranked]
    assert [c.broken for c in r.alternatives] == [sum(D.edges[u, v]["broken"] for u, v in zip(p, p[1:])) for p in ranked]

    # disjoint intact chains: local node connectivity of source and sink in the intact DAG
    connected = nx.has_path(intact, "source", "sink")
    expected = nx.algorithms.connectivity.local_node_connectivity(intact, "source", "sink") if connected else 0
    assert r.disjoint_chains == expected

    # critical providers: brute force, drop each agency's nodes and look for an intact chain
    critical = []
    if connected:
        for a in sorted({a for layer in layers for a in layer}):
            kept = intact.subgraph([n for n in intact if not (isinstance(n, tuple) and n[1] == a)])
            if not nx.has_path(kept, "source", "sink"):
                critical.append(a)
    assert r.critical_providers == tuple(critical)

    # the loop over every cohort shares one cost matrix of the whole network: the same result
    assert all_referral_pathways(G, k=k, templates=tpl, as_of=AS_OF) == {"victims": r}


def test_an_ancient_tie_still_counts_as_intact_but_a_broken_hand_off_can_beat_it():
    # Shelter {A, B}, health {C}; A and C last cooperated in 1950: cost 1 / 0.5 ** (74 / 5), about
    # 28,000 (by hand), more than a broken hand-off (100). The best chain is B -> C (broken, 100), not
    # A -> C; yet A -> C is an intact hand-off, so one intact chain exists and it runs through A and C.
    b = victims_in_town(*"ABC")
    b.serves("A", "shelter").serves("B", "shelter").serves("C", "health")
    b.edge("A", "C", "COOPERATES_WITH", last_seen=dt.date(1950, 1, 1))
    tpl = parse_pathways({"templates": [{"cohort_type": "trafficking_victims", "steps": ["shelter", "health"], "basis": "t"}]})
    r = referral_pathways(b.G, "victims", k=1, templates=tpl, as_of=AS_OF)
    assert [a for _, a in r.best.steps] == ["B", "C"] and r.best.broken == 1
    assert r.disjoint_chains == 1 and r.critical_providers == ("A", "C")
    r2 = referral_pathways(b.G, "victims", k=2, templates=tpl, as_of=AS_OF)
    assert [a for _, a in r2.alternatives[1].steps] == ["A", "C"]
    assert r2.alternatives[1].cost == pytest.approx(1 / 0.5 ** (((AS_OF - dt.date(1950, 1, 1)).days / 365.25) / 5), rel=1e-6)


def test_every_cohort_at_once_equals_one_call_per_cohort(seed_graph, tmp_path):
    # all_referral_pathways shares one tie-cost matrix of the whole network; referral_pathways builds
    # one from each cohort's providers. Checked on the seed and on a 2k synthetic graph (about 60
    # cohorts with many providers per step), including a cohort type without a template.
    from graphmodel.graph import build_graph
    from graphmodel.seed import load_seed
    from graphmodel.synth import generate

    generate(tmp_path / "syn", scale=2_000, seed=5)
    for G in (seed_graph, build_graph(load_seed(tmp_path / "syn"))):
        cohorts = sorted(n for n, d in G.nodes(data=True) if d.get("label") == "MigrantCohort")
        tpl = parse_pathways({"templates": [t.model_dump() for t in load_pathways().templates[1:]]})
        found = all_referral_pathways(G, k=3, templates=tpl)
        assert list(found) == cohorts
        for cohort in cohorts:
            try:
                expected = referral_pathways(G, cohort, k=3, templates=tpl)
            except AnalyticsError as exc:
                assert isinstance(found[cohort], AnalyticsError) and str(found[cohort]) == str(exc)
            else:
                assert found[cohort] == expected
        assert sum(isinstance(r, AnalyticsError) for r in found.values()) > 0  # the dropped template's cohorts
    with pytest.raises(AnalyticsError, match="not cohorts of the graph: 'nobody'"):
        all_referral_pathways(seed_graph, ["nobody"])
