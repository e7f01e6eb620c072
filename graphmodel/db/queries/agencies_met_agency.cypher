// name: agencies_met_agency
// purpose: Agencies that sat in a meeting (attended or hosted) with a given agency, or with one of its offices, within a time window.
// parameters: $agency (string) e.g. 'iom' -- id of the agency; its offices (PART_OF, any depth) count as the agency
// parameters: $since (date?) e.g. 2016-01-01 -- first day of the window; null for no lower bound
// parameters: $until (date?) e.g. 2025-12-31 -- last day of the window; null for no upper bound
// example: :param agency => 'iom'
// example: :param since => date('2016-01-01')
// example: :param until => date('2025-12-31')
// returns: agency_id, agency_name, kind, level, meetings, first_met, last_met, met_via
//
// A meeting is in the window when it overlaps it (date .. end_date, or just date).
// The agency's own offices are left out of the answer: IOM Kupang did not "meet IOM".
// met_via names which of the agency's offices was in the room.
MATCH (target:Agency {id: $agency})
MATCH (office:Agency)-[:PART_OF*0..]->(target)
WITH collect(DISTINCT office) AS family
UNWIND family AS office
MATCH (office)-[:ATTENDED|HOSTED]->(m:Meeting)
WHERE ($since IS NULL OR coalesce(m.end_date, m.date) >= $since)
  AND ($until IS NULL OR m.date <= $until)
MATCH (other:Agency)-[:ATTENDED|HOSTED]->(m)
WHERE NOT other IN family
WITH DISTINCT other, m, office
ORDER BY m.date, m.id, office.id
WITH other, collect(DISTINCT m.id) AS meetings, min(m.date) AS first_met, max(m.date) AS last_met,
     collect(DISTINCT office.id) AS met_via
RETURN other.id AS agency_id, other.name AS agency_name, other.kind AS kind, other.level AS level,
       meetings, first_met, last_met, met_via
ORDER BY first_met, agency_id
