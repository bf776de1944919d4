"""/cities/compare/ with two, three and four cities whose industries overlap and whose figures
have gaps: every pair is compared, every statement names both sides, no sentence is said twice,
and shared industries (in two or more cities, saying which) are told apart from unique ones."""

import re
from decimal import Decimal
from itertools import combinations

import pytest

CITIES = {
    # slug: (name, {year: (gdp, population)}, industries)
    "hangzhou": ("杭州", {2023: ("20059", None), 2024: ("21860", "1262")}, ["数字经济", "人工智能"]),
    "ningbo": ("宁波", {2023: ("16453.00", None), 2024: (None, "978")}, ["港口物流", "石油化工", "数字经济"]),
    "tianjin": ("天津", {2024: ("18024.32", "1364")}, ["港口物流", "石油化工", "航空航天"]),
    "hefei": ("合肥", {2024: ("13507.70", "1000.20")}, ["集成电路", "人工智能"]),
}  # fmt: skip


@pytest.fixture
def cities(make_city):
    for slug, (name, figures, industries) in CITIES.items():
        rows = [(year, gdp, population) for year, (gdp, population) in figures.items()]
        make_city(name, slug, figures=rows, tags=industries)


def page(client, slugs):
    response = client.get("/cities/compare/", {"c": slugs})
    assert response.status_code == 200
    html = response.text
    differences = html.split('<h2 id="differences">')[1].split('<h2 id="figures">')[0]
    sentences = re.findall(r"<li>(.*?)</li>", differences)
    industries = html.split('<h2 id="industries">')[1].split('<h2 id="organisations">')[0]
    return sentences, industries


def gap_sentence(year, a, b, field, name, unit, more, less):
    """The oracle: the sentence for two known figures, worked out here from the raw numbers."""
    index = 0 if field == "gdp" else 1
    va = Decimal(CITIES[a][1][year][index])
    vb = Decimal(CITIES[b][1][year][index])
    gap = (va - vb).normalize()
    word = more if gap > 0 else less
    return f"{CITIES[a][0]}{year}年{name}比{CITIES[b][0]}{word}{abs(gap):,f}{unit}。"


@pytest.mark.parametrize(
    "slugs",
    [
        ["hangzhou", "ningbo"],
        ["ningbo", "tianjin", "hefei"],
        ["hangzhou", "ningbo", "tianjin", "hefei"],
    ],
    ids=["two", "three", "four"],
)
def test_every_pair_is_compared_once_naming_both_sides(client, cities, slugs):
    sentences, _industries = page(client, slugs)
    names = [CITIES[slug][0] for slug in slugs]
    assert sentences, "nothing compared"
    assert len(sentences) == len(set(sentences)), "a sentence is said twice"
    for sentence in sentences:
        named = [name for name in names if name in sentence]
        assert len(named) >= 2, f"names one side only: {sentence}"
    for a, b in combinations(slugs, 2):
        for year, field, name, unit, more, less in (
            (2024, "gdp", "GDP", "亿元", "高", "低"),
            (2024, "population", "常住人口", "万人", "多", "少"),
            (2023, "gdp", "GDP", "亿元", "高", "低"),
        ):
            index = 0 if field == "gdp" else 1
            known = [CITIES[s][1].get(year, (None, None))[index] for s in (a, b)]
            pair = [CITIES[a][0], CITIES[b][0]]
            about_pair = [s for s in sentences if all(n in s for n in pair) and name in s]
            if None not in known:
                assert gap_sentence(year, a, b, field, name, unit, more, less) in sentences
            elif any(k is not None for k in known):
                missing = CITIES[a if known[0] is None else b][0]
                assert any(
                    s.startswith(f"{missing}{year}年{name}暂缺，无法与") for s in about_pair
                ), (
                    pair,
                    year,
                    name,
                )


@pytest.mark.parametrize(
    "slugs",
    [
        ["hangzhou", "hefei"],
        ["ningbo", "tianjin", "hefei"],
        ["hangzhou", "ningbo", "tianjin", "hefei"],
    ],
    ids=["two", "three", "four"],
)
def test_shared_industries_are_in_two_or_more_and_unique_ones_in_one(client, cities, slugs):
    _sentences, industries = page(client, slugs)
    holders = {}
    for slug in slugs:
        for industry in CITIES[slug][2]:
            holders.setdefault(industry, []).append(CITIES[slug][0])
    shared = {industry: who for industry, who in holders.items() if len(who) > 1}
    line = re.search(r"<p>两座及以上城市共有的产业：(.*?)</p>", industries).group(1)
    if shared:
        listed = dict(re.findall(r"([^；（]+)（([^）]+)）", line))
        assert listed == {industry: "、".join(who) for industry, who in shared.items()}
    else:
        assert line == "无"
    for slug in slugs:
        name = CITIES[slug][0]
        own = re.search(rf"<li>{name}独有：(.*?)</li>", industries).group(1)
        unique = sorted(i for i in CITIES[slug][2] if len(holders[i]) == 1)
        assert own.split("、") == (unique or ["无"])
        for industry in own.split("、"):
            assert industry not in shared


def test_three_cities_with_shared_port_industries_are_not_called_unique(client, cities):
    _sentences, industries = page(client, ["ningbo", "tianjin", "hefei"])
    assert "港口物流（宁波、天津）" in industries and "石油化工（宁波、天津）" in industries
    assert "<li>宁波独有：数字经济</li>" in industries
    assert "<li>天津独有：航空航天</li>" in industries
