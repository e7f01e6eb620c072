"""Meetings of a synthetic seed, and the bulletins that report them.

Attendance is heavy-tailed (``1 + Zipf(2.3)`` invited agencies besides the
host, at most 120) and drawn by preferential attachment: an agency's chance
grows with the meetings it has attended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np

from graphmodel.synth.generator import MEETINGS_PER_BULLETIN, Generator
from graphmodel.synth.vocabulary import (
    COHORT_WORDS,
    END,
    MEETING_KIND_P,
    MEETING_KINDS,
    MEETING_WORDS,
    OFFICE_TITLES,
    YEARS,
)
from graphmodel.synth.writing import date_in_words, evidence_of, short_name

__all__ = ["add_meetings"]


def add_meetings(gen: Generator, n: int) -> None:
    """``n`` meetings over the decade, with host, attendees and topics, reported in provincial bulletins."""
    year_w = np.array([0.6, 0.7, 0.8, 0.9, 1.0, 0.7, 0.8, 1.1, 1.2, 1.3])
    day_offsets = []
    years = gen.rng.choice(len(YEARS), size=n, p=year_w / year_w.sum())
    for _ in years:
        day_offsets.append(int(gen.rng.integers(365)))
    dates = sorted(min(dt.date(YEARS[int(y)], 1, 1) + dt.timedelta(days=d), END) for y, d in zip(years, day_offsets, strict=True))
    region_w = gen.region_weights(extra=0.5)
    region_idx = gen.rng.choice(len(gen.regencies), size=n, p=region_w)
    # heavy-tailed attendance: 1 + Zipf(2.3) invited agencies besides the host, at most 120
    sizes = np.minimum(gen.rng.zipf(2.3, size=n), 120)
    kinds = gen.rng.choice(len(MEETING_KINDS), size=n, p=MEETING_KIND_P)
    counts = np.zeros(len(gen.agencies))
    base = np.array([a.weight for a in gen.agencies])
    global_arr = np.array(gen.global_pool, dtype=np.int64)
    # meetings of one province are reported together in bulletins of MEETINGS_PER_BULLETIN meetings
    order = sorted(range(n), key=lambda k: (gen.region_province[gen.regencies[int(region_idx[k])]], dates[k], k))
    in_bulletin: dict[str, int] = defaultdict(int)
    bulletin_no: dict[str, int] = defaultdict(int)
    local_arrays = {rid: np.array(gen.local_pool[rid] + gen.prov_pool[gen.region_province[rid]], dtype=np.int64)
                    for rid in gen.regencies}
    mids = [f"mtg-{dates[k].isoformat()}-{k + 1:06d}" for k in range(n)]
    step = max(n // 100, 1)
    for done, k in enumerate(order):
        if done % step == 0:
            gen.progress("meetings", done, n)
        rid = gen.regencies[int(region_idx[k])]
        code = gen.region_province[rid]
        day = dates[k]
        kind = MEETING_KINDS[int(kinds[k])]
        local = local_arrays[rid]
        # host: the local government side mostly; national or international bodies for handovers and visits
        if kind in ("handover",) or gen.rng.random() < 0.2:
            pool = global_arr
        else:
            pool = local
        p = base[pool] * (1.0 + counts[pool])
        host = int(pool[gen.choice(len(pool), p)])
        k_att = int(sizes[k])
        n_global = int(gen.rng.binomial(k_att, 0.3))
        attendees: list[int] = []
        for arr, m in ((local, k_att - n_global), (global_arr, n_global)):
            cand = arr[arr != host]
            m = min(m, len(cand))
            if m <= 0:
                continue
            p = base[cand] * (1.0 + counts[cand])
            picked = gen.rng.choice(len(cand), size=m, replace=False, p=p / p.sum())
            attendees.extend(int(cand[int(x)]) for x in picked)
        attendees = sorted(set(attendees) - {host})
        counts[host] += 1
        counts[attendees] += 1
        # the bulletin this meeting is reported in
        if in_bulletin[code] == 0:
            bulletin_no[code] += 1
        in_bulletin[code] = (in_bulletin[code] + 1) % MEETINGS_PER_BULLETIN
        prov_name = gen.region_name[gen.region_id_by_code[code]]
        key = f"buletin-{code.replace('.', '')}-{bulletin_no[code]:05d}"
        doc = gen.lib.doc(key, f"Buletin koordinasi penanganan migrasi {prov_name} no. {bulletin_no[code]} (sintetis)",
                           day, room=len(attendees) + 6)
        doc.published = max(doc.published, day)
        src = doc.id
        place = gen.region_name[rid]
        short = short_name(place)
        cohorts = gen.cohorts_in.get(rid, [])
        topic_cohort = gen.near(cohorts, day.year, 3) if cohorts and gen.rng.random() < 0.7 else None
        topic = COHORT_WORDS[topic_cohort[1]].lower() if topic_cohort else "penanganan migrasi"
        name = f"{MEETING_WORDS[kind]} {topic} di {short}"
        mid = mids[k]
        venue = f"Aula kantor {gen.agencies[host].name}"
        opening = f"{name} digelar di {venue}, {place}, {date_in_words(day)}"
        fmt = "online" if (day.year in (2020, 2021) and gen.rng.random() < 0.6) else "in_person"
        record: dict[str, Any] = {"id": mid, "name": name, "kind": kind, "date": day.isoformat(), "date_basis": "stated"}
        if gen.rng.random() < 0.05:
            record["date_basis"] = "inferred"
            record["date_reasoning"] = "The bulletin prints the day and month only; the year is the bulletin year."
        record.update(venue=venue, format=fmt, topics=[topic], evidence=evidence_of(src, opening))
        gen.node("meetings", "Meeting", record)
        doc.add(opening + ".")
        gen.rel("LOCATED_IN", mid, rid, src, opening)
        host_phrase = f"Kegiatan dipimpin oleh {OFFICE_TITLES[0]} {gen.agencies[host].name}"
        doc.add(host_phrase + ".")
        gen.rel("HOSTED", gen.agencies[host].id, mid, src, host_phrase)
        gen.rel("ATTENDED", gen.agencies[host].id, mid, src, host_phrase, role="host")
        phrases = []
        for i in attendees:
            a = gen.agencies[i]
            holders = gen.holders.get(i)
            office = f"perwakilan {a.name}"
            if holders and gen.rng.random() < 0.25:
                pid, pname, poffice = holders[int(gen.rng.integers(len(holders)))]
                phrase = f"{pname} selaku {poffice}"
                gen.rel("ATTENDED", pid, mid, src, phrase)
                office = poffice
            else:
                phrase = office
            phrases.append(phrase)
            role = "visitor" if kind == "visit" and a.role in ("intl", "iom", "unhcr", "national") else (
                "recipient" if kind == "handover" else ("speaker" if gen.rng.random() < 0.1 else "participant"))
            gen.rel("ATTENDED", a.id, mid, src, office, role=role)
        if phrases:
            doc.add("Hadir dalam kegiatan itu " + "; ".join(phrases) + ".")
        if topic_cohort is not None:
            s = f"Pertemuan membahas {topic_cohort[2]}"
            doc.add(s + ".")
            gen.rel("DISCUSSED", mid, topic_cohort[0], src, s)
        programmes = gen.programmes_in.get(rid, [])
        if programmes and gen.rng.random() < 0.3:
            pid, pname, _ = gen.near(programmes, day.year, 2)
            s = f"Peserta juga membahas {pname}"
            doc.add(s + ".")
            gen.rel("DISCUSSED", mid, pid, src, s)
        if gen.instruments and gen.rng.random() < 0.15:
            iid, iname = gen.instruments[int(gen.rng.integers(min(len(gen.instruments), 6)))]
            s = f"Rujukan pembahasan adalah {iname}"
            doc.add(s + ".")
            gen.rel("DISCUSSED", mid, iid, src, s)
    gen.progress("meetings", n, n)
