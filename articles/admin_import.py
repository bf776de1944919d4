"""The admin's "导入文章" page: paste or upload a text from a WeChat mirror, get a draft and
a report of what was changed, then accept or drop the suggested tags and cities."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from articles import revisions
from articles.importer import MAX_IMPORT_BYTES, ImportRefused, check_size, create_draft, read_upload
from articles.models import ArticleImport, City
from articles.tagging import validate_tag_names

UPLOAD_TYPES = (".txt", ".md", ".html", ".htm")


class ImportForm(forms.Form):
    text = forms.CharField(
        label="粘贴文本", widget=forms.Textarea(attrs={"rows": 16}), required=False
    )
    file = forms.FileField(
        label="或上传文件",
        required=False,
        help_text=f".txt、.md 或 .html，最大 {MAX_IMPORT_BYTES // 1000} KB。",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        try:
            if upload:
                if not upload.name.lower().endswith(UPLOAD_TYPES):
                    raise ImportRefused("只接受 .txt、.md 或 .html 文件。")
                content = upload.read(MAX_IMPORT_BYTES + 1)
                check_size(content)
                data["raw"], data["filename"] = read_upload(upload.name, content), upload.name
            else:
                check_size((data.get("text") or "").encode("utf-8"))
                data["raw"], data["filename"] = data["text"], ""
        except ImportRefused as error:
            raise forms.ValidationError(str(error)) from None
        return data


class SuggestionsForm(forms.Form):
    tags = forms.MultipleChoiceField(
        label="建议标签", widget=forms.CheckboxSelectMultiple, required=False
    )
    cities = forms.ModelMultipleChoiceField(
        label="建议城市",
        queryset=City.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(name, name) for name in record.suggested_tags]
        self.fields["tags"].initial = record.suggested_tags
        cities = City.objects.filter(slug__in=record.suggested_cities)
        self.fields["cities"].queryset = cities
        self.fields["cities"].initial = list(cities)

    def clean_tags(self):
        validate_tag_names(self.cleaned_data["tags"])
        return self.cleaned_data["tags"]


def import_view(request, model_admin):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    if posted and form.is_valid():
        try:
            article = create_draft(
                form.cleaned_data["raw"], form.cleaned_data["filename"], request.user
            )
        except ImportRefused as error:
            form.add_error(None, str(error))
        else:
            return redirect("admin:articles_article_import_result", article.pk)
    return TemplateResponse(
        request,
        "admin/articles/article/import.html",
        {**model_admin.admin_site.each_context(request), "form": form, "title": "导入文章",
         "opts": model_admin.opts},
    )  # fmt: skip


def import_result_view(request, model_admin, pk):
    record = get_object_or_404(ArticleImport.objects.select_related("article"), article_id=pk)
    article = record.article
    if not model_admin.has_change_permission(request, article):
        raise PermissionDenied
    form = SuggestionsForm(request.POST or None, record=record)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            article.tags.add(*form.cleaned_data["tags"])
            article.cities.add(*form.cleaned_data["cities"])
            # A save like any edit: a new version (a form opened before is refused), a revision.
            article.save()
            revisions.record(article, request.user, note="采纳导入建议")
            record.suggested_tags, record.suggested_cities = [], []
            record.save(update_fields=["suggested_tags", "suggested_cities"])
        messages.success(
            request,
            f"已采纳 {len(form.cleaned_data['tags'])} 个标签、"
            f"{len(form.cleaned_data['cities'])} 个城市。",
        )
        return redirect("admin:articles_article_change", article.pk)
    return TemplateResponse(
        request,
        "admin/articles/article/import_result.html",
        {**model_admin.admin_site.each_context(request), "form": form, "record": record,
         "article": article, "report": record.report, "title": "导入报告",
         "opts": model_admin.opts},
    )  # fmt: skip
