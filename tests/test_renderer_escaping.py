"""Text from data reaches each renderer escaped for it (issue 20, cases 5 and 6).

Case 5: a name that is Markdown (a link, an image, emphasis) renders as its own
text in ``report.md``, checked with a real CommonMark parser (markdown-it-py,
which rich brings); a value printed to a terminal shows its control characters
(ESC, BEL, an OSC 8 hyperlink) instead of sending them, and Rich markup in it
is printed as it is. Case 6: a ``$`` in a name is not matplotlib maths: the
timeline draws "US$1" and an acronym ``$\\foo$`` no longer crashes the diagram.

Validation refuses control characters in seed values (issue 20, case 8), so
the terminal tests reach the printers another way: the table printers of
``gaps`` and ``query`` called directly (a query's rows come from the database,
which validation does not govern), and a seed folder whose name holds them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from graphmodel.cli.analytics import findings_table
from graphmodel.cli.common import TableFormat as QueryFormat
from graphmodel.cli.query import print_rows
from graphmodel.util.escaping import markdown_text as md_escape

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"

# Markdown that would make a link, an image, an autolink, emphasis, code, maths, a list or a heading
MARKDOWN_HOSTILE = [
    "[text](javascript:alert(1))",
    "![](http://evil/x.png)",
    "<http://evil/autolink>",
    "**bold** _em_ ~~struck~~ `code` $x$",
    "www.evil.example and mail@evil.example",
    "1) # Dinas | Sosial \\ Kupang {: onclick=x} ==mark==",
]

# What a terminal obeys: colour (CSI), an OSC 8 hyperlink ended by BEL and by ST, a carriage return
# that overwrites the line, a right-to-left override; and Rich markup
TERMINAL_HOSTILE = [
    "IOM \x1b[31mred\x1b[0m",
    "\x1b]8;;http://evil/\x07click\x1b]8;;\x07",
    "\x1b]8;;http://evil/\x1b\\st\x1b]8;;\x1b\\",
    "fake\rIOM\x07",
    "abc\u202edcba",
]
RICH_MARKUP = "[bold red]x[/]"
# the same, as terminal_text writes them out (by hand: each control as \xNN or \uNNNN, the rest unchanged)
TERMINAL_VISIBLE = [
    "IOM \\x1b[31mred\\x1b[0m",
    "\\x1b]8;;http://evil/\\x07click\\x1b]8;;\\x07",
    "\\x1b]8;;http://evil/\\x1b\\st\\x1b]8;;\\x1b\\",
    "fake\\x0dIOM\\x07",
    "abc\\u202edcba",
]
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# the report template's own links and images (report.md.j2); anything else would come from data
TEMPLATE_LINKS = {"overview.png", "overview.svg", "network.html", "graph.graphml", "4w_hxl.csv"}
TEMPLATE_IMAGES = {"overview.png", "timeline.svg"}


def _graphmodel(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphmodel.cli", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, cwd=cwd, env=env)


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _add_agencies(seed: Path, names: list[str]) -> None:
    """Append one national NGO per name to the seed's agencies (as test_injection.hostile_seed does)."""
    path = seed / "agencies.yaml"
    text = path.read_text(encoding="utf-8")
    for i, name in enumerate(names):
        text += f"- id: markup-{i}\n  name: {_yaml_string(name)}\n  kind: ngo\n  level: national\n"
    path.write_text(text, encoding="utf-8")


def _replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


# --------------------------------------------------------------------------- case 5: Markdown

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _tokens(tokens):
    for t in tokens:
        yield t
        yield from _tokens(t.children or [])


def _shape(source: str) -> tuple[list[str], str]:
    """The document's structure (every token but text) and its text, as a CommonMark parser reads them."""
    tokens = list(_tokens(_MD.parse(source)))
    structure = [t.type for t in tokens if t.type not in ("text", "text_special", "softbreak")]
    return structure, "".join(t.content for t in tokens if t.type in ("text", "text_special"))


# every kind of place the report puts a value: paragraph, heading, table cell, list item,
# a finding's numbered item with its bold title and its quote (analytics/sections.py), link text
_MD_CONTEXTS = [
    "{v}\n",
    "### {v}\n",
    "| a | b |\n|---|---|\n| {v} | {v} |\n",
    "- {v}\n",
    '1. **{v}**. {v}\n    - {v}: "{v}" ({v})\n',
    "[{v}](overview.png)\n",
]


@pytest.mark.parametrize("context", _MD_CONTEXTS, ids=["paragraph", "heading", "table", "list", "finding", "link-text"])
def test_markdown_values_keep_the_structure_a_plain_word_has(context, robustness):
    """Case 5: with a hostile value in each place, the parsed document has exactly the structure it has
    with the plain word ``x`` there (no link, image, heading, list, emphasis or code more), and its text
    is the value itself."""
    plain_structure, plain_text = _shape(context.format(v=md_escape("x")))
    for value in MARKDOWN_HOSTILE:
        structure, text = _shape(context.format(v=md_escape(value)))
        assert structure == plain_structure, value
        assert text == plain_text.replace("x", value), value
    robustness.bad_input(len(MARKDOWN_HOSTILE), kind="markup")


