// name: services_for_cohort
// purpose: Every service a cohort receives and from whom: agencies that SERVE it directly, and the agencies implementing or funding programmes that TARGET it (a first step of a referral path), with how each is known (status).
// parameters: $cohort (string) e.g. 'cohort-pontianak-kpo' -- id of the migrant cohort
// parameters: $with_planned (bool?) e.g. false -- true also lists provision only planned or hoped for; null or false: only provision reported (or inferred)
// example: :param cohort => 'cohort-pontianak-kpo'
// example: :param with_planned => false
// returns: service, provider_id, provider_name, role, programme_id, status, last_seen
//
// role is SERVES (direct service), IMPLEMENTS or FUNDS (through programme_id).
// status says how the source knows the provision: reported (done or going on), inferred (the
// curator's inference), planned (announced, committed) or hoped (wished for, requested). Through a
// programme it is the weaker of the programme's TARGETS and the agency's IMPLEMENTS or FUNDS:
// a programme only planned for the cohort is not delivered by its implementer.
MATCH (c:MigrantCohort {id: $cohort})
CALL (c) {
  MATCH (a:Agency)-[s:SERVES]->(c)
  RETURN s.service AS service, a AS provider, 'SERVES' AS role, null AS programme_id,
         coalesce(s.status, 'reported') AS status, s.last_seen AS last_seen
  UNION
  MATCH (p:Programme)-[t:TARGETS]->(c)
  MATCH (a:Agency)-[r:IMPLEMENTS|FUNDS]->(p)
  UNWIND p.services AS service
  WITH service, a, r, p,
       [x IN ['hoped', 'planned', 'inferred', 'reported']
        WHERE x IN [coalesce(t.status, 'reported'), coalesce(r.status, 'reported')]][0] AS status
  RETURN service, a AS provider, type(r) AS role, p.id AS programme_id, status, null AS last_seen
}
WITH service, provider, role, programme_id, status, last_seen
WHERE coalesce($with_planned, false) OR status IN ['reported', 'inferred']
RETURN service, provider.id AS provider_id, provider.name AS provider_name, role, programme_id, status, last_seen
ORDER BY service, provider_id, role, programme_id
