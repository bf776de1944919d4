"""Hostile uploads: the cover image through the admin form and a picture into the media library
through the editor's upload (one battery, run against both), the CSV of city figures and the
article import. A hostile file is refused with a message or stored as a harmless re-encoded
picture under a name of ours; never a 500, never a file outside MEDIA_ROOT/covers or /library."""

import io
import mimetypes
import re
import struct
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views.static import serve
from PIL import Image, ImageFile, PngImagePlugin

from articles.editorial.images import rendition_files
from articles.models import Article, CityFigures, MediaImage
from tests.helpers import add_with_cover, files_under, picture, upload

MARKUP = b"<html><body><script>alert(document.cookie)</script></body></html>"
SCRIPT_TAIL = b"*/=alert(document.cookie);/*"
REFUSALS = ("不接受 SVG 图片", "无法识别的图片", "不接受", "图片尺寸太大", "图片像素太多")
LIBRARY_UPLOAD = reverse("admin:articles_mediaimage_upload")


class Cover:
    """The cover field of the admin's article form."""

    folder = "covers"

    def __init__(self, client, on_commit):
        self.client, self.on_commit = client, on_commit

    def add(self, content, **kwargs):
        return add_with_cover(self.client, content, **kwargs)

    def accepted(self, response):
        return response.status_code == 302

    def errors(self, response):
        assert response.status_code == 200
        return response.context["adminform"].form.errors.get("cover_image", [])

    def stored(self):
        """(file, renditions, (width, height)) of what was kept."""
        article = Article.objects.get()
        return (
            article.cover_image,
            article.cover_renditions,
            (
                article.cover_width,
                article.cover_height,
            ),
        )

    def nothing_stored(self):
        return not Article.objects.exists()

    def page(self):
        return self.client.get(Article.objects.get().get_absolute_url()).text


class Library(Cover):
    """The editor's upload into the media library (the button, a paste or a drop)."""

    folder = "library"

    def add(self, content, name="封面.jpg", content_type="image/jpeg", alt="杭州钱江新城夜景"):
        with self.on_commit(execute=True):  # renditions are made once the upload commits
            return self.client.post(
                LIBRARY_UPLOAD, {"file": upload(content, name, content_type), "alt": alt}
            )

    def accepted(self, response):
        return response.status_code == 201

    def errors(self, response):
        assert response.status_code == 400
        return response.json()["fields"].get("file", [])

    def stored(self):
        image = MediaImage.objects.get()
        return image.file, image.renditions, (image.width, image.height)

    def nothing_stored(self):
        return not MediaImage.objects.exists()

    def page(self):
        """A published article showing the picture."""
        image = MediaImage.objects.get()
        article = Article.objects.create(
            title="图片", body=image.reference, status="published", published_at=timezone.now()
        )
        return self.client.get(article.get_absolute_url()).text


@pytest.fixture(params=[Cover, Library], ids=["cover", "library"])
def target(request, editor_client, media, django_capture_on_commit_callbacks):
    return request.param(editor_client, django_capture_on_commit_callbacks)


def stored_image(target, media):
    """(name, renditions, bytes) of the kept picture, checked to have a name of ours."""
    file, renditions, _ = target.stored()
    assert re.fullmatch(rf"{target.folder}/[0-9a-f]{{32}}\.(jpg|png)", file.name), file.name
    return file.name, renditions, (media / file.name).read_bytes()


def refused(target, response, *messages):
    errors = target.errors(response)
    assert any(m in e for m in messages for e in errors), errors
    assert target.nothing_stored()


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.png",
        "..\\..\\windows\\win.ini.png",
        "/etc/cron.d/evil.png",
        "cover\x00.php.png",
        "a" * 1000 + ".png",
        "杭州钱江新城夜景（2024年，航拍）.png",
        ".htaccess",
        "cover.php",
        "<script>alert(1)</script>.png",
    ],
)
def test_the_uploaded_name_never_reaches_the_disk(target, media, tmp_path, name):
    response = target.add(picture("PNG", size=(64, 32)), name=name)
    assert target.accepted(response)
    stored, renditions, _ = stored_image(target, media)
    # Only our generated name, its WebP size and its share card exist, all in our folder.
    assert files_under(tmp_path) == sorted(
        f"media/{file}" for file in rendition_files(stored, renditions)
    )
    assert len(renditions["sizes"]) == 1
    assert name not in target.page()


