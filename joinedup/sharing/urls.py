"""Routes of the sharing app. Each area keeps its own list so that work on one never touches another."""

from django.urls import URLPattern, URLResolver

from joinedup.sharing.urls_consent import urlpatterns as consent_urls
from joinedup.sharing.urls_governance import urlpatterns as governance_urls

app_name = "sharing"

urlpatterns: list[URLPattern | URLResolver] = [*consent_urls, *governance_urls]
