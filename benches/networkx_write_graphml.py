"""The peer of benches/export_vs_networkx.rs: read a node-link JSON graph
(not timed), write it as GraphML with networkx (timed); print the seconds
and the process's peak RSS in KiB."""
import json
import resource
import sys
import time

import networkx as nx

with open(sys.argv[1], encoding="utf-8") as f:
    data = json.load(f)
try:
    g = nx.node_link_graph(data, edges="links")
except TypeError:
    g = nx.node_link_graph(data)
started = time.perf_counter()
nx.write_graphml(g, sys.argv[2])
elapsed = time.perf_counter() - started
print(f"{elapsed:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
