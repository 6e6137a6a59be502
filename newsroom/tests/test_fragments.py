"""The fragments' engine (newsroom/fragments.py): what readers see of its dates and pictures."""

from datetime import UTC, date, datetime

import jinja2
import pytest
from django.template import engines
from django.test import override_settings
from django.utils import translation

from newsroom import fragments


def test_dateline_is_in_the_site_time_zone():
    late = datetime(2012, 12, 14, 22, 30, tzinfo=UTC)
    assert fragments.dateline(late) == "Friday, 14 December, 2012"
    with override_settings(TIME_ZONE="Asia/Almaty"):
        assert fragments.dateline(late) == "Saturday, 15 December, 2012"
        assert fragments.isoformat(late) == "2012-12-15T04:30:00+06:00"


def test_dateline_follows_the_language_of_the_page():
    """Kept per day and language: a Russian page never shows an English dateline kept for another."""
    day = date(2012, 12, 14)
    assert fragments.dateline(day) == "Friday, 14 December, 2012"
    with translation.override("ru"):
        assert fragments.dateline(day) != "Friday, 14 December, 2012"
        assert "2012" in fragments.dateline(day)
    assert fragments.dateline(day) == "Friday, 14 December, 2012"


def test_no_date_is_no_dateline():
    assert fragments.dateline(None) == ""
    assert fragments.isoformat(None) == ""


def test_a_fragment_escapes_what_it_prints():
    template = engines[fragments.ENGINE].from_string("<p>{{ headline }}</p>")
    html = template.render({"headline": "Tanks & <script>"})
    assert html == "<p>Tanks &amp; &lt;script&gt;</p>"


def test_a_misspelt_name_in_a_fragment_fails_instead_of_printing_nothing():
    template = engines[fragments.ENGINE].from_string("<p>{{ story.headlin }}</p>")
    with pytest.raises(jinja2.UndefinedError):
        template.render({"story": object()})


class _Picture:
    alt_text = "A square in Almaty"
    variants = [
        {"mime": "image/webp", "width": 480, "height": 320, "name": "p-480.webp"},
        {"mime": "image/jpeg", "width": 960, "height": 640, "name": "p-960.jpg"},
        {"mime": "image/jpeg", "width": 480, "height": 320, "name": "p-480.jpg"},
        {"mime": "image/jpeg", "width": 2000, "height": 1333, "name": "p-2000.jpg"},
        {"mime": "image/jpeg", "width": 640, "height": 640, "name": "p-1x1.jpg", "crop": "1:1"},
    ]


@override_settings(MEDIA_URL="/media/")
def test_picture_lists_each_format_narrowest_first_and_waits_unless_eager():
    html = fragments.picture(_Picture(), sizes="100vw", css_class="card__image")
    assert '<source type="image/webp" srcset="/media/p-480.webp 480w" sizes="100vw">' in html
    assert 'srcset="/media/p-480.jpg 480w, /media/p-960.jpg 960w, /media/p-2000.jpg 2000w"' in html
    assert 'src="/media/p-960.jpg" ' in html  # the widest up to 1280 px
    assert "p-1x1.jpg" not in html  # crops are for sharing, not for the page
    assert 'class="card__image"' in html and 'alt="A square in Almaty"' in html
    assert 'loading="lazy"' in html
    eager = fragments.picture(_Picture(), sizes="100vw", eager=True)
    assert 'fetchpriority="high"' in eager and "loading=" not in eager
