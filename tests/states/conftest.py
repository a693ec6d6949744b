"""Fixtures of the states tests: the real reference data, loaded by the real command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.fixture
def reference(db: None) -> str:
    """Everything ``load_reference_data`` loads; returns the command's output."""
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    return out.getvalue()
