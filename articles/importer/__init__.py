"""Turn an article pasted from a WeChat mirror into a clean draft.

repair (each kind of damage undone and counted), mojibake (the GBK spans), structure (reading
the input, then clean(): the repairs in order and the title, source, sections and references),
suggestions (tags and cities): all pure. drafts saves the result, the only module here that touches the database.
"""

from articles.importer.mojibake import repair_mojibake
from articles.importer.repair import (
    Report,
    remove_annotations,
    restore_punctuation,
    to_simplified,
)
from articles.importer.structure import (
    MAX_IMPORT_BYTES,
    Draft,
    ImportRefused,
    check_size,
    clean,
    html_to_text,
    read_upload,
)
from articles.importer.suggestions import suggest_cities, suggest_tags, summarise

__all__ = [
    "MAX_IMPORT_BYTES",
    "Draft",
    "ImportRefused",
    "Report",
    "check_size",
    "clean",
    "html_to_text",
    "read_upload",
    "remove_annotations",
    "repair_mojibake",
    "restore_punctuation",
    "suggest_cities",
    "suggest_tags",
    "summarise",
    "to_simplified",
]
