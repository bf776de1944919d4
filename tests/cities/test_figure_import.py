"""City figures from CSV: `manage.py import_city_figures`, the admin's import and export."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles.models import City, CityFigures, Indicator, IndicatorValue

CHECKED = Path(__file__).resolve().parents[2] / "articles" / "data" / "cities.csv"
HEADER = (
    "name_zh,name_en,province,region,year,gdp_100m_yuan,population_10k,gdp_source,population_source"
)
GOOD = f"""{HEADER}
杭州,Hangzhou,浙江省,长三角,2024,21860,1262,https://example.com/hz,https://example.com/hz-pop
南京,Nanjing,江苏省,长三角,2024,"18,500.81",957.70,https://example.com/nj,
宁波,Ningbo,浙江省,长三角,2024,,978,,https://example.com/nb-pop
"""


def import_file(tmp_path, text, *args):
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_city_figures", str(path), *args, stdout=out)
    return out.getvalue()


def state():
    return sorted(
        CityFigures.objects.values_list(
            "city__name", "year", "gdp", "gdp_source", "population", "population_source"
        )
    )


def test_a_good_file_creates_cities_and_figures(db, tmp_path):
    out = import_file(tmp_path, GOOD)
    assert "新增 3 行" in out and "新建城市 3 座" in out
    nanjing = CityFigures.objects.get(city__name="南京", year=2024)
    assert nanjing.gdp == Decimal("18500.81") and nanjing.population_source == ""
    assert City.objects.get(name="杭州").slug == "hangzhou"


def test_an_empty_cell_stays_empty_never_zero(db, tmp_path):
    import_file(tmp_path, GOOD)
    ningbo = CityFigures.objects.get(city__name="宁波")
    assert ningbo.gdp is None and ningbo.gdp_source == ""
    assert ningbo.population == Decimal("978")


def test_importing_the_same_file_again_changes_nothing(db, tmp_path):
    import_file(tmp_path, GOOD)
    first = state()
    out = import_file(tmp_path, GOOD)
    assert "新增 0 行，更新 0 行，未变 3 行" in out
    assert state() == first


def test_the_checked_data_set_imports_and_reimports_unchanged(db, tmp_path):
    call_command("import_city_figures", str(CHECKED), stdout=StringIO())
    assert CityFigures.objects.count() == 26 and City.objects.count() == 13
    first = state()
    call_command("import_city_figures", str(CHECKED), stdout=StringIO())
    assert state() == first
    hangzhou = CityFigures.objects.get(city__name="杭州", year=2024)
    nanjing = CityFigures.objects.get(city__name="南京", year=2024)
    assert hangzhou.gdp - nanjing.gdp == Decimal("3359.19")
    assert nanjing.gdp_rank == 10


BAD_ROWS = f"""{HEADER}
杭州,Hangzhou,浙江省,长三角,2024,21860,1262,https://example.com/hz,
南京,Nanjing,江苏省,长三角,2024,很多,957.70,,
,Nowhere,,,2024,1,1,,
宁波,Ningbo,浙江省,长三角,20x4,1,1,,
杭州,Hangzhou,浙江省,长三角,2024,1,1,,
合肥,Hefei,安徽省,长三角,2024,-5,1,,
苏州,Suzhou,江苏省,长三角,2024,123456789012.5,1,,
"""


def test_bad_rows_are_reported_with_their_lines_and_nothing_is_saved(db, tmp_path):
    with pytest.raises(CommandError) as error:
        import_file(tmp_path, BAD_ROWS)
    message = str(error.value)
    for line, problem in [
        (3, "“很多”不是数字"),
        (4, "缺少城市名称"),
        (5, "年份“20x4”无效"),
        (6, "与第 2 行重复"),
        (7, "不是有效的非负数"),
        (8, "GDP“123456789012.5”无效"),
    ]:
        assert f"第 {line} 行：" in message and problem in message, (line, message)
    assert not CityFigures.objects.exists() and not City.objects.exists()


def test_a_bad_file_leaves_earlier_figures_untouched(db, tmp_path):
    import_file(tmp_path, GOOD)
    before = state()
    with pytest.raises(CommandError):
        import_file(tmp_path, GOOD.replace("21860", "21,9x0"))
    assert state() == before


def test_a_missing_column_or_unknown_column_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="缺少列：population_10k"):
        import_file(tmp_path, GOOD.replace("population_10k", "people"))
    with pytest.raises(CommandError, match="未知的列：rd_spending"):
        import_file(tmp_path, GOOD.replace("population_source", "population_source,rd_spending"))


def test_a_file_that_is_not_utf8_is_refused(db, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_city_figures", str(path), stdout=StringIO())


def test_dry_run_saves_nothing(db, tmp_path):
    assert "没有保存" in import_file(tmp_path, GOOD, "--dry-run")
    assert not CityFigures.objects.exists()


def test_a_row_that_empties_a_figure_empties_it(db, tmp_path):
    import_file(tmp_path, GOOD)
    import_file(tmp_path, GOOD.replace("957.70", ""))
    assert CityFigures.objects.get(city__name="南京").population is None


def test_a_further_indicator_imports_without_a_migration(db, tmp_path):
    Indicator.objects.create(code="rd_spending", name="研发投入", unit="亿元")
    text = GOOD.replace("population_source", "population_source,rd_spending,rd_spending_source")
    lines = text.splitlines()
    lines[1] += ",667.5,https://example.com/rd"
    lines[2] += ",,"
    lines[3] += ",,"
    import_file(tmp_path, "\n".join(lines) + "\n")
    value = IndicatorValue.objects.get()
    assert (value.city.name, value.year, value.value) == ("杭州", 2024, Decimal("667.5"))
    assert value.source == "https://example.com/rd"


def test_export_then_import_round_trips(db, tmp_path):
    import_file(tmp_path, GOOD)
    exported = StringIO()
    call_command("export_city_figures", stdout=exported)
    before = state()
    CityFigures.objects.all().delete()
    assert "新增 3 行" in import_file(tmp_path, exported.getvalue())
    assert state() == before


# The admin


def test_admin_import_saves_a_good_file(editor_client):
    url = reverse("admin:articles_city_import_figures")
    upload = SimpleUploadedFile("f.csv", ("\ufeff" + GOOD).encode(), content_type="text/csv")
    response = editor_client.post(url, {"file": upload}, follow=True)
    assert "导入完成：新增 3 行" in response.text
    assert CityFigures.objects.count() == 3


def test_admin_import_lists_bad_rows_and_saves_nothing(editor_client):
    url = reverse("admin:articles_city_import_figures")
    upload = SimpleUploadedFile("f.csv", BAD_ROWS.encode(), content_type="text/csv")
    response = editor_client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "文件没有导入" in response.text and "第 3 行：GDP“很多”不是数字。" in response.text
    assert not CityFigures.objects.exists()


def test_admin_export_downloads_the_import_format(editor_client, hangzhou):
    response = editor_client.get(reverse("admin:articles_city_export_figures"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith(HEADER)
    assert "杭州,Hangzhou,浙江省,长三角,2024,21860.00,1262.00" in text


def test_city_list_in_the_admin_links_import_and_export(editor_client):
    html = editor_client.get(reverse("admin:articles_city_changelist")).text
    assert reverse("admin:articles_city_import_figures") in html
    assert reverse("admin:articles_city_export_figures") in html


def test_a_reader_cannot_import(client, db):
    response = client.get(reverse("admin:articles_city_import_figures"))
    assert response.status_code == 302 and "login" in response["Location"]
