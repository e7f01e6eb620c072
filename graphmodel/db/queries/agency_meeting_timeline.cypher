// name: agency_meeting_timeline
// purpose: How an agency's coordination changed over time: the meetings it (or one of its offices) attended or hosted, in date order, with its role, the other agencies present and what was discussed.
// parameters: $agency (string) e.g. 'iom' -- id of the agency; its offices (PART_OF, any depth) count as the agency
// example: :param agency => 'iom'
// returns: date, date_basis, meeting_id, meeting_name, kind, format, region, attended_as, roles, others, discussed
//
// date_basis 'inferred' marks dates the curator worked out (see the meeting's date_reasoning).
MATCH (target:Agency {id: $agency})
MATCH (office:Agency)-[:PART_OF*0..]->(target)
WITH collect(DISTINCT office) AS family
UNWIND family AS office
MATCH (office)-[r:ATTENDED|HOSTED]->(m:Meeting)
WITH family, m, office, CASE type(r) WHEN 'HOSTED' THEN 'host (HOSTED)' ELSE r.role END AS role
ORDER BY office.id, role
WITH family, m, collect(DISTINCT office.id) AS attended_as, collect(DISTINCT role) AS roles
RETURN m.date AS date, m.date_basis AS date_basis, m.id AS meeting_id, m.name AS meeting_name,
       m.kind AS kind, m.format AS format,
       COLLECT { MATCH (m)-[:LOCATED_IN]->(x:Region) RETURN x.id ORDER BY x.id } AS region,
       attended_as, roles,
       COLLECT { MATCH (o:Agency)-[:ATTENDED|HOSTED]->(m) WHERE NOT o IN family RETURN DISTINCT o.id AS id ORDER BY id } AS others,
       COLLECT { MATCH (m)-[:DISCUSSED]->(d) RETURN d.id AS id ORDER BY id } AS discussed
ORDER BY date, meeting_id
