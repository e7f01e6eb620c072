"""The words, names, places and organisations a synthetic seed is written from.

Data, not code: where the cohorts concentrate (Kemendagri codes with weights),
which services each cohort type needs and who provides them, the Indonesian
words of the generated sentences, and the skeleton of national, provincial
and local agencies. :mod:`graphmodel.synth.generator` and its builders draw
from these tables; changing one changes every synthetic seed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from graphmodel.model.schema import CohortType, ServiceType

YEARS = tuple(range(2015, 2025))
"""The decade the synthetic facts span."""
START, END = dt.date(2015, 1, 1), dt.date(2024, 12, 31)

# --------------------------------------------------------------------------- where the cohorts are

REFUGEE_HOTSPOTS: dict[str, float] = {
    "12.71": 20, "31.71": 5, "31.72": 4, "31.73": 5, "31.74": 4, "31.75": 4, "73.71": 12, "14.71": 10,
    "21.72": 8, "21.71": 5, "53.71": 6, "35.78": 4, "33.74": 2, "51.71": 2, "71.71": 2, "61.71": 2,
    "64.71": 1, "91.71": 1, "32.01": 5, "36.71": 2,
}
"""Kemendagri code -> weight: Medan, Jakarta, Makassar, Pekanbaru, Tanjung Pinang, Batam, Kupang ..."""

WORKER_PROVINCES: dict[str, float] = {"52": 10, "53": 8, "35": 9, "33": 8, "32": 8, "12": 5, "18": 5}
"""Provinces the migrant workers come from: NTB, NTT, Jatim, Jateng, Jabar, Sumut, Lampung."""

WORKER_HOTSPOTS: dict[str, float] = {
    "52.03": 8, "52.02": 6, "52.01": 4, "52.04": 3, "53.02": 5, "53.03": 3, "32.12": 7, "32.09": 5,
    "33.01": 5, "35.02": 5, "35.05": 4, "35.04": 4, "35.07": 4, "18.07": 4, "12.18": 3, "12.09": 3,
}

TRANSIT_HOTSPOTS: dict[str, float] = {
    "65.03": 8, "61.03": 6, "61.71": 5, "21.71": 7, "21.72": 4, "14.72": 4, "12.72": 3, "53.71": 4,
    "36.03": 5, "35.78": 3, "12.71": 3,
}
"""Transit points: Nunukan, Sanggau (Entikong), Pontianak, Batam, Tanjung Pinang, Dumai, Tanjungbalai ..."""

RUDENIM: dict[str, str] = {
    "12.71": "Medan", "14.71": "Pekanbaru", "21.72": "Tanjung Pinang", "31.75": "Jakarta", "33.74": "Semarang",
    "35.78": "Surabaya", "51.71": "Denpasar", "53.71": "Kupang", "73.71": "Makassar", "71.71": "Manado",
    "61.71": "Pontianak", "64.71": "Balikpapan", "91.71": "Jayapura",
}
"""The 13 immigration detention houses (Rumah Detensi Imigrasi), by the city they sit in."""

REFUGEE_NATIONALITIES = (
    ("Afghanistan", "AFG", ("WN. Afghanistan",)), ("Somalia", "SOM", ()), ("Myanmar", "MMR", ("Rohingya",)),
    ("Sri Lanka", "LKA", ("Srilangka",)), ("Iraq", "IRQ", ("Irak",)), ("Iran", "IRN", ()),
    ("Sudan", "SDN", ()), ("Pakistan", "PAK", ()), ("Ethiopia", "ETH", ("Etophia",)), ("Yemen", "YEM", ("Yaman",)),
    ("Syria", "SYR", ("Suriah",)), ("Egypt", "EGY", ("Mesir",)), ("Palestine", "PSE", ("Palestina",)),
)
NATIONALITY_WEIGHTS = np.array([40, 12, 12, 6, 6, 5, 6, 5, 3, 2, 2, 1, 1], dtype=float)

# --------------------------------------------------------------------------- services by cohort type

SERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    CohortType.FOREIGN_REFUGEES: (
        "identification_registration", "status_determination", "shelter", "basic_needs_cash", "health",
        "repatriation_resettlement", "immigration_supervision", "security",
    ),
    CohortType.TRAFFICKING_VICTIMS: (
        "identification_registration", "shelter", "health", "psychosocial", "legal_aid_documentation",
        "safe_return", "reintegration_livelihoods", "law_enforcement",
    ),
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: (
        "prevention_awareness", "identification_registration", "law_enforcement", "safe_return",
        "reintegration_livelihoods", "legal_aid_documentation",
    ),
    CohortType.INDONESIAN_MIGRANT_WORKERS: (
        "prevention_awareness", "identification_registration", "legal_aid_documentation", "safe_return",
        "reintegration_livelihoods",
    ),
}

# which skeleton roles provide a service (local first); "ngo" = a local NGO
PROVIDERS: dict[str, tuple[str, ...]] = {
    "identification_registration": ("kanim", "dinsos", "disnaker", "polres"),
    "status_determination": ("unhcr",),
    "shelter": ("dinsos", "pemda", "iom", "ngo"),
    "basic_needs_cash": ("iom", "dinsos", "ngo"),
    "health": ("pemda", "iom", "ngo"),
    "psychosocial": ("dinsos", "ngo", "dinas-pppa"),
    "legal_aid_documentation": ("ngo", "disnaker"),
    "repatriation_resettlement": ("iom", "unhcr"),
    "safe_return": ("bp3mi", "disnaker", "dinsos"),
    "reintegration_livelihoods": ("disnaker", "ngo", "dinsos"),
    "prevention_awareness": ("disnaker", "ngo", "bp3mi", "gugus-tugas"),
    "law_enforcement": ("polres", "polda"),
    "immigration_supervision": ("kanim", "rudenim"),
    "security": ("polres",),
}

SERVICE_WORDS: dict[str, str] = {
    "identification_registration": "pendataan dan identifikasi",
    "status_determination": "penentuan status pengungsi",
    "shelter": "penampungan",
    "basic_needs_cash": "bantuan kebutuhan dasar dan uang tunai",
    "health": "layanan kesehatan",
    "psychosocial": "dukungan psikososial",
    "legal_aid_documentation": "bantuan hukum dan dokumen",
    "repatriation_resettlement": "pemulangan sukarela dan penempatan ke negara ketiga",
    "safe_return": "pemulangan yang aman ke daerah asal",
    "reintegration_livelihoods": "reintegrasi dan pemberdayaan ekonomi",
    "prevention_awareness": "sosialisasi dan pencegahan",
    "law_enforcement": "penegakan hukum",
    "immigration_supervision": "pengawasan keimigrasian",
    "security": "pengamanan",
}
assert set(SERVICE_WORDS) == {s.value for s in ServiceType}

COHORT_WORDS: dict[str, str] = {
    CohortType.FOREIGN_REFUGEES: "Pengungsi luar negeri",
    CohortType.INDONESIAN_MIGRANT_WORKERS: "Pekerja Migran Indonesia (PMI)",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "PMI non-prosedural (PMI-NP)",
    CohortType.TRAFFICKING_VICTIMS: "WNI korban perdagangan orang (TPPO)",
}
COHORT_SHORT = {
    CohortType.FOREIGN_REFUGEES: "ref", CohortType.INDONESIAN_MIGRANT_WORKERS: "pmi",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "pminp", CohortType.TRAFFICKING_VICTIMS: "tppo",
}
PRESENCE = {
    CohortType.FOREIGN_REFUGEES: "residing", CohortType.INDONESIAN_MIGRANT_WORKERS: "origin",
    CohortType.NON_PROCEDURAL_MIGRANT_WORKERS: "origin", CohortType.TRAFFICKING_VICTIMS: "transit",
}

MEETING_KINDS = ("coordination_meeting", "audience", "visit", "handover", "press_conference")
MEETING_KIND_P = np.array([0.45, 0.2, 0.2, 0.1, 0.05])
MEETING_WORDS = {
    "coordination_meeting": "Rapat koordinasi", "audience": "Audiensi", "visit": "Kunjungan kerja",
    "handover": "Serah terima bantuan", "press_conference": "Konferensi pers",
}
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")

PROGRAMME_KINDS = {
    "cash_assistance": ("basic_needs_cash",),
    "in_kind_aid": ("basic_needs_cash", "health"),
    "prevention": ("prevention_awareness",),
    "protection": ("shelter", "psychosocial", "legal_aid_documentation", "safe_return"),
    "cooperation": ("identification_registration", "law_enforcement", "reintegration_livelihoods"),
}
PROGRAMME_WORDS = {
    "cash_assistance": "Bantuan tunai bulanan", "in_kind_aid": "Bantuan paket kebersihan dan kesehatan",
    "prevention": "Program pencegahan migrasi non-prosedural", "protection": "Program pelindungan terpadu",
    "cooperation": "Kerja sama penanganan",
}

FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dewi", "Ahmad", "Sri", "Hendra", "Rina", "Joko", "Yuni", "Rahmat", "Nur", "Eko",
    "Wati", "Andi", "Fitri", "Dedi", "Lestari", "Hadi", "Maria", "Yohanes", "Made", "Ketut", "Wayan", "Putu",
    "Muhammad", "Abdul", "Irfan", "Indah", "Rudi", "Teguh", "Ratna", "Bambang", "Sari", "Heru", "Melati",
)
LAST_NAMES = (
    "Santoso", "Hidayat", "Siregar", "Nasution", "Lubis", "Harahap", "Simanjuntak", "Wijaya", "Saputra",
    "Pratama", "Kusuma", "Setiawan", "Nugroho", "Hasibuan", "Daulay", "Manurung", "Ndun", "Amalo", "Pah",
    "Riwu", "Mbere", "Daeng", "Rahman", "Syahputra", "Tanjung", "Purba", "Sembiring", "Ginting", "Sinaga",
)
NGO_WORDS = (
    "Peduli", "Migran", "Sejahtera", "Mandiri", "Harapan", "Kasih", "Bangsa", "Insan", "Cahaya", "Perempuan",
    "Keadilan", "Buruh", "Nusantara", "Bakti", "Sahabat", "Pelita", "Lentera", "Rumah", "Pintar", "Damai",
)
NGO_FORMS = ("Yayasan", "Perkumpulan", "Lembaga Bantuan Hukum", "Serikat", "Jaringan", "Lembaga")


# --------------------------------------------------------------------------- skeleton tables

# (id, name, kind, acronym, part_of, weight)
NATIONAL_AGENCIES: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("kemenko-polhukam", "Kementerian Koordinator Bidang Politik, Hukum, dan Keamanan", "ministry", "Kemenko Polhukam", None, 6.0),
    ("kemenkumham", "Kementerian Hukum dan Hak Asasi Manusia", "ministry", "Kemenkumham", None, 5.0),
    ("ditjen-imigrasi", "Direktorat Jenderal Imigrasi", "directorate_general", "Ditjen Imigrasi", "kemenkumham", 8.0),
    ("dit-kerja-sama-keimigrasian", "Direktorat Kerja Sama Keimigrasian", "directorate", None, "ditjen-imigrasi", 3.0),
    ("dit-penindakan-pengawasan-keimigrasian", "Direktorat Pengawasan dan Penindakan Keimigrasian", "directorate", None, "ditjen-imigrasi", 3.0),
    ("kemensos", "Kementerian Sosial", "ministry", "Kemensos", None, 7.0),
    ("ditjen-rehsos", "Direktorat Jenderal Rehabilitasi Sosial", "directorate_general", "Ditjen Rehsos", "kemensos", 4.0),
    ("kemnaker", "Kementerian Ketenagakerjaan", "ministry", "Kemnaker", None, 5.0),
    ("kp2mi", "Kementerian Pelindungan Pekerja Migran Indonesia", "ministry", "KP2MI", None, 8.0),
    ("kemenlu", "Kementerian Luar Negeri", "ministry", "Kemenlu", None, 5.0),
    ("kemendagri", "Kementerian Dalam Negeri", "ministry", "Kemendagri", None, 3.0),
    ("ditjen-dukcapil", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil", "directorate_general", "Ditjen Dukcapil", "kemendagri", 2.0),
    ("kemenpppa", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "ministry", "KemenPPPA", None, 4.0),
    ("kemenkes", "Kementerian Kesehatan", "ministry", "Kemenkes", None, 3.0),
    ("polri", "Kepolisian Negara Republik Indonesia", "police", "Polri", None, 6.0),
    ("bareskrim", "Badan Reserse Kriminal Polri", "police", "Bareskrim", "polri", 4.0),
    ("gugus-tugas-tppo", "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang", "task_force", "Gugus Tugas TPPO", "kemenko-polhukam", 5.0),
    ("satgas-pengungsi", "Satuan Tugas Penanganan Pengungsi dari Luar Negeri", "task_force", "Satgas PPLN", "kemenko-polhukam", 4.0),
    ("tni", "Tentara Nasional Indonesia", "military", "TNI", None, 2.0),
)

# (org id, name, weight): each also gets an Indonesia country office
INTERNATIONAL_ORGS: tuple[tuple[str, str, float], ...] = (
    ("iom", "International Organization for Migration", 9.0),
    ("unhcr", "United Nations High Commissioner for Refugees", 7.0),
    ("unicef", "United Nations Children's Fund", 3.0),
    ("unodc", "United Nations Office on Drugs and Crime", 3.0),
    ("ilo", "International Labour Organization", 3.0),
    ("unwomen", "UN Women", 2.0),
)

# (role, kind, name format, acronym format, part_of, weight); {p} = province name
PROVINCE_ROLES: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("pemprov", "regional_government", "Pemerintah Provinsi {p}", "Pemprov {p}", None, 6.0),
    ("dinsos", "regional_department", "Dinas Sosial Provinsi {p}", "Dinsos Provinsi {p}", "pemprov", 3.0),
    ("disnakertrans", "regional_department", "Dinas Tenaga Kerja dan Transmigrasi Provinsi {p}", "Disnakertrans {p}", "pemprov", 3.0),
    ("dinas-pppa", "regional_department", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak Provinsi {p}", "DP3A {p}", "pemprov", 2.0),
    ("kanwil", "ministry_regional_office", "Kantor Wilayah Kementerian Hukum dan HAM {p}", "Kanwil Kemenkumham {p}", "kemenkumham", 3.0),
    ("polda", "police", "Kepolisian Daerah {p}", "Polda {p}", "polri", 3.0),
    ("bp3mi", "ministry_regional_office", "Balai Pelayanan Pelindungan Pekerja Migran Indonesia {p}", "BP3MI {p}", "kp2mi", 4.0),
    ("gugus-tugas", "task_force", "Gugus Tugas TPPO Provinsi {p}", None, "pemprov", 2.0),
)

# (role, kind, name format, acronym format, part_of role, weight); {r} = region name, {s} = short name
REGENCY_ROLES: tuple[tuple[str, str, str, str | None, str | None, float], ...] = (
    ("pemda", "regional_government", "", None, None, 6.0),
    ("dinsos", "regional_department", "Dinas Sosial {r}", "Dinsos {s}", "pemda", 4.0),
    ("disnaker", "regional_department", "Dinas Tenaga Kerja {r}", "Disnaker {s}", "pemda", 4.0),
    ("polres", "police", "Kepolisian Resor {s}", "Polres {s}", "polda", 3.0),
    ("kanim", "immigration_office", "Kantor Imigrasi {s}", "Kanim {s}", "kanwil", 3.0),
)

OFFICE_TITLES = ("Kepala", "Sekretaris", "Kepala Bidang Pelindungan", "Kepala Seksi Pengawasan", "Koordinator Program")

INSTRUMENT_WORDS = {
    "law": "Undang-Undang", "government_regulation": "Peraturan Pemerintah",
    "presidential_regulation": "Peraturan Presiden", "ministerial_regulation": "Peraturan Menteri",
}

# (id, kind, number, year, title, ((agency, duty), ...))
NATIONAL_INSTRUMENTS: tuple[tuple[str, str, str, int, str, tuple[tuple[str, str], ...]], ...] = (
    ("perpres-125-2016", "presidential_regulation", "125", 2016, "Penanganan Pengungsi dari Luar Negeri",
     (("ditjen-imigrasi", "immigration_supervision"), ("polri", "security"), ("iom-indonesia", "basic_needs_cash"),
      ("unhcr-indonesia", "status_determination"), ("satgas-pengungsi", "identification_registration"))),
    ("uu-18-2017", "law", "18", 2017, "Pelindungan Pekerja Migran Indonesia",
     (("kp2mi", "safe_return"), ("kemnaker", "prevention_awareness"), ("kemenlu", "legal_aid_documentation"))),
    ("pp-59-2021", "government_regulation", "59", 2021, "Pelaksanaan Pelindungan Pekerja Migran Indonesia",
     (("kp2mi", "reintegration_livelihoods"),)),
    ("uu-21-2007", "law", "21", 2007, "Pemberantasan Tindak Pidana Perdagangan Orang",
     (("polri", "law_enforcement"), ("kemensos", "psychosocial"), ("gugus-tugas-tppo", "prevention_awareness"))),
    ("perpres-69-2008", "presidential_regulation", "69", 2008,
     "Gugus Tugas Pencegahan dan Penanganan Tindak Pidana Perdagangan Orang", (("gugus-tugas-tppo", "law_enforcement"),)),
    ("uu-6-2011", "law", "6", 2011, "Keimigrasian", (("ditjen-imigrasi", "identification_registration"),)),
)


