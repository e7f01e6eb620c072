// name: cohort_shelters
// purpose: Who shelters a cohort: the facilities that SHELTER it (with head counts where the source gives them, their region and operator) and the agencies that SERVE it with the service 'shelter'.
// parameters: $cohort (string) e.g. 'cohort-medan-refugees' -- id of the migrant cohort
// example: :param cohort => 'cohort-medan-refugees'
// returns: provider_id, provider_name, provider_type, kind, count, count_basis, as_of, regions, operators
//
// count is null when the source does not say how many stay there.
MATCH (c:MigrantCohort {id: $cohort})
CALL (c) {
  MATCH (f:Facility)-[s:SHELTERS]->(c)
  RETURN f.id AS provider_id, f.name AS provider_name, 'Facility' AS provider_type, f.kind AS kind,
         s.count AS count, s.count_basis AS count_basis, s.as_of AS as_of,
         COLLECT { MATCH (f)-[:LOCATED_IN]->(r:Region) RETURN r.id ORDER BY r.id } AS regions,
         COLLECT { MATCH (a:Agency)-[:OPERATES]->(f) RETURN a.id ORDER BY a.id } AS operators
  UNION
  MATCH (a:Agency)-[s:SERVES {service: 'shelter'}]->(c)
  RETURN a.id AS provider_id, a.name AS provider_name, 'Agency' AS provider_type, a.kind AS kind,
         null AS count, null AS count_basis, s.last_seen AS as_of,
         COLLECT { MATCH (a)-[:HAS_JURISDICTION]->(r:Region) RETURN r.id ORDER BY r.id } AS regions,
         [] AS operators
}
RETURN provider_id, provider_name, provider_type, kind, count, count_basis, as_of, regions, operators
ORDER BY provider_type DESC, provider_id
