"""Covers in object storage (MEDIA_S3_BUCKET): django-storages' S3 storage, whose failures are
the operating system's kind.

An unreachable or refusing bucket raises botocore's own errors; here a failed save is an
OSError, like a full disk, so a save with a cover is refused with its reason and rolled back
whole (Article.save, CoverNotStored), never a 500. A failed delete is logged and left: the
object's name is unique and nothing refers to it any more, so it is only space.
"""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)


class MediaStorage(S3Storage):
    def save(self, name, content, max_length=None):
        try:
            return super().save(name, content, max_length)
        except (BotoCoreError, ClientError) as error:
            raise OSError(f"对象存储不可用：{error}") from error

    def delete(self, name):
        try:
            super().delete(name)
        except (BotoCoreError, ClientError) as error:
            logger.error("Could not delete %s from the bucket (%s); it is left there", name, error)
