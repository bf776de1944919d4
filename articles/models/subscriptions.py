"""Readers' e-mail subscriptions: to everything, a tag or a city; confirmed by a link in a mail
before anything else is sent (double opt-in), removed whole by one click (no address is kept)."""

import secrets

from django.db import models
from taggit.models import Tag

from articles.models.cities import City


def new_token():
    return secrets.token_urlsafe(24)


class Subscription(models.Model):
    class Frequency(models.TextChoices):
        DAILY = "daily", "每天"
        WEEKLY = "weekly", "每周"

    email = models.EmailField("邮箱")
    tag = models.ForeignKey(
        Tag, verbose_name="标签", null=True, blank=True, on_delete=models.CASCADE
    )
    city = models.ForeignKey(
        City, verbose_name="城市", null=True, blank=True, on_delete=models.CASCADE
    )
    # "all", "tag:<id>" or "city:<id>": one subscription per address and scope, NULLs or not.
    scope = models.CharField(max_length=40, editable=False)
    frequency = models.CharField(
        "频率", max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    asked_at = models.DateTimeField("确认信发出", null=True, editable=False)
    confirmed_at = models.DateTimeField("确认于", null=True, blank=True, editable=False)
    # Articles published up to here have been sent (or were published before confirmation).
    sent_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "邮件订阅"
        verbose_name_plural = "邮件订阅"
        constraints = [
            models.UniqueConstraint(fields=["email", "scope"], name="one_subscription_per_scope")
        ]
        indexes = [models.Index(fields=["frequency", "confirmed_at"])]

    def __str__(self):
        return f"{self.email} · {self.scope_name}"

    def save(self, *args, **kwargs):
        self.scope = scope_key(self.tag, self.city)
        super().save(*args, **kwargs)

    @property
    def scope_name(self):
        if self.tag_id:
            return f"标签：{self.tag.name}"
        if self.city_id:
            return f"城市：{self.city.name}"
        return "全部文章"


def scope_key(tag=None, city=None):
    return f"tag:{tag.pk}" if tag else f"city:{city.pk}" if city else "all"
