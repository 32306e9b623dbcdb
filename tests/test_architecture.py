"""Rules of the codebase that a reviewer would otherwise have to remember."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORM_LIBRARIES = {"discord", "slack_bolt", "slack_sdk", "aiohttp"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_and_jobs_never_import_a_platform_library() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & PLATFORM_LIBRARIES)
        for folder in ("bot", "jobs")
        for path in (ROOT / folder).rglob("*.py")
        if _imports(path) & PLATFORM_LIBRARIES
    }
    assert offenders == {}


def test_the_core_never_imports_an_adapter() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "bot").rglob("*.py")
        if "adapters" in _imports(path) and not path.name.startswith("cli")  # entry points compose
    ]
    assert offenders == []


def test_no_module_shadows_a_platform_library() -> None:
    for folder in ("bot", "adapters"):
        names = {p.stem for p in (ROOT / folder).glob("*.py")}
        assert not names & {"discord", "slack", "slack_bolt"}, folder
