"""Reading city figures from CSV: every row checked, every problem reported with its line."""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

COLUMNS = {
    "name_zh", "name_en", "province", "region", "year",
    "gdp_100m_yuan", "population_10k", "gdp_source", "population_source",
}  # fmt: skip


@dataclass
class FigureRow:
    line: int
    name: str
    name_en: str
    province: str
    region: str
    year: int
    gdp: Decimal | None
    gdp_source: str
    population: Decimal | None
    population_source: str
    gdp_rank: int | None
    gdp_rank_source: str


class FigureFileError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def _number(text, what, line, problems):
    """An empty cell means "no sourced figure": None, never 0."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(f"第 {line} 行：{what}“{text}”不是数字。")
        return None
    if not value.is_finite() or value < 0:
        problems.append(f"第 {line} 行：{what}“{text}”不是有效的非负数。")
        return None
    return value


def read_figures(stream):
    """FigureRow for each data row of a CSV stream; FigureFileError lists every bad row."""
    reader = csv.DictReader(stream)
    missing = COLUMNS - set(reader.fieldnames or ())
    if missing:
        raise FigureFileError([f"缺少列：{'、'.join(sorted(missing))}"])
    rows, problems, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        cell = {key: (value or "").strip() for key, value in raw.items() if key}
        name = cell["name_zh"]
        if not name:
            problems.append(f"第 {line} 行：缺少城市名称。")
            continue
        if not cell["year"].isdigit() or not 1949 <= int(cell["year"]) <= 2100:
            problems.append(f"第 {line} 行：年份“{cell['year']}”无效。")
            continue
        year = int(cell["year"])
        if (name, year) in seen:
            problems.append(f"第 {line} 行：{name} {year} 年与第 {seen[name, year]} 行重复。")
            continue
        seen[name, year] = line
        rank = _number(cell.get("gdp_rank"), "排名", line, problems)
        rows.append(
            FigureRow(
                line=line,
                name=name,
                name_en=cell["name_en"],
                province=cell["province"],
                region=cell["region"],
                year=year,
                gdp=_number(cell["gdp_100m_yuan"], "GDP", line, problems),
                gdp_source=cell["gdp_source"],
                population=_number(cell["population_10k"], "人口", line, problems),
                population_source=cell["population_source"],
                gdp_rank=int(rank) if rank is not None else None,
                gdp_rank_source=cell.get("gdp_rank_source", ""),
            )
        )
    if problems:
        raise FigureFileError(problems)
    return rows
