// name: evidence_for_relationship
// purpose: The chain of evidence behind a relationship: each quote, with the Source it comes from (outlet, publication date and how the date is known, file path, URL).
// parameters: $from (string) e.g. 'ditjen-imigrasi' -- id of one end
// parameters: $type (string) e.g. 'COOPERATES_WITH' -- relationship type, any case (ATTENDED, SERVES, ...)
// parameters: $to (string) e.g. 'iom-indonesia' -- id of the other end
// example: :param from => 'ditjen-imigrasi'
// example: :param type => 'COOPERATES_WITH'
// example: :param to => 'iom-indonesia'
// returns: from_id, rel_type, to_id, rel_key, derived, quote, source_id, source_name, outlet, published, date_basis, path, url
//
// The ends may be given in either order; from_id/to_id show the stored direction.
// One row per quote; a relationship with two SERVES services shows both (rel_key tells them apart).
MATCH (a {id: $from})-[r]-(b {id: $to})
WHERE type(r) = toUpper($type)
UNWIND range(0, size(coalesce(r.evidence_sources, [])) - 1) AS i
OPTIONAL MATCH (s:Source {id: r.evidence_sources[i]})
RETURN startNode(r).id AS from_id, type(r) AS rel_type, endNode(r).id AS to_id, r.key AS rel_key,
       coalesce(r.derived, false) AS derived, r.evidence_quotes[i] AS quote,
       r.evidence_sources[i] AS source_id, s.name AS source_name, s.outlet AS outlet,
       s.published AS published, s.date_basis AS date_basis, s.path AS path, s.url AS url
ORDER BY rel_key, from_id, i
