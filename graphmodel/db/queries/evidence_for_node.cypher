// name: evidence_for_node
// purpose: Where a node (agency, cohort, meeting, ...) is mentioned: every quote that names it, with its Source (outlet, date, file path).
// parameters: $node (string) e.g. 'iom-kupang' -- id of any node
// example: :param node => 'iom-kupang'
// returns: node_id, node_label, node_name, quote, source_id, source_name, outlet, published, path
//
// Reads the derived MENTIONED_IN relationships, which carry the node's own evidence quotes.
MATCH (n {id: $node})-[r:MENTIONED_IN]->(s:Source)
UNWIND range(0, size(coalesce(r.evidence_quotes, [])) - 1) AS i
RETURN n.id AS node_id, n.label AS node_label, n.name AS node_name, r.evidence_quotes[i] AS quote,
       s.id AS source_id, s.name AS source_name, s.outlet AS outlet, s.published AS published, s.path AS path
ORDER BY source_id, i