# --- polyglots -----------------------------------------------------------------------------


def png_with_markup():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKUP.decode())
    info.add_itxt("XML:com.adobe.xmp", MARKUP.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), "#336699").save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue() + MARKUP  # and again after IEND, where browsers sniff HTML


def jpeg_with_script():
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), "#336699").save(buffer, "JPEG", comment=SCRIPT_TAIL + MARKUP)
    return buffer.getvalue() + SCRIPT_TAIL


def webp_with_markup():
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), "#336699").save(
        buffer, "WEBP", xmp=MARKUP, icc_profile=MARKUP, exif=b"Exif\x00\x00" + MARKUP
    )
    return buffer.getvalue()


@pytest.mark.parametrize(
    "make", [png_with_markup, jpeg_with_script, webp_with_markup], ids=["png", "jpeg", "webp"]
)
def test_polyglot_is_stored_as_a_picture_with_no_markup_or_script_left(target, media, make):
    content = make()
    assert MARKUP in content
    response = target.add(content, name="cover.html")
    assert target.accepted(response)
    name, renditions, stored = stored_image(target, media)
    for needle in (b"<html", b"<script", b"alert(", b"document.cookie"):
        assert needle not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format in {"JPEG", "PNG"}
        assert "comment" not in image.info and not image.getexif()

    # Served with an image type, whatever the upload was called: the type follows our name.
    served = serve(RequestFactory().get("/"), name, document_root=media)
    assert served["Content-Type"] in {"image/jpeg", "image/png"}
    assert mimetypes.guess_type(name)[0] == served["Content-Type"]
    for file in rendition_files(name, renditions):
        assert b"<script" not in (media / file).read_bytes()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(MARKUP + picture("PNG", size=(20, 20)), id="html-then-png"),
        pytest.param(b"GIF89a/*" + b"\x00" * 20 + SCRIPT_TAIL, id="gif-javascript"),
        pytest.param(b"%PDF-1.4\n" + MARKUP, id="pdf"),
        pytest.param(b"PK\x03\x04" + MARKUP, id="zip"),
    ],
)
def test_markup_or_script_first_is_refused(target, media, content):
    refused(target, target.add(content, name="cover.png"), *REFUSALS)
    assert files_under(media.parent) == []


# --- SVG -----------------------------------------------------------------------------------

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(SVG, id="plain"),
        pytest.param(b'<?xml version="1.0" encoding="UTF-8"?>\n' + SVG, id="xml-declaration"),
        pytest.param(b"\xef\xbb\xbf" + SVG, id="utf8-bom"),
        pytest.param(b" \n\t" * 300 + SVG, id="leading-whitespace"),
        pytest.param(b"\xef\xbb\xbf<!--" + b"x" * 1000 + b"-->" + SVG, id="bom-long-comment"),
        pytest.param("\ufeff".encode("utf-16-le") + SVG.decode().encode("utf-16-le"), id="utf16"),
        pytest.param(zlib.compress(SVG), id="svgz"),
    ],
)
def test_svg_is_refused_however_it_is_dressed(target, media, content):
    refused(
        target,
        target.add(content, name="cover.svg", content_type="image/svg+xml"),
        "不接受 SVG 图片",
        "无法识别的图片",
    )
    assert files_under(media.parent) == []


# --- pixel floods --------------------------------------------------------------------------


def png_declaring(width, height):
    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_declaring(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16)).save(buffer, "JPEG")
    data = buffer.getvalue()
    frame = data.index(b"\xff\xc0") + 5  # start-of-frame: length (2), precision (1), then size
    return data[:frame] + struct.pack(">HH", height, width) + data[frame + 4 :]


def webp_declaring(width, height):
    """A lossless WebP header: 14-bit width-1 and height-1 packed after the 0x2f signature."""
    bits = (width - 1) | ((height - 1) << 14)
    payload = b"\x2f" + struct.pack("<I", bits) + b"\x00" * 16
    chunk = b"VP8L" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


