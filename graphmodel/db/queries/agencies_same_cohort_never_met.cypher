// name: agencies_same_cohort_never_met
// purpose: Pairs of agencies that serve the same cohort but were never recorded at the same meeting (attended or hosted), with the services each gives and whether they at least COOPERATE_WITH each other.
// parameters: $cohort (string?) e.g. 'cohort-medan-refugees' -- only this cohort; null for every cohort
// example: :param cohort => 'cohort-medan-refugees'
// returns: cohort_id, agency_a, services_a, agency_b, services_b, cooperates
//
// Each pair is listed once (agency_a < agency_b). Offices are taken as they are: a
// meeting attended by IOM Indonesia does not count for IOM Medan. Only service the
// sources report (or the curator infers) counts: an agency that only plans or hopes to
// serve the cohort does not serve it yet, and a planned cooperation is not one.
MATCH (a:Agency)-[sa:SERVES]->(c:MigrantCohort)<-[sb:SERVES]-(b:Agency)
WHERE a.id < b.id AND ($cohort IS NULL OR c.id = $cohort)
  AND coalesce(sa.status, 'reported') IN ['reported', 'inferred']
  AND coalesce(sb.status, 'reported') IN ['reported', 'inferred']
  AND NOT EXISTS { MATCH (a)-[:ATTENDED|HOSTED]->(:Meeting)<-[:ATTENDED|HOSTED]-(b) }
WITH c, a, b, sa.service AS service_a, sb.service AS service_b
ORDER BY service_a, service_b
WITH c, a, b, collect(DISTINCT service_a) AS services_a, collect(DISTINCT service_b) AS services_b
RETURN c.id AS cohort_id, a.id AS agency_a, services_a, b.id AS agency_b, services_b,
       EXISTS { MATCH (a)-[w:COOPERATES_WITH]-(b) WHERE coalesce(w.status, 'reported') IN ['reported', 'inferred'] } AS cooperates
ORDER BY cohort_id, agency_a, agency_b
