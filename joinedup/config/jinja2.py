"""The Jinja2 environment: our templates first, then the NHS.UK frontend macros."""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from joinedup.risk.presenters import person_risk
from joinedup.web import filters, form_render


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    # Django pre-fills `loader` (our app template dirs) and `undefined`; both are replaced here.
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("extensions", []).append("jinja2.ext.do")
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.globals.update(
        url=url,
        static=static,
        get_messages=get_messages,
        # A folder cannot go through the static manifest, so build the assets path by hand.
        nhsuk_assets=f"{settings.STATIC_URL}nhsuk/assets",
        form_component=form_render.component,
        form_errors=form_render.error_list,
        # The person page's risk section and warnings (people's own view cannot import risk).
        person_risk=person_risk,
    )
    env.filters.update(filters.FILTERS)
    return env
