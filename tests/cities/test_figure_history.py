"""The history of the data of record: an Editor's change in the admin and a CSV import are both
in a figure's history with who, when, the old and the new value (the import under its file's
name), shown on the admin's history page; and a figure is reverted to an earlier version."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pytest_django.asserts import assertContains
from taggit.models import Tag

from articles.models import City, CityFigures, Indicator, Organisation, TagAlias

HEADER = (
    "name_zh,name_en,province,region,year,gdp_100m_yuan,population_10k,gdp_source,"
    "population_source,gdp_status,gdp_basis"
)


def form_data(response):
    """The admin form on a page, as the browser would post it back unchanged."""
    form = response.context["adminform"].form
    data = {}
    for bound in form:
        value = bound.value()
        data[bound.html_name] = "" if value is None else value
    return data


@pytest.fixture
def figures(hangzhou):
    return CityFigures.objects.get(city=hangzhou, year=2024)


def change_url(figures):
    return reverse("admin:articles_cityfigures_change", args=[figures.pk])


def edit_in_admin(client, figures, **changes):
    data = form_data(client.get(change_url(figures))) | changes
    response = client.post(change_url(figures), data)
    assert response.status_code == 302, response.context and response.context["errors"]


def import_in_admin(client, name, text):
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    response = client.post(reverse("admin:articles_city_import_figures"), {"file": upload})
    assert response.status_code == 302, response.context and response.context["problems"]


def test_an_admin_edit_and_a_csv_import_are_in_the_figures_history(editor_client, editor, figures):
    edit_in_admin(editor_client, figures, gdp="22000", gdp_status="revised")
    import_in_admin(
        editor_client,
        "杭州修订.csv",
        f"{HEADER}\n杭州,Hangzhou,浙江省,长三角,2024,21900.5,1262,https://example.com/b,,统计公报,五经普后\n",
    )
    edit, imported = CityFigures.history.filter(id=figures.pk).order_by(
        "history_date", "history_id"
    )[1:]
    assert edit.history_user == editor and imported.history_user == editor
    assert (
        edit.history_change_reason == "后台编辑"
        and imported.history_change_reason == "CSV 导入：杭州修订.csv"
    )
    changes = {c.field: (c.old, c.new) for c in edit.diff_against(edit.prev_record).changes}
    assert changes["gdp"] == (Decimal("21860"), Decimal("22000"))
    assert changes["gdp_status"] == ("bulletin", "revised")
    changes = {c.field: (c.old, c.new) for c in imported.diff_against(edit).changes}
    assert changes["gdp"] == (Decimal("22000"), Decimal("21900.5"))
    assert changes["gdp_status"] == ("revised", "bulletin")

    page = editor_client.get(reverse("admin:articles_cityfigures_history", args=[figures.pk]))
    assertContains(page, "CSV 导入：杭州修订.csv")
    text = " ".join(page.text.split('id="change-history"')[1].replace("&nbsp;", " ").split())
    assert text.count(">editor<") == 2  # who, on both changes
    assert "21860.00 &rarr; 22000.00" in text and "22000.00 &rarr; 21900.50" in text


def test_a_figure_is_reverted_to_an_earlier_version(editor_client, figures, client):
    first = figures.history.earliest()
    edit_in_admin(editor_client, figures, gdp="99999", gdp_source="https://example.com/typo")
    assert "99,999" in client.get("/cities/hangzhou/").text
    url = reverse("admin:articles_cityfigures_simple_history", args=[figures.pk, first.history_id])
    response = editor_client.post(url, form_data(editor_client.get(url)))
    assert response.status_code == 302
    figures.refresh_from_db()
    assert figures.gdp == Decimal("21860") and figures.gdp_source == "https://example.com/bulletin"
    assert figures.history.count() == 3  # created, the typo, the revert
    assert figures.history.latest().history_change_reason == f"恢复到第 {first.history_id} 版"
    assert "99,999" not in client.get("/cities/hangzhou/").text


def test_an_import_records_each_row_once_and_a_repeat_records_nothing(editor_client, figures):
    text = (
        f"{HEADER}\n杭州,Hangzhou,浙江省,长三角,2024,21870,1262,https://example.com/b,,统计公报,\n"
    )
    import_in_admin(editor_client, "a.csv", text)
    import_in_admin(editor_client, "a.csv", text)
    reasons = list(figures.history.values_list("history_change_reason", flat=True))
    assert reasons.count("CSV 导入：a.csv") == 1


def test_cities_indicators_organisations_tags_and_aliases_keep_history(editor_client, editor):
    city = City.objects.create(name="合肥", slug="hefei")
    indicator = Indicator.objects.create(code="rd", name="研发投入", unit="亿元")
    organisation = Organisation.objects.create(name="科大讯飞", slug="iflytek", city=city)
    tag = Tag.objects.create(name="人工智能", slug="人工智能")
    alias = TagAlias.objects.create(name="AI", tag=tag)
    for model, obj, field, value in (
        ("city", city, "summary", "安徽省会"),
        ("indicator", indicator, "unit", "万元"),
        ("organisation", organisation, "summary", "语音识别"),
    ):
        url = reverse(f"admin:articles_{model}_change", args=[obj.pk])
        data = form_data(editor_client.get(url))
        if model == "city":
            data |= {
                f"{p}-{k}": "0"
                for p in ("figures", "indicator_values")
                for k in ("TOTAL_FORMS", "INITIAL_FORMS")
            }
        response = editor_client.post(url, data | {field: value})
        assert response.status_code == 302, model
        record = obj.history.latest()
        assert record.history_user == editor
        assert getattr(record.prev_record, field) != value == getattr(record, field)
        assertContains(editor_client.get(f"{url.removesuffix('change/')}history/"), value)
    alias.name = "A.I."
    alias.save()
    assert [r.name for r in alias.history.order_by("history_id")] == ["AI", "A.I."]
    assert tag.history.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_secondhand_figures_and_starts_every_history():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        ("articles", "0012_i18_autosave_presence"),
        ("articles", "0013_i14_figure_status_history"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state([before]).apps
    city = old.get_model("articles", "City").objects.create(name="上海", slug="shanghai")
    figures = old.get_model("articles", "CityFigures").objects
    figures.create(city=city, year=2023, gdp="47218.66", gdp_source="二手转录，尚未与统计公报核对")
    figures.create(city=city, year=2024, gdp="53926.71", gdp_source="https://tjj.sh.gov.cn/x")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([after])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    statuses = dict(CityFigures.objects.values_list("year", "gdp_status"))
    assert statuses == {2023: "secondhand", 2024: ""}
    first = CityFigures.objects.get(year=2024).history.get()
    assert first.gdp == Decimal("53926.71") and first.history_type == "+"
    assert City.objects.get().history.count() == 1
