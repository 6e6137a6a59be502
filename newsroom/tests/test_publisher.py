"""The publisher's logo: drawn by `make_publisher_logo`, and refused by
`manage.py check` where search engines would be told a wrong one."""

import io

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from newsroom.publisher import check_publisher_logo, publisher_logo


def test_the_shipped_logo_passes_the_check():
    assert check_publisher_logo() == []
    assert publisher_logo().url == "/static/img/publisher-logo.png"


@pytest.mark.parametrize(
    ("logo", "width", "problem"),
    [
        ("img/missing.png", 600, "which is not among the static files"),
        ("img/favicon.svg", 600, "which is not a picture"),
        ("img/publisher-logo.png", 500, "is 600×60 pixels, but PUBLISHER_LOGO_WIDTH"),
    ],
    ids=["missing", "not-a-picture", "wrong-size"],
)
def test_a_logo_that_would_mislead_search_engines_is_an_error(settings, logo, width, problem):
    settings.PUBLISHER_LOGO, settings.PUBLISHER_LOGO_WIDTH = logo, width

    errors = check_publisher_logo()

    assert [error.id for error in errors] == ["newsroom.E002"]
    assert problem in errors[0].msg and logo in errors[0].msg


def test_a_logo_elsewhere_is_taken_at_its_word(settings):
    settings.PUBLISHER_LOGO = "https://media.example.org/logo.png"

    assert check_publisher_logo() == []
    assert publisher_logo().url == "https://media.example.org/logo.png"


def test_the_command_draws_the_name_at_the_stated_size(settings, tmp_path):
    settings.PUBLISHER_LOGO_WIDTH, settings.PUBLISHER_LOGO_HEIGHT = 300, 40
    output = tmp_path / "logo.png"

    call_command("make_publisher_logo", output=output, name="Kyiv Post", stdout=io.StringIO())

    with Image.open(output) as logo:
        assert (logo.format, logo.size) == ("PNG", (300, 40))
        ink = logo.convert("L").point(lambda value: value < 50 and 255).getbbox()
    assert ink is not None, "no name drawn"
    assert ink[2] - ink[0] > 100 and ink[3] - ink[1] > 15


def test_the_command_refuses_a_name_that_cannot_fit(settings, tmp_path):
    with pytest.raises(CommandError, match="does not fit in 600×60"):
        call_command("make_publisher_logo", output=tmp_path / "logo.png", name="W" * 200)
    with pytest.raises(CommandError, match="name to draw is empty"):
        call_command("make_publisher_logo", output=tmp_path / "logo.png", name="  ")
    assert not (tmp_path / "logo.png").exists()
