"""The shared risk conference grounds what its members read, and nothing for outsiders."""

import pytest

from joinedup.core.errors import NotFound
from joinedup.core.tests.helpers import actor
from joinedup.core.vocabulary import Purpose
from joinedup.sharing import policy

pytestmark = pytest.mark.django_db


def test_members_read_a_listed_person_for_the_forum_and_no_one_else(conference, partnership):
    housing = actor(partnership.housing_officer)
    assert policy.access_person(housing, conference.person.pk, Purpose.FORUM).identity is not None
    with pytest.raises(NotFound):
        policy.access_person(housing, conference.outsider.pk, Purpose.FORUM)
    with pytest.raises(NotFound):
        policy.access_person(actor(partnership.volunteer), conference.person.pk, Purpose.FORUM)
