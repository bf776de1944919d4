"""The layout keeps itself: import-linter's contracts (pyproject.toml) hold on the code, and
break when a pure module reaches for the models; no module grows past 400 lines unexplained."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_LINES = 400


def lint_imports(tree):
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def copy_of_the_code(tmp_path):
    shutil.copytree(
        ROOT / "articles", tmp_path / "articles", ignore=shutil.ignore_patterns("*.pyc")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_import_contracts_hold(tmp_path):
    result = lint_imports(copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def lint_with_an_import_added(tmp_path, module, line):
    tree = copy_of_the_code(tmp_path)
    with (tree / module).open("a") as source:
        source.write(f"\n{line}  # noqa\n")
    return lint_imports(tree)


def test_a_pure_module_importing_a_model_breaks_the_contracts(tmp_path):
    result = lint_with_an_import_added(
        tmp_path, "articles/search/tokens.py", "from articles.models import Article"
    )
    assert result.returncode == 1
    assert "Pure modules import no models BROKEN" in result.stdout
    assert "articles.search.tokens -> articles.models" in result.stdout


def test_a_domain_module_importing_a_view_breaks_the_layers(tmp_path):
    result = lint_with_an_import_added(
        tmp_path, "articles/models/cities.py", "from articles.views import page_of"
    )
    assert result.returncode == 1
    assert "Interface over domain over pure code BROKEN" in result.stdout


def test_no_module_is_longer_than_400_lines_without_saying_why():
    """A longer module must say why at its top (in its docstring)."""
    too_long = []
    for module in (ROOT / "articles").rglob("*.py"):
        if "migrations" in module.parts:
            continue
        text = module.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES and "400 lines" not in text[:2000]:
            too_long.append(str(module.relative_to(ROOT)))
    assert too_long == []
