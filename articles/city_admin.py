"""Admin for organisations and further indicators, and CSV import and export of city figures."""

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from articles.figures import (
    MAX_FILE_BYTES,
    FigureFileError,
    read_figures_file,
    save_figures,
    write_figures,
)
from articles.models import Indicator, IndicatorValue, Organisation


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
                data = form.cleaned_data["file"].read(MAX_FILE_BYTES + 1)
                stats = save_figures(read_figures_file(data))
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


def describe_import(stats):
    return (
        f"导入完成：新增 {stats['created']} 行，更新 {stats['updated']} 行，"
        f"未变 {stats['unchanged']} 行，新建城市 {stats['new cities']} 座。"
    )


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ("indicator", "year", "value", "source")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "description")
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "kind", "city", "slug")
    list_filter = ("kind", "city")
    list_select_related = ("city",)
    search_fields = ("name", "name_en", "aliases", "slug")
    autocomplete_fields = ("city",)
    fields = ("name", "name_en", "slug", "kind", "city", "aliases", "summary", "website")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def view_on_site(self, obj):
        return reverse("articles:organisation-detail", args=[obj.slug])
