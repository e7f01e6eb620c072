// name: meetings_on_topic
// purpose: Meetings about a topic: the text is looked for, case-insensitive, in each meeting's topics, name and aliases and in the names and aliases of the cohorts, programmes and laws it DISCUSSED.
// parameters: $topic (string) e.g. 'trafficking' -- a word or phrase, any case
// example: :param topic => 'trafficking'
// returns: meeting_id, meeting_name, date, date_basis, region, matched, attendees
//
// matched says where the text was found ('topic: ...', 'name', 'alias: ...', 'discussed: <id>').
// The topics are written in English; Indonesian terms (PMI-NP, TPPO, WNI M KPO) are in names and aliases.
WITH toLower($topic) AS needle
MATCH (m:Meeting)
WITH m, needle,
     [t IN coalesce(m.topics, []) WHERE toLower(t) CONTAINS needle | 'topic: ' + t]
     + CASE WHEN toLower(m.name) CONTAINS needle THEN ['name'] ELSE [] END
     + [a IN coalesce(m.aliases, []) WHERE toLower(a) CONTAINS needle | 'alias: ' + a]
     + COLLECT {
         MATCH (m)-[:DISCUSSED]->(d)
         WHERE any(t IN [d.name] + coalesce(d.aliases, []) WHERE toLower(t) CONTAINS needle)
         RETURN 'discussed: ' + d.id AS hit ORDER BY hit
       } AS matched
WHERE size(matched) > 0
RETURN m.id AS meeting_id, m.name AS meeting_name, m.date AS date, m.date_basis AS date_basis,
       COLLECT { MATCH (m)-[:LOCATED_IN]->(r:Region) RETURN r.id ORDER BY r.id } AS region,
       matched,
       COLLECT { MATCH (a:Agency)-[:ATTENDED|HOSTED]->(m) RETURN DISTINCT a.id AS id ORDER BY id } AS attendees
ORDER BY date, meeting_id
