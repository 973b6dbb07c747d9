"""Two workers accepting the same referral at the same moment (real commits, two connections).

No module-level django_db mark here: `committed_db` must be set up before the database helper so
that its teardown can lift the append-only triggers for the flush (see joinedup/conftest.py).
"""

import threading

import pytest
from django.db import connection, connections

from joinedup.audit.models import ChangeEvent
from joinedup.core.errors import ValidationFailed
from joinedup.core.tests.helpers import actor
from joinedup.referrals import services
from joinedup.referrals.tests.test_services import _send


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs two real connections at once")
def test_two_workers_accepting_at_once_end_with_one_acceptance(committed_db, partnership, setting):
    p, s = partnership, setting
    referral = _send(p, s)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def accept() -> None:
        try:
            barrier.wait()
            services.referral_accept(actor(p.practitioner), referral_id=referral.pk)
            results.append("accepted")
        except ValidationFailed:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["accepted", "refused"]
    assert ChangeEvent.objects.filter(object_id=str(referral.pk), action="referral_accept").count() == 1
