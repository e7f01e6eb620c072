// name: agencies_met_agency_on_topic_in_region
// purpose: Every agency that met a given agency (or its offices) about a topic, at meetings held in a region or its sub-regions, since a date ("every agency that met IOM about refugees in North Sumatra since 2016").
// parameters: $agency (string) e.g. 'iom' -- id of the agency; its offices (PART_OF, any depth) count as the agency
// parameters: $topic (string) e.g. 'refugee' -- text looked for, case-insensitive, in the meeting's topics, name and aliases and in the names and aliases of what it DISCUSSED
// parameters: $region (string) e.g. 'prov-sumatera-utara' -- id of the region; meetings LOCATED_IN it or any region below it count
// parameters: $since (date?) e.g. 2016-01-01 -- earliest meeting date; null for no lower bound
// example: :param agency => 'iom'
// example: :param topic => 'refugee'
// example: :param region => 'prov-sumatera-utara'
// example: :param since => date('2016-01-01')
// returns: agency_id, agency_name, kind, level, meetings, first_met, last_met, met_via
//
// Sub-regions follow the region hierarchy (Region-[:LOCATED_IN]->parent Region).
MATCH (target:Agency {id: $agency})
MATCH (office:Agency)-[:PART_OF*0..]->(target)
WITH collect(DISTINCT office) AS family
MATCH (root:Region {id: $region})
MATCH (place:Region)-[:LOCATED_IN*0..]->(root)
WITH family, collect(DISTINCT place) AS scope
UNWIND family AS office
MATCH (office)-[:ATTENDED|HOSTED]->(m:Meeting)-[:LOCATED_IN]->(place:Region)
WHERE place IN scope
  AND ($since IS NULL OR coalesce(m.end_date, m.date) >= $since)
WITH DISTINCT family, office, m, toLower($topic) AS needle
WHERE any(t IN coalesce(m.topics, []) + [m.name] + coalesce(m.aliases, []) WHERE toLower(t) CONTAINS needle)
   OR EXISTS {
        MATCH (m)-[:DISCUSSED]->(d)
        WHERE any(t IN [d.name] + coalesce(d.aliases, []) WHERE toLower(t) CONTAINS needle)
      }
MATCH (other:Agency)-[:ATTENDED|HOSTED]->(m)
WHERE NOT other IN family
WITH DISTINCT other, m, office
ORDER BY m.date, m.id, office.id
WITH other, collect(DISTINCT m.id) AS meetings, min(m.date) AS first_met, max(m.date) AS last_met,
     collect(DISTINCT office.id) AS met_via
RETURN other.id AS agency_id, other.name AS agency_name, other.kind AS kind, other.level AS level,
       meetings, first_met, last_met, met_via
ORDER BY first_met, agency_id
