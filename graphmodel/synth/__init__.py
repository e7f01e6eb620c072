"""Synthetic seed folders shaped like the real domain, for benchmarks and scale tests.

``generate(out_dir, scale=N, seed=S)`` writes a seed folder that
:func:`graphmodel.seed.load_seed` accepts, with about ``N`` nodes. The same
``(scale, seed)`` always gives byte-identical files (numpy
``Generator(PCG64(seed))``, no clocks, no hash-ordered iteration).

Shape
-----
* **Regions**: the country and, from the official Kemendagri list, all 38
  provinces and 514 regencies and cities (below about 9k nodes a subset:
  the cohort hotspots first, then a seeded random choice).
* **Skeleton of agencies**: per regency or city its government (Pemkab or
  Pemko), Dinas Sosial, Dinas Tenaga Kerja, Polres and immigration office;
  per province its Pemprov, Dinas Sosial, Disnakertrans, Dinas PPPA, Kanwil
  Kemenkumham, Polda, BP3MI and the provincial anti-trafficking task force;
  the national ministries and directorates; the 13 detention houses
  (Rudenim); IOM, UNHCR, UNICEF, UNODC, ILO and UN Women with their country
  offices and field offices where refugees live. ``PART_OF``,
  ``HAS_JURISDICTION`` and ``LOCATED_IN`` tie them together.
* **Growing part** (the rest of ``N``): NGOs (activity log-normal), office
  holders, migrant cohorts where the real ones concentrate (refugees in
  Medan, Jakarta, Makassar, Pekanbaru, Tanjung Pinang, Kupang ...; migrant
  workers from NTB, NTT, Jawa Timur, Jawa Tengah, Jawa Barat, Sumut and
  Lampung; trafficking victims at transit points such as Nunukan, Entikong,
  Batam, Dumai), facilities, programmes, legal instruments and meetings over
  2015-2024 whose attendance is heavy-tailed (``1 + Zipf(2.3)`` attendees,
  capped) and drawn by preferential attachment (an agency's chance grows
  with the meetings it has attended).
* **Evidence**: every node and relationship cites a synthetic source whose
  text is written from the quotes that cite it (meeting bulletins per
  province, and profiles per region), so every quote is found verbatim.

Relationships per node: about 4 listed in the seed, about 5 in the built
graph (with the derived ``MENTIONED_IN`` and region ``LOCATED_IN`` edges).

Two shapes above 100k nodes
---------------------------
Up to :data:`NATIONAL_ACTORS_AT` (100,000) nodes both shapes are the same
graph (byte-identical files). Above it they part:

* ``national`` (the default): the country's actors are counted, not grown.
  The growing part's agencies, office holders, cohorts, programmes,
  facilities, instruments and cooperation agreements stay at their numbers
  at 100k (about 10,700 agencies with the skeleton, 9,200 cohorts: the
  "thousands of agencies and offices" of a national model, about 21 per
  regency or city), and every further node is a meeting or the bulletin that reports
  it, which is how a national graph grows over a decade of reports.
* ``uniform``: every kind grows in proportion to ``N``, as below 100k. At
  500k that is about 53,000 agencies and 47,000 cohorts, some 100 agencies and
  90 cohorts per regency: a stress test for the analytics whose work grows
  with the providers of a place (pathways, coverage gaps), not a picture of
  the country.

Modules
-------
:mod:`~graphmodel.synth.seed_folder`
    :func:`generate` and :func:`plan`, the entry points.
:mod:`~graphmodel.synth.vocabulary`
    The data: places, words, names and the skeleton of agencies.
:mod:`~graphmodel.synth.generator`
    The state of one generation (random generator, agencies drawn, files).
:mod:`~graphmodel.synth.actors`, :mod:`~graphmodel.synth.activity`, :mod:`~graphmodel.synth.meetings`
    The builders, called in a fixed order.
:mod:`~graphmodel.synth.writing`
    One-line records, files of bounded size, synthetic documents.
"""

from graphmodel.synth.generator import NATIONAL_ACTORS_AT, SHAPES
from graphmodel.synth.seed_folder import MAX_SCALE, MIN_SCALE, SynthReport, generate, plan
from graphmodel.synth.writing import MAX_RECORDS_PER_FILE

__all__ = ["generate", "plan", "SynthReport", "MIN_SCALE", "MAX_SCALE", "MAX_RECORDS_PER_FILE", "SHAPES", "NATIONAL_ACTORS_AT"]
