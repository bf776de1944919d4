"""The CSV format of city figures: its columns, the codes further indicators may take, and
cells made safe for spreadsheets.

Pure: the format is shared by the importer (articles.cities.figures) and the Indicator model.
"""

import re

from django.core.exceptions import ValidationError

COLUMNS = {
    "name_zh", "name_en", "province", "region", "year",
    "gdp_100m_yuan", "population_10k", "gdp_source", "population_source",
}  # fmt: skip
# A figure's citation and standing, each a column `<figure>_<suffix>`; files without them
# (the format before statuses) still import.
CITATION_SUFFIXES = ("status", "basis", "publisher", "title", "published")
FIGURES = ("gdp", "population", "gdp_rank")  # the figures every city has, by field name
BASIS_FREE = {"gdp_rank"}  # a rank has no basis of its own
HEADER = [
    "name_zh", "name_en", "province", "region", "year",
    "gdp_100m_yuan", "population_10k", "gdp_source", "population_source",
    "gdp_rank", "gdp_rank_source",
]  # fmt: skip
# CSV column -> CityFigures field, for the figures every city has.
CORE_FIELDS = {
    "gdp_100m_yuan": "gdp", "gdp_source": "gdp_source",
    "population_10k": "population", "population_source": "population_source",
    "gdp_rank": "gdp_rank", "gdp_rank_source": "gdp_rank_source",
}  # fmt: skip


def citation_columns(figure):
    """The citation columns of one figure (a CityFigures field or an indicator's code)."""
    return [
        f"{figure}_{suffix}"
        for suffix in CITATION_SUFFIXES
        if not (suffix == "basis" and figure in BASIS_FREE)
    ]


for _figure in FIGURES:
    CORE_FIELDS |= {column: column for column in citation_columns(_figure)}
OPTIONAL_COLUMNS = set(CORE_FIELDS) - COLUMNS
HEADER += [column for figure in FIGURES for column in citation_columns(figure)]

# OWASP's CSV-injection rule: a spreadsheet runs a cell that starts with one of these as a
# formula. The quote is escaped too, so that reading back undoes exactly what writing did.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """A text cell made inert for Excel and WPS: a leading ' before a formula character."""
    if isinstance(cell, str) and cell.startswith((*FORMULA_STARTS, "'")):
        return "'" + cell
    return cell


def restore(cell):
    """What neutralise() wrote, read back as it was; any other cell unchanged."""
    if cell.startswith("'") and cell[1:].startswith((*FORMULA_STARTS, "'")):
        return cell[1:]
    return cell


def validate_indicator_code(code):
    """A further indicator's code names its CSV columns, so it must not clash with the core ones."""
    suffixes = ("_source", *(f"_{suffix}" for suffix in CITATION_SUFFIXES))
    if (
        code in COLUMNS | OPTIONAL_COLUMNS | set(CORE_FIELDS.values())
        or code.endswith(suffixes)
        or not re.fullmatch(r"[a-z][a-z0-9_]*", code)
    ):
        raise ValidationError(
            "代码只能用小写字母、数字和下划线并以字母开头，不能以 _source、_status、_basis、"
            "_publisher、_title、_published 结尾，也不能与核心数据列重名。"
        )
