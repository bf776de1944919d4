"""The city admin (figures and further indicators inline, CSV import and export of every
city's figures), further indicators and organisations, each with its history (who changed what,
from what; a figure can be reverted to an earlier version)."""

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from articles.admin.forms import TaggedAdminForm
from articles.admin.wording import Wording
from articles.cities.figures import (
    MAX_FILE_BYTES,
    FigureFileError,
    describe_import,
    import_reason,
    read_figures_file,
    save_figures,
    write_figures,
)
from articles.models import City, CityFigures, Indicator, IndicatorValue, Organisation


class HistoryAdmin(Wording, SimpleHistoryAdmin):
    """django-simple-history's admin ("历史" on every change page: who, when, old → new), with
    each change saying where it came from: an edit here, or a revert to an earlier version."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.history_reason = f"恢复到第 {version_id} 版"[:100]
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        obj._change_reason = getattr(request, "history_reason", "后台编辑")
        super().save_model(request, obj, form, change)


class FiguresFileForm(forms.Form):
    file = forms.FileField(label="CSV 文件", help_text="UTF-8 编码，表头与导出的文件相同。")


class FiguresImportExportMixin:
    """Import and export of every city's figures as one CSV file, from the city list."""

    change_list_template = "admin/articles/city/change_list.html"

    def get_urls(self):
        return [
            path(
                "import-figures/",
                self.admin_site.admin_view(self.import_figures),
                name="articles_city_import_figures",
            ),
            path(
                "export-figures/",
                self.admin_site.admin_view(self.export_figures),
                name="articles_city_export_figures",
            ),
            *super().get_urls(),
        ]

    def import_figures(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = FiguresFileForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                # One byte past the cap is enough to refuse it; never the whole of a huge file.
                upload = form.cleaned_data["file"]
                data = upload.read(MAX_FILE_BYTES + 1)
                reason = import_reason(upload.name)
                stats = save_figures(read_figures_file(data), reason, request.user)
            except FigureFileError as error:
                problems = error.problems
            else:
                self.message_user(request, describe_import(stats), messages.SUCCESS)
                return redirect("admin:articles_city_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "导入城市年度数据",
            "form": form,
            "problems": problems,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/articles/city/import_figures.html", context)

    def export_figures(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        stream = io.StringIO()
        write_figures(stream)
        response = HttpResponse(
            "\ufeff" + stream.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="city-figures.csv"'
        return response


class IndicatorValueInline(admin.StackedInline):
    model = IndicatorValue
    extra = 0
    show_change_link = True
    fields = (
        ("indicator", "year", "value"), ("status", "basis"),
        "source", ("publisher", "title", "published"),
    )  # fmt: skip


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    list_display = ("city", "indicator", "year", "value", "status")
    list_filter = ("indicator", "status")
    list_select_related = ("city", "indicator")
    search_fields = ("city__name", "indicator__name")
    autocomplete_fields = ("city",)
    fields = ("city", *IndicatorValueInline.fields)


@admin.register(Indicator)
class IndicatorAdmin(HistoryAdmin):
    list_display = ("code", "name", "unit", "description")
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ("name", "name_en", "kind", "city", "slug")
    list_filter = ("kind", "city")
    list_select_related = ("city",)
    search_fields = ("name", "name_en", "aliases", "slug")
    autocomplete_fields = ("city",)
    fields = ("name", "name_en", "slug", "kind", "city", "aliases", "summary", "website")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def view_on_site(self, obj):
        return reverse("articles:organisation-detail", args=[obj.slug])


FIGURE_FIELDS = (
    "year",
    ("gdp", "gdp_status", "gdp_basis"), "gdp_source", ("gdp_publisher", "gdp_title", "gdp_published"),
    ("population", "population_status", "population_basis"), "population_source",
    ("population_publisher", "population_title", "population_published"),
    ("gdp_rank", "gdp_rank_status"), "gdp_rank_source",
    ("gdp_rank_publisher", "gdp_rank_title", "gdp_rank_published"),
)  # fmt: skip


class CityFiguresInline(admin.StackedInline):
    model = CityFigures
    extra = 1
    show_change_link = True  # the figures' own page has their history and "revert"
    fields = FIGURE_FIELDS


@admin.register(CityFigures)
class CityFiguresAdmin(HistoryAdmin):
    """One city's figures for one year on their own page, for their history and reverting."""

    list_display = ("__str__", "gdp", "gdp_status", "population", "population_status")
    list_filter = ("year", "gdp_status", "population_status")
    list_select_related = ("city",)
    search_fields = ("city__name",)
    autocomplete_fields = ("city",)
    fields = ("city", *FIGURE_FIELDS)


@admin.register(City)
class CityAdmin(FiguresImportExportMixin, HistoryAdmin):
    form = TaggedAdminForm
    list_display = ("name", "name_en", "province", "region", "latest_gdp_display")
    list_filter = ("region", "province")
    search_fields = ("name", "name_en", "slug", "province")
    inlines = (CityFiguresInline, IndicatorValueInline)

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures()

    @admin.display(description="最新 GDP（亿元）")
    def latest_gdp_display(self, obj):
        row = obj.latest_gdp
        return f"{row.gdp:,}（{row.year}）" if row else "—"
