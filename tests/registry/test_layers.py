"""The registry, the logbook and registration depend on each other one way only.

registry (models, catalogue, checks) <- logbook (append, state, projection) <- registration.
A circle among them (as ``registry.models`` -> ``registry.registration`` ->
``logbook.append`` -> ``registry.models`` once was) fails here, naming the modules. Imports
are read from the source with ``ast``, including imports inside functions (a lazy import
hides a circle; it does not remove it); imports under ``if TYPE_CHECKING:`` are not run and
are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import besa

SOURCE = Path(besa.__file__).parent

#: Lowest first: a module may import from its own layer or a lower one.
LAYERS = ("besa.registry", "besa.logbook", "besa.registration")

#: Workflows that still live in the registry package but write or read the logbook: they
#: belong above it, with registration (the layer they are checked as). Nothing below may
#: import them. To move out of ``besa.registry`` once the branches that add them are merged.
ABOVE_THE_LOGBOOK = frozenset(
    {"besa.registry.confirmation", "besa.registry.publication", "besa.registry.ruleinputs"}
)


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def run_time_imports(tree: ast.AST, package: str) -> Iterator[str]:
    """Every ``besa`` module this source imports when run (top level or inside functions)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and is_type_checking(node):
            yield from (name for child in node.orelse for name in run_time_imports(child, package))
            continue
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("besa"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            if base.startswith("besa"):
                yield base
                # ``from besa.logbook import projection`` imports a module, not a name
                yield from (f"{base}.{a.name}" for a in node.names)
        yield from run_time_imports(node, package)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = run_time_imports(ast.parse(path.read_text(), str(path)), package)
        # a module's own packages are imported before it anyway: not an edge of a circle
        graph[name] = {m for m in found if m in modules and not name.startswith(m + ".")}
    return graph


def layer(module: str) -> int | None:
    if module in ABOVE_THE_LOGBOOK:
        return LAYERS.index("besa.registration")
    for i, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return i
    return None


def test_the_registry_models_reach_neither_the_logbook_nor_registration() -> None:
    graph = import_graph()
    seen, todo = set(), ["besa.registry.models"]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(graph[current])
    reached = sorted(m for m in seen if layer(m) in (1, 2))
    assert reached == [], f"besa.registry.models imports, directly or not: {reached}"


def test_no_module_imports_a_higher_layer() -> None:
    graph = import_graph()
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if layer(module) is not None and layer(target) is not None and layer(target) > layer(module)  # type: ignore[operator]
    )
    assert upward == [], (
        f"imports against the layering (registry <- logbook <- registration): {upward}"
    )


def test_no_import_circle_among_registry_logbook_and_registration() -> None:
    graph = import_graph()
    inside = {m: {t for t in ts if layer(t) is not None} for m, ts in graph.items() if layer(m)
              is not None}  # fmt: skip
    circles = [c for c in strongly_connected(inside) if len(c) > 1]
    assert circles == [], f"import circles: {circles}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the graph's strongly connected components, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_check_finds_the_old_circle() -> None:
    """The graph reader sees a lazy import inside a method (how the old circle was hidden)."""
    source = "class C:\n    def clean(self):\n        from besa.registry.registration import x\n"
    assert list(run_time_imports(ast.parse(source), "besa.registry")) == [
        "besa.registry.registration",
        "besa.registry.registration.x",
    ]
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
