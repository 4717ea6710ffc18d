//! The `kgq` binary.

fn main() {
    let graph = kgq::Graph::new();
    println!(
        "kgq: {} nodes, {} relationships",
        graph.node_count(),
        graph.rel_count()
    );
}
