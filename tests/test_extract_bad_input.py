"""Articles that cannot be used are refused clearly: exit 2, the file named, no traceback, no draft left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphmodel.extract.articles import MAX_ARTICLE_BYTES, read_article
from graphmodel.extract.errors import ArticleError

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seed"
GOOD = ROOT / "tests" / "data" / "extraction" / "review" / "makassar_pengungsi.txt"


def run(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=ROOT,
                          stdin=subprocess.DEVNULL, timeout=300, env={**os.environ, "COLUMNS": "200"})


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.txt"
    path.write_bytes(b"")
    return path


def _blank(tmp: Path) -> Path:
    path = tmp / "blank.txt"
    path.write_text("  \n\n \t\n", encoding="utf-8")
    return path


def _binary(tmp: Path) -> Path:
    path = tmp / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return path


def _nul(tmp: Path) -> Path:
    path = tmp / "dump.txt"
    path.write_bytes(b"MEDAN - Pengungsi\x00\x00\x00\x01\x02 data")
    return path


def _latin1(tmp: Path) -> Path:
    path = tmp / "latin1.txt"
    path.write_bytes("KUPANG - Kepala Rudenim menyebut \u201cpengungsi\u201d di caf\u00e9 Kupang.\n".encode("cp1252"))
    return path


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with path.open("wb") as fh:  # sparse: 50 MB on paper, nothing on disk
        fh.truncate(50 * 1024 * 1024)
    return path


def _missing(tmp: Path) -> Path:
    return tmp / "no-such-article.txt"


def _folder(tmp: Path) -> Path:
    path = tmp / "a-folder.txt"
    path.mkdir()
    return path


def _bad_header(tmp: Path) -> Path:
    path = tmp / "header.txt"
    path.write_text("#meta {url: https://x.example/a?b=1, outlet: X}\nMEDAN - Sebanyak 20 pengungsi tiba.\n", encoding="utf-8")
    return path


CASES = {
    "empty": (_empty, "is empty"),
    "whitespace only": (_blank, "has no text"),
    "binary image": (_binary, "a PNG image"),
    "binary with NUL bytes": (_nul, "NUL byte at offset 17"),
    "Windows-1252 bytes": (_latin1, "not valid UTF-8: byte 0x93 at offset 33; it looks like Windows-1252"),
    "50 MB": (_huge, "52,428,800 bytes is above the limit of 2,097,152 bytes"),
    "nonexistent": (_missing, "no such file"),
    "a folder": (_folder, "is a folder"),
    "malformed #meta header": (_bad_header, "line 1: the #meta header is not a YAML mapping"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_article_is_refused_with_exit_2(tmp_path: Path, case: str, robustness):
    make, message = CASES[case]
    robustness.bad_input()
    article = make(tmp_path)
    draft = tmp_path / "draft"
    result = run("graphmodel.cli.extract", "extract", str(GOOD), str(article), "-o", str(draft), "--seed", str(SEED))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert str(article) in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not draft.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".draft")]


@pytest.mark.parametrize("case", CASES)
def test_read_article_messages(tmp_path: Path, case: str):
    make, message = CASES[case]
    with pytest.raises(ArticleError, match="nothing was written") as info:
        read_article(make(tmp_path))
    assert message in str(info.value)


def test_limit_is_documented_and_just_below_it_is_read(tmp_path: Path):
    assert MAX_ARTICLE_BYTES == 2 * 1024 * 1024
    path = tmp_path / "long.txt"
    line = "MEDAN - Sebanyak 20 pengungsi tiba di Kota Medan.\n"
    path.write_text(line * (MAX_ARTICLE_BYTES // len(line)), encoding="utf-8")
    assert len(read_article(path).text) <= MAX_ARTICLE_BYTES


def test_metadata_header_and_side_file(tmp_path: Path):
    path = tmp_path / "a.txt"
    path.write_text('#meta {outlet: Antara, date: 2023-08-15, url: "https://x.example/a?b=1"}\nMEDAN - Teks.\n', encoding="utf-8")
    article = read_article(path)
    assert article.text == "MEDAN - Teks.\n" and article.meta["outlet"] == "Antara" and str(article.date) == "2023-08-15"
    (tmp_path / "a.meta.yaml").write_text("outlet: Antara\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="metadata is given twice"):
        read_article(path)
    path.write_text("MEDAN - Teks.\n", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("outlet: Antara\npublished: 2023-08-15\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="unknown metadata key"):
        read_article(path)


def test_existing_draft_folder_is_not_overwritten(tmp_path: Path):
    draft = tmp_path / "draft"
    draft.mkdir()
    (draft / "keep.txt").write_text("mine", encoding="utf-8")
    result = run("graphmodel.cli.extract", "extract", str(GOOD), "-o", str(draft), "--seed", str(SEED))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (draft / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_merge_of_a_folder_that_is_not_a_draft(tmp_path: Path):
    result = run("graphmodel.cli.extract", "merge", str(tmp_path), "--seed", str(SEED))
    assert result.returncode == 2 and "not a draft folder" in result.stderr and "Traceback" not in result.stderr


def test_through_the_main_cli(tmp_path: Path):
    """``graphmodel extract`` (registered on the main app) refuses the same article the same way."""
    article = _latin1(tmp_path)
    draft = tmp_path / "draft"
    result = run("graphmodel.cli", "extract", str(article), "-o", str(draft), "--seed", str(SEED))
    assert result.returncode == 2
    assert str(article) in result.stderr and "not valid UTF-8" in result.stderr
    assert "Traceback" not in result.stderr and not draft.exists()
