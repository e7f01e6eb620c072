"""Agency names in Indonesian news: the head words, unit names and places that make them.

The rules work on top of the gazetteer's spaCy spans (the seed's agencies,
known organisations) and add the Indonesian agency-name patterns:

========================  ==================================================
head                      examples
========================  ==================================================
Rudenim / Rumah Detensi   Rudenim Kupang, Rumah Detensi Imigrasi (Rudenim) Jalan Selebes, Medan Belawan
Kantor Imigrasi           Kantor Imigrasi Kelas I TPI Pekanbaru
Pemerintah / Pemko ...    Pemko Medan, Pemerintah Kota (Pemko) Pekanbaru, Pemprov NTB
office holders            Wakil Wali Kota Medan, Bupati Sergai, Wagub NTB (-> their government)
Dinas / Badan / Balai     Dinas Sosial Dan Tenaga Kerja Kota Medan, Kesbangpol Kota Makassar, BP3MI Jatim
police                    Polres Sergai, Wakapolres Sergai, Polda Kepri, Polresta Pekanbaru
military                  Kodim 0204/DS, Pabung 0204/DS
Kanwil                    Kantor Wilayah Kementerian Hukum dan HAM Sumut (and the ministry)
Kementerian / Kemen...    Kementerian Sosial RI, Kemensos, Mensos (-> the ministry)
Ditjen / Direktorat       Direktorat Jendral (Ditjen) Imigrasi, Direktur Lalu Lintas Keimigrasian
Satgas / Gugus Tugas      Satgas Nasional Penanganan Covid-19, Gugus Tugas TPPO Provinsi NTT
DPRD                      DPRD Kab. Lombok Timur
IOM / UNHCR / PMI         International Of Migration (IOM) Kupang, IOM UN, Palang Merah Indonesia (PMI) Kota Surabaya
========================  ==================================================

Unit names in the middle of a pattern ("Dinas *Sosial dan Tenaga Kerja* Kota
Medan") may use only the words of :data:`UNIT_WORDS`, acronyms and "dan", so
a person's name that follows a title ("Direktur Jenderal Rehabilitasi Sosial
*Harry Hikmat*") is not swallowed into the agency's name.

Like every rule, they cost time in proportion to the text's length: a rule
looks at a bounded window around what it matched (never "the rest of the
text"), finds the region after a head by bisection, and turns down
overlapping mentions by :class:`~graphmodel.extract.text.Claimed` characters,
not by comparing with every mention kept so far.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from graphmodel.extract.agency_words import (
    ACRONYM,
    CONNECTORS,
    UNIT_WORDS,
    clean_name,
    fits_between,
    paren_acronym,
    region_phrase,
)
from graphmodel.extract.gazetteer import MINISTRY_ACRONYMS, SPANS_KEY, Gazetteer, RegionEntry
from graphmodel.extract.mentions import AgencyMention, PmiMention, RegionMention
from graphmodel.extract.text import Claimed
from graphmodel.model.schema import AdminLevel, AgencyKind, RegionKind

__all__ = ["find_agencies"]

class _AgencyFinder:
    def __init__(self, text: str, doc, gaz: Gazetteer, regions: list[RegionMention], pmi: list[PmiMention]):
        self.text, self.doc, self.gaz, self.regions, self.pmi = text, doc, gaz, regions, pmi
        self.out: list[AgencyMention] = []
        # regions are in order and do not overlap: their starts and their ends both increase
        self.region_starts = [r.start for r in regions]
        self.region_ends = [r.end for r in regions]

    def tail_region(self, pos: int, head_start: int, **kw) -> tuple[RegionMention, str] | None:
        """The region that ends an agency name begun before ``pos`` (None when the words between do not fit)."""
        i = bisect_right(self.region_ends, pos)  # the first region ending after pos
        while i < len(self.regions) and self.regions[i].start < head_start:
            i += 1  # one that holds the head itself is not its tail
        if i == len(self.regions):
            return None
        reg = self.regions[i]
        middle = self.text[pos : reg.start] if reg.start >= pos else ""
        if reg.start - pos > 120:
            return None
        return (reg, middle) if fits_between(middle, **kw) else None

    def region_after(self, pos: int) -> RegionMention | None:
        """The region named right after ``pos``, with nothing but spaces between (None if none)."""
        i = bisect_right(self.region_starts, pos)  # the first region starting after pos
        if i == len(self.regions):
            return None
        reg = self.regions[i]
        # a later region would have this one's name in between
        return reg if not self.text[pos : reg.start].strip() else None

    def add(self, start: int, end: int, canonical: str, kind: AgencyKind, level: AdminLevel, rule: str,
            confidence: float, *, aliases=(), region: str | None = None, acronym=None, note=None) -> AgencyMention:
        m = AgencyMention(start, end, self.text[start:end], canonical, kind, level, rule, confidence,
                          tuple(a for a in dict.fromkeys(aliases) if a and a != canonical), region, acronym, note=note)
        self.out.append(m)
        return m

    # ------------------------------------------------------------------ gazetteer

    def gazetteer(self) -> None:
        for s in self.doc.spans[SPANS_KEY]:
            if s.label_ == "AGENCY":
                ids = tuple(sorted(s.id_.split("|")))
                m = self.add(s.start_char, s.end_char, s.text, AgencyKind.OTHER, AdminLevel.NATIONAL,
                             "agency:seed-name", 0.95)
                m.seed_ids = ids
            elif s.label_ == "ORG":
                org = self.gaz.org(s.id_)
                if org is None or org.name == "Palang Merah Indonesia":
                    continue  # the Red Cross is found by its own rule, with its branch
                if org.acronym == "IOM" or org.acronym == "UNHCR":
                    continue  # found by the IOM/UNHCR rule, with its office
                self.add(s.start_char, s.end_char, org.name, org.kind, org.level, "agency:known-organisation", 0.9,
                         aliases=(s.text,), acronym=org.acronym)

    # ------------------------------------------------------------------ region-tailed heads

    def regional(self) -> None:
        t = self.text
        heads = [
            (r"\b(?:Rumah Detensi Imigrasi|Rudenim)\b", "rudenim"),
            (r"\b(?:Kantor Imigrasi|Kanim)\b", "kanim"),
            (r"\b(?:[Pp]emerintah\s+(?:[Kk]ota|[Kk]abupaten|[Pp]rovinsi))(?=\s)", "pemda"),
            (r"\b(?:Pemko|Pemkot|Pemkab|Pemprov)\b", "pemda"),
            (r"\b(?:Pj\.?\s+|Plt\.?\s+|Plh\.?\s+)?(?:Wakil\s+Wali\s?[Kk]ota|Wali\s?[Kk]ota|Walkot|Wakil\s+Bupati|Bupati|"
             r"Wakil\s+Gubernur|Gubernur|Wagub|Wabup|Wawali|Wawalkot|Sekda|Sekdakab|Sekdakot|Sekdaprov|"
             r"Sekretaris\s+Daerah|Kepala\s+OPD|OPD)\b", "office"),
            (r"\b(?:Dinas|Badan|Balai|Bagian|Biro|Kantor|UPT|UPTD|Suku\s+Dinas)\b", "unit"),
            (r"\b(?:Dinsos|Dinkes|Disnaker|Disnakertrans|Disdukcapil|Dukcapil|Kesbangpol|Bakesbangpol|Bappeda|"
             r"BPBD|Satpol\s+PP|BP3MI|BP2MI|UPT\s+BP2MI|P4MI|LTSA)\b", "unit-acronym"),
            (r"\b(?:Kepolisian\s+Daerah|Kepolisian\s+Resor(?:\s+Kota(?:\s+Besar)?)?|Kepolisian\s+Sektor|"
             r"Polda|Polres|Polresta|Polrestabes|Polsek|Polsekta|Kapolda|Wakapolda|Kapolres|Wakapolres|Kapolresta|"
             r"Wakapolresta|Kapolrestabes|Kapolsek|Mapolda|Mapolres|Mapolresta)\b", "police"),
            (r"\b(?:DPRD|Dewan\s+Perwakilan\s+Rakyat\s+Daerah)\b", "dprd"),
        ]
        for pattern, head in heads:
            for h in re.finditer(pattern, t):
                if head == "rudenim":
                    found = self.tail_region(h.end(), h.start(), address=True, acronyms=False)
                elif head == "kanim":
                    found = self.tail_region(h.end(), h.start(), acronyms=True, max_words=5)
                elif head in ("pemda", "office", "police", "dprd"):
                    found = self.tail_region(h.end(), h.start(), max_words=3)
                elif head == "unit":
                    found = self.tail_region(h.end(), h.start(), allow_empty=False)
                else:
                    found = self.tail_region(h.end(), h.start(), max_words=4)
                if found is None:
                    continue
                reg_m, middle = found
                reg = self.gaz.regions[reg_m.code]
                self.regional_agency(head, h, reg_m, reg, middle)

    def regional_agency(self, head: str, h: re.Match, reg_m: RegionMention, reg: RegionEntry, middle: str) -> None:
        t = self.text
        start, end = h.start(), reg_m.end
        printed = t[start:end]
        where = region_phrase(reg)
        base = reg.base if reg.kind is not RegionKind.PROVINCE else reg.name
        if head == "rudenim":
            self.add(start, end, f"Rumah Detensi Imigrasi {base}", AgencyKind.DETENTION_CENTRE, AdminLevel.REGENCY_CITY,
                     "agency:rudenim", 0.85, aliases=(f"Rudenim {reg_m.text}", f"Rumah Detensi Imigrasi {reg_m.text}"),
                     region=reg.code)
        elif head == "kanim":
            self.add(start, end, f"Kantor Imigrasi {base}", AgencyKind.IMMIGRATION_OFFICE, AdminLevel.REGENCY_CITY,
                     "agency:kantor-imigrasi", 0.85, aliases=(clean_name(printed),), region=reg.code)
        elif head in ("pemda", "office"):
            word = h.group(0)
            if head == "office" and re.search(r"(?i)wali\s?kota|walkot|wawali", word) and reg.kind is RegionKind.REGENCY:
                return
            if head == "office" and re.search(r"(?i)bupati|wabup", word) and reg.kind is RegionKind.CITY:
                return
            canon = {RegionKind.PROVINCE: "Pemerintah Provinsi", RegionKind.CITY: "Pemerintah Kota",
                     RegionKind.REGENCY: "Pemerintah Kabupaten"}[reg.kind] + f" {base}"
            short = {RegionKind.PROVINCE: "Pemprov", RegionKind.CITY: "Pemko", RegionKind.REGENCY: "Pemkab"}[reg.kind]
            aliases = (f"{short} {reg_m.text}",) if head == "office" else (clean_name(printed), f"{short} {reg_m.text}")
            rule, conf = ("agency:office-holder", 0.75) if head == "office" else ("agency:regional-government", 0.9)
            note = f"named through the office '{clean_name(printed)}'" if head == "office" else None
            self.add(start, end, canon, AgencyKind.REGIONAL_GOVERNMENT, reg.level, rule, conf, aliases=aliases,
                     region=reg.code, note=note)
        elif head in ("unit", "unit-acronym"):
            word = re.sub(r"\s+", " ", h.group(0))
            middle_clean = clean_name(middle)
            if head == "unit" and word in ("Kantor", "Balai", "Bagian", "Biro") and not middle_clean:
                return
            if head == "unit" and word == "Kantor" and re.match(r"(?i)wilayah", middle_clean):
                return  # Kanwil: its own rule
            acronym = paren_acronym(middle)
            if head == "unit-acronym":
                expansion = {
                    "Dinsos": "Dinas Sosial", "Dinkes": "Dinas Kesehatan", "Disnaker": "Dinas Tenaga Kerja",
                    "Disnakertrans": "Dinas Tenaga Kerja dan Transmigrasi",
                    "Disdukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
                    "Dukcapil": "Dinas Kependudukan dan Pencatatan Sipil",
                    "Kesbangpol": "Badan Kesatuan Bangsa dan Politik", "Bakesbangpol": "Badan Kesatuan Bangsa dan Politik",
                    "Bappeda": "Badan Perencanaan Pembangunan Daerah", "BPBD": "Badan Penanggulangan Bencana Daerah",
                    "Satpol PP": "Satuan Polisi Pamong Praja",
                    "BP3MI": "Balai Pelayanan Pelindungan Pekerja Migran Indonesia",
                    "BP2MI": "Balai Pelayanan Pelindungan Pekerja Migran Indonesia",
                    "UPT BP2MI": "Balai Pelayanan Pelindungan Pekerja Migran Indonesia",
                    "P4MI": "Pos Pelayanan Penempatan dan Pelindungan Pekerja Migran Indonesia",
                    "LTSA": "Layanan Terpadu Satu Atap",
                }[word]
                unit_name, acronym = expansion, word
            else:
                unit_name = f"{word} {middle_clean}".strip()
            unit_name = re.sub(r"\s+(?:Kota|Kabupaten|Kab\.?|Provinsi|Prov\.?)$", "", unit_name)
            is_balai = unit_name.startswith(("Balai", "Pos Pelayanan", "Layanan Terpadu")) or word in ("BP3MI", "BP2MI", "UPT BP2MI", "P4MI")
            if is_balai:
                canonical = f"{unit_name} {base}"
                kind = AgencyKind.MINISTRY_REGIONAL_OFFICE
            else:
                canonical = f"{unit_name} {where}"
                kind = AgencyKind.REGIONAL_DEPARTMENT
            unit_aliases = [clean_name(printed)]
            if acronym:
                unit_aliases.append(f"{acronym} {reg_m.text}")
                if reg.kind is not RegionKind.PROVINCE:
                    unit_aliases.append(f"{acronym} {where}")
            self.add(start, end, canonical, kind, reg.level, "agency:regional-unit", 0.8, aliases=unit_aliases,
                     region=reg.code, acronym=acronym)
        elif head == "police":
            word = h.group(0)
            w = re.sub(r"^(?:Waka|Ka|Ma)(?=pol)", "", word)
            w = {"Kepolisian Daerah": "Polda", "Kepolisian Resor": "Polres", "Kepolisian Resor Kota": "Polresta",
                 "Kepolisian Resor Kota Besar": "Polrestabes", "Kepolisian Sektor": "Polsek"}.get(re.sub(r"\s+", " ", w), w)
            w = w[0].upper() + w[1:]
            canonical = {
                "Polda": f"Kepolisian Daerah {reg.name if reg.kind is RegionKind.PROVINCE else base}",
                "Polres": f"Kepolisian Resor {base}", "Polresta": f"Kepolisian Resor Kota {base}",
                "Polrestabes": f"Kepolisian Resor Kota Besar {base}", "Polsek": f"Kepolisian Sektor {base}",
                "Polsekta": f"Kepolisian Sektor Kota {base}",
            }.get(w, f"{w} {base}")
            level = AdminLevel.PROVINCIAL if w == "Polda" else AdminLevel.REGENCY_CITY
            office = word != w and not word.startswith(("Kepolisian", "Polda", "Polres", "Polsek"))
            self.add(start, end, canonical, AgencyKind.POLICE, level, "agency:office-holder" if office else "agency:police",
                     0.75 if office else 0.85, aliases=(f"{w} {reg_m.text}",), region=reg.code,
                     note=f"named through the office '{word}'" if office else None)
        elif head == "dprd":
            self.add(start, end, f"DPRD {reg.name if reg.kind is not RegionKind.PROVINCE else where}", AgencyKind.OTHER,
                     reg.level, "agency:dprd", 0.85, aliases=(clean_name(printed),), region=reg.code)

    # ------------------------------------------------------------------ national heads

    def _unit_words(self, pos: int, *, acronyms: bool = False, stop: str | None = None, max_words: int = 10) -> tuple[int, list[str]]:
        """Unit-name words from ``pos``: (end offset, words). Stops at any other word or punctuation."""
        words: list[tuple[str, int]] = []
        at = pos
        word_re = re.compile(r"\s*(\([^()]{1,40}\)|[^\s(),.;:\"“”]+)")
        while len(words) < max_words:
            m = word_re.match(self.text, at)
            if not m:
                break
            w = m.group(1)
            if stop and re.match(stop, w):
                break
            ok = (w.startswith("(") and bool(words)) or w.casefold() in UNIT_WORDS or (w in CONNECTORS and bool(words)) \
                or (acronyms and bool(ACRONYM.match(w))) or w.casefold() == "covid-19"
            if not ok or (w[:1].islower() and w not in CONNECTORS):
                break
            words.append((w, m.end(1)))
            at = m.end(1)
        while words and words[-1][0] in CONNECTORS:
            words.pop()
        end = words[-1][1] if words else pos
        return end, [w for w, _ in words]

    def national(self) -> None:
        t = self.text
        # Kantor Wilayah / Kanwil <ministry> <region>
        for h in re.finditer(r"\b(?:Kantor\s+Wilayah|Kanwil)\s+(?=Kemen|Kementerian)", t):
            mm = _KANWIL_MINISTRY.match(t, h.end())
            if mm and mm.group(1):
                ministry_end = mm.end()
                ministry = MINISTRY_ACRONYMS.get(mm.group(1).casefold(), mm.group(1))
            else:
                ministry_end, words = self._unit_words(h.end() + len("Kementerian"))
                if not words:
                    continue
                ministry = clean_name(t[h.end():ministry_end])
            found = self.tail_region(ministry_end, h.start(), max_words=2)
            if found is None:
                continue
            reg_m, _ = found
            reg = self.gaz.regions[reg_m.code]
            kanwil = self.add(h.start(), reg_m.end, f"Kantor Wilayah {ministry} {reg.name if reg.kind is RegionKind.PROVINCE else reg.base}",
                              AgencyKind.MINISTRY_REGIONAL_OFFICE, reg.level, "agency:kanwil", 0.85,
                              aliases=(clean_name(t[h.start():reg_m.end]),), region=reg.code)
            printed_ministry = t[h.end():ministry_end]
            parent = AgencyMention(h.end(), ministry_end, printed_ministry, MINISTRY_ACRONYMS.get(printed_ministry.casefold(), clean_name(printed_ministry)),
                                   AgencyKind.MINISTRY, AdminLevel.NATIONAL, "agency:kanwil-ministry", 0.85,
                                   aliases=(clean_name(printed_ministry),), nested=True)
            kanwil.parent = parent
            kanwil.parent_note = "a Kantor Wilayah is the ministry's regional office"
            self.out.append(parent)
        # Kementerian <words> [RI], Kemen<x>, Menteri <words>, Mensos ...
        for h in re.finditer(r"\bKementerian\b", t):
            end, words = self._unit_words(h.end())
            if not words:
                continue
            ri = _RI.match(t, end)
            full_end = ri.end() if ri else end
            name = clean_name(t[h.start():end])
            self.add(h.start(), full_end, name, AgencyKind.MINISTRY, AdminLevel.NATIONAL, "agency:ministry", 0.85,
                     aliases=(clean_name(t[h.start():full_end]),))
        for h in re.finditer(r"\b(?:Kemen(?!terian)[A-Za-z]+|Kemnaker|Mensos|Menlu|Menaker|Menkumham|Mendagri|Menkes|Menag|Menimipas)\b", t):
            ministry_name = MINISTRY_ACRONYMS.get(h.group(0).casefold())
            if not ministry_name:
                if not h.group(0).startswith("Kemen"):
                    continue
                ministry_name = h.group(0)
            office = h.group(0).startswith("Men")
            self.add(h.start(), h.end(), ministry_name, AgencyKind.MINISTRY, AdminLevel.NATIONAL,
                     "agency:office-holder" if office else "agency:ministry", 0.75 if office else 0.85,
                     aliases=() if office else (h.group(0),), acronym=None if office else h.group(0),
                     note=f"named through the office '{h.group(0)}'" if office else None)
        for h in re.finditer(r"\b(?:Wakil\s+)?Menteri\s+(?=[A-Z])", t):
            end, words = self._unit_words(h.end())
            if not words:
                continue
            name = "Kementerian " + clean_name(t[h.end():end])
            self.add(h.start(), end, name, AgencyKind.MINISTRY, AdminLevel.NATIONAL, "agency:office-holder", 0.75,
                     note=f"named through the office '{clean_name(t[h.start():end])}'")
        # Direktorat Jenderal / Ditjen / Dirjen / Direktur Jenderal <words>
        for h in re.finditer(r"\b(?:Direktorat\s+Jend(?:e)?ral|Direktur\s+Jend(?:e)?ral|Ditjen|Dirjen)\b(?:\s*\((?:Ditjen|Dirjen)\))?", t):
            end, words = self._unit_words(h.end(), stop=r"Direktorat|Ditjen|Dirjen")
            if not words:
                continue
            office = h.group(0).startswith(("Direktur", "Dirjen"))
            name = "Direktorat Jenderal " + clean_name(t[h.end():end])
            self.add(h.start(), end, name, AgencyKind.DIRECTORATE_GENERAL, AdminLevel.NATIONAL,
                     "agency:ditjen", 0.8 if office else 0.85, aliases=(clean_name(t[h.start():end]),),
                     note=f"named through the office '{clean_name(t[h.start():end])}'" if h.group(0).startswith("Direktur") else None)
        # Direktorat / Direktur <words> [parent]
        for h in re.finditer(r"\b(?:Direktorat|Direktur)\s+(?!Jend)", t):
            end, words = self._unit_words(h.end(), stop=r"Direktorat|Ditjen|Dirjen|Polda|Polres|Bareskrim|Kementerian")
            if not words:
                continue
            name = "Direktorat " + clean_name(t[h.end():end])
            gap = _SPACES.match(t, end)
            after = gap.end() if gap else end
            self.pending_parents.append((h.start(), end, after, name, h.group(0).startswith("Direktur")))
        # Satgas / Satuan Tugas / Gugus Tugas
        for h in re.finditer(r"\b(?:Satgas|Satuan\s+Tugas|Gugus\s+Tugas|Gugas)\b", t):
            end, words = self._unit_words(h.end(), acronyms=True, stop=r"Kota\b|Kabupaten\b|Kab\.|Provinsi\b|Prov\.")
            found = self.tail_region(end, h.start(), max_words=2)
            if found is not None and found[0].start - end < 15:
                reg_m, _ = found
                reg = self.gaz.regions[reg_m.code]
                full_end, region, level = reg_m.end, reg.code, reg.level
            else:
                if not words:
                    continue
                full_end, region = end, None
                level = AdminLevel.NATIONAL
            printed = t[h.start():full_end]
            if not words and region is None:
                continue
            acronym = paren_acronym(printed)
            canonical = clean_name(printed)
            aliases = [canonical]
            if acronym:
                head = "Satgas" if h.group(0).startswith(("Sat", "Satuan")) else "Gugus Tugas"
                alias = acronym if acronym.startswith(("Satgas", "Gugus")) else f"{head} {acronym}"
                if region is not None and found is not None:
                    alias += " " + t[found[0].start:found[0].end]
                aliases.append(alias)
            if region is not None and found is not None:
                reg = self.gaz.regions[region]
                canonical = re.sub(re.escape(found[0].text) + "$", region_phrase(reg), canonical)
            self.add(h.start(), full_end, canonical, AgencyKind.TASK_FORCE, level, "agency:task-force", 0.8,
                     aliases=aliases, region=region, acronym=acronym,
                     note=None if region or "Nasional" in printed else "no region printed: level and jurisdiction are guesses")
        # Kodim / Pabung / Dandim NNNN/XX
        for h in re.finditer(r"\b(Kodim|Pabung|Dandim|Korem|Danrem)\s+(\d{3,4})\s*/\s*([A-Z][\w]*)(?:\s+([A-Z][\w]*))?", t):
            num, n1, n2 = h.group(2), h.group(3), h.group(4)
            name, end = n1, h.end(3)
            if n2 and self.gaz.lookup_region(f"{n1} {n2}"):
                name, end = f"{n1} {n2}", h.end(4)
            codes = self.gaz.lookup_region(name)
            cmd = "Komando Distrik Militer" if h.group(1) in ("Kodim", "Pabung", "Dandim") else "Komando Resor Militer"
            short = "Kodim" if cmd.startswith("Komando Distrik") else "Korem"
            office = h.group(1) not in ("Kodim", "Korem")
            self.add(h.start(), end, f"{cmd} {num}/{name}", AgencyKind.MILITARY, AdminLevel.REGENCY_CITY,
                     "agency:military", 0.8, aliases=(f"{short} {num}/{name}",),
                     region=next(iter(codes)) if len(codes) == 1 else None,
                     note=f"named through the office '{h.group(1)} {num}/{name}'" if office else None)

    def directorates(self) -> None:
        parents = (AgencyKind.DIRECTORATE_GENERAL, AgencyKind.POLICE, AgencyKind.MINISTRY)
        starting_at: dict[int, AgencyMention] = {}  # the first mention that can be a parent, by where it starts
        for m in self.out:
            if not m.nested and (m.seed_ids or m.kind in parents):
                starting_at.setdefault(m.start, m)
        for start, end, after, name, office in self.pending_parents:
            parent = starting_at.get(after)
            canonical = name
            if parent is not None and parent.kind is AgencyKind.POLICE and parent.region:
                canonical = f"{name} {parent.text}"
            m = self.add(start, end, canonical, AgencyKind.DIRECTORATE,
                         parent.level if parent is not None and parent.kind is AgencyKind.POLICE else AdminLevel.NATIONAL,
                         "agency:directorate", 0.8, aliases=(name,) if canonical != name else (),
                         region=parent.region if parent is not None else None,
                         note=f"named through the office '{self.text[start:end]}'" if office else None)
            if parent is not None:
                m.parent = parent
                m.parent_note = "the directorate's name is followed by its parent's"

    # ------------------------------------------------------------------ IOM, UNHCR, Red Cross

    def international(self) -> None:
        t = self.text
        families = [
            ("IOM", "International Organization for Migration",
             r"(?:the\s+)?(?:International\s+Organi[sz]ations?\s+(?:for|of)\s+Migra(?:tion|nt|si)|International\s+Of\s+Migration|"
             r"Organisasi\s+Internasional\s+untuk\s+Migrasi)(?:\s*\(\s*IOM\s*\))?|\bIOM\b"),
            ("UNHCR", "United Nations High Commissioner for Refugees",
             r"(?:United\s+Nations\s+High\s+Commissioner\s+for\s+Refugees|UN\s+Refugee\s+Agency|"
             r"Komisariat\s+Tinggi\s+PBB\s+untuk\s+(?:Urusan\s+)?Pengungsi)(?:\s*\(\s*UNHCR\s*\))?|\bUNHCR\b"),
        ]
        for acronym, full, pattern in families:
            taken = Claimed(len(t))
            for h in re.finditer(pattern, t):
                if taken.covers(h.start()):
                    continue
                end = h.end()
                printed_head = clean_name(t[h.start():end])
                suffix = _UN_SUFFIX.match(t, end)
                reg_m = self.region_after(end)
                if suffix and suffix.group(1) == "Indonesia":
                    end = suffix.end()
                    self.add(h.start(), end, f"{full} ({acronym}) Indonesia", AgencyKind.INTERNATIONAL_OFFICE,
                             AdminLevel.NATIONAL, "agency:international", 0.9,
                             aliases=(clean_name(t[h.start():end]), f"{acronym} Indonesia"), acronym=None)
                elif suffix:
                    end = suffix.end()
                    printed = re.sub(r"^the\s+", "", t[h.start():end]).strip()
                    self.add(h.start(), end, printed, AgencyKind.INTERNATIONAL_OFFICE, AdminLevel.NATIONAL,
                             "agency:international", 0.7, aliases=(t[h.start():end], f"{acronym} {suffix.group(1)}"),
                             note=f"'{suffix.group(1)}' after {acronym}: the organisation's country office, or the organisation itself? check")
                elif reg_m is not None and reg_m.start - end <= 1:
                    reg = self.gaz.regions[reg_m.code]
                    end = reg_m.end
                    base = reg.base if reg.kind is not RegionKind.PROVINCE else reg.name
                    m = self.add(h.start(), end, f"{acronym} {base}", AgencyKind.INTERNATIONAL_OFFICE, reg.level,
                                 "agency:international-office", 0.85,
                                 aliases=(clean_name(t[h.start():end]), f"{acronym} {reg_m.text}"), region=reg.code)
                    m.parent = AgencyMention(h.start(), h.end(), t[h.start():h.end()], f"{full} ({acronym}) Indonesia",
                                             AgencyKind.INTERNATIONAL_OFFICE, AdminLevel.NATIONAL, "agency:international", 0.6,
                                             nested=True)
                    m.parent_note = f"a field office of {acronym} in Indonesia"
                else:
                    self.add(h.start(), end, full, AgencyKind.INTERNATIONAL_ORGANISATION, AdminLevel.INTERNATIONAL,
                             "agency:international", 0.9, aliases=(printed_head,) if printed_head != acronym else (),
                             acronym=acronym)
                taken.claim(h.start(), end)
        # the Red Cross: by name, or as a "PMI" that reads as the Red Cross
        spots: list[tuple[int, int, PmiMention | None]] = [(m.start(), m.end(), None) for m in re.finditer(r"\bPalang\s+Merah\s+Indonesia(?:\s*\(\s*PMI\s*\))?", t)]
        named = Claimed(len(t))
        for a, b, _ in spots:
            named.claim(a, b)
        spots += [(p.start, p.end, p) for p in self.pmi if p.reading.is_red_cross and not named.covers(p.start)]
        for start, end, pmi in spots:
            reg_m = self.region_after(end)
            if reg_m is not None and not re.match(r"(?i)kota|kab|provinsi", reg_m.text):
                reg_m = None
            note = None
            if pmi is not None:
                note = f"'PMI' read as the Red Cross (Palang Merah Indonesia), not migrant workers: {'; '.join(pmi.reading.cues[:3])}"
            if reg_m is not None and reg_m.start - end <= 1:
                reg = self.gaz.regions[reg_m.code]
                where = region_phrase(reg)
                self.add(start, reg_m.end, f"Palang Merah Indonesia {where}", AgencyKind.NGO, reg.level,
                         "agency:red-cross", 0.85 if pmi is None else pmi.reading.confidence,
                         aliases=(f"PMI {reg_m.text}", f"PMI {where}"), region=reg.code, acronym="PMI", note=note)
            else:
                self.add(start, end, "Palang Merah Indonesia", AgencyKind.NGO, AdminLevel.NATIONAL, "agency:red-cross",
                         0.85 if pmi is None else pmi.reading.confidence, acronym="PMI", note=note)

    def run(self) -> list[AgencyMention]:
        self.pending_parents: list = []
        self.gazetteer()
        self.regional()
        self.international()
        self.national()
        self.directorates()
        return _select_agencies(self.out)


# matched at an offset of the text (pattern.match(text, pos)): matching a slice text[pos:] would copy the rest
# of the text each time
_KANWIL_MINISTRY = re.compile(r"(Kemen(?!terian)\w+)|Kementerian")
_RI = re.compile(r"\s+(?:RI|Republik Indonesia)\b")
_SPACES = re.compile(r"\s+")
_UN_SUFFIX = re.compile(r"\s+(Indonesia|UN|United Nations|PBB|Perserikatan Bangsa-Bangsa)\b")


def _select_agencies(found: list[AgencyMention]) -> list[AgencyMention]:
    """Longest mention wins where mentions overlap; nested parents are kept."""
    nested = [m for m in found if m.nested]
    rule_rank = {"agency:seed-name": 0}
    ranked = sorted((m for m in found if not m.nested),
                    key=lambda m: (-(m.end - m.start), rule_rank.get(m.rule, 1), -m.confidence, m.start))
    chosen: list[AgencyMention] = []
    claimed = Claimed(max((m.end for m in ranked), default=0))
    chosen_at: dict[tuple[int, int], AgencyMention] = {}  # chosen mentions do not overlap: one per span
    for m in ranked:
        if claimed.overlaps(m.start, m.end):
            # a seed-name match of exactly the same span adds its ids to the rule's richer mention
            same = chosen_at.get((m.start, m.end))
            if same is not None and m.seed_ids and not same.seed_ids:
                same.seed_ids = m.seed_ids
            elif same is not None and same.seed_ids and not m.seed_ids and same.rule == "agency:seed-name":
                # keep the seed match, but learn kind, level and region from the rule
                same.kind, same.level, same.region = m.kind, m.level, m.region
                same.canonical, same.aliases, same.acronym = m.canonical, m.aliases, m.acronym
                same.parent, same.parent_note = m.parent, m.parent_note
            continue
        chosen.append(m)
        claimed.claim(m.start, m.end)
        chosen_at[(m.start, m.end)] = m
    parents = {id(c.parent) for c in chosen if c.parent is not None}
    keep_nested = [n for n in nested if id(n) in parents]
    return sorted(chosen + keep_nested, key=lambda m: (m.start, -m.end))


def find_agencies(text: str, doc, gaz: Gazetteer, regions: list[RegionMention], pmi: list[PmiMention]) -> list[AgencyMention]:
    """Every agency named in ``text``: the gazetteer's names and the Indonesian agency-name patterns.

    Parameters
    ----------
    text : str
        The article's text.
    doc : spacy.tokens.Doc
        ``text`` as the gazetteer's spaCy pipeline read it.
    gaz : Gazetteer
        The gazetteer (regions, the seed's agencies, known organisations).
    regions : list of RegionMention
        The regions named in ``text``, in text order (a name's place comes from them).
    pmi : list of PmiMention
        How each "PMI" reads (migrant workers or the Red Cross).

    Returns
    -------
    list of AgencyMention
        In text order; where mentions overlap the longest wins, and the parents
        named inside a kept mention are kept too (``nested``).
    """
    return _AgencyFinder(text, doc, gaz, regions, pmi).run()