@pytest.fixture
def decoded(monkeypatch):
    """Every image whose pixels get decoded, by size."""
    sizes = []
    real_load = ImageFile.ImageFile.load

    def load(image):
        sizes.append(image.size)
        return real_load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(png_declaring(50_000, 50_000), "图片像素太多", id="png-50000x50000"),
        pytest.param(jpeg_declaring(50_000, 50_000), "图片像素太多", id="jpeg-50000x50000"),
        pytest.param(webp_declaring(16_383, 16_383), "图片像素太多", id="webp-16383x16383"),
        pytest.param(png_declaring(9_000, 9_000), "图片尺寸太大：9000×9000", id="png-over-cap"),
        pytest.param(jpeg_declaring(65_000, 10), "图片尺寸太大：65000×10", id="jpeg-long-strip"),
    ],
)
def test_pixel_flood_is_refused_from_its_header_without_decoding(
    target, media, decoded, content, message
):
    assert len(content) < 1_000
    started = time.perf_counter()
    response = target.add(content, name="flood.png")
    assert time.perf_counter() - started < 2
    refused(target, response, message)
    assert decoded == []  # refused before a single pixel was unpacked: no memory spent
    assert files_under(media.parent) == []


# --- size, truncation, corruption ----------------------------------------------------------


def noisy_jpeg(size=(1200, 800)):
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_default_byte_cap_refuses_a_big_file_with_its_size_in_the_message(target, media):
    big = noisy_jpeg() + b"\x00" * (9 * 1_048_576)  # trailing bytes after EOI: 9 MB and more
    response = target.add(big)
    refused(target, response, f"图片太大：{len(big) / 1_048_576:.1f} MB，最多 8 MB。")
    assert files_under(media.parent) == []


def corrupted(data):
    data = bytearray(data)
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64
    return bytes(data)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(noisy_jpeg()[:-4000], id="jpeg-cut-short"),
        pytest.param(noisy_jpeg()[:700], id="jpeg-header-only"),
        pytest.param(picture("PNG", size=(600, 400))[:-30], id="png-without-end"),
        pytest.param(corrupted(picture("PNG", size=(600, 400))), id="png-bad-crc"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, id="png-signature-only"),
        pytest.param(b"RIFF\x10\x00\x00\x00WEBPVP8 ", id="webp-empty"),
        pytest.param(b"\xff\xd8\xff", id="jpeg-three-bytes"),
    ],
)
def test_truncated_or_corrupt_image_is_refused_with_a_message(target, media, content):
    refused(target, target.add(content), "无法识别的图片")
    assert files_under(media.parent) == []


def test_empty_file_is_refused_with_a_message(target, media):
    response = target.add(b"")
    assert target.errors(response)
    assert target.nothing_stored()


# --- animation -----------------------------------------------------------------------------


def animation(fmt, frames, size):
    base = Image.new("RGB", size, "#336699")
    images = []
    for n in range(frames):
        image = base.copy()
        image.putpixel((0, 0), (n % 256, 0, 0))  # frames differ, so none is dropped as a repeat
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, fmt, save_all=True, append_images=images[1:], duration=10, loop=0)
    return buffer.getvalue()


def test_animated_gif_is_refused(target, media):
    refused(target, target.add(animation("GIF", 50, (200, 200))), "不接受 GIF 格式")


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"])
def test_animation_is_stored_as_its_first_frame_only_and_quickly(target, media, decoded, fmt):
    # 100 frames of 1,000 × 1,000: 100 megapixels in all, over twice the cap, in a small file.
    bomb = animation(fmt, 100, (1000, 1000))
    assert len(bomb) < 100_000
    started = time.perf_counter()
    response = target.add(bomb, name="bomb.webp")
    assert time.perf_counter() - started < 5
    assert target.accepted(response)
    _, _, stored = stored_image(target, media)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1000, 1000)
        assert getattr(image, "n_frames", 1) == 1
    # load() calls, each of one frame at most (the judge's, the re-encoding's, the sizes' and the
    # share card's, which a library picture makes from its stored file): never the 100 frames.
    assert len(decoded) < 20


# --- metadata ------------------------------------------------------------------------------


def with_exif(fmt, exif_bytes, size=(200, 100)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#b0282f").save(buffer, fmt, exif=exif_bytes)
    return buffer.getvalue()


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0112] = orientation
    gps = {1: "N", 2: (30.0, 14.0, 51.0), 3: "E", 4: (120.0, 9.0, 42.0)}  # 杭州
    exif[0x8825] = gps
    return exif.tobytes()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_and_gps_are_gone_from_every_stored_file(target, media, fmt):
    response = target.add(with_exif(fmt, camera_exif()), name="gps.jpg")
    assert target.accepted(response)
    name, renditions, stored = stored_image(target, media)
    assert b"SecretCam" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
    for file in rendition_files(name, renditions):
        assert b"SecretCam" not in (media / file).read_bytes()


