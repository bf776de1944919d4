"""The importer on real text damaged as the mirrors damage it (bench/importer.py's damage, on a
fixed sample of the shared corpus's laws and the demo articles), against the original text:
the invariants bench/importer.py measures at scale, so that a regression fails here."""

import os
from pathlib import Path

import pytest

from bench import importer as bench

SHARED = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[3] / "shared"))


@pytest.fixture(scope="module")
def texts():
    if not (SHARED / "corpus" / "tw_laws.jsonl").exists():
        pytest.skip(f"no corpus at {SHARED} (set SHARED_DIR to the shared folder)")
    bench.LAWS = SHARED / "corpus" / "tw_laws.jsonl"
    return bench.load_texts(laws=12, seed=13)


def measured(texts, kind):
    return dict(bench.run(texts, [kind], seed=13))[kind]


@pytest.mark.parametrize(
    "kind", ["clean-simplified", "clean-traditional", "traditional", "punctuation"]
)
def test_clean_text_changes_only_in_punctuation_style_and_script(texts, kind):
    result = measured(texts, kind)
    assert result["edits"] == 0
    assert result["paragraphs_out"] == result["paragraphs_in"]
    assert result["titles_exact"] == result["titles"]


@pytest.mark.parametrize(
    "kind", ["pinyin", "anchored", "lost-byte", "doubled-byte", "replacement", "all"]
)
def test_damaged_text_keeps_its_paragraphs_titles_and_glosses_and_hides_no_damage(texts, kind):
    result = measured(texts, kind)
    assert result["merged"] == 0
    assert result["paragraphs_out"] == result["paragraphs_in"]
    assert result["titles_exact"] == result["titles"]
    assert result["silent_spans"] == []
    assert result["repaired"] + result["flagged"] == result["spans"]
    assert result["glosses_removed"] == 0
    assert 10_000 * result["annotations_left"] / result["chars"] < 1
    if kind == "anchored":
        assert result["repaired"] >= result["spans"] / 3  # recovered, not only flagged
