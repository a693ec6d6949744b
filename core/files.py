"""Uploaded files: the PDF check (by parsing, not by the first bytes) shared by CVs and reports,
and private storage that never keeps a file whose row was not written."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.storage import Storage
from django.utils.translation import gettext as _
from pypdf import PdfReader

from core.db import on_rollback
from core.errors import Invalid

logger = logging.getLogger(__name__)


def pdf_check(upload: Any, *, field: str, max_bytes: int) -> None:
    """``upload`` is a readable PDF of at most ``max_bytes`` with at least one page, or ``Invalid``.

    The file is parsed (pypdf), so a text file that merely starts with ``%PDF-`` is refused.
    """
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise Invalid(
            errors={
                field: _("The file must be a PDF of at most %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}
            }
        )
    try:
        upload.seek(0)
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise Invalid(errors={field: _("The PDF is password-protected: upload it without a password.")})
        pages = len(reader.pages)
    except Invalid:
        raise
    except Exception:  # pypdf raises many kinds of errors on malformed input
        pages = 0
    finally:
        upload.seek(0)
    if pages < 1:
        raise Invalid(errors={field: _("The file is not a readable PDF.")})


@contextmanager
def stored_or_removed(storage: Storage, names: list[str]) -> Iterator[None]:
    """Remove the files named in ``names`` (filled in by the block as it stores them) if the block
    fails, or if the transaction that writes their rows is rolled back later (a lost race retried,
    an outer transaction undone), so a refused or failed write leaves no orphan file behind."""

    def remove() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - already gone
                logger.warning("could not remove an orphan upload")

    try:
        yield
    except BaseException:
        remove()
        raise
    on_rollback(remove)
