"""Cover and library images: uploads are judged by their content in the request; re-encoded
and resized once (a cover in a task, articles.tasks.prepare_cover).

An upload is opened with Pillow whatever its name says; only JPEG, PNG and WebP are taken
(SVG can carry scripts and is refused). Re-encoding drops EXIF (camera, GPS) and anything
appended to the file. The responsive sizes are made once, when the image changes, never
per request.
"""

import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED = {"JPEG", "PNG", "WEBP"}
WIDTHS = (480, 960, 1600)
MAX_SIDE = 10_000
# What WeChat, Weibo and the OpenGraph readers show as a share card.
SHARE_SIZE = (1200, 630)
SHARE_MAX_BYTES = 300_000


def _limits():
    return settings.COVER_MAX_BYTES, settings.COVER_MAX_PIXELS


def judge_cover(upload):
    """Nothing if upload may become a cover; else ValidationError saying why not.

    The whole image is decoded here, in the request, so that a truncated or damaged file is
    refused to the editor's face rather than failing later in a task."""
    max_bytes, max_pixels = _limits()
    if upload.size > max_bytes:
        raise ValidationError(
            f"图片太大：{upload.size / 1_048_576:.1f} MB，最多 {max_bytes / 1_048_576:.0f} MB。"
        )
    upload.seek(0)
    head = upload.read(512).lstrip()
    upload.seek(0)
    if head.startswith(b"<") or b"<svg" in head:
        raise ValidationError("不接受 SVG 图片：请上传 JPEG、PNG 或 WebP。")
    try:
        _open(upload, max_pixels, judging=True)
    finally:
        upload.seek(0)


def _open(file, max_pixels, judging=False):
    """The image in file, decoded; ValidationError if it is none we take."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; a bomb must be refused, not warned about.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE or width * height > max_pixels:
                raise ValidationError(
                    f"图片尺寸太大：{width}×{height} 像素；"
                    f"每边最多 {MAX_SIDE} 像素，总共最多 {max_pixels // 1_000_000} 百万像素。"
                )
            if image.format not in ACCEPTED:
                raise ValidationError(f"不接受 {image.format} 格式：请上传 JPEG、PNG 或 WebP。")
            if judging and image.format == "JPEG":
                # Every byte is still read and decoded, at an eighth of the size: a damaged
                # file is refused as surely, in a tenth of the time.
                image.draft("RGB", (width // 8, height // 8))
            image.load()
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ValidationError("图片像素太多，无法处理。") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError("无法识别的图片：请上传 JPEG、PNG 或 WebP。") from None
    return image


def reencode(data):
    """(a re-encoded copy of a judged upload's bytes under a generated name, the image upright):
    nothing of the upload's metadata (EXIF, GPS, comments) and nothing appended to it is kept."""
    image = _open(io.BytesIO(data), _limits()[1])
    keeps_alpha = image.mode in ("RGBA", "LA", "P") and image.format != "JPEG"
    image = _upright(image).convert("RGBA" if keeps_alpha else "RGB")
    # Nothing of the upload's metadata is written back: Pillow would keep a JPEG comment,
    # where an HTML or script polyglot hides.
    image.info.clear()
    buffer = io.BytesIO()
    if keeps_alpha:
        image.save(buffer, "PNG", optimize=True)
        extension = "png"
    else:
        image.save(buffer, "JPEG", quality=88, optimize=True)
        extension = "jpg"
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{extension}"), image


def _upright(image):
    """The image turned as its EXIF orientation says; EXIF too broken to read is ignored."""
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, OSError):
        return image


def renditions_of(field_file):
    """make_renditions() of a stored, already re-encoded image."""
    with field_file.open("rb") as stored, Image.open(stored) as image:
        image.load()
        return make_renditions(image, field_file.name)


def make_renditions(image, name):
    """WebP copies of image, stored as name, at the standard widths it is wide enough for, and
    its share card: {"of": name, "sizes": [[width, height, name], …], "share": [1200, 630, name]}."""
    stem = name.rsplit(".", 1)[0]
    widths = [w for w in WIDTHS if w < image.width] or [image.width]
    sizes = []
    try:
        for width in widths:
            height = round(image.height * width / image.width)
            copy = image.resize((width, height), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            copy.save(buffer, "WEBP", quality=80)
            stored = default_storage.save(f"{stem}-{width}.webp", ContentFile(buffer.getvalue()))
            sizes.append([width, height, stored])
        share = default_storage.save(f"{stem}-share.jpg", ContentFile(share_card(image)))
    except OSError:
        # Disk full half-way: the names are new (the stem is random), so whatever is there,
        # whole or partly written, is this call's and goes.
        for width in widths:
            default_storage.delete(f"{stem}-{width}.webp")
        default_storage.delete(f"{stem}-share.jpg")
        raise
    return {"of": name, "sizes": sizes, "share": [*SHARE_SIZE, share]}


def share_card(image):
    """JPEG bytes of image cropped about its centre to 1200×630, under 300 KB: WeChat and
    Weibo fetch the card over a phone's connection, and skip one that is too big."""
    card = ImageOps.fit(image.convert("RGB"), SHARE_SIZE, Image.Resampling.LANCZOS)
    for quality in (85, 75, 65, 55, 45, 35, 25, 15):
        buffer = io.BytesIO()
        card.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        if buffer.tell() < SHARE_MAX_BYTES:
            break
    return buffer.getvalue()


def rendition_files(name, renditions):
    """The stored image and the names of every copy made from it."""
    share = renditions.get("share")
    return {
        name,
        *(rendition for _, _, rendition in renditions.get("sizes", [])),
        *([share[2]] if share else []),
    } - {""}


def srcset(renditions):
    return ", ".join(
        f"{default_storage.url(name)} {width}w" for width, _, name in renditions.get("sizes", [])
    )


def fitting(renditions, width=960):
    """[width, height, name] of the rendition closest to width without going over (or the
    smallest); None before any is made."""
    sizes = renditions.get("sizes", [])
    fits = [size for size in sizes if size[0] <= width] or sizes[:1]
    return fits[-1] if fits else None


def default_src(renditions, width=960):
    size = fitting(renditions, width)
    return default_storage.url(size[2]) if size else ""


def share_src(renditions):
    """URL of the 1200×630 share card, or "" before it is made."""
    share = renditions.get("share")
    return default_storage.url(share[2]) if share else ""
