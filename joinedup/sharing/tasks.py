"""Background tasks of the sharing app (run by the task worker: `manage.py db_worker`)."""

import logging
import uuid
from typing import Any

from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string

from joinedup.accounts.actors import actor_for
from joinedup.accounts.models import User
from joinedup.accounts.roles import RoleCode
from joinedup.core import clock
from joinedup.core.formatting import format_date, format_datetime
from joinedup.sharing.models import EmergencyReview, ExportStatus, SubjectAccessExport

logger = logging.getLogger(__name__)


def ig_leads(agency_id: uuid.UUID) -> list[User]:
    """The agency's active users holding the IG lead role now (one role grant must satisfy every condition)."""
    now = clock.now()
    in_force = Q(
        role_grants__role__code=RoleCode.IG_LEAD,
        role_grants__starts_at__lte=now,
    ) & (Q(role_grants__ends_at__isnull=True) | Q(role_grants__ends_at__gt=now))
    return list(User.objects.filter(in_force, agency_id=agency_id, is_active=True).distinct())


@task()
def send_emergency_alert(review_id: str) -> int:
    """Tell an agency's IG leads that emergency access read their records, and by when to review it."""
    review = EmergencyReview.objects.select_related("grant__user", "grant__agency", "agency").get(pk=review_id)
    grant = review.grant
    recipients = [u.email for u in ig_leads(review.agency_id) if u.email]
    if not recipients:
        logger.warning("No IG lead with an email address at agency %s to review emergency access", review.agency_id)
        return 0
    body = (
        f"{grant.user.get_full_name()} of {grant.agency.name} used emergency access on "
        f"{format_datetime(review.first_used_at)} and read records that {review.agency.name} holds.\n\n"
        f"Reason given: {grant.get_reason_display()}: {grant.explanation}\n\n"
        f"Please review whether it was justified by {format_date(review.due_on)}, in joinedup under "
        "Information governance > Emergency access reviews."
    )
    return send_mail("Emergency access to your agency's records: review needed", body, None, recipients)


def _progress(export: SubjectAccessExport, percent: int, step: str, **fields: Any) -> None:
    """Save how far the export has got, at once, so the page can show it while the task runs."""
    export.progress, export.step = percent, step
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=["progress", "step", "updated_at", *fields])


def render_subject_access_pdf(document: dict[str, Any]) -> bytes:
    """The readable version of a subject access export, rendered by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads pango, which only this task needs

    from joinedup.sharing.presenters.governance import subject_access_pdf_context

    html = render_to_string("sharing/subject_access_pdf.jinja", subject_access_pdf_context(document))
    return HTML(string=html).write_pdf(presentational_hints=True)  # type: ignore[no-any-return]


@task()
def build_subject_access_export(export_id: str) -> dict[str, Any]:
    """Gather every record the agency holds about the person and who was shown them, then write the
    JSON and the PDF. Progress is saved as it goes; a failure is recorded on the export and re-raised."""
    from joinedup.sharing.presenters.governance import audit_entry, subject_access_document
    from joinedup.sharing.selectors import governance as selectors

    export = SubjectAccessExport.objects.select_related("requested_by", "agency").get(pk=export_id)
    if export.status == ExportStatus.READY:
        return {"status": export.status}
    started = clock.now()
    _progress(export, 5, "Gathering the records", status=ExportStatus.RUNNING, started_at=started, error="")
    try:
        # The export is read as the IG lead who asked for it, through the policy, and audited as theirs.
        actor = actor_for(export.requested_by, f"sar-{uuid.UUID(str(export.pk)).hex}")
        route = f"task:subject-access/{export.pk}"
        held = selectors.subject_access_records(actor, person_id=export.person_id, route=route)
        names = selectors.people_names(actor, [export.person_id], route=route)
        _progress(export, 40, "Finding who the records were shown to")
        recipients = selectors.subject_access_recipients(agency_id=export.agency_id, person_id=export.person_id)
        _progress(export, 60, "Writing the files")
        document = subject_access_document(
            export=export,
            agency_name=export.agency.name,
            person_name=names.get(export.person_id),
            held=held,
            recipients=recipients,
            generated_at=clock.now(),
        )
        _progress(export, 70, "Writing the PDF")
        pdf = render_subject_access_pdf(document)
    except Exception as error:
        logger.exception("Subject access export %s failed", export.pk)
        _progress(
            export,
            export.progress,
            "Failed",
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=clock.now(),
        )
        raise
    _progress(
        export,
        100,
        "Done",
        status=ExportStatus.READY,
        content_json=document,
        content_pdf=pdf,
        audit_records=[audit_entry(s) for s in held.shown()],
        record_count=len(held.shown()),
        recipient_count=len(recipients),
        finished_at=clock.now(),
    )
    return {"status": export.status, "records": export.record_count, "recipients": export.recipient_count}
