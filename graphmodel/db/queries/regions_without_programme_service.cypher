// name: regions_without_programme_service
// purpose: Coordination gaps: regions that host a cohort (optionally of one type) but where no programme providing a given service (e.g. prevention_awareness) targets the region itself or any of its cohorts.
// parameters: $service (string) e.g. 'prevention_awareness' -- a service type of the schema (prevention_awareness, safe_return, shelter, health, ...)
// parameters: $cohort_type (string?) e.g. 'foreign_refugees' -- only cohorts of this type count; null for every cohort
// example: :param service => 'prevention_awareness'
// example: :param cohort_type => 'foreign_refugees'
// returns: region_id, region_name, region_kind, parent, cohorts, programmes_there
//
// "Its cohorts" are the cohorts the region HOSTS_COHORT (as residents, origin or transit).
// A programme aimed at a parent region does not cover the region below it: say so by
// targeting the region or the cohort. programmes_there lists the programmes that do
// target the region or its cohorts, but without the service, or only planned or hoped for
// (a programme that is only announced closes no gap: see planned_and_hoped_activity).
MATCH (r:Region)-[:HOSTS_COHORT]->(c:MigrantCohort)
WHERE $cohort_type IS NULL OR c.cohort_type = $cohort_type
WITH r, collect(DISTINCT c) AS cohorts
WHERE NOT EXISTS {
  MATCH (p:Programme)-[pt:TARGETS]->(t)
  WHERE $service IN p.services AND (t = r OR t IN cohorts) AND coalesce(pt.status, 'reported') IN ['reported', 'inferred']
}
WITH r, cohorts,
     COLLECT {
       MATCH (p:Programme)-[:TARGETS]->(t)
       WHERE t = r OR t IN cohorts
       RETURN DISTINCT p.id AS id ORDER BY id
     } AS programmes_there
UNWIND cohorts AS c
WITH r, programmes_there, c ORDER BY c.id
WITH r, programmes_there, collect(c.id) AS cohorts
RETURN r.id AS region_id, r.name AS region_name, r.kind AS region_kind, r.parent AS parent, cohorts, programmes_there
ORDER BY region_id
