"""What a figure is worth: its status (统计公报, 二手转录未核对 …), the basis it was published on,
and its source as a citation a reader can follow.

Pure: the rules are shared by the models, the CSV format and the derived figures.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import models

SOURCE_LINK = re.compile(r"https?://[^\s（(]+")
# What the data sets write where a figure was copied from somewhere nobody has checked.
SECONDHAND_NOTES = ("二手转录", "secondary transcription")


class FigureStatus(models.TextChoices):
    BULLETIN = "bulletin", "统计公报"
    PRELIMINARY = "preliminary", "初步核算"
    REVISED = "revised", "修订后"
    CITED = "cited", "转引（有出处）"
    SECONDHAND = "secondhand", "二手转录未核对"
    UNSTATED = "", "未标注"


# Only these are inputs of a derived figure; the others are shown, marked, and used for nothing.
CHECKED = frozenset(
    {FigureStatus.BULLETIN, FigureStatus.PRELIMINARY, FigureStatus.REVISED, FigureStatus.CITED}
)


def is_checked(status):
    return status in CHECKED


def split_source(source):
    """(link, note) of a source: a link, a note ("二手转录，尚未与统计公报核对"), or both."""
    match = SOURCE_LINK.match(source)
    link = match.group(0) if match else ""
    return link, source[len(link) :].strip()


def status_of_legacy_source(source):
    """The status an old file implies: a note saying "second-hand" is that; anything else is
    left unstated (and so unchecked) until an editor says otherwise."""
    lowered = source.lower()
    if any(note in lowered for note in SECONDHAND_NOTES):
        return FigureStatus.SECONDHAND
    return FigureStatus.UNSTATED


@dataclass(frozen=True)
class Citation:
    """A source as a reader sees it: 杭州市统计局《2024年杭州市国民经济和社会发展统计公报》."""

    label: str  # which figure: GDP, 人口 …
    publisher: str
    title: str
    year: int | None
    source: str  # the link and/or note, as stored
    status: str
    basis: str = ""

    @property
    def link(self):
        return split_source(self.source)[0]

    @property
    def note(self):
        """The note after the link, unless it only repeats what the status says."""
        note = split_source(self.source)[1]
        repeats = self.status == FigureStatus.SECONDHAND and status_of_legacy_source(note)
        return "" if repeats else note

    @property
    def name(self):
        """Publisher and title; without them the site the link goes to, never the raw URL."""
        title = f"《{self.title}》" if self.title else ""
        if self.publisher or title:
            return f"{self.publisher}{title}"
        return urlsplit(self.link).hostname or "" if self.link else ""

    @property
    def checked(self):
        return is_checked(self.status)

    @property
    def flag(self):
        """What an unchecked source is marked with."""
        if self.status == FigureStatus.SECONDHAND:
            return FigureStatus.SECONDHAND.label
        return "未核对（未标注状态）"

    @property
    def status_label(self):
        return FigureStatus(self.status).label if self.status in FigureStatus.values else ""
