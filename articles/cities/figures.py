"""City figures as CSV: every row checked, every problem reported with its line; saved all or
nothing; written back in the same format, so an export imports again unchanged.

Columns: the required COLUMNS, the optional gdp_rank and gdp_rank_source, and for each further
indicator (Indicator.code) a column <code> and <code>_source. An empty cell means "no sourced
figure" and is stored as empty (NULL, or no row), never as 0.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.cities.columns import COLUMNS, CORE_FIELDS, HEADER, OPTIONAL_COLUMNS
from articles.models import City, CityFigures, Indicator, IndicatorValue

MAX_FILE_BYTES = 2_000_000


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
    # {indicator code: (value or None, source)} for the further indicators' columns
    extra: dict = field(default_factory=dict)


class FigureFileError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def _check(model_field, value, what, line, problems):
    """value if the model field accepts it (length, digits, range), else None and a problem."""
    try:
        model_field.run_validators(value)
    except ValidationError as error:
        problems.append(f"第 {line} 行：{what}“{value}”无效：{'；'.join(error.messages)}")
        return None
    return value


def _number(text, what, line, problems, model_field=None):
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
    if model_field is not None:
        return _check(model_field, value, what, line, problems)
    return value


def _rank(text, line, problems):
    value = _number(text, "排名", line, problems)
    if value is None:
        return None
    if value != value.to_integral_value() or not 1 <= value <= 10_000:
        problems.append(f"第 {line} 行：排名“{text}”应为 1 到 10000 的整数。")
        return None
    return int(value)


def read_figures(stream, indicator_codes=()):
    """FigureRow for each data row of a CSV stream; FigureFileError lists every bad row.

    indicator_codes: the further indicators whose columns the file may carry.
    """
    figure = CityFigures._meta.get_field
    reader = csv.DictReader(stream)
    header = [name.strip() for name in reader.fieldnames or ()]
    reader.fieldnames = header
    missing = COLUMNS - set(header)
    if missing:
        raise FigureFileError([f"缺少列：{'、'.join(sorted(missing))}"])
    extra_columns = set(indicator_codes) | {f"{code}_source" for code in indicator_codes}
    unknown = set(header) - COLUMNS - OPTIONAL_COLUMNS - extra_columns - {""}
    if unknown:
        raise FigureFileError([f"未知的列：{'、'.join(sorted(unknown))}（其他指标须先在后台添加）"])
    codes = [code for code in indicator_codes if code in header]
    rows, problems, seen = [], [], {}
    try:
        for line, raw in enumerate(reader, start=2):
            if None in raw:
                problems.append(f"第 {line} 行：列数多于表头。")
                continue
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
            text = {}
            for column, what, model_field in (
                ("name_zh", "城市名称", City._meta.get_field("name")),
                ("name_en", "英文名", City._meta.get_field("name_en")),
                ("province", "省份", City._meta.get_field("province")),
                ("region", "区域", City._meta.get_field("region")),
                ("gdp_source", "GDP 来源", figure("gdp_source")),
                ("population_source", "人口来源", figure("population_source")),
                ("gdp_rank_source", "排名来源", figure("gdp_rank_source")),
            ):
                text[column] = _check(model_field, cell.get(column, ""), what, line, problems)
            extra = {}
            for code in codes:
                value = _number(
                    cell[code], code, line, problems, IndicatorValue._meta.get_field("value")
                )
                source = _check(
                    IndicatorValue._meta.get_field("source"),
                    cell.get(f"{code}_source", ""),
                    f"{code} 来源",
                    line,
                    problems,
                )
                extra[code] = (value, source or "")
            rows.append(
                FigureRow(
                    line=line,
                    name=name,
                    name_en=text["name_en"] or "",
                    province=text["province"] or "",
                    region=text["region"] or "",
                    year=year,
                    gdp=_number(cell["gdp_100m_yuan"], "GDP", line, problems, figure("gdp")),
                    gdp_source=text["gdp_source"] or "",
                    population=_number(
                        cell["population_10k"], "人口", line, problems, figure("population")
                    ),
                    population_source=text["population_source"] or "",
                    gdp_rank=_rank(cell.get("gdp_rank"), line, problems),
                    gdp_rank_source=text["gdp_rank_source"] or "",
                    extra=extra,
                )
            )
    except csv.Error as error:
        problems.append(f"第 {reader.line_num} 行：CSV 格式错误（{error}）。")
    if problems:
        raise FigureFileError(problems)
    return rows


def read_figures_file(data):
    """read_figures() of uploaded bytes (UTF-8, with or without a BOM), with the indicators known."""
    if len(data) > MAX_FILE_BYTES:
        raise FigureFileError([f"文件太大（上限 {MAX_FILE_BYTES // 1_000_000} MB）。"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FigureFileError(["文件不是 UTF-8 编码（Excel 中请选择“CSV UTF-8”另存）。"]) from None
    if "\x00" in text:
        raise FigureFileError(["文件含有空字符（NUL），不是文本 CSV。"])
    codes = Indicator.objects.values_list("code", flat=True)
    return read_figures(io.StringIO(text, newline=""), list(codes))


@transaction.atomic
def save_figures(rows):
    """Write checked rows: all of them or, on any error, none. Re-importing a file changes nothing.

    A row is the truth for its city and year: an empty cell empties the figure. A city not yet
    on the site is created from the row's names, province and region.
    Returns a Counter of what happened: created, updated, unchanged rows and new cities.
    """
    stats = Counter()
    cities = {city.name: city for city in City.objects.filter(name__in={row.name for row in rows})}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for row in rows:
        city = cities.get(row.name)
        details = {"name_en": row.name_en, "province": row.province, "region": row.region}
        if city is None:
            city = cities[row.name] = City.objects.create(name=row.name, **details)
            stats["new cities"] += 1
        else:
            changed = {k: v for k, v in details.items() if v and getattr(city, k) != v}
            if changed:
                City.objects.filter(pk=city.pk).update(**changed)
        values = {model_field: getattr(row, model_field) for model_field in CORE_FIELDS.values()}
        figures = CityFigures.objects.filter(city=city, year=row.year).first()
        if figures is None:
            CityFigures.objects.create(city=city, year=row.year, **values)
            stats["created"] += 1
        elif any(getattr(figures, k) != v for k, v in values.items()):
            CityFigures.objects.filter(pk=figures.pk).update(**values)
            stats["updated"] += 1
        else:
            stats["unchanged"] += 1
        for code, (value, source) in row.extra.items():
            lookup = {"city": city, "indicator": indicators[code], "year": row.year}
            if value is None:
                IndicatorValue.objects.filter(**lookup).delete()
            else:
                IndicatorValue.objects.update_or_create(
                    **lookup, defaults={"value": value, "source": source}
                )
    return stats


def write_figures(stream):
    """Every city's figures as CSV in the import format (newest year first)."""
    indicators = list(Indicator.objects.values_list("code", flat=True))
    extra = {}
    for value in IndicatorValue.objects.select_related("indicator"):
        extra[value.city_id, value.year, value.indicator.code] = value
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER + [c for code in indicators for c in (code, f"{code}_source")])
    keys = {(city_id, year) for city_id, year, _code in extra}
    figures = {(row.city_id, row.year): row for row in CityFigures.objects.all()}
    cities = City.objects.in_bulk({city_id for city_id, _year in keys | figures.keys()})
    for city_id, year in sorted(keys | figures.keys(), key=lambda k: (-k[1], cities[k[0]].slug)):
        city, row = cities[city_id], figures.get((city_id, year))
        cells = [city.name, city.name_en, city.province, city.region, year]
        for column in HEADER[5:]:
            value = getattr(row, CORE_FIELDS[column]) if row else None
            cells.append("" if value is None else value)
        for code in indicators:
            value = extra.get((city_id, year, code))
            cells += [value.value, value.source] if value else ["", ""]
        writer.writerow(cells)


def describe_import(stats):
    """What save_figures() did, in the words the editor reads."""
    return (
        f"导入完成：新增 {stats['created']} 行，更新 {stats['updated']} 行，"
        f"未变 {stats['unchanged']} 行，新建城市 {stats['new cities']} 座。"
    )
