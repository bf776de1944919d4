"""The media library: pictures uploaded once, judged and re-encoded like covers, and shown in
any number of article bodies (and as share cards) by reference, never copied."""

from django.conf import settings
from django.db import models

from articles.editorial.images import default_src, fitting, renditions_of, srcset
from articles.markdown import image_references
from articles.text import search_form


class MediaImageQuerySet(models.QuerySet):
    def matching(self, term):
        """Images whose file name or alt text holds term, folded as search folds (經濟 finds
        经济, Ｋ finds k)."""
        folded = search_form(term)
        return self.filter(search_name__contains=folded) if folded else self

    def figures(self, ids):
        """{id: what the Markdown renderer needs to draw it} for the images of ids that exist."""
        return {image.pk: image.figure() for image in self.filter(pk__in=ids)}

    def figures_in(self, body):
        """figures() of the images a Markdown body names: one query, none for a body without."""
        return self.figures(image_references(body))


class MediaImage(models.Model):
    # Only the fields an edit to the picture changes send its articles to be drawn again.
    SHOWN_FIELDS = {"file", "alt", "caption", "credit", "renditions"}

    file = models.ImageField(
        "图片",
        upload_to="library/",
        width_field="width",
        height_field="height",
        help_text="JPEG、PNG 或 WebP；上传后会重新编码并去掉拍摄信息。",
    )
    name = models.CharField(
        "名称", max_length=200, blank=True, help_text="上传时的文件名，供搜索；不会出现在网址里。"
    )
    width = models.PositiveIntegerField(editable=False, null=True)
    height = models.PositiveIntegerField(editable=False, null=True)
    alt = models.CharField(
        "替代文字", max_length=200, help_text="给看不到图片的读者：图里是什么。必填。"
    )
    caption = models.CharField("图注", max_length=300, blank=True)
    credit = models.CharField("来源/作者", max_length=200, blank=True, help_text="如：摄影：王磊")
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    # search_form() of name and alt text: the library's search box compares with it.
    search_name = models.TextField(editable=False, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传者",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = MediaImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "图片"
        verbose_name_plural = "媒体库"

    def __str__(self):
        return self.alt or self.name

    def save(self, *args, **kwargs):
        self.search_name = search_form(f"{self.name} {self.alt}")
        super().save(*args, **kwargs)

    @property
    def reference(self):
        """What the Markdown body holds to show this picture."""
        return f"![{self.alt}](library:{self.pk})"

    def figure(self):
        size = fitting(self.renditions, 960)
        return {
            "src": default_src(self.renditions) or self.file.url,
            "srcset": srcset(self.renditions),
            "width": size[0] if size else self.width,
            "height": size[1] if size else self.height,
            "alt": self.alt,
            "caption": self.caption,
            "credit": self.credit,
        }

    def thumbnail_url(self):
        return default_src(self.renditions, 480) or self.file.url

    @classmethod
    def process(cls, pk):
        """Make the image's renditions if its file has none yet, then draw again the bodies
        of the articles that show it (their HTML is made on save, never per request); the pks
        of those articles, whose pages the caller touches (update() sends no signals)."""
        image = cls.objects.filter(pk=pk).first()
        if image is None:
            return []
        if image.renditions.get("of") != image.file.name:
            image.renditions = renditions_of(image.file)
            cls.objects.filter(pk=pk).update(renditions=image.renditions)
        redrawn = []
        for article in image.articles.all():
            body_html, _ = article.render_body()
            type(article).objects.filter(pk=article.pk).update(body_html=body_html)
            redrawn.append(article.pk)
        return redrawn


class ArticleImage(models.Model):
    """A library image shown in an article's body, as found on its last save. An image in use
    cannot be deleted (PROTECT): its files stay while any article shows it."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="image_uses")
    image = models.ForeignKey(MediaImage, on_delete=models.PROTECT, related_name="article_uses")

    class Meta:
        verbose_name = "文中图片"
        verbose_name_plural = "文中图片"
        constraints = [
            models.UniqueConstraint(fields=["article", "image"], name="article_image_unique")
        ]

    def __str__(self):
        return str(self.image)
