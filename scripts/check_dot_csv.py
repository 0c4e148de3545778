#!/usr/bin/env python3
"""Read the DOT and CSV exports back with real readers (pydot, Python's csv)
and check their node and edge counts and labels.

    check_dot_csv.py GRAPH.dot PREFIX NODES EDGES
(PREFIX.nodes.csv and PREFIX.edges.csv are the CSV export.) Prints OK or exits 1.
"""
import csv
import sys

import pydot


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


dot_path, prefix, nodes, edges = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
graphs = pydot.graph_from_dot_file(dot_path, encoding="utf-8")
if not graphs:
    fail(f"{dot_path}: pydot read no graph")
g = graphs[0]
dot_nodes = [n for n in g.get_nodes() if n.get_name() not in ("node", "graph", "edge")]
if len(dot_nodes) != nodes:
    fail(f"{dot_path}: {len(dot_nodes)} nodes, expected {nodes}")
if len(g.get_edges()) != edges:
    fail(f"{dot_path}: {len(g.get_edges())} edges, expected {edges}")
if not all((n.get("label") or "").strip('"') for n in dot_nodes):
    fail(f"{dot_path}: a node has no label")

with open(f"{prefix}.nodes.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
if len(rows) != nodes or not all(r["Label"] for r in rows):
    fail(f"{prefix}.nodes.csv: {len(rows)} labelled rows, expected {nodes}")
with open(f"{prefix}.edges.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
if len(rows) != edges:
    fail(f"{prefix}.edges.csv: {len(rows)} rows, expected {edges}")
print("OK")
