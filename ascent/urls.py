from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from ascent.api.api import api
from ascent.common import health
from ascent.common.admin_scope import scope_admin
from ascent.common.permissions import may_use_admin

handler500 = "ascent.common.errors.server_error"

admin.site.site_header = _("Ascent administration")
admin.site.site_title = _("Ascent")
admin.site.index_title = _("Program data")
_site_permission = admin.site.has_permission
# Operators and program managers only (issue #16): the admin knows no team roles.
admin.site.has_permission = lambda request: (
    _site_permission(request) and may_use_admin(request.user)
)
# ...and within it, a manager sees only the programs they manage.
scope_admin(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    # browsers ask for /favicon.ico whatever the page says: the logo answers
    path("favicon.ico", health.favicon),
    path("health/", health.health, name="health"),
    path("ready/", health.ready, name="ready"),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("ascent.workspace.urls")),
    path("", include("ascent.portal.urls")),
]
