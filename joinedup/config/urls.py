"""URL routes. Every view needs a signed-in user who has passed MFA unless it says otherwise."""

from django.conf import settings
from django.urls import include, path

from joinedup.api.api import urlpatterns as api_urlpatterns

urlpatterns = [
    path("", include("joinedup.web.urls")),
    path("account/", include("joinedup.accounts.urls")),
    path("agencies/", include("joinedup.agencies.urls")),
    path("directory/", include("joinedup.agencies.directory.pages")),
    path("hsds/", include("joinedup.agencies.directory.urls")),
    path("people/", include("joinedup.people.urls")),
    path("crisis/", include("joinedup.crisis.urls")),
    path("forums/", include("joinedup.forums.urls")),
    path("actions/", include("joinedup.actions.urls")),
    path("plans/", include("joinedup.plans.urls")),
    path("", include("joinedup.risk.urls")),
    path("", include("joinedup.sharing.urls")),
    path("", include("joinedup.referrals.urls")),
    path("api/v1/", include((api_urlpatterns(), "api"), namespace="api")),
]

if settings.DEMO_MODE:
    urlpatterns.append(path("demo/", include("joinedup.demo.urls")))

handler400 = "joinedup.web.views.bad_request"
handler403 = "joinedup.web.views.permission_denied"
handler404 = "joinedup.web.views.not_found"
handler500 = "joinedup.web.views.server_error"
