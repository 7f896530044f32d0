"""The app-level import graph has no cycle (docs/architecture.md, "Layers"). import-linter's
layers contract enforces the order; this names any cycle directly, migrations aside."""

from __future__ import annotations

from collections import defaultdict

import grimp


def app_edges() -> dict[str, set[str]]:
    graph = grimp.build_graph("waypoint")
    edges: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        if module.count(".") < 1 or ".migrations" in module:
            continue
        app = module.split(".")[1]
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.count(".") < 1 or ".migrations" in imported:
                continue
            other = imported.split(".")[1]
            if other != app:
                edges[app].add(other)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in edges.get(app, ()):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == app:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for app in sorted(edges):
        if app not in index:
            visit(app)
    return found


def test_no_app_imports_another_that_imports_it_back() -> None:
    assert cycles(app_edges()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
