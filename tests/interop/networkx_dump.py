"""Read a kgq export with networkx and print what networkx sees, as JSON.

Usage: networkx_dump.py graphml|node-link FILE

Prints {"directed": bool, "nodes": {id: attrs}, "edges": [[source, target, attrs]]},
node ids as strings, so that the Rust test can compare it with the graph it
exported.
"""
import json
import sys

import networkx as nx


def main():
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "graphml":
        graph = nx.read_graphml(path, force_multigraph=True)
    else:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        try:
            graph = nx.node_link_graph(data, edges="links")
        except TypeError:
            # networkx before 3.4 has no `edges` argument; "links" is its default.
            graph = nx.node_link_graph(data)
    out = {
        "directed": graph.is_directed(),
        "multigraph": graph.is_multigraph(),
        "nodes": {str(n): attrs for n, attrs in graph.nodes(data=True)},
        "edges": [[str(u), str(v), attrs] for u, v, attrs in graph.edges(data=True)],
    }
    json.dump(out, sys.stdout, sort_keys=True, ensure_ascii=False)


if __name__ == "__main__":
    main()
