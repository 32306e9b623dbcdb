"""The layers, read from the imports: a reviewer would otherwise have to remember them.

- `bot/core`, `bot/text` and `bot/store` know no feature, no job, no command line, no adapter;
- a feature imports another feature only through the names its package exports;
- `jobs/` knows the core and the store, never a feature;
- nothing under `bot/` or `jobs/` imports a platform library, and only `bot/bootstrap.py`
  (the composition root) imports an adapter;
- no module imports itself back through others (no import cycles), modules stay small.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = {"discord", "slack", "slack_bolt", "slack_sdk", "aiohttp"}
FOUNDATION = ("bot.core", "bot.text", "bot.store")
ABOVE_FOUNDATION = ("bot.features", "bot.cli", "bot.bootstrap", "jobs", "adapters")
MAX_LINES = 400
SPLIT_PENDING: set[str] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {
    _module_name(path): path
    for folder in ("bot", "jobs", "adapters")
    for path in sorted((ROOT / folder).rglob("*.py"))
    if "migrations" not in path.parts
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def imports(module: str) -> frozenset[tuple[str, str | None]]:
    """(module, name) pairs imported at run time (not under TYPE_CHECKING), lazily or not."""
    tree = ast.parse(MODULES[module].read_text())
    found: set[tuple[str, str | None]] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update((node.module, alias.name) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return frozenset(found)


def _targets(module: str) -> set[str]:
    """The modules `module` imports: `from a import b` is a.b when b is a module, else a."""
    out = set()
    for target, name in imports(module):
        full = f"{target}.{name}"
        out.add(full if full in MODULES else target)
    return out


def _under(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _feature_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["bot", "features"] else None


def test_the_foundation_knows_no_feature_job_command_line_or_adapter() -> None:
    offenders = {
        module: sorted(t for t in _targets(module) if _under(t, ABOVE_FOUNDATION))
        for module in MODULES
        if _under(module, FOUNDATION)
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def test_jobs_know_no_feature_and_features_no_entry_point() -> None:
    rules = {"jobs": ("bot.features", "bot.cli", "bot.bootstrap", "adapters")}
    rules["bot.features"] = ("bot.cli", "bot.bootstrap", "adapters")
    offenders = {
        module: sorted(t for t in _targets(module) if _under(t, forbidden))
        for prefix, forbidden in rules.items()
        for module in MODULES
        if _under(module, (prefix,))
    }
    assert {m: t for m, t in offenders.items() if t} == {}


def _public_names(feature: str) -> set[str]:
    tree = ast.parse(MODULES[f"bot.features.{feature}"].read_text())
    names = {"FEATURE"}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def test_a_feature_uses_another_only_through_its_package() -> None:
    offenders = []
    for module in MODULES:
        own = _feature_of(module)
        if own is None:
            continue
        for target, name in imports(module):
            other = _feature_of(target)
            if other is None or other == own:
                continue
            if target != f"bot.features.{other}" or name not in _public_names(other):
                offenders.append(f"{module} imports {target}.{name}")
    assert offenders == []


def test_only_the_composition_root_imports_an_adapter_or_a_platform_library() -> None:
    offenders = {}
    for module in MODULES:
        if not _under(module, ("bot", "jobs")):
            continue
        roots = {t.split(".")[0] for t in _targets(module)}
        bad = roots & PLATFORM_LIBRARIES
        if "adapters" in roots and module != "bot.bootstrap":
            bad.add("adapters")
        if bad:
            offenders[module] = sorted(bad)
    assert offenders == {}


def test_no_import_cycles() -> None:
    graph = {m: {t for t in _targets(m) if t in MODULES and t != m} for m in MODULES}
    # a package's __init__ re-exporting its own modules is not a cycle through them
    for module, targets in graph.items():
        graph[module] = {t for t in targets if not module.startswith(t + ".")}
    cycles = []
    state: dict[str, int] = {}

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                walk(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module, [module])
    assert cycles == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small_and_are_named_for_what_they_hold(module: str) -> None:
    path = MODULES[module]
    assert path.stem not in {"utils", "helpers", "manager", "misc", "common"}
    assert (len(path.read_text().splitlines()) <= MAX_LINES) != (module in SPLIT_PENDING)


def test_no_module_or_package_shadows_a_platform_library() -> None:
    """No file is named like a library and no package either, except a platform's adapter
    package (`adapters/discord/`), which is only ever imported as `adapters.discord`."""
    files = {path.stem for path in MODULES.values()}
    packages = {
        module
        for module, path in MODULES.items()
        if path.stem == "__init__" and not module.startswith("adapters.")
    }
    assert not files & PLATFORM_LIBRARIES
    assert not {m.rsplit(".", 1)[-1] for m in packages} & PLATFORM_LIBRARIES
    adapters = {m.split(".")[1] for m in MODULES if m.startswith("adapters.")}
    assert adapters & PLATFORM_LIBRARIES <= {"discord", "slack"}


def test_every_table_belongs_to_one_feature_or_the_shared_store() -> None:
    from sqlmodel import SQLModel

    from bot.bootstrap import FEATURES
    from bot.store import models

    owners: dict[str, list[str]] = {}
    for feature in FEATURES:
        for table in feature.tables:
            owners.setdefault(table.__tablename__, []).append(feature.name)
    shared = {
        obj.__tablename__
        for obj in vars(models).values()
        if isinstance(obj, type) and getattr(obj, "__table__", None) is not None
    }
    for name in shared:
        owners.setdefault(name, []).append("store")
    assert {t: o for t, o in owners.items() if len(o) != 1} == {}
    assert set(SQLModel.metadata.tables) == set(owners)
