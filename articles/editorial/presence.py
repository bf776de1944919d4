"""Who else has an article's form open: each open form sends a heartbeat every few seconds
(editor.js); someone whose heartbeat stops is gone after TIMEOUT, or at once when their page
says goodbye."""

from datetime import timedelta

from django.utils import timezone

from articles.models import EditingPresence

HEARTBEAT_SECONDS = 5
TIMEOUT = timedelta(seconds=30)


def heartbeat(article, user):
    """Note that user has article open; the others who have it open too, by name."""
    now = timezone.now()
    # Update, else insert; a concurrent heartbeat or goodbye of the same person may win either
    # race, which only moves seen_at (update_or_create would fail when the goodbye deletes the row).
    if not EditingPresence.objects.filter(article=article, user=user).update(seen_at=now):
        EditingPresence.objects.bulk_create(
            [EditingPresence(article=article, user=user, seen_at=now)], ignore_conflicts=True
        )
    others = (
        EditingPresence.objects.filter(article=article, seen_at__gte=now - TIMEOUT)
        .exclude(user=user)
        .select_related("user")
        .order_by("seen_at")
    )
    return [person.user.get_full_name() or person.user.get_username() for person in others]


def leave(article, user):
    EditingPresence.objects.filter(article=article, user=user).delete()
