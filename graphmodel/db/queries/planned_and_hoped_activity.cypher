// name: planned_and_hoped_activity
// purpose: Activity announced, committed, wished for or requested but not (yet) reported done: every relationship whose status is planned or hoped, with the quote it rests on ("what was promised, and to whom"), optionally in a region and its sub-regions.
// parameters: $region (string?) e.g. null -- only activity whose either end is, or is tied to, this region or a region below it (LOCATED_IN, HAS_JURISDICTION, HOSTS_COHORT, TARGETS); null for every region
// example: :param region => null
// returns: status, from_id, from_name, rel_type, to_id, to_name, service, quotes, sources
//
// Planned and hoped activity closes no gap (graphmodel gaps shows it beside the gap it would
// close); this list is the worklist of what to follow up.
OPTIONAL MATCH (root:Region {id: $region})
OPTIONAL MATCH (place:Region)-[:LOCATED_IN*0..]->(root)
WITH collect(DISTINCT place) AS scope
MATCH (a)-[r]->(b)
WHERE r.status IN ['planned', 'hoped']
  AND ($region IS NULL OR any(end IN [a, b] WHERE end IN scope
       OR EXISTS { MATCH (end)-[:LOCATED_IN|HAS_JURISDICTION|TARGETS]->(x:Region) WHERE x IN scope }
       OR EXISTS { MATCH (x:Region)-[:HOSTS_COHORT]->(end) WHERE x IN scope }))
RETURN r.status AS status, a.id AS from_id, a.name AS from_name, type(r) AS rel_type, b.id AS to_id,
       b.name AS to_name, r.service AS service, r.evidence_quotes AS quotes, r.evidence_sources AS sources
ORDER BY status, from_id, rel_type, to_id, service
