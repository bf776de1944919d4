"""E-mail subscriptions: sign-up with confirmation (double opt-in), digests of what was
published since the last one, and leaving by one click. Every link in a mail is SITE_URL plus a
path; the token in it is the subscription's own, unguessable."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Subscription
from articles.models.subscriptions import scope_key

logger = logging.getLogger(__name__)

ASK_AGAIN_AFTER = timedelta(minutes=10)  # one confirmation mail per address and scope per 10 min
DIGEST_SIZE = 20
PERIODS = {Subscription.Frequency.DAILY: timedelta(days=1), "weekly": timedelta(days=7)}


def link(name, subscription):
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[subscription.token])


def _send(subject, template, context, to, subscription):
    context = {**context, "SITE_NAME": settings.SITE_NAME, "subscription": subscription}
    context["unsubscribe"] = link("articles:unsubscribe", subscription)
    message = EmailMultiAlternatives(
        subject=f"{settings.SITE_NAME} · {subject}",
        body=render_to_string(f"articles/mail/{template}.txt", context),
        to=[to],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",  # RFC 8058
        },
    )
    message.attach_alternative(
        render_to_string(f"articles/mail/{template}.html", context), "text/html"
    )
    message.send()


def sign_up(email, frequency, tag=None, city=None):
    """Ask the address to confirm (again, at most every ASK_AGAIN_AFTER). Says nothing about
    whether the address was already subscribed: the caller answers every sign-up alike."""
    now = timezone.now()
    with transaction.atomic():
        subscription, _ = Subscription.objects.select_for_update().get_or_create(
            email=email, scope=scope_key(tag, city), defaults={"tag": tag, "city": city}
        )
        if subscription.confirmed_at or (
            subscription.asked_at and now - subscription.asked_at < ASK_AGAIN_AFTER
        ):
            return
        subscription.frequency = frequency
        subscription.asked_at = now
        subscription.save()
    try:
        _send(
            "请确认订阅",
            "confirm",
            {"confirm": link("articles:confirm-subscription", subscription)},
            email,
            subscription,
        )
    except OSError:
        logger.exception("the confirmation mail to a new subscriber could not be sent")
        Subscription.objects.filter(pk=subscription.pk).update(asked_at=None)  # may ask again
        raise


def confirm(subscription):
    """From now on; what was published before is not sent."""
    if not subscription.confirmed_at:
        subscription.confirmed_at = subscription.sent_until = timezone.now()
        subscription.save(update_fields=["confirmed_at", "sent_until"])


def due(subscription):
    """The published articles the subscription has not been sent yet, newest first."""
    articles = Article.objects.published().filter(published_at__gt=subscription.sent_until)
    if subscription.tag_id:
        articles = articles.filter(tags=subscription.tag_id)
    if subscription.city_id:
        articles = articles.filter(cities=subscription.city_id)
    return articles.order_by("-published_at")


def send_digests(frequency, now=None):
    """One mail per confirmed subscription of that frequency whose last digest is a period old
    and that has something new; returns how many were sent."""
    now = now or timezone.now()
    waiting = Subscription.objects.filter(
        frequency=frequency,
        confirmed_at__isnull=False,
        sent_until__lte=now - PERIODS[frequency] + timedelta(minutes=5),  # cron runs drift
    ).select_related("tag", "city")
    sent = 0
    for subscription in waiting:
        articles = list(due(subscription).filter(published_at__lte=now)[: DIGEST_SIZE + 1])
        if not articles:
            continue
        context = {
            "articles": [
                (a, settings.SITE_URL.rstrip("/") + a.get_absolute_url())
                for a in articles[:DIGEST_SIZE]
            ],
            "more": len(articles) > DIGEST_SIZE,
        }
        subject = f"{subscription.get_frequency_display()}文章：{subscription.scope_name}"
        _send(subject, "digest", context, subscription.email, subscription)
        Subscription.objects.filter(pk=subscription.pk).update(sent_until=now)
        sent += 1
    return sent
