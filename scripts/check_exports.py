#!/usr/bin/env python3
"""Checks that networkx reads yushu-kg's graph exports.

Usage:
    check_exports.py GRAPH.graphml GRAPH.gexf GRAPH.json NODES EDGES

Reads the GraphML with networkx.read_graphml, the GEXF with
networkx.read_gexf and the node-link JSON with
networkx.readwrite.json_graph.node_link_graph, and checks that each has
NODES nodes and EDGES edges, that every node has a non-empty 'label', and
that the three agree on the node ids. Prints OK, or exits non-zero with
what is wrong.
"""

import argparse
import json
import sys

import networkx as nx
from networkx.readwrite import json_graph


def fail(message):
    sys.exit(f"check_exports: {message}")


def read_json(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    try:
        # networkx >= 3.4 names the list of links with `edges=`.
        return json_graph.node_link_graph(data, edges="links")
    except TypeError:
        return json_graph.node_link_graph(data)


def check(name, graph, nodes, edges):
    if graph.number_of_nodes() != nodes:
        fail(f"{name}: {graph.number_of_nodes()} nodes, expected {nodes}")
    if graph.number_of_edges() != edges:
        fail(f"{name}: {graph.number_of_edges()} edges, expected {edges}")
    for node, data in graph.nodes(data=True):
        label = data.get("label")
        if not isinstance(label, str) or not label.strip():
            fail(f"{name}: node {node!r} has no label")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graphml")
    parser.add_argument("gexf")
    parser.add_argument("json")
    parser.add_argument("nodes", type=int)
    parser.add_argument("edges", type=int)
    args = parser.parse_args()

    graphs = {
        "graphml": nx.read_graphml(args.graphml),
        "gexf": nx.read_gexf(args.gexf, version="1.3"),
        "json": read_json(args.json),
    }
    for name, graph in graphs.items():
        check(name, graph, args.nodes, args.edges)
    ids = {name: set(map(str, graph.nodes)) for name, graph in graphs.items()}
    if not ids["graphml"] == ids["gexf"] == ids["json"]:
        fail("the formats disagree on the node ids")
    print("OK")


if __name__ == "__main__":
    main()
