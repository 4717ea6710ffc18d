//! The neo4j-admin CSV loader on a node file and a relationship file (the
//! input split at its first NUL byte): a graph or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (nodes, rels) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    let n = dir.path().join("nodes.csv");
    let r = dir.path().join("rels.csv");
    if std::fs::write(&n, nodes).is_err() || std::fs::write(&r, rels).is_err() {
        return;
    }
    let rel_files = if rels.is_empty() { vec![] } else { vec![r] };
    if let Err(kgq::Error::Data(e)) = kgq::io::load_csv(&[n], &rel_files) {
        if let Some(line) = e.line {
            let longest = nodes
                .split(|&b| b == b'\n')
                .count()
                .max(rels.split(|&b| b == b'\n').count());
            assert!(line <= longest + 1, "{e}");
        }
    }
});
