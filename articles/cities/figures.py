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

from articles.cities.citations import FigureStatus, status_of_legacy_source
from articles.cities.columns import (
    COLUMNS,
    CORE_FIELDS,
    FIGURES,
    HEADER,
    OPTIONAL_COLUMNS,
    citation_columns,
    neutralise,
    restore,
)
from articles.models import City, CityFigures, Indicator, IndicatorValue

MAX_FILE_BYTES = 2_000_000
NUMBER_COLUMNS = {"gdp": "gdp_100m_yuan", "population": "population_10k", "gdp_rank": "gdp_rank"}
WHAT = {"gdp": "GDP", "population": "人口", "gdp_rank": "排名"}
STATUSES = {choice: choice for choice in FigureStatus.values} | {
    label: value for value, label in FigureStatus.choices
}


@dataclass
class FigureRow:
    line: int
    name: str
    name_en: str
    province: str
    region: str
    year: int
    # {CityFigures field: value}: each figure, its source, status, basis and citation
    figures: dict
    # {indicator code: {IndicatorValue field: value}, or None where the cell is empty}
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


def _number(text, what, line, problems, model_field=None, negative=False):
    """An empty cell means "no sourced figure": None, never 0."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(f"第 {line} 行：{what}“{text}”不是数字。")
        return None
    if not value.is_finite() or (value < 0 and not negative):
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


def _year(text, what, line, problems):
    if not text:
        return None
    if not text.isdigit() or not 1949 <= int(text) <= 2100:
        problems.append(f"第 {line} 行：{what}“{text}”应为 1949 到 2100 的年份。")
        return None
    return int(text)


def _citation(cell, prefix, model, what, line, problems):
    """{field: value} of a figure's source, status, basis, publisher, title and year.

    A file without a status column (the format before statuses) gives the status its source
    note implies: "二手转录…" is second-hand, anything else unstated.
    """
    names = {
        "source": f"{prefix}_source",
        **{c.removeprefix(f"{prefix}_"): c for c in citation_columns(prefix)},
    }
    fields = {}
    for suffix, column in names.items():
        name = column if model is CityFigures else suffix
        text = cell.get(column, "")
        if suffix == "published":
            fields[name] = _year(text, f"{what}发布年份", line, problems)
        elif suffix == "status":
            source = cell.get(f"{prefix}_source", "")
            status = STATUSES.get(text) if text else status_of_legacy_source(source)
            if status is None:
                labels = "、".join(label for _value, label in FigureStatus.choices)
                problems.append(f"第 {line} 行：{what}状态“{text}”无效，可选：{labels}。")
            fields[name] = status or ""
        else:
            model_field = model._meta.get_field(name)
            fields[name] = (
                _check(model_field, text, f"{what}{model_field.verbose_name}", line, problems) or ""
            )
    return fields


def read_figures(stream, indicator_codes=()):
    """FigureRow for each data row of a CSV stream; FigureFileError lists every bad row.

    indicator_codes: the further indicators whose columns the file may carry. A cell that the
    export neutralised for spreadsheets ('=…) is read back as it was.
    """
    reader = csv.DictReader(stream)
    header = [name.strip() for name in reader.fieldnames or ()]
    reader.fieldnames = header
    missing = COLUMNS - set(header)
    if missing:
        raise FigureFileError([f"缺少列：{'、'.join(sorted(missing))}"])
    extra_columns = {
        column
        for code in indicator_codes
        for column in (code, f"{code}_source", *citation_columns(code))
    }
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
            cell = {key: restore((value or "").strip()) for key, value in raw.items() if key}
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
            ):
                text[column] = _check(model_field, cell.get(column, ""), what, line, problems)
            figures = {}
            for figure in FIGURES:
                column, what = NUMBER_COLUMNS[figure], WHAT[figure]
                if figure == "gdp_rank":
                    figures[figure] = _rank(cell.get(column), line, problems)
                else:
                    model_field = CityFigures._meta.get_field(figure)
                    figures[figure] = _number(cell[column], what, line, problems, model_field)
                figures |= _citation(cell, figure, CityFigures, what, line, problems)
            extra = {}
            for code in codes:
                value_field = IndicatorValue._meta.get_field("value")
                value = _number(cell[code], code, line, problems, value_field, negative=True)
                fields = _citation(cell, code, IndicatorValue, f"{code} ", line, problems)
                extra[code] = None if value is None else {"value": value, **fields}
            rows.append(
                FigureRow(
                    line=line,
                    name=name,
                    name_en=text["name_en"] or "",
                    province=text["province"] or "",
                    region=text["region"] or "",
                    year=year,
                    figures=figures,
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


def _save(instance, reason, user):
    """Save one row so that its history names the import and whoever ran it."""
    instance._change_reason = reason
    if user is not None:
        instance._history_user = user
    instance.save()


@transaction.atomic
def save_figures(rows, reason="CSV 导入", user=None):
    """Write checked rows: all of them or, on any error, none. Re-importing a file changes nothing.

    A row is the truth for its city and year: an empty cell empties the figure. A city not yet
    on the site is created from the row's names, province and region. Every row changed is one
    entry in its history with `reason` (the file's name) and `user`: the import is one change.
    Returns a Counter of what happened: created, updated, unchanged rows and new cities.
    """
    stats = Counter()
    cities = {city.name: city for city in City.objects.filter(name__in={row.name for row in rows})}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    for row in rows:
        city = cities.get(row.name)
        details = {"name_en": row.name_en, "province": row.province, "region": row.region}
        if city is None:
            city = cities[row.name] = City(name=row.name, **details)
            _save(city, reason, user)
            stats["new cities"] += 1
        else:
            changed = {k: v for k, v in details.items() if v and getattr(city, k) != v}
            if changed:
                for key, value in changed.items():
                    setattr(city, key, value)
                _save(city, reason, user)
        figures = CityFigures.objects.filter(city=city, year=row.year).first()
        if figures is None:
            _save(CityFigures(city=city, year=row.year, **row.figures), reason, user)
            stats["created"] += 1
        elif any(getattr(figures, k) != v for k, v in row.figures.items()):
            for key, value in row.figures.items():
                setattr(figures, key, value)
            _save(figures, reason, user)
            stats["updated"] += 1
        else:
            stats["unchanged"] += 1
        for code, fields in row.extra.items():
            lookup = {"city": city, "indicator": indicators[code], "year": row.year}
            stored = IndicatorValue.objects.filter(**lookup).first()
            if fields is None:
                if stored is not None:
                    stored._change_reason = reason
                    stored.delete()
            elif stored is None:
                _save(IndicatorValue(**lookup, **fields), reason, user)
            elif any(getattr(stored, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(stored, key, value)
                _save(stored, reason, user)
    return stats


INDICATOR_FIELDS = ("value", "source", "status", "basis", "publisher", "title", "published")


def write_figures(stream):
    """Every city's figures as CSV in the import format (newest year first), each text cell
    neutralised for spreadsheets (OWASP's CSV-injection rule); numbers are written as numbers."""
    indicators = list(Indicator.objects.values_list("code", flat=True))
    extra = {}
    for value in IndicatorValue.objects.select_related("indicator"):
        extra[value.city_id, value.year, value.indicator.code] = value
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(
        HEADER
        + [
            column
            for code in indicators
            for column in (code, f"{code}_source", *citation_columns(code))
        ]
    )
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
            names = INDICATOR_FIELDS[:2] + tuple(
                c.removeprefix(f"{code}_") for c in citation_columns(code)
            )
            for name in names:
                cell = getattr(value, name) if value else None
                cells.append("" if cell is None else cell)
        writer.writerow([neutralise(cell) for cell in cells])


def import_reason(file_name):
    """The one line every history entry of an import carries: which file it was."""
    return f"CSV 导入：{file_name}"[:100]


def describe_import(stats):
    """What save_figures() did, in the words the editor reads."""
    return (
        f"导入完成：新增 {stats['created']} 行，更新 {stats['updated']} 行，"
        f"未变 {stats['unchanged']} 行，新建城市 {stats['new cities']} 座。"
    )
