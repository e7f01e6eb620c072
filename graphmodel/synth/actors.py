"""The actors of a synthetic seed: regions, the skeleton of agencies, NGOs and office holders.

Each builder takes the :class:`~graphmodel.synth.generator.Generator` and
draws from its random generator; :func:`graphmodel.synth.generate` calls them
in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from graphmodel.model.regions import official_regions
from graphmodel.synth.generator import Generator, SynthAgency
from graphmodel.synth.vocabulary import (
    FIRST_NAMES,
    INTERNATIONAL_ORGS,
    LAST_NAMES,
    NATIONAL_AGENCIES,
    NGO_FORMS,
    NGO_WORDS,
    OFFICE_TITLES,
    PROVINCE_ROLES,
    REFUGEE_HOTSPOTS,
    REGENCY_ROLES,
    RUDENIM,
)
from graphmodel.synth.writing import evidence_of, short_name, slug

__all__ = ["add_agency", "add_ngos", "add_people", "add_regions", "add_skeleton"]


def add_regions(gen: Generator) -> None:
    """The country, the planned provinces and the planned regencies and cities, with their official codes."""
    official = official_regions()
    gen.region_name["indonesia"] = "Indonesia"
    gen.node("regions", "Region", {"id": "indonesia", "name": "Indonesia", "aliases": ["Republik Indonesia"],
                                   "kind": "country"})
    used_ids: set[str] = {"indonesia"}
    for code in gen.provinces:
        ref = official[code]
        rid = f"prov-{slug(ref.name)}"
        gen.region_id_by_code[code] = rid
        gen.region_name[rid] = f"Provinsi {ref.name}"
        gen.region_province[rid] = code
        used_ids.add(rid)
        gen.node("regions", "Region", {"id": rid, "name": ref.name, "kind": "province", "code": code,
                                       "parent": "indonesia", "evidence": evidence_of("idn-area-provinces", ref.csv_row)})
    for code in gen.chosen:
        ref = official[code]
        rid = slug(ref.name.replace("Kabupaten ", "kab-"))
        if rid in used_ids:
            rid = f"{rid}-{code.replace('.', '')}"
        used_ids.add(rid)
        gen.region_id_by_code[code] = rid
        gen.region_name[rid] = ref.name
        gen.region_province[rid] = ref.province_code or ""
        gen.regencies.append(rid)
        kind = "city" if ref.is_city else "regency"
        record: dict[str, Any] = {"id": rid, "name": ref.name}
        if short_name(ref.name) != ref.name:
            record["aliases"] = [short_name(ref.name)]
        record.update(kind=kind, code=code, parent=gen.region_id_by_code[ref.province_code or ""],
                      evidence=evidence_of("idn-area-regencies", ref.csv_row))
        gen.node("regions", "Region", record)


# ------------------------------------------------------------ agencies


def add_agency(gen: Generator, a: SynthAgency, *, part_of: str | None = None, jurisdiction: str | None = None,
               seat: str | None = None, aliases: Iterable[str] = ()) -> int:
    """Add one agency with its jurisdiction, seat and parent, each cited in a profile; return its index."""
    index = len(gen.agencies)
    gen.agencies.append(a)
    gen.agency_index[a.id] = index
    where = jurisdiction or seat
    region_for_doc = where if where not in (None, "indonesia") else None
    if where is not None:
        place = gen.region_name[where]
        sentence = f"{a.name} berkedudukan dan berwenang di wilayah {place}."
    else:
        sentence = f"{a.name} merupakan mitra penanganan migrasi di Indonesia."
    src = gen.profile(region_for_doc, sentence)
    record: dict[str, Any] = {"id": a.id, "name": a.name}
    if aliases:
        record["aliases"] = list(aliases)
    record.update(kind=a.kind, level=a.level)
    if a.acronym:
        record["acronym"] = a.acronym
    record["evidence"] = evidence_of(src, sentence)
    gen.node("agencies", "Agency", record)
    if jurisdiction is not None:
        gen.rel("HAS_JURISDICTION", a.id, jurisdiction, src, sentence)
    if seat is not None:
        gen.rel("LOCATED_IN", a.id, seat, src, sentence)
    if part_of is not None:
        parent = gen.agencies[gen.agency_index[part_of]]
        s2 = f"{a.name} merupakan bagian dari {parent.name}."
        gen.rel("PART_OF", a.id, part_of, gen.profile(region_for_doc, s2), s2)
    return index


def add_skeleton(gen: Generator) -> None:
    """National bodies, international organisations, and every province's and regency's offices."""
    for aid, name, kind, acronym, parent, weight in NATIONAL_AGENCIES:
        i = add_agency(gen, SynthAgency(aid, name, kind, "national", "national", "indonesia", None, weight, acronym),
                       part_of=parent, jurisdiction="indonesia")
        gen.global_pool.append(i)
        gen.by_role[(aid, "")] = i
    for org, name, weight in INTERNATIONAL_ORGS:
        add_agency(gen, SynthAgency(org, name, "international_organisation", "international", "intl", None, None,
                                    weight, org.upper()))
        i = add_agency(
            gen,
            SynthAgency(f"{org}-indonesia", f"{name} ({org.upper()}) Indonesia", "international_office", "national",
                        "intl", "indonesia", None, weight, None),
            part_of=org, jurisdiction="indonesia", aliases=[f"{org.upper()} Indonesia"],
        )
        gen.global_pool.append(i)
        gen.by_role[(org, "")] = i
    for code in gen.provinces:
        rid = gen.region_id_by_code[code]
        short = official_regions()[code].name
        for role, kind, fmt, acronym, parent, weight in PROVINCE_ROLES:
            parent_id = (f"pemprov-{slug(short)}" if parent == "pemprov" else parent)
            i = add_agency(
                gen,
                SynthAgency(f"{role}-prov-{slug(short)}" if role != "pemprov" else f"pemprov-{slug(short)}",
                            fmt.format(p=short), kind, "provincial", role, rid, code, weight,
                            acronym.format(p=short) if acronym else None),
                part_of=parent_id, jurisdiction=rid, seat=rid,
            )
            gen.prov_pool[code].append(i)
            gen.by_role[(role, code)] = i
    for rid in gen.regencies:
        name = gen.region_name[rid]
        code = gen.region_province[rid]
        short = short_name(name)
        city = name.startswith("Kota ")
        pemda_name = f"Pemerintah {'Kota' if city else 'Kabupaten'} {short}"
        pemda_id = f"{'pemko' if city else 'pemkab'}-{rid.removeprefix('kota-').removeprefix('kab-')}"
        for role, kind, fmt, acronym, parent, weight in REGENCY_ROLES:
            if role == "pemda":
                aid, aname = pemda_id, pemda_name
                acr: str | None = f"{'Pemko' if city else 'Pemkab'} {short}"
            else:
                aid, aname = f"{role}-{rid}", fmt.format(r=name, s=short)
                acr = acronym.format(s=short) if acronym else None
            if parent == "pemda":
                parent_id = pemda_id
            elif parent:
                parent_id = gen.agencies[gen.by_role[(parent, code)]].id
            else:
                parent_id = None
            i = add_agency(gen, SynthAgency(aid, aname, kind, "regency_city", role, rid, code, weight, acr),
                           part_of=parent_id, jurisdiction=rid, seat=rid)
            gen.local_pool[rid].append(i)
            gen.by_role[(role, rid)] = i
    for code, town in RUDENIM.items():
        found = gen.region_id_by_code.get(code)
        if found is None or found not in gen.local_pool:
            continue
        rid = found
        i = add_agency(
            gen,
            SynthAgency(f"rudenim-{slug(town)}", f"Rumah Detensi Imigrasi (Rudenim) {town}", "detention_centre",
                        "regency_city", "rudenim", rid, gen.region_province[rid], 3.0, f"Rudenim {town}"),
            part_of="ditjen-imigrasi", seat=rid, jurisdiction=rid,
        )
        gen.local_pool[rid].append(i)
        gen.by_role[("rudenim", rid)] = i
    # field offices of IOM and UNHCR where refugees live
    for code, w in sorted(REFUGEE_HOTSPOTS.items(), key=lambda kv: -kv[1]):
        found = gen.region_id_by_code.get(code)
        if found is None or found not in gen.local_pool:
            continue
        rid = found
        short = short_name(gen.region_name[rid])
        for org in ("iom", "unhcr"):
            if org == "unhcr" and w < 4:
                continue
            i = add_agency(
                gen,
                SynthAgency(f"{org}-{rid}", f"{org.upper()} {short}", "international_office", "regency_city", org,
                            rid, gen.region_province[rid], 4.0),
                part_of=f"{org}-indonesia", jurisdiction=rid, seat=rid,
            )
            gen.local_pool[rid].append(i)
            gen.by_role[(org, rid)] = i


def add_ngos(gen: Generator, n: int) -> None:
    """``n`` NGOs where the cohorts are, with log-normal activity (3% of them national)."""
    weights = gen.region_weights(extra=1.0)
    regions = gen.rng.choice(len(gen.regencies), size=n, p=weights)
    activity = gen.rng.lognormal(0.0, 1.0, size=n)
    forms = gen.rng.integers(len(NGO_FORMS), size=n)
    words = gen.rng.integers(len(NGO_WORDS), size=(n, 2))
    national = gen.rng.random(n) < 0.03
    for k in range(n):
        rid = gen.regencies[int(regions[k])]
        short = short_name(gen.region_name[rid])
        name = f"{NGO_FORMS[forms[k]]} {NGO_WORDS[words[k, 0]]} {NGO_WORDS[words[k, 1]]} {short}"
        aid = f"ngo-{k + 1:06d}-{slug(short)}"[:80]
        level = "national" if national[k] else "regency_city"
        i = add_agency(gen, SynthAgency(aid, name, "ngo", level, "ngo", rid, gen.region_province[rid],
                                        float(activity[k])), seat=rid)
        (gen.global_pool if national[k] else gen.local_pool[rid]).append(i)
        gen.ngos_in[rid].append(i)


def add_people(gen: Generator, n: int) -> None:
    """``n`` office holders of agencies drawn by weight."""
    w = np.array([a.weight for a in gen.agencies])
    picks = gen.rng.choice(len(gen.agencies), size=n, p=w / w.sum())
    firsts = gen.rng.integers(len(FIRST_NAMES), size=n)
    lasts = gen.rng.integers(len(LAST_NAMES), size=n)
    titles = gen.rng.integers(len(OFFICE_TITLES), size=n)
    for k in range(n):
        a = gen.agencies[int(picks[k])]
        pid = f"person-{k + 1:06d}"
        name = f"{FIRST_NAMES[firsts[k]]} {LAST_NAMES[lasts[k]]}"
        office = f"{OFFICE_TITLES[titles[k]]} {a.name}"
        sentence = f"{name} menjabat sebagai {office}."
        region = a.region if a.region != "indonesia" else None
        src = gen.profile(region, sentence)
        gen.node("people", "Person", {"id": pid, "name": name, "office": office, "evidence": evidence_of(src, sentence)})
        gen.rel("HOLDS_OFFICE", pid, a.id, src, sentence, office=office)
        gen.holders[int(picks[k])].append((pid, name, office))
