"""Referral pathways: whether a cohort can be referred from each needed service to the next.

=====================  =====================================================
module                 what it holds
=====================  =====================================================
``templates``          the ordered services per cohort type (:func:`load_pathways`)
``referral``           :func:`referral_pathways`, :func:`all_referral_pathways`,
                       :func:`cohort_as_of`
``results``            the records they return (:class:`PathwayResult` ...)
``costs``              hand-off costs (:data:`BROKEN_HANDOFF_COST`, tie recency)
``dag``                one cohort's chain DAG, layer by layer, as arrays
``python_engine``,     the DAG's operations: plain lists for small DAGs,
``array_engine``       NumPy and SciPy for any size (the same answers)
=====================  =====================================================

A pathway template (``graphmodel/data/pathways.yaml``) lists, per cohort type,
the services in the order a person needs them. For one cohort this module
finds the providers of each step with jurisdiction over the cohort's region,
then the best *chain* of providers in which every hand-off goes between
agencies with a recorded coordination tie, the k best alternatives, how many
node-disjoint chains exist (robustness) and which providers every intact chain
depends on; steps without a provider and hand-offs without a tie are reported
as gaps.

The chains are paths in a layered DAG: a source, one layer per step that has
providers (node ``(step, agency)``), a sink. The hand-off cost between
consecutive layers is 0 when the same agency continues, ``1 / (w * r)`` when
the agencies share a tie of weight ``w`` in the
:func:`~graphmodel.analytics.network.coordination_network` whose last dated
contact is ``age`` years before ``as_of`` (``r = 0.5 ** (age / half_life)``;
undated ties count as one half-life old), and :data:`BROKEN_HANDOFF_COST`
otherwise, so a chain with fewer broken hand-offs wins (unless one of its
ties is so old, about 33 years at the default half-life, that it costs more
than a broken hand-off; it still counts as intact).

The DAG is never built as a graph object. Every source-sink path of a layered
DAG is simple, so the k shortest loopless paths of [1]_ are found by dynamic
programming that keeps the k best partial chains per node, layer by layer, in
NumPy arrays; broken hand-offs all cost the same, so a node's broken
predecessors come from one ranked list per layer and the work is linear in
the number of intact (tied or same-provider) hand-offs, times k. The tied
pairs between two layers are gathered from a sparse matrix of every tie's
cost, built once for a loop over cohorts (:func:`all_referral_pathways`).
Chains are ranked by cost (the sum of the
hand-off costs, each rounded to 6 decimals, compared exactly), then by the
tuple of agency ids in step order: equal-cost chains come in that
lexicographic order. The number of node-disjoint intact chains (Menger [2]_)
is the local node connectivity of source and sink, a maximum flow [3]_ with
unit node capacities (SciPy's implementation of Dinic's algorithm [4]_).

References
----------
.. [1] Yen, J. Y. (1971). Finding the k shortest loopless paths in a network.
   Management Science, 17(11), 712-716.
.. [2] Menger, K. (1927). Zur allgemeinen Kurventheorie. Fundamenta
   Mathematicae, 10, 96-115 (node-disjoint paths = local node connectivity).
.. [3] Ford, L. R., & Fulkerson, D. R. (1956). Maximal flow through a
   network. Canadian Journal of Mathematics, 8, 399-404.
.. [4] Dinic, E. A. (1970). Algorithm for solution of a problem of maximum
   flow in a network with power estimation. Soviet Mathematics Doklady, 11,
   1277-1280.
"""

from graphmodel.analytics.pathways.costs import BROKEN_HANDOFF_COST
from graphmodel.analytics.pathways.referral import all_referral_pathways, cohort_as_of, referral_pathways
from graphmodel.analytics.pathways.results import (
    Chain,
    Handoff,
    PathwayGap,
    PathwayResult,
    PendingProvider,
    StepProviders,
)
from graphmodel.analytics.pathways.templates import PathwayTemplate, PathwayTemplates, load_pathways, parse_pathways

__all__ = [
    "BROKEN_HANDOFF_COST",
    "Chain",
    "Handoff",
    "PathwayGap",
    "PathwayResult",
    "PathwayTemplate",
    "PathwayTemplates",
    "PendingProvider",
    "StepProviders",
    "cohort_as_of",
    "parse_pathways",
    "load_pathways",
    "referral_pathways",
    "all_referral_pathways",
]
