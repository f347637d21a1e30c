"""Import layering (DEVELOPERS.md, Architecture), checked on the source with `ast`.

- octasip/core imports nothing from PySide6, pjsua2 or any other octasip package.
- Only octasip/engine imports pjsua2, and octasip/engine never imports PySide6.
- Only octasip/ui/**, octasip/app.py and octasip/audio_qt* import PySide6 at all, and only
  octasip/ui/** and octasip/app.py import its widget/GUI modules.
- storage, secrets, privacy (and paths, profile) import neither PySide6 nor pjsua2, nor the ui or engine.

Every import counts: module level, inside functions, and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "octasip"


@dataclass(frozen=True)
class Import:
    module: str  # absolute dotted name
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append(Import(module, node.lineno))
            # `from octasip import engine` imports the subpackage octasip.engine
            found += [Import(f"{module}.{alias.name}", node.lineno) for alias in node.names if alias.name != "*"]
    return found


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _under(path: Path, *prefixes: str) -> bool:
    rel = _rel(path)
    return any(rel == p or rel.startswith(p.rstrip("/") + "/") for p in prefixes)


def _is(module: str, top: str) -> bool:
    return module == top or module.startswith(top + ".")


def _violations(paths: list[Path], forbidden) -> list[str]:
    bad = []
    for path in paths:
        for imp in _imports(path):
            if forbidden(imp.module):
                bad.append(f"{_rel(path)}:{imp.line} imports {imp.module}")
    return sorted(set(bad))


def _may_import_qt(path: Path) -> bool:
    rel = _rel(path)
    return _under(path, "octasip/ui") or rel == "octasip/app.py" or rel.startswith("octasip/audio_qt")


def test_sources_are_found() -> None:
    rels = {_rel(p) for p in _sources()}
    assert {"octasip/core/models.py", "octasip/secrets.py", "octasip/storage/db.py"} <= rels


def test_import_resolution() -> None:
    path = PACKAGE / "storage" / "db.py"
    modules = {i.module for i in _imports(path)}
    assert "octasip.storage.migrations" in modules and "sqlcipher3.dbapi2" in modules


def test_core_imports_only_core_and_no_frameworks() -> None:
    core = [p for p in _sources() if _under(p, "octasip/core")]
    assert core
    bad = _violations(core, lambda m: _is(m, "PySide6") or _is(m, "pjsua2") or _is(m, "shiboken6")
                      or (_is(m, "octasip") and m != "octasip" and not _is(m, "octasip.core")))  # fmt: skip
    assert bad == []


def test_only_the_engine_imports_pjsua2() -> None:
    others = [p for p in _sources() if not _under(p, "octasip/engine")]
    assert _violations(others, lambda m: _is(m, "pjsua2")) == []


def test_engine_never_imports_qt() -> None:
    engine = [p for p in _sources() if _under(p, "octasip/engine")]
    assert _violations(engine, lambda m: _is(m, "PySide6") or _is(m, "shiboken6") or _is(m, "octasip.ui")) == []


def test_only_ui_app_and_audio_qt_import_pyside6() -> None:
    others = [p for p in _sources() if not _may_import_qt(p)]
    assert _violations(others, lambda m: _is(m, "PySide6") or _is(m, "shiboken6")) == []


def test_only_ui_and_app_import_widgets_or_gui() -> None:
    others = [p for p in _sources() if not (_under(p, "octasip/ui") or _rel(p) == "octasip/app.py")]
    bad = _violations(others, lambda m: _is(m, "PySide6.QtWidgets") or _is(m, "PySide6.QtGui")
                      or _is(m, "PySide6.QtQuick") or _is(m, "PySide6.QtQml"))  # fmt: skip
    assert bad == []


@pytest.mark.parametrize("area", ["octasip/storage", "octasip/secrets.py", "octasip/privacy", "octasip/paths.py",
                                  "octasip/profile.py"])
def test_storage_secrets_privacy_are_framework_free(area: str) -> None:
    files = [p for p in _sources() if _under(p, area)]
    if area.endswith(".py") or area == "octasip/storage":
        assert files, f"{area} has no sources"
    bad = _violations(files, lambda m: _is(m, "PySide6") or _is(m, "shiboken6") or _is(m, "pjsua2")
                      or _is(m, "octasip.ui") or _is(m, "octasip.engine") or m == "octasip.app")  # fmt: skip
    assert bad == []
