"""Responsive pictures: each photo stored at several widths in AVIF, WebP and
JPEG when it is saved, and shown as a `<picture>` that lets the browser take
the smallest file that fills the space, in the best format it reads."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import ExifTags, Image

from articles.models import Photo
from articles.tests.factories import make_photo, make_story
from newsroom.images import decoded
from newsroom.responsive import WIDTHS, encodings
from newsroom.tests.factories import photo_bytes
from people.models import Person
from people.tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _every_width(settings):
    settings.RESPONSIVE_WIDTHS = WIDTHS


MIMES = ["image/avif", "image/webp", "image/jpeg"]


def jpeg_photo(size) -> Photo:
    upload = SimpleUploadedFile("wide.jpg", photo_bytes("JPEG", size), "image/jpeg")
    return make_photo(image=upload)


def stored(settings, name) -> Image.Image:
    image = Image.open(Path(settings.MEDIA_ROOT) / name)
    image.load()
    return image


def test_a_saved_photo_is_stored_at_every_width_in_every_format(settings):
    photo = jpeg_photo((1700, 1000))

    made = {(v["mime"], v["width"]): v for v in photo.variants if not v["crop"]}

    assert [e.mime for e in encodings()] == MIMES, "this Pillow cannot write AVIF"
    assert set(made) == {(mime, width) for mime in MIMES for width in WIDTHS}
    for (mime, width), variant in made.items():
        image = stored(settings, variant["name"])
        assert Image.MIME[image.format or ""] == mime
        assert image.size == (width, variant["height"]) == (width, round(1000 * width / 1700))


def test_a_large_photo_is_read_at_a_reduced_scale_yet_every_file_is_full_size(settings):
    """A 4,000 px wide JPEG is decoded at half its size, which still fills the
    widest variant (1,600 px) and the square crop (1,200 px high)."""
    data = photo_bytes("JPEG", (4000, 2400))
    assert decoded(data, at_least=(1600, 1200)).size == (2000, 1200)
    photo = jpeg_photo((4000, 2400))

    sizes = {(v["crop"] or v["mime"], v["width"]): v["height"] for v in photo.variants}
    assert sizes[("image/jpeg", 1600)] == 960
    assert (sizes[("16:9", 1200)], sizes[("4:3", 1200)], sizes[("1:1", 1200)]) == (675, 900, 1200)
    for variant in photo.variants:
        image = stored(settings, variant["name"])
        assert image.size == (variant["width"], variant["height"])


def test_a_turned_photo_is_read_large_enough_for_its_upright_width():
    picture = Image.new("RGB", (4000, 2400), "olive")
    exif = picture.getexif()
    exif[ExifTags.Base.Orientation] = 6  # upright, 2,400 wide and 4,000 high
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    # Half the size would leave the upright picture 1,200 px wide, short of 1,600.
    assert decoded(out.getvalue(), at_least=(1600, 1200)).size == (4000, 2400)


def test_a_small_photo_is_never_made_larger():
    photo = jpeg_photo((700, 400))

    whole = [v for v in photo.variants if not v["crop"]]
    assert sorted({v["width"] for v in whole}) == [320, 640]
    assert max(v["height"] for v in whole) == round(400 * 640 / 700)


def test_the_story_page_offers_every_format_and_width_its_lead_photo_first(client, html_of):
    story = make_story("Pictured", lead_photo=jpeg_photo((1300, 800)))

    page = html_of(client.get(story.get_absolute_url()))

    picture = page[page.index("<picture>") : page.index("</picture>")]
    assert picture.index('type="image/avif"') < picture.index('type="image/webp"')
    for width in (320, 640, 960, 1280):
        assert f"-{width}.avif {width}w" in picture
        assert f"-{width}.jpg {width}w" in picture
    img = picture[picture.index("<img") :]
    assert 'src="/media/photos/' in img and '.jpg"' in img.split("srcset")[0]
    assert 'width="1280" height="788"' in img
    assert 'fetchpriority="high"' in img and 'loading="lazy"' not in img
    assert 'sizes="' in img and 'alt="A crowd of oil workers in a town square"' in img


def test_pictures_follow_a_new_media_address_at_once(client, html_of, settings):
    """Variant URLs are worked out once per process (newsroom.responsive.stored_url),
    yet a changed MEDIA_URL shows on the next page."""
    story = make_story("Pictured", lead_photo=jpeg_photo((700, 400)))
    assert 'srcset="/media/photos/' in html_of(client.get(story.get_absolute_url()))

    settings.MEDIA_URL = "https://media.example.org/"

    page = html_of(client.get(story.get_absolute_url()))
    assert 'srcset="https://media.example.org/photos/' in page
    assert 'srcset="/media/photos/' not in page


def test_listing_pictures_below_the_lead_wait_until_they_are_near(client, html_of):
    for n in range(3):
        make_story(f"Story {n}", lead_photo=jpeg_photo((900, 600)))

    page = html_of(client.get("/"))

    images = [chunk.split(">")[0] for chunk in page.split("<img")[1:] if "card__image" in chunk]
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and "loading" not in images[0]
    for img in images[1:]:
        assert 'loading="lazy"' in img and "fetchpriority" not in img
        assert "width=" in img and "height=" in img


def test_photos_saved_before_responsive_renditions_get_them_from_the_command(settings):
    photo = jpeg_photo((800, 500))
    Photo.objects.filter(pk=photo.pk).update(variants=[])
    without = make_photo(image="")

    call_command("rebuild_renditions", stdout=open("/dev/null", "w"))

    photo.refresh_from_db()
    assert {v["width"] for v in photo.variants if not v["crop"]} == {320, 640}
    assert all((Path(settings.MEDIA_ROOT) / v["name"]).is_file() for v in photo.variants)
    without.refresh_from_db()
    assert without.variants == []


def test_a_photo_without_variants_still_shows_its_one_rendition(client, html_of):
    photo = jpeg_photo((800, 500))
    Photo.objects.filter(pk=photo.pk).update(variants=[])
    story = make_story("Older Photo", lead_photo=photo)

    page = html_of(client.get(story.get_absolute_url()))

    assert f'src="{photo.rendition.url}"' in page
    assert "<picture>" not in page


def two_tone(size, *, red_right_of: float) -> bytes:
    """A picture blue on the left and red from `red_right_of` (a fraction of the width) on."""
    picture = Image.new("RGB", size, (0, 0, 255))
    picture.paste((255, 0, 0), (round(size[0] * red_right_of), 0, size[0], size[1]))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def colour_of(settings, variant):
    """The average colour of a stored file, as (red, green, blue)."""
    return stored(settings, variant.name).convert("RGB").resize((1, 1)).getpixel((0, 0))


def test_crops_follow_the_focal_point(settings):
    upload = SimpleUploadedFile("wide.png", two_tone((2000, 600), red_right_of=0.7), "image/png")
    photo = make_photo(image=upload)

    centred = photo.crops()
    assert set(centred) == {"16:9", "4:3", "1:1"}
    assert centred["1:1"].width == centred["1:1"].height == 600
    assert (centred["16:9"].width, centred["16:9"].height) == (1067, 600)
    assert colour_of(settings, centred["1:1"])[2] > 200  # the middle is blue

    photo.focal_x = 0.95
    photo.save()

    moved = Photo.objects.get(pk=photo.pk).crops()
    assert colour_of(settings, moved["1:1"])[0] > 200  # the right edge is red
    assert moved["1:1"].name != centred["1:1"].name
    # The widths for the page were not remade for a new focal point.
    whole = [v["name"] for v in photo.variants if not v["crop"]]
    assert whole == [v["name"] for v in Photo.objects.get(pk=photo.pk).variants if not v["crop"]]


def test_the_photo_form_refuses_a_focal_point_off_the_picture(admin_client):
    photo = jpeg_photo((800, 500))
    url = f"/admin/articles/photo/{photo.pk}/change/"
    data = {
        "caption": photo.caption,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "focal_x": "1.5",
        "focal_y": "-0.1",
    }

    response = admin_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "focal_x" in errors and "focal_y" in errors
    assert Photo.objects.get(pk=photo.pk).focal_x == 0.5


def test_headshots_saved_before_responsive_renditions_get_them_from_the_command(settings):
    face = SimpleUploadedFile("face.jpg", photo_bytes("JPEG", (600, 750)), "image/jpeg")
    person = make_person("Aida Sultanova", headshot=face)
    Person.objects.filter(pk=person.pk).update(variants=[])
    photo = jpeg_photo((800, 500))
    make_person("No Headshot")
    out = io.StringIO()

    call_command("rebuild_renditions", stdout=out)

    assert out.getvalue() == "Made the renditions of 0 photos and 1 headshot.\n"
    person.refresh_from_db()
    whole = [v for v in person.variants if not v["crop"]]
    assert {(v["mime"], v["width"]) for v in whole} == {
        (mime, width) for mime in MIMES for width in Person.VARIANT_WIDTHS
    }
    for variant in person.variants:
        assert stored(settings, variant["name"]).size == (variant["width"], variant["height"])
    assert [v["crop"] for v in person.variants if v["crop"]] == ["1:1"]

    call_command("rebuild_renditions", "--all", stdout=out)

    assert out.getvalue().endswith("Made the renditions of 1 photo and 1 headshot.\n")
    assert Photo.objects.get(pk=photo.pk).variants != photo.variants
