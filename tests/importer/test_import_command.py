"""manage.py import_article FILE…: each file a draft, with the report printed."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article

SAMPLE = Path(__file__).parent / "samples" / "sample_wechat.txt"


def run(*args):
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def test_each_file_becomes_a_draft_and_the_report_is_printed(db, tmp_path):
    second = tmp_path / "second.md"
    second.write_text("杭州觀(guān)察\n杭州的數(shù)字經(jīng)濟(jì).", encoding="utf-8")
    output = run(str(SAMPLE), str(second))
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "杭州观察",
        "长三角观察：南京与杭州",
    ]
    assert not Article.objects.published().exists()
    assert "拼音注音删除：" in output
    assert "已存为草稿" in output


def test_dry_run_reports_and_saves_nothing(db):
    output = run("--dry-run", str(SAMPLE))
    assert "未保存（--dry-run）" in output
    assert "乱码已修复：1" in output
    assert not Article.objects.exists()


def test_missing_file_is_reported_and_the_others_still_imported(db, tmp_path):
    with pytest.raises(CommandError, match=r"no-such\.txt: 无法读取"):
        run(str(tmp_path / "no-such.txt"), str(SAMPLE))
    assert Article.objects.count() == 1


def test_empty_file_is_refused(db, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(CommandError, match="没有可导入的文字"):
        run(str(empty))
    assert not Article.objects.exists()
