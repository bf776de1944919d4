"""The media library's admin, with the two small endpoints the Markdown editor asks: upload a
picture (from the button, a paste or a drop) and find one already in the library.

Authors upload and use pictures and change their own; editors change any, and delete those
no article shows (an image in use is protected, and the delete page says by which articles).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.utils.html import format_html

from articles.editorial.images import judge_cover, reencode
from articles.models import MediaImage

PICKED = 24  # pictures the editor's library panel shows for one search


class MediaImageForm(forms.ModelForm):
    # A plain file field, as the cover's: judge_cover is the one judge of an image (Django's
    # ImageField would answer first, in its own words, and cap the name's length).
    file = forms.FileField(
        label="图片",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG、PNG 或 WebP；上传后会重新编码并去掉拍摄信息。",
    )

    class Meta:
        model = MediaImage
        fields = ("file", "alt", "caption", "credit")

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            # The name is kept for the library's search only; the file gets one of ours.
            self.instance.name = "".join(c for c in upload.name if c.isprintable())[-200:]
            judge_cover(upload)
            return reencode(upload.read())[0]  # nothing of the upload's metadata is kept
        return upload


class UsedFilter(admin.SimpleListFilter):
    title = "使用情况"
    parameter_name = "used"

    def lookups(self, request, model_admin):
        return (("yes", "文章中在用"), ("no", "没有文章使用"))

    def queryset(self, request, queryset):
        if self.value() not in {"yes", "no"}:
            return queryset
        unused = queryset.filter(article_uses__isnull=True, shared_by__isnull=True)
        return unused if self.value() == "no" else queryset.exclude(pk__in=unused.values("pk"))


@admin.register(MediaImage)
class MediaImageAdmin(admin.ModelAdmin):
    form = MediaImageForm
    list_display = ("preview", "alt", "caption", "credit", "uploaded_by", "created_at")
    list_display_links = ("preview", "alt")
    list_filter = (UsedFilter, "created_at")
    list_select_related = ("uploaded_by",)
    # The search box compares with the folded name and alt text (get_search_results).
    search_fields = ("search_name",)
    search_help_text = "按文件名或替代文字搜索，简繁体均可。"
    readonly_fields = ("preview", "reference", "uploaded_by", "created_at")
    fields = ("file", "preview", "alt", "caption", "credit", "reference", "uploaded_by")

    def get_search_results(self, request, queryset, search_term):
        return queryset.matching(search_term), False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed or request.user.has_perm("articles.publish_article"):
            return allowed
        return obj.uploaded_by_id == request.user.pk  # an author changes their own pictures

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="预览")
    def preview(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="120" class="library-thumb">', obj.thumbnail_url()
        )

    @admin.display(description="正文中的写法")
    def reference(self, obj):
        return obj.reference if obj.pk else "—"

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("upload/", view(self.upload_view), name="articles_mediaimage_upload"),
            path("pick/", view(self.pick_view), name="articles_mediaimage_pick"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        """A picture from the editor: stored like any other, answered with its reference."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = MediaImageForm(request.POST, request.FILES)
        if not form.is_valid():
            fields = {name: list(errors) for name, errors in form.errors.items()}
            errors = [error for errors in fields.values() for error in errors]
            return JsonResponse({"errors": errors, "fields": fields}, status=400)
        self.save_model(request, form.instance, form, change=False)
        return JsonResponse(_found(form.instance), status=201)

    def pick_view(self, request):
        """The newest pictures matching ?q= (name or alt text), for the editor's library panel."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        images = MediaImage.objects.matching(request.GET.get("q", "")[:100])[:PICKED]
        return JsonResponse({"results": [_found(image) for image in images]})


def _found(image):
    return {
        "id": image.pk,
        "alt": image.alt,
        "caption": image.caption,
        "thumbnail": image.thumbnail_url(),
        "reference": image.reference,
    }