def test_report_shows_markdown_in_names_as_text(mini_seed, tmp_path, robustness):
    """Case 5, end to end: agencies named with Markdown; in report.md (parsed) and report.html every link
    and image is one of the template's, and each name is the whole text of its cell in the actors table."""
    _add_agencies(mini_seed, MARKDOWN_HOSTILE)
    out = tmp_path / "out"
    proc = _graphmodel("run", "--seed", str(mini_seed), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    robustness.bad_input(len(MARKDOWN_HOSTILE), kind="markup")

    tokens = list(_tokens(_MD.parse((out / "report.md").read_text(encoding="utf-8"))))
    assert {t.attrs["href"] for t in tokens if t.type == "link_open"} <= TEMPLATE_LINKS
    assert {t.attrs["src"] for t in tokens if t.type == "image"} <= TEMPLATE_IMAGES
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "code_inline", "s_open", "em_open")]
    cells = {"".join(c.content for c in t.children) for t in tokens if t.type == "inline"}
    assert set(MARKDOWN_HOSTILE) <= cells

    doc = lxml_html.fromstring((out / "report.html").read_text(encoding="utf-8"))
    assert set(doc.xpath("//a/@href")) <= TEMPLATE_LINKS | {"#" + i for i in doc.xpath("//@id")}
    assert not [s for s in doc.xpath("//img/@src") if "evil" in s]
    assert set(MARKDOWN_HOSTILE) <= {td.text_content() for td in doc.xpath("//td")}


# --------------------------------------------------------------------------- case 5: terminals


def _rendered(table) -> str:
    from rich.console import Console

    buf = io.StringIO()
    # no colour system: whatever control character comes out came from the data
    Console(file=buf, color_system=None, width=300, soft_wrap=False).print(table)
    return buf.getvalue()


def test_gaps_table_shows_control_characters_and_markup_as_text(robustness):
    """Case 5: the table of ``gaps`` and ``pathways`` (cli.analytics.findings_table) sends no control character;
    each value is shown written out (TERMINAL_VISIBLE, by hand) and Rich markup literally, in cells and title."""
    rows = [[i, value, RICH_MARKUP] for i, value in enumerate(TERMINAL_HOSTILE)]
    printed = _rendered(findings_table(f"Pathway steps for {RICH_MARKUP}", ["rank", "finding", "sources"], rows))
    robustness.bad_input(len(TERMINAL_HOSTILE) + 1, kind="markup")
    assert not CONTROLS.findall(printed)
    for visible in TERMINAL_VISIBLE:
        assert visible in printed
    assert printed.count(RICH_MARKUP) == len(rows) + 1  # every row and the title


def test_query_table_shows_database_values_as_text_and_json_csv_stay_exact(capsys, robustness):
    """Case 5: a planner query's rows come from the database, which validation does not govern: the table
    shows them visibly and literally; JSON and CSV carry them exactly (they are data)."""
    rows = [[value] for value in [*TERMINAL_HOSTILE, RICH_MARKUP]]
    print_rows("agencies_met_agency", {}, ["name"], rows, QueryFormat.TABLE)
    table = capsys.readouterr().out
    robustness.bad_input(len(rows), kind="markup")
    assert not CONTROLS.findall(table)
    for visible in TERMINAL_VISIBLE:
        assert visible in table
    assert RICH_MARKUP in table

    print_rows("agencies_met_agency", {}, ["name"], rows, QueryFormat.JSON)
    assert [r["name"] for r in json.loads(capsys.readouterr().out)["rows"]] == [r[0] for r in rows]
    plain = [r for r in rows if "\r" not in r[0]]  # Python 3.11's csv writer leaves a lone CR unquoted with LF lines
    print_rows("agencies_met_agency", {}, ["name"], plain, QueryFormat.CSV)
    assert list(csv.reader(io.StringIO(capsys.readouterr().out, newline=""))) == [["name"], *plain]


