"""Every response, public or not, found or not, carries the security headers.

The pages under test show stories, which come from the stories app through the
`stories` fixture (conftest.py): this package sits below every app.
"""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/topics/", "/stories/{slug}/", "/no-such-page/", "/admin/login/"]
)
def test_security_headers_on_every_response(client, stories, path):
    story = stories.make_story()
    response = client.get(path.format(slug=story.slug))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_public_pages_load_nothing_from_other_sites(client, stories):
    story = stories.make_story(body='<p>See <a href="https://example.org/">elsewhere</a>.</p>')
    html = client.get(story.get_absolute_url()).content.decode()
    for attribute in ('src="http', "src='http", 'href="//', 'src="//'):
        assert attribute not in html
    stylesheets = [line for line in html.splitlines() if 'rel="stylesheet"' in line]
    assert stylesheets and all('href="/static/' in line for line in stylesheets)
