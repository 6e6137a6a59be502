"""Media and originals on S3-compatible object storage (django-storages).

With `AWS_STORAGE_BUCKET_NAME` set, every app instance keeps the files it
stores in the bucket instead of its own disk (`newsroom.settings` chooses
these storages then):

- `MediaStorage`: what readers see, the renditions of photos and headshots
  and their responsive variants, under the `media/` prefix, each at a plain
  (unsigned) URL: the bucket's, or `AWS_S3_CUSTOM_DOMAIN`'s (a CDN or the
  web server in front).
- `OriginalsObjectStorage`: the uploaded originals, never served, under
  `originals/` in `AWS_ORIGINALS_BUCKET_NAME` (a private bucket of their
  own) or, without one, in the media bucket, where only `media/` may be
  public; `url()` raises, as the folder storage's does.

`manage.py check` refuses originals that share the media's bucket and prefix.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.files.storage import storages
from storages.backends.s3 import S3Storage

from newsroom.originals import OriginalNotServedError

MEDIA_PREFIX = "media"
ORIGINALS_PREFIX = "originals"


class MediaStorage(S3Storage):
    """Renditions at public, unsigned URLs; a name in use is never overwritten."""

    def get_default_settings(self) -> dict[str, Any]:
        return super().get_default_settings() | {
            "location": MEDIA_PREFIX,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        }


class OriginalsObjectStorage(S3Storage):
    """Originals in a private bucket or prefix, with no URL."""

    def get_default_settings(self) -> dict[str, Any]:
        return super().get_default_settings() | {
            "location": ORIGINALS_PREFIX,
            "file_overwrite": False,
            "default_acl": "private",
            "custom_domain": None,
        }

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        raise OriginalNotServedError(
            f"{name}: originals are never served; show one of its renditions instead."
        )


def _where(storage: Any) -> tuple[str, str]:
    return (storage.bucket_name, storage.location.strip("/"))


def _overlap(a: str, b: str) -> bool:
    """Whether one of two prefixes (empty: the whole bucket) lies under the other."""
    return not a or not b or a == b or a.startswith(b + "/") or b.startswith(a + "/")


@checks.register(checks.Tags.security)
def check_originals_private(**kwargs: Any) -> list[checks.CheckMessage]:
    """Originals in object storage must not lie under the media's public prefix."""
    media, originals = storages["default"], storages["originals"]
    if not (isinstance(media, S3Storage) and isinstance(originals, S3Storage)):
        return []
    (media_bucket, media_prefix), (bucket, prefix) = _where(media), _where(originals)
    if media_bucket != bucket or not _overlap(media_prefix, prefix):
        return []
    return [
        checks.Error(
            f"The originals are stored in bucket {bucket!r} under {prefix or 'its root'!r}, "
            f"which overlaps the media's public prefix {media_prefix or 'the root'!r}: "
            "a photo's original could be downloaded.",
            hint="Set AWS_ORIGINALS_BUCKET_NAME to a private bucket, or keep the default prefixes.",
            id="newsroom.E012",
        )
    ]
