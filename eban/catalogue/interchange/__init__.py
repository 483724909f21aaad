"""Import and export of the service catalogue: JSON (docs/matter-format.md) and .xlsx
(docs/catalogue.md). All-or-nothing imports with a bilingual report."""

from .importer import (
    export_bytes,
    export_data,
    export_file,
    import_bytes,
    import_file,
    import_matters,
)
from .report import ImportRejected, ImportReport, Problem

__all__ = [
    "ImportRejected",
    "ImportReport",
    "Problem",
    "export_bytes",
    "export_data",
    "export_file",
    "import_bytes",
    "import_file",
    "import_matters",
]
