"""Who may do what with the catalogue in the back office (the one gate of its pages, its menu
and its actions' callers). Names mirror the actions they allow."""

from __future__ import annotations

IMPORT_MATTERS = "catalogue.import_matters"  # "Can import and export the catalogue of matters"


def can_import(user) -> bool:
    """May import a catalogue file, follow its job and export the catalogue."""
    return bool(user.is_active and user.is_staff and user.has_perm(IMPORT_MATTERS))
