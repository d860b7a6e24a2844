"""The import graph of tracker/ and jobs/: no circle, and the app never imports the jobs but
from its command line, which wires the two together. Run as a script to print the graph:

    python tests/test_import_graph.py
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "jobs")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }


def _type_checking_only(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _imported(node: ast.AST, module: str, path: Path, known: dict[str, Path]) -> list[str]:
    """The modules of tracker/ and jobs/ an import statement names."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, base] if base else package)
        # "from a import b" names the module a.b when there is one, or else a name in a.
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
    return [name for name in names if name.split(".")[0] in PACKAGES and name in known]


def graph() -> dict[str, set[str]]:
    """Each module's imports of tracker/ and jobs/ modules (at run time: not those made for
    type checkers only), wherever in the module they are made."""
    known = _modules()
    edges: dict[str, set[str]] = {}
    for module, path in known.items():
        tree = ast.parse(path.read_text(), str(path))
        found: set[str] = set()
        pending: list[ast.AST] = [tree]
        while pending:
            node = pending.pop()
            if _type_checking_only(node):
                continue
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(_imported(node, module, path, known))
            pending.extend(ast.iter_child_nodes(node))
        edges[module] = found - {module}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def _top(module: str) -> str:
    return module.split(".")[0]


def is_command_line(module: str) -> bool:
    """tracker.cli (a module or a package) and the areas' own cli modules."""
    parts = module.split(".")
    return parts[0] == "tracker" and ("cli" in parts[1:2] or parts[-1] == "cli")


def app_imports_of_jobs(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted(
        (module, target)
        for module, targets in edges.items()
        for target in targets
        if module.startswith("tracker")
        and target.startswith("jobs")
        and not is_command_line(module)
    )


def test_tracker_and_jobs_import_each_other_in_no_circle():
    assert cycles(graph()) == []


def test_only_the_command_line_of_the_app_imports_the_jobs():
    edges = graph()
    assert app_imports_of_jobs(edges) == []
    # The jobs are wired in somewhere, so the rule above is not true of an empty graph.
    assert any(
        target.startswith("jobs") for m in edges if is_command_line(m) for target in edges[m]
    )


def test_the_graph_sees_relative_imports_and_modules_named_in_from_imports(tmp_path):
    known = {"tracker.a": tmp_path / "a.py", "tracker.a.b": tmp_path / "a" / "b.py"}
    tree = ast.parse("from .a import b\nfrom tracker.a import name")
    found = [_imported(node, "tracker.c", tmp_path / "c.py", known) for node in tree.body]
    assert found == [["tracker.a.b"], ["tracker.a"]]


if __name__ == "__main__":
    edges = graph()
    between = sorted(
        (m, t)
        for m, targets in edges.items()
        for t in targets
        if m.split(".")[0] != t.split(".")[0]
    )
    print(f"{len(edges)} modules, {sum(map(len, edges.values()))} imports among them")
    print("jobs -> tracker and tracker -> jobs imports:")
    for module, target in between:
        print(f"  {module} -> {target}")
    print("circles:", cycles(edges) or "none")
    print("tracker -> jobs outside the command line:", app_imports_of_jobs(edges) or "none")
