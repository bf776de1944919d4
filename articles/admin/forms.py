"""The admin's forms: the article form (stale saves refused, covers judged), tag validation for
tagged models, and the import forms."""

from django import forms

from articles.editorial import merge
from articles.editorial.images import judge_cover
from articles.importer import MAX_IMPORT_BYTES, ImportRefused, check_size, read_upload
from articles.models import Article, City
from articles.tagging import validate_tag_names


class TaggedAdminForm(forms.ModelForm):
    """Admin form for a model with tags: names that make no URL are refused with a message."""

    def clean_tags(self):
        names = self.cleaned_data["tags"]
        validate_tag_names(names)
        return names


MAX_VERSION = 2**31 - 1  # a PositiveIntegerField's limit on every database


class ArticleAdminForm(TaggedAdminForm):
    """The article form: merges a save based on an outdated copy (articles.editorial.merge)
    instead of saving it, and checks the cover."""

    seen_version = forms.IntegerField(
        label="打开时的版本",
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=MAX_VERSION,
    )
    # After a merge with conflicts: the version first opened, and the fields still to choose.
    merge_base = forms.IntegerField(
        label="合并所依据的版本",
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=MAX_VERSION,
    )
    merge_conflicts = forms.CharField(
        label="待选择的冲突", widget=forms.HiddenInput, required=False, max_length=200
    )
    accept_mentions = forms.BooleanField(
        label="关联文中提到的城市和机构",
        required=False,
        help_text="保存时把正文、标题和摘要中提到的城市和机构加入上面的关联。",
    )
    cover_image = forms.FileField(
        label="封面图",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="JPEG、PNG 或 WebP；保存后在后台重新编码、去掉拍摄信息，几秒钟后读者才看到新封面。",
    )

    cover_not_stored = ""  # set by the admin when the last try could not store the cover

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.merge = None
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def _save_m2m(self):
        super()._save_m2m()
        # Before the admin keeps its revision, so that the revision has the linked cities.
        if self.cleaned_data.get("accept_mentions"):
            self.instance.accept_mentions()

    def clean_cover_image(self):
        upload = self.cleaned_data.get("cover_image")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            judge_cover(upload)
            # Held, not stored: readers keep the cover they had until a task has prepared it.
            self.instance.cover_upload = upload
            return self.instance.cover_image
        if upload is False:
            self.instance.cover_upload = False
        return upload

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._check_version(data)
        if self.cover_not_stored:
            self.add_error("cover_image", self.cover_not_stored)
        return data

    def _yours(self, data):
        return {name: data[name] for name in merge.FIELDS if name in self.fields and name in data}

    def _check_version(self, data):
        seen = data.get("seen_version")
        # Locked until the admin's transaction ends, so a concurrent save waits for this one.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if seen == current:
            self.instance.version = seen
            self._apply_choices(data)
            return
        self.merge = merge.merge(self.instance, seen, self._yours(data))
        # The form comes back with what the others changed taken in, the writer's own changes
        # kept, and the current version: what is saved next is what the writer now sees.
        self.data = self.data.copy()
        for name, _, _ in self.merge.taken:
            for key, values in merge.form_data(name, self.merge.theirs[name]):
                self.data.setlist(self.add_prefix(key), values)
        self.data[self.add_prefix("seen_version")] = current
        if self.merge.conflicts:
            self.data[self.add_prefix("merge_base")] = seen
            self.data[self.add_prefix("merge_conflicts")] = ",".join(
                conflict.field for conflict in self.merge.conflicts
            )
        raise forms.ValidationError(self._stale_message(), code="stale")

    def _stale_message(self):
        who = "、".join(self.merge.authors) or "别人"
        parts = [f"保存失败：您打开这篇文章之后，{who} 保存过它（改动见下方）。"]
        if self.merge.taken:
            labels = "、".join(label for _, label, _ in self.merge.taken)
            parts.append(f"您没有改动的{labels}已换成对方保存的内容。")
        if self.merge.conflicts:
            labels = "、".join(conflict.label for conflict in self.merge.conflicts)
            parts.append(f"{labels}您和对方都改了：请在下方对照，选择保留哪一版。")
        parts.append("您改动的其余内容仍在表单里。请检查后再保存。")
        return "".join(parts)

    def _apply_choices(self, data):
        """Fields both changed, after the writer has seen them side by side: theirs or yours
        (as now in the form, merged by hand or not); no choice, no save."""
        pending = [
            name
            for name in (data.get("merge_conflicts") or "").split(",")
            if name in merge.FIELDS and name in self.fields
        ]
        if not pending:
            return
        unchosen = []
        theirs = None
        for name in pending:
            choice = self.data.get(f"choose_{name}")
            if choice == "theirs":
                theirs = theirs or merge.stored(self.instance)
                data[name] = theirs[name]
            elif choice != "yours":
                unchosen.append(name)
        if unchosen:
            self.merge = merge.merge(
                self.instance, data.get("merge_base"), self._yours(data), only=unchosen
            )
            unchosen = [conflict.field for conflict in self.merge.conflicts]
        if unchosen:
            self.data = self.data.copy()
            self.data[self.add_prefix("merge_conflicts")] = ",".join(unchosen)
            labels = "、".join(merge.LABELS.get(name, name) for name in unchosen)
            raise forms.ValidationError(
                f"保存失败：{labels}您和对方都改了，请在下方选择保留哪一版。", code="unchosen"
            )


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
        # Ranked as the importer ranked them; only the strong ones start ticked.
        self.fields["tags"].choices = [(name, name) for name in record.suggested_tags]
        self.fields["tags"].initial = record.report.get("strong_tags", [])
        rank = {slug: i for i, slug in enumerate(record.suggested_cities)}
        cities = City.objects.filter(slug__in=record.suggested_cities)
        self.fields["cities"].queryset = cities
        self.fields["cities"].choices = [
            (city.pk, city.name) for city in sorted(cities, key=lambda c: rank[c.slug])
        ]
        strong = record.report.get("strong_cities", [])
        self.fields["cities"].initial = [city.pk for city in cities if city.slug in strong]

    def clean_tags(self):
        validate_tag_names(self.cleaned_data["tags"])
        return self.cleaned_data["tags"]
