"""One schema: the JSON Schema, the docs' key tables and the validator all come from
schema.py and agree with each other; the package's modules import one another without a
cycle."""

from __future__ import annotations

import ast
import datetime
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from conftest import BUNDLED, REPO, Cli
from prosperity_cli import docs_tables, json_schema
from prosperity_cli.errors import RegistryInvalid
from prosperity_cli.registry import parse_registry

EXAMPLES = REPO / "docs" / "examples"
VALID_EXAMPLES = ["complete", "freshness", "methodology", "small", "periods"]
HOSTILE = sorted((REPO / "tests" / "hostile" / "registries").glob("*.toml"))
PACKAGE = REPO / "src" / "prosperity_cli"


def as_json(value: Any) -> Any:
    """A parsed TOML document as JSON data: dates and times become ISO text, as taplo
    hands them to a JSON Schema."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def validator() -> Draft7Validator:
    schema = json.loads(json_schema.SHIPPED.read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def errors(path: Path) -> list[str]:
    document = as_json(tomllib.loads(path.read_text(encoding="utf-8")))
    return [e.message for e in validator().iter_errors(document)]


def test_the_shipped_json_schema_is_generated_from_schema_py() -> None:
    assert json_schema.SHIPPED.read_text(encoding="utf-8") == json_schema.text(), (
        "run: python -m prosperity_cli.json_schema"
    )


def test_the_key_tables_of_docs_registry_md_are_generated_from_schema_py() -> None:
    doc = (REPO / "docs" / "registry.md").read_text(encoding="utf-8")
    assert docs_tables.rewrite(doc) == doc, (
        "run: python -m prosperity_cli.docs_tables docs/registry.md"
    )
    assert doc.count("<!-- schema: ") == 7


def test_prosperity_schema_prints_the_shipped_schema(cli: Cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json_schema.text())


@pytest.mark.parametrize("path", [BUNDLED, *(EXAMPLES / f"{n}.toml" for n in VALID_EXAMPLES)])
def test_the_bundled_registry_and_every_valid_example_pass_the_json_schema(path: Path) -> None:
    assert errors(path) == []


@pytest.mark.parametrize("name", ["broken-types", "broken-mistakes"])
def test_the_broken_examples_fail_it(name: str) -> None:
    assert errors(EXAMPLES / f"{name}.toml")


@pytest.mark.parametrize("path", HOSTILE, ids=lambda p: p.stem)
def test_the_json_schema_never_refuses_what_prosperity_accepts(path: Path) -> None:
    """Editors must not underline a registry that the tool accepts."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        parse_registry(text)
    except (RegistryInvalid, UnicodeDecodeError):
        return
    document = as_json(tomllib.loads(text))
    assert [e.message for e in validator().iter_errors(document)] == []


def test_the_json_schema_underlines_a_bad_goal_and_an_unknown_key(tmp_path: Path) -> None:
    text = (EXAMPLES / "small.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('goal = "at-least"', 'goal = "more"\ngaol = 1', 1))
    found = " | ".join(errors(bad))
    assert "'more' is not one of" in found
    assert "'gaol' was unexpected" in found


def imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports, anywhere in it
    (imports inside functions count: they run too)."""
    graph: dict[str, set[str]] = {}
    for file in PACKAGE.rglob("*.py"):
        name = ".".join(("prosperity_cli", *file.relative_to(PACKAGE).with_suffix("").parts))
        name = name.removesuffix(".__init__")
        found: set[str] = set()
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "prosperity_cli"
            ):
                module = node.module or ""
                found.add(module)
                found |= {f"{module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.startswith("prosperity_cli")}
        graph[name] = found
    return {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    graph = imports()
    assert len(graph) > 30
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for dep in sorted(graph[module]):
            if state.get(dep) == 1:
                cycle = [*trail[trail.index(dep) :], dep] if dep in trail else [module, dep]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep, [*trail, dep])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])


def test_no_module_is_much_over_400_lines() -> None:
    sizes = {f.name: len(f.read_text(encoding="utf-8").splitlines()) for f in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 420} == {}
