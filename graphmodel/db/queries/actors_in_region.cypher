// name: actors_in_region
// purpose: All agencies at work in a region and its sub-regions, and how each is tied to it (jurisdiction, location, cohorts served, facilities operated, meetings held there, programmes aimed there).
// parameters: $region (string) e.g. 'kota-medan' -- id of the region; every region below it (LOCATED_IN, any depth) is included
// example: :param region => 'kota-medan'
// returns: agency_id, agency_name, kind, level, ties
//
// ties lists "TYPE -> node id" for each way the agency reaches the region:
//   HAS_JURISDICTION / LOCATED_IN -> region; SERVES -> cohort hosted there;
//   OPERATES -> facility located there; ATTENDED / HOSTED -> meeting located there;
//   IMPLEMENTS / FUNDS -> programme targeting the region or a cohort hosted there.
MATCH (root:Region {id: $region})
MATCH (place:Region)-[:LOCATED_IN*0..]->(root)
WITH collect(DISTINCT place) AS scope
CALL (scope) {
  UNWIND scope AS place
  MATCH (a:Agency)-[r:HAS_JURISDICTION|LOCATED_IN]->(place)
  RETURN a, type(r) + ' -> ' + place.id AS tie
  UNION
  UNWIND scope AS place
  MATCH (place)-[:HOSTS_COHORT]->(c:MigrantCohort)<-[r:SERVES]-(a:Agency)
  RETURN a, 'SERVES -> ' + c.id AS tie
  UNION
  UNWIND scope AS place
  MATCH (a:Agency)-[r:OPERATES]->(f:Facility)-[:LOCATED_IN]->(place)
  RETURN a, 'OPERATES -> ' + f.id AS tie
  UNION
  UNWIND scope AS place
  MATCH (a:Agency)-[r:ATTENDED|HOSTED]->(m:Meeting)-[:LOCATED_IN]->(place)
  RETURN a, type(r) + ' -> ' + m.id AS tie
  UNION
  UNWIND scope AS place
  MATCH (a:Agency)-[r:IMPLEMENTS|FUNDS]->(p:Programme)-[:TARGETS]->(place)
  RETURN a, type(r) + ' -> ' + p.id AS tie
  UNION
  UNWIND scope AS place
  MATCH (place)-[:HOSTS_COHORT]->(:MigrantCohort)<-[:TARGETS]-(p:Programme)<-[r:IMPLEMENTS|FUNDS]-(a:Agency)
  RETURN a, type(r) + ' -> ' + p.id AS tie
}
WITH a, tie
ORDER BY tie
WITH a, collect(DISTINCT tie) AS ties
RETURN a.id AS agency_id, a.name AS agency_name, a.kind AS kind, a.level AS level, ties
ORDER BY agency_id
