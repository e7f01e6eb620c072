// name: programmes_targeting_region
// purpose: Programmes aimed at a region and its sub-regions, directly (TARGETS the region) or through a cohort hosted there, with how the targeting is known (status), their services and who implements and funds them.
// parameters: $region (string) e.g. 'prov-ntb' -- id of the region; every region below it (LOCATED_IN, any depth) is included
// example: :param region => 'prov-ntb'
// returns: programme_id, programme_name, kind, status, services, targets, implementers, funders
//
// targets lists the regions and cohorts in the scope that the programme TARGETS; status is the
// weakest of those TARGETS (hoped < planned < inferred < reported): 'planned' means announced there,
// not reported delivered.
MATCH (root:Region {id: $region})
MATCH (place:Region)-[:LOCATED_IN*0..]->(root)
WITH collect(DISTINCT place) AS scope
CALL (scope) {
  UNWIND scope AS place
  MATCH (p:Programme)-[t:TARGETS]->(place)
  RETURN p, place.id AS target, coalesce(t.status, 'reported') AS target_status
  UNION
  UNWIND scope AS place
  MATCH (place)-[:HOSTS_COHORT]->(c:MigrantCohort)<-[t:TARGETS]-(p:Programme)
  RETURN p, c.id AS target, coalesce(t.status, 'reported') AS target_status
}
WITH p, target, target_status
ORDER BY target
WITH p, collect(DISTINCT target) AS targets, collect(target_status) AS statuses
RETURN p.id AS programme_id, p.name AS programme_name, p.kind AS kind,
       [x IN ['hoped', 'planned', 'inferred', 'reported'] WHERE x IN statuses][0] AS status, p.services AS services, targets,
       COLLECT { MATCH (a:Agency)-[:IMPLEMENTS]->(p) RETURN a.id ORDER BY a.id } AS implementers,
       COLLECT { MATCH (a:Agency)-[:FUNDS]->(p) RETURN a.id ORDER BY a.id } AS funders
ORDER BY programme_id