def test_exif_orientation_is_applied_before_it_is_dropped(target, media):
    # Orientation 6: the camera was turned; the picture is stored upright.
    response = target.add(with_exif("JPEG", camera_exif(orientation=6)))
    assert target.accepted(response)
    assert target.stored()[2] == (100, 200)


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
@pytest.mark.parametrize(
    "exif",
    [b"Exif\x00\x00" + MARKUP, b"Exif\x00\x00MM", b"Exif\x00\x00II*\x00\xff\xff\xff\x7f"],
    ids=["markup", "short", "bad-offset"],
)
def test_broken_exif_is_dropped_not_a_500(target, media, fmt, exif):
    response = target.add(with_exif(fmt, exif), name="broken-exif.png")
    assert target.accepted(response)
    _, _, stored = stored_image(target, media)
    assert b"<script" not in stored


# --- the CSV of city figures ---------------------------------------------------------------

FIGURES = reverse("admin:articles_city_import_figures")
HEADER = "name_zh,name_en,province,region,year,gdp_100m_yuan,population_10k,gdp_source,population_source\n"
ROW = "杭州,Hangzhou,浙江省,长三角,2024,21860,1262,https://example.com/a,https://example.com/b\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(picture("PNG", size=(50, 50)), "不是 UTF-8 编码", id="png"),
        pytest.param(b"\x00\x01\x02\xff" * 1000, "不是 UTF-8 编码", id="binary"),
        pytest.param((HEADER + ROW).encode("gbk"), "不是 UTF-8 编码", id="gbk"),
        pytest.param((HEADER + ROW).encode("utf-16"), "不是 UTF-8 编码", id="utf16"),
        pytest.param((HEADER + ROW).encode() + b"\x00", "空字符", id="nul"),
        pytest.param((HEADER + ROW).encode() * 20_000, "文件太大", id="huge"),
        pytest.param(
            (HEADER + "杭州,Hangzhou,浙江省,长三角,2024,1,1," + "x" * 200_000 + ",\n").encode(),
            "CSV 格式错误",
            id="giant-field",
        ),
        pytest.param(
            (HEADER + '杭州,"Hangzhou\n' + "未闭合的引号\n" * 50).encode(), "第 ", id="open-quote"
        ),
        pytest.param(b"\xef\xbb\xbf", "", id="bom-only"),
        pytest.param(MARKUP, "", id="html"),
    ],
)
def test_figure_import_refuses_bad_files_with_a_message(editor_client, hangzhou, content, message):
    before = list(CityFigures.objects.values_list("city__slug", "year", "gdp").order_by("pk"))
    response = editor_client.post(FIGURES, {"file": SimpleUploadedFile("figures.csv", content)})
    assert response.status_code == 200
    problems = response.context["problems"] or response.context["form"].errors.get("file", [])
    assert problems and any(message in p for p in problems), problems
    assert list(CityFigures.objects.values_list("city__slug", "year", "gdp").order_by("pk")) == (
        before
    )


# --- the article import --------------------------------------------------------------------

IMPORT = reverse("admin:articles_article_import")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("a.txt", picture("PNG", size=(50, 50)), "不是文本", id="png-as-txt"),
        pytest.param("a.txt", b"\x00\x01\x02\xfe" * 2000, "不是文本", id="binary"),
        pytest.param("a.md", "杭州\x00南京".encode(), "不是文本", id="nul"),
        pytest.param("a.txt", b"x" * 600_000, "文件太大", id="huge"),
        pytest.param("a.png", picture("PNG", size=(50, 50)), "只接受", id="wrong-kind"),
        pytest.param("a.html", b"<script>alert(1)</script>", "没有可导入的文字", id="script-only"),
    ],
)
def test_article_import_refuses_bad_files_with_a_message(editor_client, name, content, message):
    response = editor_client.post(IMPORT, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert message in errors, errors
    assert not Article.objects.exists()


def test_article_import_reads_utf16_text(editor_client):
    text = "杭州的芯片产业\n\n杭州今年的芯片设计企业越来越多。"
    response = editor_client.post(
        IMPORT, {"file": SimpleUploadedFile("a.txt", text.encode("utf-16"))}
    )
    assert response.status_code == 302
    assert Article.objects.get().title == "杭州的芯片产业"
