"""Coordination analytics: pure functions of the evidence graph (``build_graph``).

Every evidence analytic takes the NetworkX ``MultiDiGraph`` ``G`` built by
:func:`graphmodel.graph.build_graph` (or read back from GraphML), or an
:class:`Analysis` of it; the network measures take the coordination network
``H = coordination_network(G)``, as NetworkX's measures take a graph. They return
typed, frozen results that carry their explanation and evidence (source id
and quote), with ``to_frame``/``*_table`` helpers for notebooks. Nothing here
touches the database layer or reads files other than the package's own data
(``graphmodel/data/mandates.yaml``, ``graphmodel/data/pathways.yaml``).

=============================  ==============================================
question                       functions
=============================  ==============================================
mandated actor missing?        :func:`mandate_gaps`, :func:`load_mandates`
who does what where (4W)?      :func:`coverage_matrix` (as HXL:
                               :func:`graphmodel.export.hxl.write_4w_hxl`)
needed service missing/thin?   :func:`coverage_gaps`
who should talk but does not?  :func:`missing_ties`, :func:`count_missing_ties`,
                               :func:`stale_ties`
brokers, single points         :func:`coordination_network`,
of failure, communities        :func:`gould_fernandez_brokerage`,
                               :func:`brokerage_table`,
                               :func:`network_fragility`,
                               :func:`coordination_communities`
referral path for a cohort?    :func:`referral_pathways`,
                               :func:`all_referral_pathways` (every cohort)
everything, ranked             :func:`coordination_gaps`, :func:`find_gaps`
Burt's measures, betweenness   :func:`structural_holes`, :func:`betweenness`
=============================  ==============================================

Given the graph, each call indexes it (:class:`GraphIndex`) and projects its
coordination network again. On a large graph, make one ``A = Analysis(G)`` and
pass ``A`` instead of ``G`` to every analytic: it builds the index and the
network the first time one is asked for and keeps them (``A.index``,
``A.network``), so every analytic shares them. :func:`coordination_gaps` and
:func:`find_gaps` do this themselves for the analytics they run.
"""

from graphmodel.analytics.analysis import Analysis
from graphmodel.analytics.brokerage import BROKERAGE_ROLES, brokerage_table, gould_fernandez_brokerage
from graphmodel.analytics.communities import coordination_communities
from graphmodel.analytics.coverage import CoverageGap, coverage_gaps, coverage_matrix
from graphmodel.analytics.dates import graph_as_of
from graphmodel.analytics.findings import EvidenceRef, Finding, to_frame
from graphmodel.analytics.fragility import NetworkFragility, network_fragility
from graphmodel.analytics.gaps import (
    GAP_KINDS,
    REPORT_MISSING_TIES,
    CoordinationGap,
    GapFindings,
    coordination_gaps,
    find_gaps,
)
from graphmodel.analytics.index import GraphIndex
from graphmodel.analytics.mandates import (
    Mandate,
    MandateGap,
    MandateInstrument,
    MandateSet,
    load_mandates,
    mandate_gaps,
    mandates_table,
    parse_mandates,
    responsible_agencies,
)
from graphmodel.analytics.network import DEFAULT_TIE_WEIGHTS, coordination_digraph, coordination_network, tie_summary
from graphmodel.analytics.pathways import (
    BROKEN_HANDOFF_COST,
    Chain,
    Handoff,
    PathwayGap,
    PathwayResult,
    PathwayTemplate,
    PathwayTemplates,
    StepProviders,
    all_referral_pathways,
    load_pathways,
    parse_pathways,
    referral_pathways,
)
from graphmodel.analytics.structural_holes import betweenness, structural_holes
from graphmodel.analytics.ties import (
    MissingTie,
    StaleTie,
    count_missing_ties,
    missing_ties,
    missing_ties_and_total,
    service_footprints,
    stale_ties,
)

__all__ = [
    "all_referral_pathways",
    "Analysis",
    "BROKEN_HANDOFF_COST",
    "BROKERAGE_ROLES",
    "Chain",
    "CoordinationGap",
    "CoverageGap",
    "DEFAULT_TIE_WEIGHTS",
    "EvidenceRef",
    "Finding",
    "GAP_KINDS",
    "GapFindings",
    "GraphIndex",
    "Handoff",
    "Mandate",
    "MandateGap",
    "MandateInstrument",
    "MandateSet",
    "MissingTie",
    "NetworkFragility",
    "PathwayGap",
    "PathwayResult",
    "PathwayTemplate",
    "PathwayTemplates",
    "REPORT_MISSING_TIES",
    "StaleTie",
    "StepProviders",
    "betweenness",
    "brokerage_table",
    "coordination_communities",
    "coordination_digraph",
    "coordination_gaps",
    "coordination_network",
    "count_missing_ties",
    "coverage_gaps",
    "coverage_matrix",
    "find_gaps",
    "gould_fernandez_brokerage",
    "graph_as_of",
    "load_mandates",
    "load_pathways",
    "mandate_gaps",
    "mandates_table",
    "missing_ties",
    "missing_ties_and_total",
    "network_fragility",
    "parse_mandates",
    "parse_pathways",
    "referral_pathways",
    "responsible_agencies",
    "service_footprints",
    "stale_ties",
    "structural_holes",
    "tie_summary",
    "to_frame",
]
