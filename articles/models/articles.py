"""Articles: what the public may see (one QuerySet), what a save derives, and their tags.

Longer than 400 lines: one model whose members (fields, what a save derives, the review
step, sharing) keep the book's order together; splitting Article across modules would
hide half of it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from articles.editorial.images import share_src
from articles.markdown import LIBRARY_IMAGE, MAX_BODY_LENGTH, render_markdown
from articles.mentions import link_mentions
from articles.models.cities import City, Organisation, name_index
from articles.models.covers import PendingCover
from articles.models.media import ArticleImage, MediaImage
from articles.models.queries import ArticleManager
from articles.models.slugs import unique_slug
from articles.search.tokens import body_blocks, index_text, title_blocks
from articles.text import pinyin_slug


class ArticleTag(TaggedItemBase):
    """An article's tag, by a real foreign key: tag filters join on indexed integers instead
    of taggit's generic (content type, text-cast object id) pair, which no index can serve."""

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "文章标签"
        verbose_name_plural = "文章标签"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="article_tag_unique")
        ]
        # Tag to articles without reading the table: tag pages, filters and facets.
        indexes = [models.Index(fields=["tag", "content_object"], name="article_tag_idx")]


COVER_FIELDS = ("cover_image", "cover_width", "cover_height", "cover_renditions")


class StaleEdit(Exception):
    """Someone else saved the article after this copy of it was read."""


