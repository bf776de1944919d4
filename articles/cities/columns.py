"""The CSV format of city figures: its columns, and the codes further indicators may take.

Pure: the format is shared by the importer (articles.cities.figures) and the Indicator model.
"""

import re

from django.core.exceptions import ValidationError

COLUMNS = {
    "name_zh", "name_en", "province", "region", "year",
    "gdp_100m_yuan", "population_10k", "gdp_source", "population_source",
}  # fmt: skip
OPTIONAL_COLUMNS = {"gdp_rank", "gdp_rank_source"}
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


def validate_indicator_code(code):
    """A further indicator's code names its CSV columns, so it must not clash with the core ones."""
    if (
        code in COLUMNS | OPTIONAL_COLUMNS | set(CORE_FIELDS.values())
        or code.endswith("_source")
        or not re.fullmatch(r"[a-z][a-z0-9_]*", code)
    ):
        raise ValidationError(
            "代码只能用小写字母、数字和下划线并以字母开头，不能以 _source 结尾，也不能与核心数据列重名。"
        )
