"""The editors' admin for people: authors and quoted sources."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from newsroom.admin import ADMIN_CSS, ListQuerySetMixin, OriginalImageMixin, image_tag
from newsroom.text import name_key
from people.models import Person, PersonAlias


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    fields = ["name"]
    extra = 1


@admin.register(Person)
class PersonAdmin(OriginalImageMixin, ListQuerySetMixin, admin.ModelAdmin):
    list_display = ["name", "headshot_thumbnail", "bylines_count", "quotations_count"]
    # Matched on the normalised keys, with the search term normalised the same
    # way, so that case and quote style don't matter in any alphabet (SQLite's
    # LIKE only folds ASCII case).
    search_fields = ["name_key", "aliases__name_key"]
    search_help_text = _("Searches names and their other spellings.")
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "bio", "headshot", "headshot_preview"]
    readonly_fields = ["headshot_preview"]
    inlines = [PersonAliasInline]
    list_per_page = 50
    show_full_result_count = False

    class Media:
        css = {"all": [ADMIN_CSS]}

    def list_queryset(self, queryset):
        return queryset.for_admin_list()

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, name_key(search_term))

    # The rendition readers see: the original is never served.
    @admin.display(description=_("Headshot"))
    def headshot_thumbnail(self, person):
        return self._headshot(person, display_width=48)

    @admin.display(description=_("Headshot preview"))
    def headshot_preview(self, person):
        return self._headshot(person, display_width=160)

    def _headshot(self, person, *, display_width):
        return image_tag(
            person.headshot_rendition,
            person.headshot_width,
            person.headshot_height,
            display_width=display_width,
            alt=person.name,
        )

    @admin.display(description=_("Stories written"), ordering="bylines_count")
    def bylines_count(self, person):
        return person.bylines_count

    @admin.display(description=_("Quoted in"), ordering="quotations_count")
    def quotations_count(self, person):
        return person.quotations_count