class CoverNotStored(Exception):
    """The cover image or one of its sizes could not be written (disk full); nothing was saved."""


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        REVIEW = "review", "待审核"
        SCHEDULED = "scheduled", "定时发布"
        PUBLISHED = "published", "已发布"

    PUBLIC_STATUSES = (Status.SCHEDULED, Status.PUBLISHED)
    PUBLISH_PERMISSION = "articles.publish_article"

    title = models.CharField("标题", max_length=200)
    slug = models.SlugField(
        "网址名",
        max_length=120,
        unique=True,
        blank=True,
        allow_unicode=True,
        help_text="留空则按标题的拼音生成，如 hangzhou-you-deepseek-nanjing-you-shenme。",
    )
    summary = models.TextField("摘要", max_length=500, blank=True)
    body = models.TextField("正文（Markdown）", blank=True, max_length=MAX_BODY_LENGTH)
    body_html = models.TextField(editable=False, blank=True)
    # Search tokens (articles.search.tokens): title and tags, then summary and body blocks.
    search_title = models.TextField(editable=False, blank=True)
    search_body = models.TextField(editable=False, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "发布时间", null=True, blank=True, help_text="发布时留空则取当前时间。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="作者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    source = models.CharField(
        "来源", max_length=200, blank=True, help_text="刊物与栏目，如：慧产科技集团 · 招商洞察"
    )
    tags = TaggableManager(
        "标签",
        through=ArticleTag,
        blank=True,
        help_text="用逗号、顿号或分号分隔，如：人工智能，芯片",
    )
    cities = models.ManyToManyField(City, verbose_name="城市", blank=True, related_name="articles")
    # The review step (articles.editorial.review): when it was last submitted, and the
    # editor's comment when it was sent back (the history keeps every earlier one).
    submitted_at = models.DateTimeField("提交审核时间", null=True, blank=True, editable=False)
    review_comment = models.TextField("退回意见", blank=True, editable=False)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退回人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    returned_at = models.DateTimeField("退回时间", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    cover_image = models.ImageField(
        "封面图",
        upload_to="covers/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        help_text="JPEG、PNG 或 WebP；上传后会重新编码并去掉拍摄信息。",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        "封面图说明", max_length=200, blank=True, help_text="给看不到图片的读者：图里是什么。"
    )
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    organisations = models.ManyToManyField(
        Organisation, verbose_name="机构", blank=True, related_name="articles"
    )
    # {"city": [pk, …], "organisation": [pk, …]} found in the text on save, in order of first mention.
    mentions = models.JSONField(editable=False, default=dict, blank=True)
    images = models.ManyToManyField(
        MediaImage, through=ArticleImage, related_name="articles", blank=True, editable=False
    )
    # What share cards and search engines show; empty: the title, the summary, the cover.
    seo_title = models.CharField(
        "分享标题",
        max_length=100,
        blank=True,
        help_text="留空则用标题。微信、微博和搜索结果大约显示 30 个字，建议不超过 30 字。",
    )
    seo_description = models.CharField(
        "分享描述",
        max_length=300,
        blank=True,
        help_text="留空则用摘要。建议不超过 80 字：分享卡片和搜索结果只显示开头。",
    )
    share_image = models.ForeignKey(
        MediaImage,
        verbose_name="分享图",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shared_by",
        help_text="从媒体库选一张；留空则用封面图。分享卡片按 1200×630 裁切。",
    )

    objects = ArticleManager()

    # Set by the admin's form: a new cover as uploaded, judged but not yet prepared, which
    # save() holds (PendingCover); False when the editor cleared the cover, which drops a held
    # one too; None when the cover is left as it is.
    cover_upload = None

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "文章"
        verbose_name_plural = "文章"
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_public_idx"),
            # Newest first, walked backwards: the latest-N lists stop after N rows, with the
            # status at hand. On SQLite a row's status and date lie beyond its long texts
            # (overflow pages), so search also looks a match's status and date up by id.
            models.Index(fields=["published_at", "id", "status"], name="article_walk_idx"),
            models.Index(fields=["id", "status", "published_at"], name="article_visible_idx"),
        ]
        permissions = [("publish_article", "可以发布、定时和撤回文章")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store the article with what is derived from it, all or nothing. A save based on an
        outdated copy raises StaleEdit; a cover that cannot be written, CoverNotStored."""
        self.derive()
        cover = self.cover_image
        new_cover = (
            cover.field.generate_filename(self, cover.name)
            if cover and not cover._committed
            else None
        )
        adding = self._state.adding
        try:
            with transaction.atomic():
                if not adding:
                    self._claim_next_version()
                super().save(*args, **kwargs)
                self._hold_cover_upload()
                self._keep_image_uses(adding)
        except OSError as error:
            # Disk full: the row is rolled back, so the new cover goes too (its name is new, so
            # whatever is there is this save's, whole or partly written).
            if new_cover:
                cover.storage.delete(new_cover)
            raise CoverNotStored(
                f"封面图没能存下（{error.strerror or error}），文章没有保存。请稍后再试，或联系管理员。"
            ) from error

    def get_absolute_url(self):
        return reverse("articles:article-detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        article = super().from_db(db, field_names, values)
        # Whether the stored body named library pictures (None: not read): a save of a body
        # that named none and names none has no picture uses to look up.
        article.stored_images = (
            bool(LIBRARY_IMAGE.search(article.body)) if "body" in field_names else None
        )
        return article

    def derive(self):
        """Work done once on write, never per request: the slug, the publication time, the
        body's HTML with its mentions linked, the search tokens."""
        if not self.slug:
            self.slug = unique_slug(Article, pinyin_slug(self.title), exclude_pk=self.pk)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body_html, self.mentions = self.render_body()
        self.search_title = self.search_title_tokens()
        self.search_body = self.search_body_tokens()
        if not self.cover_image:
            self.cover_renditions = {}

    def _hold_cover_upload(self):
        if self.cover_upload is not None:
            # Replaced, not updated: a task still busy with an older upload finds its row gone.
            PendingCover.objects.filter(article=self).delete()
            if self.cover_upload:
                PendingCover.objects.create(article=self, data=self.cover_upload.read())
            self.cover_upload = None

    def take_cover(self, name, size, renditions):
        """The cover prepared from a held upload (articles.editorial.cover_files) becomes this
        article's. A write like any other (save_base sends the signals: the old cover's files
        go, cached pages change) but not an edit: no new version, no revision, and a form the
        editor has open stays current."""
        self.cover_image.name = name
        self.cover_width, self.cover_height = size
        self.cover_renditions = renditions
        self.save_base(update_fields=COVER_FIELDS)

    def _keep_image_uses(self, adding):
        used = set(self.image_ids)
        if used or not (adding or getattr(self, "stored_images", None) is False):
            stored = set() if adding else set(self.image_uses.values_list("image_id", flat=True))
            self.image_uses.filter(image_id__in=stored - used).delete()
            ArticleImage.objects.bulk_create(
                ArticleImage(article=self, image_id=pk) for pk in used - stored
            )
        self.stored_images = bool(used)

    def _claim_next_version(self):
        """Optimistic locking: this save goes through only if nobody saved since self.version
        was read; otherwise StaleEdit, and the other person's save stands."""
        claimed = Article.objects.filter(pk=self.pk, version=self.version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise StaleEdit(f"《{self.title}》在您读取之后已被别人保存。")
        self.version += 1

    def clean(self):
        errors = {}
        if self.status == self.Status.SCHEDULED and self.published_at is None:
            errors["published_at"] = "定时发布须填写发布时间。"
        if (self.cover_image or self.cover_upload) and not self.cover_alt.strip():
            errors["cover_alt"] = "有封面图时须写图片说明。"
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self):
        return self.status in self.PUBLIC_STATUSES and bool(
            self.published_at and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status in self.PUBLIC_STATUSES and bool(
            self.published_at and self.published_at > timezone.now()
        )

    def can_be_edited_by(self, user):
        """Editors edit everything; an author only their own drafts (not while in review)."""
        if not user.has_perm("articles.change_article"):
            return False
        if user.has_perm(self.PUBLISH_PERMISSION):
            return True
        return self.author_id == user.pk and self.status == self.Status.DRAFT

    def can_be_deleted_by(self, user):
        """Editors delete anything; an author only a draft of their own that was never
        submitted or published (what an editor has seen stays on the record)."""
        if not user.has_perm("articles.delete_article"):
            return False
        if user.has_perm(self.PUBLISH_PERMISSION):
            return True
        return (
            self.author_id == user.pk
            and self.status == self.Status.DRAFT
            and self.submitted_at is None
            and self.published_at is None
        )

    # The review step: each changes the article only; articles.editorial.review saves it.

    def may_submit(self, user):
        """Whoever wrote a draft submits it (an editor may too, for a second pair of eyes);
        an editor publishes someone else's draft directly instead."""
        return (
            self.status == self.Status.DRAFT
            and self.author_id == user.pk
            and self.can_be_edited_by(user)
        )

    def may_withdraw(self, user):
        """Only whoever wrote it takes a submitted article back."""
        return (
            self.status == self.Status.REVIEW
            and self.author_id == user.pk
            and user.has_perm("articles.change_article")
        )

    def may_review(self, user):
        """Return or publish a submitted article: an editor's call."""
        return self.status == self.Status.REVIEW and user.has_perm(self.PUBLISH_PERMISSION)

    def submit(self):
        self.status = self.Status.REVIEW
        self.submitted_at = timezone.now()
        self.review_comment = ""

    def withdraw(self):
        self.status = self.Status.DRAFT

    def send_back(self, user, comment):
        self.status = self.Status.DRAFT
        self.review_comment = comment
        self.returned_by = user
        self.returned_at = timezone.now()

    def render_body(self, names=None):
        """(body_html, mentions): the body as HTML, with its library images drawn and the
        first mention of each city and organisation linked, and what the title, summary and
        body mention. names: the name_index() to use, when the caller renders many articles."""
        names = name_index() if names is None else names
        figures = MediaImage.objects.figures_in(self.body)
        self.image_ids = list(figures)
        html = render_markdown(self.body, figures)
        return link_mentions(html, names, self.title, self.summary)

    @property
    def share_title(self):
        return self.seo_title or self.title

    @property
    def share_description(self):
        return self.seo_description or self.summary or self.title

    def share_card_url(self):
        """The 1200×630 card of the share image, else of the cover; "" for neither. Until
        its card exists (a cover stored before cards were made, a picture whose renditions are
        still to come), the image itself, as before."""
        image = self.share_image.file if self.share_image_id else self.cover_image
        renditions = self.share_image.renditions if self.share_image_id else self.cover_renditions
        return (share_src(renditions) or image.url) if image else ""

    def search_title_tokens(self):
        """Title and tag names, the part of the index that ranks first."""
        tags = [tag.name for tag in self.tags.all()] if self.pk else []
        return index_text(title_blocks(self.title, tags))

    def search_body_tokens(self):
        return index_text(body_blocks(self.summary, self.body_html))

    def publish(self):
        """Public now: a scheduled date still in the future is brought forward. Changes the
        article only: save it (save_with_revision)."""
        self.status = self.Status.PUBLISHED
        if self.published_at is None or self.published_at > timezone.now():
            self.published_at = timezone.now()

    def unpublish(self):
        self.status = self.Status.DRAFT

    def suggested_cities(self):
        """Cities the text mentions that the editor has not linked yet."""
        mentioned = self.mentions.get("city", [])
        return City.objects.filter(pk__in=mentioned).exclude(pk__in=self.cities.all())

    def suggested_organisations(self):
        mentioned = self.mentions.get("organisation", [])
        return Organisation.objects.filter(pk__in=mentioned).exclude(
            pk__in=self.organisations.all()
        )

    def has_unlinked_mentions(self):
        return self.suggested_cities().exists() or self.suggested_organisations().exists()

    def accept_mentions(self):
        """Link the article to every city and organisation its text mentions (and that still
        exists: one may have been deleted since the article was saved)."""
        self.cities.add(*self.suggested_cities())
        self.organisations.add(*self.suggested_organisations())


class OriginalLink(models.Model):
    """A link to the original piece an article is based on or quotes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="links")
    title = models.CharField("标题", max_length=200, blank=True)
    url = models.URLField("网址", max_length=500)

    class Meta:
        ordering = ["pk"]
        verbose_name = "原文链接"
        verbose_name_plural = "原文链接"

    def __str__(self):
        return self.title or self.url

    def get_absolute_url(self):
        return self.url