def test_validate_and_pathways_print_values_as_text(mini_seed, tmp_path, robustness):
    """Case 5, through the command line: a seed folder whose name holds an OSC 8 hyperlink and Rich markup
    (``validate`` prints the folder), and a cohort named with Rich markup (``pathways`` prints its name)."""
    folder_name = "seed \x1b]8;;mailto:evil\x07[bold red]x"  # no slash: one folder
    seed = tmp_path / folder_name
    shutil.copytree(mini_seed, seed)
    _replace_line(seed / "cohorts.yaml", "  name: Refugees in Kota Kupang\n", f"  name: Refugees {RICH_MARKUP}\n")
    env = {**os.environ, "COLUMNS": "300"}
    robustness.bad_input(2, kind="markup")

    valid = _graphmodel("validate", str(seed), env=env)
    assert valid.returncode == 0, valid.stderr
    assert not CONTROLS.findall(valid.stdout)
    assert "seed \\x1b]8;;mailto:evil\\x07[bold red]x: valid" in valid.stdout

    steps = _graphmodel("pathways", "--seed", str(seed), "--cohort", "cohort-kupang", "--format", "table", env=env)
    assert steps.returncode == 0, steps.stderr
    assert f"Pathway steps for Refugees {RICH_MARKUP}" in steps.stdout

    (seed / "cohorts.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    invalid = _graphmodel("validate", str(seed), env=env)
    assert invalid.returncode == 2 and not CONTROLS.findall(invalid.stderr)
    assert "problem(s) in " + str(tmp_path / "seed \\x1b]8;;mailto:evil\\x07[bold red]x") in invalid.stderr


def test_extract_prints_an_article_path_as_text(tmp_path, robustness):
    """Case 5 for `extract`: the article's file name (any bytes but '/' and NUL) holds a colour sequence; the
    progress lines name the article and the draft and must show it, not send it. The article is the review
    test's real one (tests/data/extraction/review)."""
    article = tmp_path / "berita \x1b[31m merah.txt"
    shutil.copyfile(Path(__file__).parent / "data" / "extraction" / "review" / "makassar_pengungsi.txt", article)
    draft = tmp_path / "draft \x1b]8;;mailto:evil\x07"  # no slash: one folder
    proc = subprocess.run([sys.executable, "-m", "graphmodel.cli.extract", "extract", str(article), "-o", str(draft),
                           "--seed", str(Path(__file__).parents[1] / "seed")],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    robustness.bad_input(kind="markup")
    assert proc.returncode == 0, proc.stderr
    assert not CONTROLS.findall(proc.stderr + proc.stdout)
    assert "berita \\x1b[31m merah.txt: new source" in proc.stderr and "draft \\x1b]8;;mailto:evil\\x07" in proc.stderr


# --------------------------------------------------------------------------- case 6: matplotlib


def _glyph_names() -> dict[str, str]:
    """SVG glyph id (``DejaVuSans-<glyph index, hex>``, as matplotlib names them) -> the character."""
    from matplotlib.font_manager import findfont, get_font

    names = {}
    for family in ("DejaVu Sans", "DejaVu Sans:italic"):
        font = get_font(findfont(family))
        for code, index in sorted(font.get_charmap().items(), reverse=True):  # the lowest code wins
            names[f"{font.postscript_name}-{index:x}"] = chr(code)
    return names


def _drawn_texts(svg_path: Path) -> list[tuple[str, set[str]]]:
    """Each text of an SVG whose text is drawn as glyph paths: (the characters drawn, the fonts used)."""
    names = _glyph_names()
    drawn = []
    for group in etree.parse(str(svg_path)).iter(f"{SVG}g"):
        if not (group.get("id") or "").startswith("text_"):
            continue
        uses = [u.get(f"{XLINK}href").lstrip("#") for u in group.iter(f"{SVG}use")]
        drawn.append(("".join(names.get(u, "?") for u in uses), {u.rsplit("-", 1)[0] for u in uses}))
    return drawn


def test_timeline_draws_dollar_signs_as_text(mini_seed, tmp_path, robustness):
    """Case 6: a meeting called "Bantuan US$1 dan US$2" (news text) is drawn on the timeline as it is: the
    label (report.meeting_label: date, two spaces, name) in upright DejaVu Sans, not "1 dan US" as maths."""
    name = "Bantuan US$1 dan US$2"
    _replace_line(mini_seed / "meetings.yaml", "  name: IOM Kupang visit to Rudenim Kupang\n", f"  name: {name}\n")
    out = tmp_path / "out"
    proc = _graphmodel("run", "--seed", str(mini_seed), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    robustness.bad_input(1, kind="markup")
    drawn = dict(_drawn_texts(out / "timeline.svg"))
    assert drawn.get("2024-09-11  " + name) == {"DejaVuSans"}, sorted(drawn)


def test_diagram_draws_maths_markup_in_names_as_text(mini_seed, tmp_path, robustness):
    """Case 6: an acronym ``$\\foo$`` (unknown maths: it raised) and a facility alias ``A $x^$ B`` (a maths
    syntax error) are drawn literally in the overview and by ``export --format svg|png``. The SVG keeps
    text as text (svg.fonttype none in write_diagram), so each label is read back as it is."""
    _replace_line(mini_seed / "agencies.yaml", "  acronym: IOM\n", "  acronym: $\\foo$\n")
    _replace_line(mini_seed / "facilities.yaml", "  name: Hotel Lavender Kupang\n",
                  "  name: Hotel Lavender Kupang\n  aliases: [A $x^$ B]\n")
    robustness.bad_input(2, kind="markup")
    out = tmp_path / "out"
    proc = _graphmodel("run", "--seed", str(mini_seed), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    svg = tmp_path / "graph.svg"
    exported = _graphmodel("export", "--seed", str(mini_seed), "--format", "svg", "-o", str(svg))
    assert exported.returncode == 0, exported.stderr
    for path in (out / "overview.svg", svg):
        texts = {t.text for t in etree.parse(str(path)).iter(f"{SVG}text")}
        assert {"$\\foo$", "A $x^$ B"} <= texts, path
    png = _graphmodel("export", "--seed", str(mini_seed), "--format", "png", "-o", str(tmp_path / "graph.png"))
    assert png.returncode == 0 and (tmp_path / "graph.png").stat().st_size > 0, png.stderr
