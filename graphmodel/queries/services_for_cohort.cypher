// name: services_for_cohort
// purpose: Every service a cohort receives and from whom: agencies that SERVE it directly, and the agencies implementing or funding programmes that TARGET it (a first step of a referral path).
// parameters: $cohort (string) e.g. 'cohort-pontianak-kpo' -- id of the migrant cohort
// example: :param cohort => 'cohort-pontianak-kpo'
// returns: service, provider_id, provider_name, role, programme_id, last_seen
//
// role is SERVES (direct service), IMPLEMENTS or FUNDS (through programme_id).
MATCH (c:MigrantCohort {id: $cohort})
CALL (c) {
  MATCH (a:Agency)-[s:SERVES]->(c)
  RETURN s.service AS service, a AS provider, 'SERVES' AS role, null AS programme_id, s.last_seen AS last_seen
  UNION
  MATCH (p:Programme)-[:TARGETS]->(c)
  MATCH (a:Agency)-[r:IMPLEMENTS|FUNDS]->(p)
  UNWIND p.services AS service
  RETURN service, a AS provider, type(r) AS role, p.id AS programme_id, null AS last_seen
}
RETURN service, provider.id AS provider_id, provider.name AS provider_name, role, programme_id, last_seen
ORDER BY service, provider_id, role, programme_id
