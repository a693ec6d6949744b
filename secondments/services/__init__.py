"""Writes of the secondment cycle, by sub-domain. Every state change goes through one of these.

- ``vacancies``: create, edit, publish, close, extend, cancel; closing at the deadline.
- ``nominations``: submit, update, withdraw (focal points); decide (HR).
- ``secondments``: the secondment a selection creates, renewals, person records and limits.
- ``privacy``: anonymising candidates.
- ``subscriptions``: a user's calendar addresses and saved searches.

Each service asks ``secondments.policies`` who may act (the actor goes in), raises
``core.errors`` (400/401/403/404/409 at the doors), locks rows in one order (vacancy, nomination,
person, secondment), audits, publishes events and enqueues e-mails after commit.
"""

from secondments.services.nominations import (
    CV_MAX_BYTES,
    cv_check,
    nomination_cv_download,
    nomination_decide,
    nomination_submit,
    nomination_update,
    nomination_withdraw,
)
from secondments.services.privacy import nominations_anonymise
from secondments.services.secondments import person_merge, secondment_renew
from secondments.services.subscriptions import (
    calendar_digest,
    calendar_token_create,
    calendar_token_revoke,
    saved_search_create,
    saved_search_delete,
    saved_search_query,
)
from secondments.services.vacancies import (
    VACANCY_FIELDS,
    reference_code,
    vacancies_close_expired,
    vacancy_cancel,
    vacancy_close,
    vacancy_create,
    vacancy_extend,
    vacancy_publish,
    vacancy_search_update,
    vacancy_update,
)

__all__ = [
    "CV_MAX_BYTES",
    "VACANCY_FIELDS",
    "calendar_digest",
    "calendar_token_create",
    "calendar_token_revoke",
    "cv_check",
    "nomination_cv_download",
    "nomination_decide",
    "nomination_submit",
    "nomination_update",
    "nomination_withdraw",
    "nominations_anonymise",
    "person_merge",
    "reference_code",
    "saved_search_create",
    "saved_search_delete",
    "saved_search_query",
    "secondment_renew",
    "vacancies_close_expired",
    "vacancy_cancel",
    "vacancy_close",
    "vacancy_create",
    "vacancy_extend",
    "vacancy_publish",
    "vacancy_search_update",
    "vacancy_update",
]
