"""The readers' search page: its form (query, order, filters, page) and one
page of results, with highlighted snippets and a suggested person."""

from dataclasses import dataclass
from html import escape as escape_html
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles import search
from articles.models import Story, Topic
from newsroom import caching
from newsroom.memo import remembered
from people.models import Person

# Pages are numbered, and only so deep: past this, refine the search.
MAX_PAGES = 50


@dataclass
class Hit:
    story: Story
    headline: SafeString  # escaped, the matched words in <mark>
    snippet: SafeString


@dataclass
class Results:
    hits: list[Hit]
    page: int
    suggestion: Person | None  # a person whose name is close to the query
    previous_query: str | None  # the query strings of the neighbouring pages
    next_query: str | None


def _highlighted(story: Story, marks: tuple[str, str] | None) -> tuple[SafeString, SafeString]:
    if marks is None:  # changed between the two queries
        return search.marked(story.headline), search.marked("")
    return search.marked(marks[0]), search.marked(marks[1], markup=True)


class TopicSelect(forms.Select):
    """A <select> of the topics, built in one pass: Django renders a
    template for each option (and format_html() wraps each value), which for
    a newsroom's hundreds of topics costs more than finding the stories."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        selected = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape_html(str(key))}"'
            f"{' selected' if str(key) == selected else ''}>{escape_html(str(label))}</option>"
            for key, label in self.choices
        )
        return format_html(
            "<select{}>{}</select>",
            flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name})),
            mark_safe(options),  # noqa: S308 - every value escaped above
        )


class SearchForm(forms.Form):
    RELEVANCE, NEWEST = "relevance", "newest"

    q = forms.CharField(label=_("Search stories"), required=False, max_length=200, strip=True)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(RELEVANCE, _("Most relevant first")), (NEWEST, _("Newest first"))],
    )
    # Only the topics and people readers may see (set per form, in __init__).
    topic = forms.ModelChoiceField(
        Topic.objects.none(),
        label=_("Topic"),
        required=False,
        to_field_name="slug",
        empty_label=_("All topics"),
        widget=TopicSelect,
    )
    person = forms.ModelChoiceField(
        Person.objects.none(),
        label=_("Person"),
        required=False,
        to_field_name="slug",
        widget=forms.HiddenInput,
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2100)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """A topic or person found only in unpublished stories is neither
        offered, nor accepted, nor named. Their querysets are made here, not
        with the class: what is published depends on the time of the request."""
        super().__init__(*args, **kwargs)
        topic, person = self.fields["topic"], self.fields["person"]
        assert isinstance(topic, forms.ModelChoiceField)
        assert isinstance(person, forms.ModelChoiceField)
        # public(), as the topic index counts it: kept between changes.
        visible = Topic.objects.filter(pk__in=list(Topic.objects.published_counts()))
        topic.queryset = visible
        # The options from two columns, not a model instance per topic; kept
        # between changes, as the counts are (a topic's new name bumps SITE).
        named = visible.order_by("name").values_list("slug", "name")
        options = remembered("search-topic-options", [caching.LISTINGS], lambda: list(named))
        topic.widget.choices = [("", topic.empty_label), *options]
        if self.data.get("person"):  # else nobody to look for, and nothing to build
            person.queryset = Person.objects.public()

    def has_words(self) -> bool:
        """Whether the valid form's query has anything to search for."""
        return bool(search.words_of(self.cleaned_data["q"]))

    def results(self) -> Results:
        """One page of the published stories matching the valid form."""
        data = self.cleaned_data
        stories = Story.objects.published().for_cards()
        if data["topic"] is not None:
            stories = stories.filed_under(data["topic"])
        if data["person"] is not None:
            stories = stories.crediting(data["person"])
        if data["year"] is not None:
            stories = stories.published_in(data["year"])
        page, per_page = data["page"] or 1, settings.STORIES_PER_PAGE
        newest, start = data["sort"] == self.NEWEST, (page - 1) * per_page
        rows = search.page(stories, data["q"], newest=newest, start=start, count=per_page + 1)
        marks = search.highlights(stories, data["q"], [story.pk for story in rows[:per_page]])
        hits = [Hit(story, *_highlighted(story, marks.get(story.pk))) for story in rows[:per_page]]
        suggestion = None if data["person"] else Person.objects.similar_to(data["q"], public=True)
        return Results(
            hits,
            page,
            suggestion,
            previous_query=self.query_string(page - 1) if page > 1 else None,
            next_query=self.query_string(page + 1) if len(rows) > per_page else None,
        )

    def query_string(self, page: int) -> str:
        """The valid form's search at page `page`, as a URL query string."""
        data = self.cleaned_data
        params = {
            "q": data["q"],
            "sort": data["sort"],
            "topic": data["topic"].slug if data["topic"] else "",
            "person": data["person"].slug if data["person"] else "",
            "year": data["year"] or "",
            "page": page if page > 1 else "",
        }
        return urlencode({key: value for key, value in params.items() if value})
