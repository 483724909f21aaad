"""Issuing the certificate of an approved case (run by eban.applications.tasks)."""

from __future__ import annotations

from ..models import Application, MatterSetup
from ..queries import certificate_key


def issue_certificate_for(application: Application):
    """Issue (or, on a retry, find again) the certificate of an approved case: the holder is the
    applicant (a citizen, or an enterprise by its credit code), the printed fields are the case's
    answers; the issuer, dates and validity come from the certificate type. Runs in a task
    (eban.applications.tasks.issue_certificate_and_complete); call it outside a transaction."""
    from eban.certificates.actions import issue_certificate

    setup = MatterSetup.objects.get(matter_id=application.matter_id)
    if application.enterprise_id:
        holder_name, holder_number, photo = (
            application.enterprise.name,
            application.enterprise.credit_code,
            None,
        )
    else:
        citizen = application.citizen
        holder_name, holder_number, photo = citizen.name, citizen.id_number, None
        if citizen.photo:
            with citizen.photo.open("rb") as file:
                photo = file.read()
    return issue_certificate(
        key=certificate_key(application),
        type_code=setup.certificate_type,
        holder_name=holder_name,
        holder_id_number=holder_number,
        data={**application.form_data, "case_number": application.number, "matter": application.matter.name},
        photo=photo,
        actor=None,
    )
