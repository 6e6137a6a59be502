"""Addresses by slug are kept once reversed, and still follow where the site is mounted."""

from django.urls import clear_script_prefix, reverse, set_script_prefix

from newsroom import addresses


def test_an_address_is_the_one_reverse_gives():
    assert addresses.by_slug("articles:story", "ak-mechet") == reverse(
        "articles:story", kwargs={"slug": "ak-mechet"}
    )


def test_a_site_mounted_under_a_prefix_links_under_it():
    before = addresses.by_slug("people:detail", "aliya-serik")
    set_script_prefix("/news/")
    try:
        assert addresses.by_slug("people:detail", "aliya-serik") == "/news" + before
    finally:
        clear_script_prefix()
    assert addresses.by_slug("people:detail", "aliya-serik") == before
