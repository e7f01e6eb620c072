// name: shortest_coordination_path
// purpose: The shortest coordination path between two agencies, through shared meetings (ATTENDED/HOSTED), COOPERATES_WITH, PART_OF and shared programmes (IMPLEMENTS/FUNDS), at most 8 steps, ignoring direction.
// parameters: $from (string) e.g. 'rudenim-medan' -- id of the first agency
// parameters: $to (string) e.g. 'polres-serdang-bedagai' -- id of the second agency
// example: :param from => 'rudenim-medan'
// example: :param to => 'polres-serdang-bedagai'
// returns: hops, node_ids, node_names, node_labels, rel_types, path
//
// Only agencies, meetings and programmes may lie on the path. When several paths are
// equally short, Neo4j returns one of them: see all_shortest_coordination_paths.
// No row means no path of at most 8 steps (or an unknown id).
MATCH (a:Agency {id: $from}), (b:Agency {id: $to})
WHERE a <> b
MATCH p = shortestPath((a)-[:ATTENDED|HOSTED|COOPERATES_WITH|PART_OF|IMPLEMENTS|FUNDS*..8]-(b))
WHERE all(n IN nodes(p) WHERE n:Agency OR n:Meeting OR n:Programme)
  // only what the sources report (or the curator infers): a planned cooperation or programme is no path yet
  AND all(r IN relationships(p) WHERE coalesce(r.status, 'reported') IN ['reported', 'inferred'])
RETURN length(p) AS hops,
       [n IN nodes(p) | n.id] AS node_ids,
       [n IN nodes(p) | n.name] AS node_names,
       [n IN nodes(p) | n.label] AS node_labels,
       [r IN relationships(p) | type(r)] AS rel_types,
       p AS path
