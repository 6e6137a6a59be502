"""Two app processes behind one load balancer: the same PostgreSQL and Redis,
the page cache on. An editor signs in on one, the session works on the
other; both have the story page cached; the editor's admin save through the
first makes the second serve the new text at once.

Not the test database: two server processes cannot see this process's test
transaction, so a real database (`<DATABASE_URL's name>_2proc`) is created,
migrated, and dropped afterwards. PostgreSQL only, with Redis.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

DATABASE_URL = os.environ.get("DATABASE_URL", "")
CACHE_URL = os.environ.get("CACHE_URL", "")
BASE_DIR = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="needs PostgreSQL (DATABASE_URL): two server processes share a database "
        "server, and the SQLite test database lives in this process's test transaction",
    ),
    pytest.mark.skipif(
        not CACHE_URL.startswith("redis://"),
        reason="needs Redis (CACHE_URL): the page cache two processes share",
    ),
]

PASSWORD = "two-processes-" + secrets.token_hex(8)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_connection():
    import psycopg2  # PostgreSQL only

    config = dj_database_url.parse(DATABASE_URL)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    connection.autocommit = True
    return connection, config


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A fresh, migrated database for the app processes, and their environment."""
    connection, config = _admin_connection()
    name = f"{config['NAME']}_2proc"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    files = tmp_path_factory.mktemp("two-processes")
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ENV_FILE": "",
        "DEBUG": "1",  # runserver serves the static files; everything else as in production
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": urllib.parse.urlsplit(DATABASE_URL)._replace(path=f"/{name}").geturl(),
        "CACHE_URL": CACHE_URL,
        "PAGE_CACHE_SECONDS": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(files / "media"),
        "ORIGINALS_ROOT": str(files / "originals"),
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "create_editor", "--username", "dana", "--password", PASSWORD)
    yield env
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def servers(environment):
    """Two `runserver` processes on free ports; their base URLs."""
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
        processes.append(
            subprocess.Popen(
                command,
                cwd=BASE_DIR,
                env=environment,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_until_serving(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


def _wait_until_serving(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Browser:
    """One person's browser: cookies of its own, sent to either process."""

    def __init__(self) -> None:
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=30) as response:
            return response.read().decode()

    def lands_on(self, url: str) -> str:
        """Where a GET of `url` ends after redirects (the login page when signed out)."""
        with self.opener.open(url, timeout=30) as response:
            return response.geturl()

    def post(self, url: str, fields: list[tuple[str, str]]) -> tuple[str, str]:
        """POST a form; the final URL after redirects, and the page there."""
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with `form_id`, as found."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = attr.get("id") == self.form_id
        if not self.inside or not attr.get("name") and tag != "option":
            return
        if tag == "input":
            kind = attr.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attr:
                return
            self.fields.append(
                (attr["name"], attr.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select = attr["name"]
        elif tag == "option" and self._select and "selected" in attr:
            self.fields.append((self._select, attr.get("value", "")))
        elif tag == "textarea":
            self._textarea = (attr["name"], [])

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            self.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None


def form_fields(page: str, form_id: str, **changes: str) -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    fields = [(name, changes.get(name, value)) for name, value in parser.fields]
    assert {name for name, _ in fields} >= set(changes), "a field to change is not on the form"
    return fields


def sign_in(browser: Browser, server: str) -> None:
    login = f"{server}/admin/login/?next=/admin/"
    page = browser.get(login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    fields = [("csrfmiddlewaretoken", token.group(1)), ("username", "dana")]
    landed, _ = browser.post(login, [*fields, ("password", PASSWORD), ("next", "/admin/")])
    assert landed == f"{server}/admin/"


def _write_behind_the_apps_back(environment, pk: str, body: str) -> None:
    import psycopg2

    with psycopg2.connect(environment["DATABASE_URL"]) as connection:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE articles_story SET body = %s WHERE id = %s", [body, int(pk)])
    connection.close()


def test_an_edit_through_one_process_shows_at_once_on_the_other(environment, servers):
    first, second = servers
    created = manage(
        environment,
        "shell",
        "-c",
        "from articles.tests.factories import make_story; "
        "story = make_story('Oil workers strike', body='<p>Talks began on Monday.</p>'); "
        "print(story.pk, story.get_absolute_url())",
    )
    pk, path = created.split()[-2:]
    reader = Browser()
    # Warm: each process renders the page once; the second read is its cache's.
    for server in servers:
        for _ in range(2):
            assert "Talks began on Monday." in reader.get(server + path)

    # Cached indeed: a change written behind the app's back shows on neither.
    _write_behind_the_apps_back(environment, pk, "<p>Nobody should see this.</p>")
    for server in servers:
        assert "Talks began on Monday." in reader.get(server + path)

    editor = Browser()
    sign_in(editor, first)
    # The session made on the first process is the second's too.
    assert Browser().lands_on(f"{second}/admin/").startswith(f"{second}/admin/login/")
    assert editor.lands_on(f"{second}/admin/") == f"{second}/admin/"

    change = f"{first}/admin/articles/story/{pk}/change/"
    fields = form_fields(
        editor.get(change), "story_form", body="<p>Talks collapsed on Tuesday.</p>"
    )
    landed, page = editor.post(change, fields)
    notices = re.findall(r"<ul class=\"(?:errorlist|messagelist)[^>]*>(.*?)</ul>", page, re.S)
    assert landed == change and "Saved" in "".join(notices), notices

    page = reader.get(second + path)
    assert "Talks collapsed on Tuesday." in page and "Talks began" not in page
    assert "Talks collapsed on Tuesday." in reader.get(first + path)
