// name: programmes_targeting_cohort_type
// purpose: Programmes that target cohorts of one type (foreign_refugees, indonesian_migrant_workers, non_procedural_migrant_workers, trafficking_victims, gender_based_violence_victims), with how the targeting is known (status), their services and who implements and funds them.
// parameters: $cohort_type (string) e.g. 'trafficking_victims' -- one of the cohort types of the schema
// example: :param cohort_type => 'trafficking_victims'
// returns: programme_id, programme_name, kind, status, services, cohorts, implementers, funders
//
// status is the weakest of the programme's TARGETS listed (hoped < planned < inferred < reported):
// 'planned' means the programme was announced for them, not reported delivered.
MATCH (p:Programme)-[t:TARGETS]->(c:MigrantCohort {cohort_type: $cohort_type})
WITH p, c, t
ORDER BY c.id
WITH p, collect(DISTINCT c.id) AS cohorts, collect(coalesce(t.status, 'reported')) AS statuses
RETURN p.id AS programme_id, p.name AS programme_name, p.kind AS kind,
       [x IN ['hoped', 'planned', 'inferred', 'reported'] WHERE x IN statuses][0] AS status, p.services AS services, cohorts,
       COLLECT { MATCH (a:Agency)-[:IMPLEMENTS]->(p) RETURN a.id ORDER BY a.id } AS implementers,
       COLLECT { MATCH (a:Agency)-[:FUNDS]->(p) RETURN a.id ORDER BY a.id } AS funders
ORDER BY programme_id
