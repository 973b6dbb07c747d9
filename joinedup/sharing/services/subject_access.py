"""Subject access requests: an IG lead starts an export of everything their agency holds about a person."""

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction

from joinedup.accounts.roles import RoleCode
from joinedup.core import clock
from joinedup.core.actor import Actor
from joinedup.core.errors import PermissionDenied, ValidationFailed
from joinedup.sharing.models import SubjectAccessExport
from joinedup.sharing.services._common import changed, require_agency


def subject_access_due_on(received_on: date) -> date:
    """One calendar month after receipt; the last day of the next month when there is no same day."""
    return received_on + relativedelta(months=1)


def subject_access_export_start(
    actor: Actor, *, person_id: uuid.UUID, received_on: date, reference: str = ""
) -> SubjectAccessExport:
    """Queue the export; the task `build_subject_access_export` gathers the records and renders the files.

    The caller has already checked, through the policy, that the person exists for the actor.
    """
    from joinedup.sharing.tasks import build_subject_access_export

    agency_id = require_agency(actor)
    if not actor.has_role(RoleCode.IG_LEAD):
        raise PermissionDenied("Only an information governance lead can answer a subject access request")
    if received_on > clock.today():
        raise ValidationFailed({"received_on": "The date the request was received must be today or in the past"})
    export = SubjectAccessExport(
        person_id=person_id,
        agency_id=agency_id,
        requested_by_id=actor.user_id,
        reference=reference.strip(),
        received_on=received_on,
        due_on=subject_access_due_on(received_on),
    )
    with transaction.atomic():
        export.save(force_insert=True)
        changed(actor, "subject_access_export_start", export, None)
        # The database task backend stores the task in this transaction: the worker sees both or neither.
        result = build_subject_access_export.enqueue(str(export.pk))
        SubjectAccessExport.objects.filter(pk=export.pk).update(task_id=str(result.id)[:64])
    export.refresh_from_db()
    return export
