"""A person for a page: everything the actor may see of them, or the page is not found (a person
the actor may not see looks like one who does not exist)."""

import uuid

from django.http import Http404, HttpRequest

from joinedup.accounts.actors import request_actor
from joinedup.core.errors import NotFound
from joinedup.people import selectors
from joinedup.sharing.policy import PersonAccess


def person_or_404(request: HttpRequest, person_id: uuid.UUID) -> PersonAccess:
    try:
        return selectors.person_get(request_actor(request), person_id=person_id, route=request.path)
    except NotFound:
        raise Http404("No such person") from None
