// name: cohorts_by_region
// purpose: Migrant cohorts hosted in a region and its sub-regions, with their size, how the size is known, and how they are present (residing, origin, transit).
// parameters: $region (string) e.g. 'prov-sumatera-utara' -- id of the region; every region below it (LOCATED_IN, any depth) is included
// example: :param region => 'prov-sumatera-utara'
// returns: cohort_id, cohort_name, cohort_type, size, size_basis, as_of, presence, regions, nationalities
//
// size is null when the sources give no number (size_basis 'unknown'); 'approximate'
// means a figure like "sekitar 2.000". regions lists the hosting regions inside the scope.
MATCH (root:Region {id: $region})
MATCH (place:Region)-[:LOCATED_IN*0..]->(root)
WITH DISTINCT place
MATCH (place)-[h:HOSTS_COHORT]->(c:MigrantCohort)
WITH c, h, place
ORDER BY place.id
WITH c, collect(DISTINCT h.presence) AS presence, collect(DISTINCT place.id) AS regions
RETURN c.id AS cohort_id, c.name AS cohort_name, c.cohort_type AS cohort_type, c.size AS size,
       c.size_basis AS size_basis, c.as_of AS as_of, presence, regions,
       coalesce(c.nationalities, []) AS nationalities
ORDER BY cohort_type, cohort_id
