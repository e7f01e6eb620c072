// name: cohort_shelters
// purpose: Who shelters a cohort: the facilities that SHELTER it (with head counts where the source gives them, their region and operator) and the agencies that SERVE it with the service 'shelter', with how each is known (status). A detention centre (kind detention_centre) is listed because people are held there, but detention is not shelter (Perpres 125/2016).
// parameters: $cohort (string) e.g. 'cohort-medan-refugees' -- id of the migrant cohort
// parameters: $with_planned (bool?) e.g. false -- true also lists shelter only planned or hoped for; null or false: only shelter reported (or inferred)
// example: :param cohort => 'cohort-medan-refugees'
// example: :param with_planned => false
// returns: provider_id, provider_name, provider_type, kind, status, count, count_basis, as_of, regions, operators
//
// count is null when the source does not say how many stay there. status: reported (the
// source says they stay there), inferred, planned or hoped (see docs/neo4j.md).
MATCH (c:MigrantCohort {id: $cohort})
CALL (c) {
  MATCH (f:Facility)-[s:SHELTERS]->(c)
  RETURN f.id AS provider_id, f.name AS provider_name, 'Facility' AS provider_type, f.kind AS kind,
         coalesce(s.status, 'reported') AS status,
         s.count AS count, s.count_basis AS count_basis, s.as_of AS as_of,
         COLLECT { MATCH (f)-[:LOCATED_IN]->(r:Region) RETURN r.id ORDER BY r.id } AS regions,
         COLLECT { MATCH (a:Agency)-[:OPERATES]->(f) RETURN a.id ORDER BY a.id } AS operators
  UNION
  MATCH (a:Agency)-[s:SERVES {service: 'shelter'}]->(c)
  RETURN a.id AS provider_id, a.name AS provider_name, 'Agency' AS provider_type, a.kind AS kind,
         coalesce(s.status, 'reported') AS status,
         null AS count, null AS count_basis, s.last_seen AS as_of,
         COLLECT { MATCH (a)-[:HAS_JURISDICTION]->(r:Region) RETURN r.id ORDER BY r.id } AS regions,
         [] AS operators
}
WITH provider_id, provider_name, provider_type, kind, status, count, count_basis, as_of, regions, operators
WHERE coalesce($with_planned, false) OR status IN ['reported', 'inferred']
RETURN provider_id, provider_name, provider_type, kind, status, count, count_basis, as_of, regions, operators
ORDER BY provider_type DESC, provider_id
