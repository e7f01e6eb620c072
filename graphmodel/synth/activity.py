"""What the actors of a synthetic seed do: cohorts and who serves them, facilities, laws, programmes, cooperation.

Each builder takes the :class:`~graphmodel.synth.generator.Generator` and
draws from its random generator; :func:`graphmodel.synth.generate` calls them
in a fixed order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from graphmodel.model.schema import CohortType
from graphmodel.synth.generator import Generator
from graphmodel.synth.vocabulary import (
    COHORT_SHORT,
    COHORT_WORDS,
    END,
    INSTRUMENT_WORDS,
    MONTHS_ID,
    NATIONAL_INSTRUMENTS,
    NATIONALITY_WEIGHTS,
    NGO_WORDS,
    PRESENCE,
    PROGRAMME_KINDS,
    PROGRAMME_WORDS,
    PROVIDERS,
    REFUGEE_HOTSPOTS,
    REFUGEE_NATIONALITIES,
    SERVICE_NEEDS,
    SERVICE_WORDS,
    START,
    TRANSIT_HOTSPOTS,
    YEARS,
)
from graphmodel.synth.writing import evidence_of, short_name, slug

__all__ = ["add_cohorts", "add_cooperation", "add_facilities", "add_legal_instruments", "add_programmes"]


def add_cohorts(gen: Generator, n: int) -> None:
    """``n`` migrant cohorts where the real ones concentrate, each with the services recorded for it."""
    types = gen.rng.choice(4, size=n, p=[0.3, 0.3, 0.2, 0.2])
    order = (CohortType.FOREIGN_REFUGEES, CohortType.INDONESIAN_MIGRANT_WORKERS,
             CohortType.NON_PROCEDURAL_MIGRANT_WORKERS, CohortType.TRAFFICKING_VICTIMS)
    where = {
        0: gen.hot_choice(REFUGEE_HOTSPOTS, n, 0.02),
        1: gen.worker_choice(n), 2: gen.worker_choice(n),
        3: gen.hot_choice(TRANSIT_HOTSPOTS, n, 0.05),
    }
    origins = gen.worker_choice(n)
    years = gen.rng.integers(YEARS[0], YEARS[-1] + 1, size=n)
    sizes = gen.rng.lognormal(4.5, 1.3, size=n).astype(int) + 1
    basis = gen.rng.choice(3, size=n, p=[0.6, 0.3, 0.1])
    nat_p = NATIONALITY_WEIGHTS / NATIONALITY_WEIGHTS.sum()
    serve_draws = gen.rng.random((n, 8))
    for k in range(n):
        ctype = order[int(types[k])]
        rid = gen.regencies[int(where[int(types[k])][k])]
        year = int(years[k])
        place = gen.region_name[rid]
        if ctype is CohortType.FOREIGN_REFUGEES:
            nats = sorted({REFUGEE_NATIONALITIES[int(i)][0] for i in gen.rng.choice(len(nat_p), size=1 + int(gen.rng.integers(3)), p=nat_p)})
            group = f" ({', '.join(nats)})"
        else:
            nats, group = ["Indonesia"], ""
        cid = f"cohort-{k + 1:06d}-{COHORT_SHORT[ctype]}-{rid}"[:80]
        name = f"{COHORT_WORDS[ctype]}{group} di {place}, {year}"
        as_of = dt.date(year, 12, 31) if year < 2024 else END
        record: dict[str, Any] = {"id": cid, "name": name, "cohort_type": ctype.value}
        if basis[k] == 2:
            size_text = f"{name} belum diketahui jumlahnya."
            record["size_basis"] = "unknown"
        else:
            word = "tercatat" if basis[k] == 0 else "diperkirakan sekitar"
            size_text = f"{name} {word} {int(sizes[k]):,} orang.".replace(",", ".")
            record.update(size=int(sizes[k]), size_basis="stated" if basis[k] == 0 else "approximate")
        src = gen.profile(rid, size_text)
        record.update(nationalities=nats, as_of=as_of.isoformat(), evidence=evidence_of(src, size_text))
        gen.node("cohorts", "MigrantCohort", record)
        gen.rel("HOSTS_COHORT", rid, cid, src, size_text, presence=PRESENCE[ctype])
        if ctype is CohortType.TRAFFICKING_VICTIMS:
            origin = gen.regencies[int(origins[k])]
            if origin != rid:
                s = f"Sebagian {name} berasal dari {gen.region_name[origin]}."
                gen.rel("HOSTS_COHORT", origin, cid, gen.profile(rid, s), s, presence="origin")
        gen.cohorts_in[rid].append((cid, ctype.value, name, year))
        _serve(gen, cid, ctype, name, rid, year, serve_draws[k])

def _serve(gen: Generator, cid: str, ctype: CohortType, name: str, rid: str, year: int, draws: np.ndarray) -> None:
    seen: set[tuple[int, str]] = set()
    for j, service in enumerate(SERVICE_NEEDS[ctype]):
        if draws[j % len(draws)] > 0.65:
            continue  # a needed service with no recorded provider: the gaps the analytics look for
        roles = PROVIDERS[service]
        role = roles[int(gen.rng.integers(len(roles)))]
        who = gen.provider(role, rid)
        if who is None or (who, service) in seen:
            continue
        seen.add((who, service))
        a = gen.agencies[who]
        since = dt.date(max(YEARS[0], year - int(gen.rng.integers(3))), 1 + int(gen.rng.integers(12)), 1)
        last = dt.date(year, 1 + int(gen.rng.integers(12)), 1 + int(gen.rng.integers(28)))
        if last < since:
            since, last = last, since
        sentence = f"{a.name} memberikan layanan {SERVICE_WORDS[service]} kepada {name}."
        gen.rel("SERVES", a.id, cid, gen.profile(rid, sentence), sentence,
                 service=service, since=since.isoformat(), last_seen=last.isoformat())

def add_facilities(gen: Generator, n: int) -> None:
    """``n`` shelters, transit posts and protection centres, with who operates them and whom they shelter."""
    kinds = gen.rng.choice(4, size=n, p=[0.45, 0.3, 0.15, 0.1])
    for k in range(n):
        kind = ("community_shelter", "hotel_shelter", "transit_post", "protection_centre")[int(kinds[k])]
        table = TRANSIT_HOTSPOTS if kind == "transit_post" else REFUGEE_HOTSPOTS
        rid = gen.regencies[int(gen.hot_choice(table, 1, 0.05)[0])]
        short = short_name(gen.region_name[rid])
        name = {
            "community_shelter": f"Community house pengungsi {short} {k + 1}",
            "hotel_shelter": f"Hotel {NGO_WORDS[int(gen.rng.integers(len(NGO_WORDS)))]} {short} (penampungan {k + 1})",
            "transit_post": f"Pos transit kepulangan PMI {short} {k + 1}",
            "protection_centre": f"Rumah Perlindungan Trauma Center (RPTC) {short} {k + 1}",
        }[kind]
        fid = f"fac-{k + 1:06d}-{rid}"[:80]
        sentence = f"{name} berada di {gen.region_name[rid]}."
        src = gen.profile(rid, sentence)
        address = f"Jalan {NGO_WORDS[k % len(NGO_WORDS)]} No. {k % 97 + 1}, {short}"
        gen.node("facilities", "Facility", {"id": fid, "name": name, "kind": kind, "address": address,
                                             "evidence": evidence_of(src, sentence)})
        gen.rel("LOCATED_IN", fid, rid, src, sentence)
        operator_role = {"community_shelter": "iom", "hotel_shelter": "iom", "transit_post": "bp3mi",
                         "protection_centre": "dinsos"}[kind]
        op = gen.provider(operator_role, rid) or gen.provider("pemda", rid)
        if op is not None:
            s = f"{name} dikelola oleh {gen.agencies[op].name}."
            gen.rel("OPERATES", gen.agencies[op].id, fid, gen.profile(rid, s), s)
        wanted = {"community_shelter": "foreign_refugees", "hotel_shelter": "foreign_refugees",
                  "transit_post": "trafficking_victims", "protection_centre": "trafficking_victims"}[kind]
        matches = [c for c in gen.cohorts_in.get(rid, []) if c[1] == wanted]
        if matches:
            take = gen.rng.choice(len(matches), size=min(len(matches), 1 + int(gen.rng.integers(2))), replace=False)
            for t in sorted(int(x) for x in take):
                cid, _, cname, _ = matches[t]
                count = 1 + int(gen.rng.integers(300))
                s = f"{name} menampung {count} orang dari {cname}."
                gen.rel("SHELTERS", fid, cid, gen.profile(rid, s), s, count=count, count_basis="stated")
        gen.facilities_in[rid].append((fid, kind, name))


# ------------------------------------------------------------ instruments


def add_legal_instruments(gen: Generator, n: int) -> None:
    """The national laws and regulations with their mandates, and regional regulations up to ``n`` in all."""
    for iid, kind, number, year, title, mandates in NATIONAL_INSTRUMENTS:
        name = f"{INSTRUMENT_WORDS[kind]} Nomor {number} Tahun {year} tentang {title}"
        src = gen.profile(None, name + ".")
        gen.node("instruments", "LegalInstrument", {"id": iid, "name": name, "kind": kind, "number": number,
                                                     "year": year, "title": title, "evidence": evidence_of(src, name)})
        gen.instruments.append((iid, name))
        for agency, duty in mandates:
            if agency not in gen.agency_index:
                continue
            s = f"{name} menugaskan {gen.agencies[gen.agency_index[agency]].name} dalam {SERVICE_WORDS[duty]}."
            gen.rel("MANDATES", iid, agency, gen.profile(None, s), s, duty=duty)
    extra = max(n - len(NATIONAL_INSTRUMENTS), 0)
    picks = gen.worker_choice(extra)
    used: set[str] = set()
    for k in range(extra):
        rid = gen.regencies[int(picks[k])]
        pemda = gen.by_role.get(("pemda", rid))
        if pemda is None:
            continue
        year = int(gen.rng.integers(2015, 2025))
        number = str(k + 1)
        iid = f"perda-{rid}-{year}-{number}"[:80]
        if iid in used:
            continue
        used.add(iid)
        title = "Pelindungan Pekerja Migran Indonesia asal " + short_name(gen.region_name[rid])
        name = f"Peraturan Daerah {gen.region_name[rid]} Nomor {number} Tahun {year} tentang {title}"
        src = gen.profile(rid, name + ".")
        gen.node("instruments", "LegalInstrument", {"id": iid, "name": name, "kind": "regional_regulation",
                                                     "number": number, "year": year, "title": title,
                                                     "evidence": evidence_of(src, name)})
        a = gen.agencies[pemda]
        s = f"{a.name} menerapkan {name}."
        gen.rel("APPLIES", a.id, iid, gen.profile(rid, s), s)
        dis = gen.by_role.get(("disnaker", rid))
        if dis is not None:
            s = f"{name} menugaskan {gen.agencies[dis].name} dalam {SERVICE_WORDS['prevention_awareness']}."
            gen.rel("MANDATES", iid, gen.agencies[dis].id, gen.profile(rid, s), s, duty="prevention_awareness")
    # every regency government applies Perpres 125/2016 where refugees live
    for rid in gen.regencies:
        if any(c[1] == "foreign_refugees" for c in gen.cohorts_in.get(rid, [])):
            pemda = gen.by_role.get(("pemda", rid))
            if pemda is not None:
                a = gen.agencies[pemda]
                s = f"{a.name} menerapkan {gen.instruments[0][1]}."
                gen.rel("APPLIES", a.id, gen.instruments[0][0], gen.profile(rid, s), s)


# ------------------------------------------------------------ programmes


def add_programmes(gen: Generator, n: int) -> None:
    """``n`` programmes: who funds and implements them, and the regions, cohorts and facilities they reach."""
    kinds = list(PROGRAMME_KINDS)
    kind_idx = gen.rng.integers(len(kinds), size=n)
    region_w = gen.region_weights(extra=0.3)
    regions = gen.rng.choice(len(gen.regencies), size=n, p=region_w)
    starts = gen.rng.integers(0, (END - START).days - 60, size=n)
    funders = [i for i in gen.global_pool if gen.agencies[i].kind in ("international_office", "ministry")]
    fw = np.array([gen.agencies[i].weight for i in funders])
    fpick = gen.rng.choice(len(funders), size=n, p=fw / fw.sum())
    implementer_pools: dict[str, list[int]] = {}
    for k in range(n):
        kind = kinds[int(kind_idx[k])]
        rid = gen.regencies[int(regions[k])]
        short = short_name(gen.region_name[rid])
        start = START + dt.timedelta(days=int(starts[k]))
        end = min(start + dt.timedelta(days=int(90 + gen.rng.integers(900))), END)
        name = f"{PROGRAMME_WORDS[kind]} {short} {start.year} ({k + 1})"
        pid = f"prog-{k + 1:06d}-{slug(kind)}-{rid}"[:80]
        services = list(PROGRAMME_KINDS[kind])
        record: dict = {"id": pid, "name": name, "kind": kind, "services": services,
                        "start": start.isoformat(), "end": end.isoformat()}
        if kind == "cash_assistance":
            amount = int(gen.rng.integers(5, 30)) * 100_000
            record["money"] = {"amount": amount, "currency": "IDR", "per": "month",
                               "original": f"Rp{amount:,}".replace(",", ".")}
        elif kind == "in_kind_aid":
            value = int(gen.rng.integers(1, 50)) * 100
            record["quantity"] = {"value": value, "unit": "hygiene kits", "original": f"{value:,} paket".replace(",", ".")}
        sentence = f"{name} berjalan dari {start.day} {MONTHS_ID[start.month - 1]} {start.year} hingga {end.day} {MONTHS_ID[end.month - 1]} {end.year}."
        src = gen.profile(rid, sentence)
        record["evidence"] = evidence_of(src, sentence)
        gen.node("programmes", "Programme", record)
        funder = gen.agencies[funders[int(fpick[k])]]
        s = f"{name} didanai oleh {funder.name}."
        gen.rel("FUNDS", funder.id, pid, gen.profile(rid, s), s)
        pool = implementer_pools.get(rid)
        if pool is None:
            pool = implementer_pools[rid] = [
                i for i in gen.local_pool[rid] if gen.agencies[i].role in ("ngo", "dinsos", "disnaker", "pemda", "iom")
            ]
        implementers = set()
        for _ in range(1 + int(gen.rng.integers(3))):
            if pool:
                implementers.add(pool[int(gen.rng.integers(len(pool)))])
        for i in sorted(implementers):
            s = f"{name} dilaksanakan oleh {gen.agencies[i].name}."
            gen.rel("IMPLEMENTS", gen.agencies[i].id, pid, gen.profile(rid, s), s)
        s = f"{name} dilaksanakan di {gen.region_name[rid]}."
        gen.rel("TARGETS", pid, rid, gen.profile(rid, s), s)
        cohorts = gen.cohorts_in.get(rid, [])
        if cohorts:
            for t in sorted({int(x) for x in gen.rng.integers(len(cohorts), size=1 + int(gen.rng.integers(2)))}):
                cid, _, cname, _ = cohorts[t]
                s = f"{name} menyasar {cname}."
                gen.rel("TARGETS", pid, cid, gen.profile(rid, s), s)
        if gen.rng.random() < 0.3:
            facilities = gen.facilities_in.get(rid, [])
            if facilities:
                fid, _, fname = facilities[int(gen.rng.integers(len(facilities)))]
                s = f"{name} mendukung {fname}."
                gen.rel("SUPPORTS", pid, fid, gen.profile(rid, s), s)
            else:
                target = gen.by_role.get(("dinsos", rid))
                if target is not None and target not in implementers:
                    s = f"{name} mendukung {gen.agencies[target].name}."
                    gen.rel("SUPPORTS", pid, gen.agencies[target].id, gen.profile(rid, s), s)
        gen.programmes_in[rid].append((pid, name, start.year))


# ------------------------------------------------------------ cooperation


def add_cooperation(gen: Generator, n: int) -> None:
    """Memoranda of understanding: a regency's government or Dinas with an NGO or international office there."""
    regions = gen.rng.choice(len(gen.regencies), size=n, p=gen.region_weights(extra=1.0))
    national = [gen.by_role[(org, "")] for org in ("iom", "unhcr") if (org, "") in gen.by_role]
    done: set[tuple[int, int]] = set()
    for k in range(n):
        rid = gen.regencies[int(regions[k])]
        sides = [gen.by_role[(r, rid)] for r in ("pemda", "dinsos", "disnaker") if (r, rid) in gen.by_role]
        partners = gen.ngos_in.get(rid, []) + [i for i in gen.local_pool[rid] if gen.agencies[i].role in ("iom", "unhcr")]
        if not sides:
            continue
        a = sides[int(gen.rng.integers(len(sides)))]
        b = (partners[int(gen.rng.integers(len(partners)))] if partners and gen.rng.random() < 0.85
             else national[int(gen.rng.integers(len(national)))])
        if a == b or (a, b) in done:
            continue
        done.add((a, b))
        year = int(gen.rng.integers(2015, 2025))
        seen = dt.date(year, 1 + int(gen.rng.integers(12)), 1 + int(gen.rng.integers(28)))
        s = f"{gen.agencies[a].name} menjalin kerja sama dengan {gen.agencies[b].name} sejak {year}."
        gen.rel("COOPERATES_WITH", gen.agencies[a].id, gen.agencies[b].id, gen.profile(rid, s), s,
                 last_seen=seen.isoformat())
