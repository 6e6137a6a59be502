"""Test configuration shared by every app: uploads go to a temporary folder."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_addoption(parser):
    parser.addoption(
        "--record-demo",
        action="store_true",
        help="Rewrite the demo archive's expected import output (articles/tests/expected/).",
    )
