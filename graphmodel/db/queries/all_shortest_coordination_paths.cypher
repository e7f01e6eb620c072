// name: all_shortest_coordination_paths
// purpose: Every equally short coordination path between two agencies (shared meetings, COOPERATES_WITH, PART_OF, shared programmes), at most 8 steps, ignoring direction: the bridges a planner could use.
// parameters: $from (string) e.g. 'kemensos' -- id of the first agency
// parameters: $to (string) e.g. 'rudenim-kupang' -- id of the second agency
// example: :param from => 'kemensos'
// example: :param to => 'rudenim-kupang'
// returns: hops, node_ids, node_names, rel_types
//
// Only agencies, meetings and programmes may lie on a path. Paths that differ only in
// the relationship used (an agency both HOSTED and ATTENDED a meeting) are listed once.
MATCH (a:Agency {id: $from}), (b:Agency {id: $to})
WHERE a <> b
MATCH p = allShortestPaths((a)-[:ATTENDED|HOSTED|COOPERATES_WITH|PART_OF|IMPLEMENTS|FUNDS*..8]-(b))
WHERE all(n IN nodes(p) WHERE n:Agency OR n:Meeting OR n:Programme)
  // only what the sources report (or the curator infers): a planned cooperation or programme is no path yet
  AND all(r IN relationships(p) WHERE coalesce(r.status, 'reported') IN ['reported', 'inferred'])
WITH length(p) AS hops, [n IN nodes(p) | n.id] AS node_ids, [n IN nodes(p) | n.name] AS node_names,
     collect([r IN relationships(p) | type(r)]) AS rel_type_choices
RETURN hops, node_ids, node_names, rel_type_choices[0] AS rel_types
ORDER BY node_ids
