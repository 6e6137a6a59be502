"""The editors' admin site, and the pieces of it that every app's admin uses.

The site's titles; `ListQuerySetMixin`, which gives a list page its own
queryset (prefetches and annotations that edit pages and autocompletes don't
pay for); `OriginalImageMixin`, the upload field of a model with renditions;
`YesNoFilter`, a list filter with a yes and a no; `image_tag`, a stored image
at a display size; `ADMIN_CSS`, the stylesheet the admin pages share; and the
admin of accounts and groups, in which only a superuser grants rights.
"""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import AbstractUser, Group
from django.db.models import Field, QuerySet
from django.db.models.fields.files import FieldFile
from django.forms import Field as FormField
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from newsroom.forms import OriginalImageInput, PhotoImageField

ADMIN_CSS = "admin-extra/admin.css"

# The admin mixins are checked as part of what they are mixed into.
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    BaseModelAdminMixin = BaseModelAdmin[Any]
    ModelAdminMixin = admin.ModelAdmin[Any]
else:
    BaseModelAdminMixin = ModelAdminMixin = object

admin.site.site_header = format_lazy(_("{site} editors"), site=settings.SITE_NAME)
admin.site.site_title = format_lazy(_("{site} editors"), site=settings.SITE_NAME)
admin.site.index_title = _("Newsroom")


def image_tag(
    file: FieldFile | None,
    width: int | None,
    height: int | None,
    *,
    display_width: int,
    alt: str = "",
) -> SafeString | str:
    """An <img> of a stored image at most `display_width` pixels wide, or a dash."""
    if not file:
        return "—"
    if width and height:
        if width > display_width:
            width, height = display_width, max(1, round(height * display_width / width))
        size = format_html(' width="{}" height="{}"', width, height)
    else:
        size = format_html(' width="{}"', display_width)
    return format_html(
        '<img class="admin-thumbnail" src="{}"{} alt="{}" loading="lazy">', file.url, size, alt
    )


class ListChangeList(ChangeList):
    """A changelist whose rows come through the model admin's `list_queryset()`."""

    model_admin: "ListQuerySetMixin"

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        # The date drill-down's MIN/MAX and DISTINCT-dates queries would each
        # repeat a search's scan of every story body: while searching, the
        # list shows the results without it (a chosen date still applies).
        if self.query:
            self.date_hierarchy = None

    def get_queryset(
        self, request: HttpRequest, exclude_parameters: list[str | None] | None = None
    ) -> QuerySet[Any]:
        # Shape the root queryset, not the result: sorting by an annotated
        # column needs the annotation before the ordering is applied.
        if not getattr(self, "_root_shaped", False):
            self.root_queryset = self.model_admin.list_queryset(self.root_queryset)
            self._root_shaped = True
        return super().get_queryset(request, exclude_parameters)


class ListQuerySetMixin(ModelAdminMixin):
    """Prefetches and annotations for the list page only: edit pages,
    autocompletes and actions don't pay for them."""

    def list_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return ListChangeList


# --- Accounts ---------------------------------------------------------------

# What makes an account more than a login: only a superuser sets these.
RIGHTS_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def outranks(account: AbstractUser, user: Any) -> bool:
    """Whether `account` holds a right `user` lacks: taking it over (a new
    password, another address) would give `user` that right."""
    if account.is_superuser and not user.is_superuser:
        return True
    return not account.get_all_permissions() <= user.get_all_permissions()


# django-stubs makes UserAdmin generic; at run time it is not.
if TYPE_CHECKING:
    UserAdminBase = UserAdmin[AbstractUser]
else:
    UserAdminBase = UserAdmin


class NewsroomUserAdmin(UserAdminBase):
    """Django's user admin, in which only superusers grant rights: anyone
    else who manages accounts sees staff status, superuser status, groups
    and permissions read-only (a value sent for them is not part of their
    form), and may not change or delete an account with rights they lack."""

    def get_readonly_fields(
        self, request: HttpRequest, obj: AbstractUser | None = None
    ) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += RIGHTS_FIELDS
        return fields

    def has_change_permission(self, request: HttpRequest, obj: AbstractUser | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not outranks(obj, request.user))

    def has_delete_permission(self, request: HttpRequest, obj: AbstractUser | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or not outranks(obj, request.user))


class NewsroomGroupAdmin(GroupAdmin):
    """Groups are roles (newsroom/roles.py): only a superuser changes them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Group | None = None) -> bool:
        return request.user.is_superuser


for model, model_admin in ((get_user_model(), NewsroomUserAdmin), (Group, NewsroomGroupAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


class OriginalImageMixin(ModelAdminMixin):
    """The model's original image (its `ORIGINAL_FIELD`, see newsroom.images)
    uploads through `PhotoImageField`, whose errors say what is wrong, and
    shows without a link to the original."""

    def formfield_for_dbfield(
        self, db_field: "Field[Any, Any]", request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        if db_field.name == getattr(self.model, "ORIGINAL_FIELD", None):
            kwargs["form_class"] = PhotoImageField
            kwargs["widget"] = OriginalImageInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        original = getattr(self.model, "ORIGINAL_FIELD", None)
        if obj is not None and original in fields and not self.has_change_permission(request, obj):
            # Shown read-only, Django would link to the original file, which
            # is never served: those who may only look see its renditions.
            fields.remove(original)
        return fields


class YesNoFilter(admin.SimpleListFilter):
    """A list filter offering "Yes" and "No", each a named QuerySet method."""

    yes: str  # the QuerySet method for "Yes"
    no: str  # and for "No"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, "StrOrPromise"]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        method = {"yes": self.yes, "no": self.no}.get(self.value() or "")
        return getattr(queryset, method)() if method else queryset
