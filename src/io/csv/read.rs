//! Streaming import of neo4j-admin CSV files.
//!
//! Rows are read into one reused record; names are interned once per
//! header, relationship types once per change of type, so memory grows with
//! the graph and not with the files.

use std::collections::HashMap;
use std::fs::{self, File};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use ::csv::{ByteRecord, ErrorKind, ReaderBuilder};

use super::header::{Column, Header, Scalar, column};
use crate::error::{DataError, Error};
use crate::graph::{Graph, NodeId, RelId, Symbol, Value, is_plain_identifier};
use crate::io::atomic::io_error;

/// A file being read, for positioned errors.
struct FileCtx<'p> {
    path: &'p Path,
}

impl FileCtx<'_> {
    fn at(&self, line: u64, message: impl Into<String>) -> Error {
        Error::Data(DataError {
            path: Some(self.path.to_path_buf()),
            line: Some(line as usize),
            column: None,
            message: message.into(),
            hint: None,
        })
    }
}

fn with_hint(e: Error, hint: &str) -> Error {
    match e {
        Error::Data(d) => Error::Data(d.with_hint(hint)),
        other => other,
    }
}

/// Loads every CSV file directly inside `dir` (see the module docs for how
/// files are told apart).
pub fn load_dir(dir: &Path) -> Result<Graph, Error> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| io_error(dir, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::Data(
            DataError::new("the directory holds no .csv files")
                .in_file(dir)
                .with_hint(
                    "give a directory of neo4j-admin import files (nodes*.csv, relationships*.csv)",
                ),
        ));
    }
    let (mut nodes, mut rels) = (Vec::new(), Vec::new());
    for f in files {
        match classify(&f)? {
            Kind::Nodes => nodes.push(f),
            Kind::Rels => rels.push(f),
        }
    }
    load(&nodes, &rels)
}

/// Loads one CSV file of nodes. A relationship file alone cannot be
/// loaded: its endpoints are in node files.
pub fn load_file(path: &Path) -> Result<Graph, Error> {
    match classify(path)? {
        Kind::Nodes => load(&[path.to_path_buf()], &[]),
        Kind::Rels => Err(Error::Data(
            DataError::new("this file holds relationships, whose nodes are in other files")
                .in_file(path)
                .at(1, 1)
                .with_hint("load the directory that holds the node files too"),
        )),
    }
}

enum Kind {
    Nodes,
    Rels,
}

fn open(path: &Path) -> Result<::csv::Reader<File>, Error> {
    let file = File::open(path).map_err(|e| io_error(path, e))?;
    Ok(ReaderBuilder::new().has_headers(true).from_reader(file))
}

fn read_header(path: &Path, reader: &mut ::csv::Reader<File>) -> Result<Header, Error> {
    let ctx = FileCtx { path };
    let raw = reader
        .byte_headers()
        .map_err(|e| csv_error(&ctx, e))?
        .clone();
    if raw.is_empty() || (raw.len() == 1 && raw[0].is_empty()) {
        return Err(with_hint(
            ctx.at(1, "the file has no header row"),
            "the first row names the columns, e.g. `:ID,:LABEL,name`",
        ));
    }
    let mut columns = Vec::with_capacity(raw.len());
    // Header names are rarely quoted, so counting field widths gives the
    // column of each field.
    let mut at_column = 1;
    for field in raw.iter() {
        let text =
            std::str::from_utf8(field).map_err(|_| ctx.at(1, "the header is not valid UTF-8"))?;
        columns.push(column(text.trim(), |m| {
            DataError::new(m)
                .in_file(path)
                .at(1, at_column)
                .with_hint("use `name:TYPE` with TYPE string, int, long, float, double, boolean (optionally with [])")
        })?);
        at_column += text.chars().count() + 1;
    }
    Ok(Header { columns })
}

fn classify(path: &Path) -> Result<Kind, Error> {
    let header = read_header(path, &mut open(path)?)?;
    if header.is_relationships() {
        return Ok(Kind::Rels);
    }
    if header.is_nodes() {
        return Ok(Kind::Nodes);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.starts_with("nodes") {
        Ok(Kind::Nodes)
    } else if ["relationships", "rels", "edges"]
        .iter()
        .any(|p| name.starts_with(p))
    {
        Ok(Kind::Rels)
    } else {
        Err(Error::Data(
            DataError::new("cannot tell whether this file holds nodes or relationships")
                .in_file(path)
                .at(1, 1)
                .with_hint("give node files an `:ID` column or a name starting with `nodes`, relationship files `:START_ID`/`:END_ID` columns"),
        ))
    }
}

fn csv_error(ctx: &FileCtx<'_>, e: ::csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    match e.kind() {
        ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => with_hint(
            ctx.at(
                line,
                format!("row has {len} fields, but the header has {expected_len}"),
            ),
            "quote fields that contain commas, and give every row one field per column",
        ),
        ErrorKind::Io(_) => ctx.at(line, format!("cannot read the file: {e}")),
        _ => ctx.at(line, format!("malformed CSV: {e}")),
    }
}

/// A node read from a file, held until ids are decided.
struct NodeRow {
    group: usize,
    id: Option<Box<str>>,
    labels: Vec<Symbol>,
    props: Vec<(Symbol, Value)>,
    file: usize,
    line: u64,
}

/// A property column with its interned key.
struct PropCol {
    index: usize,
    key: Symbol,
    name: String,
    scalar: Scalar,
    array: bool,
}

fn prop_columns(graph: &mut Graph, header: &Header) -> Vec<PropCol> {
    header
        .columns
        .iter()
        .enumerate()
        .filter_map(|(index, c)| match c {
            Column::Property { key, scalar, array } => Some(PropCol {
                index,
                key: graph.intern(key),
                name: key.clone(),
                scalar: *scalar,
                array: *array,
            }),
            _ => None,
        })
        .collect()
}

fn utf8<'a>(ctx: &FileCtx<'_>, line: u64, bytes: &'a [u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|_| {
        with_hint(
            ctx.at(line, "the row is not valid UTF-8"),
            "save the file as UTF-8",
        )
    })
}

fn scalar_value(text: &str, scalar: Scalar) -> Result<Value, String> {
    match scalar {
        Scalar::String => Ok(Value::String(text.to_owned())),
        Scalar::Int => text
            .trim()
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| format!("`{text}` is not an integer")),
        Scalar::Float => text
            .trim()
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("`{text}` is not a number")),
        Scalar::Bool => match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
            t if t.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
            _ => Err(format!("`{text}` is not a boolean (true or false)")),
        },
    }
}

fn read_props(
    ctx: &FileCtx<'_>,
    line: u64,
    record: &ByteRecord,
    cols: &[PropCol],
    out: &mut Vec<(Symbol, Value)>,
) -> Result<(), Error> {
    for c in cols {
        let raw = record.get(c.index).unwrap_or(b"");
        if raw.is_empty() {
            continue;
        }
        let text = utf8(ctx, line, raw)?;
        let value = if c.array {
            text.split(';')
                .map(|part| scalar_value(part, c.scalar))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List)
        } else {
            scalar_value(text, c.scalar)
        };
        let value = value.map_err(|m| {
            with_hint(
                ctx.at(line, format!("column `{}`: {m}", c.name)),
                "fix the value or the column's type in the header",
            )
        })?;
        out.push((c.key, value));
    }
    Ok(())
}

/// FxHash: a fast, unkeyed hash for the id maps, which a million
/// relationships look up twice each.
#[derive(Default)]
struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
}

/// An id of up to 23 bytes, stored inside the hash table so that a lookup
/// compares keys without following a pointer.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct InlineKey {
    len: u8,
    bytes: [u8; 23],
}

impl InlineKey {
    fn new(s: &str) -> Option<InlineKey> {
        if s.len() > 23 {
            return None;
        }
        let mut bytes = [0u8; 23];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Some(InlineKey {
            len: s.len() as u8,
            bytes,
        })
    }
}

/// The node ids of one id space.
#[derive(Default)]
struct IdMap {
    /// When every id of the space is a canonical integer below a bound
    /// (the common case for generated files): node by id, `u64::MAX` for
    /// none. A lookup is then a parse and an index, with no hashing.
    ints: Option<Vec<u64>>,
    short: HashMap<InlineKey, NodeId, BuildHasherDefault<FastHasher>>,
    long: HashMap<Box<str>, NodeId>,
}

/// `s` as an integer, if it is written the one way integers print
/// (digits, no sign, no leading zero), so that text and number match 1:1.
fn canonical_int(s: &str) -> Option<u64> {
    let ok = !s.is_empty()
        && s.len() <= 19
        && s.bytes().all(|b| b.is_ascii_digit())
        && (s == "0" || !s.starts_with('0'));
    if ok { s.parse().ok() } else { None }
}

impl IdMap {
    fn get(&self, id: &str) -> Option<NodeId> {
        if let Some(ints) = &self.ints {
            let slot = *ints.get(usize::try_from(canonical_int(id)?).ok()?)?;
            return (slot != u64::MAX).then_some(NodeId(slot));
        }
        match InlineKey::new(id) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(id).copied(),
        }
    }

    /// Adds `id`; false if it was there already.
    fn insert(&mut self, id: &str, node: NodeId) -> bool {
        if let Some(ints) = &mut self.ints
            && let Some(n) = canonical_int(id)
            && let Some(slot) = ints.get_mut(n as usize)
        {
            let fresh = *slot == u64::MAX;
            *slot = node.0;
            return fresh;
        }
        match InlineKey::new(id) {
            Some(k) => self.short.insert(k, node).is_none(),
            None => self.long.insert(id.into(), node).is_none(),
        }
    }
}

/// Id spaces by name, each mapping file ids to nodes.
#[derive(Default)]
struct IdSpaces {
    names: HashMap<String, usize>,
    maps: Vec<IdMap>,
}

impl IdSpaces {
    fn group(&mut self, name: &str) -> usize {
        if let Some(&g) = self.names.get(name) {
            return g;
        }
        self.maps.push(IdMap::default());
        self.names.insert(name.to_owned(), self.maps.len() - 1);
        self.maps.len() - 1
    }
}

/// Loads node files, then relationship files, into a new graph.
pub fn load(node_files: &[PathBuf], rel_files: &[PathBuf]) -> Result<Graph, Error> {
    let mut graph = Graph::new();
    let mut spaces = IdSpaces::default();
    let mut rows: Vec<NodeRow> = Vec::new();
    for (file_index, path) in node_files.iter().enumerate() {
        read_node_file(&mut graph, &mut spaces, &mut rows, path, file_index)?;
    }
    insert_nodes(&mut graph, &mut spaces, rows, node_files)?;
    // Room for every relationship up front: growing the store step by step
    // would copy it several times and hold two copies at the peak.
    let mut lines = 0;
    for path in rel_files {
        lines += count_lines(path)?;
    }
    graph.reserve(0, lines);
    for path in rel_files {
        read_rel_file(&mut graph, &spaces, path)?;
    }
    Ok(graph)
}

/// Number of line feeds in a file: an upper bound on its rows.
fn count_lines(path: &Path) -> Result<usize, Error> {
    use std::io::Read;
    let mut file = File::open(path).map_err(|e| io_error(path, e))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut count = 0;
    loop {
        let n = file.read(&mut buf).map_err(|e| io_error(path, e))?;
        if n == 0 {
            return Ok(count);
        }
        count += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
}

fn read_node_file(
    graph: &mut Graph,
    spaces: &mut IdSpaces,
    rows: &mut Vec<NodeRow>,
    path: &Path,
    file_index: usize,
) -> Result<(), Error> {
    let ctx = FileCtx { path };
    let mut reader = open(path)?;
    let header = read_header(path, &mut reader)?;
    let mut id_col = None;
    let mut label_cols = Vec::new();
    for (i, c) in header.columns.iter().enumerate() {
        match c {
            Column::Id { group, property } => {
                if id_col.is_some() {
                    return Err(with_hint(
                        ctx.at(1, "the header has more than one `:ID` column"),
                        "a node file has one id column",
                    ));
                }
                let key = property.as_ref().map(|p| graph.intern(p));
                id_col = Some((i, spaces.group(group), key));
            }
            Column::Label => label_cols.push(i),
            Column::StartId(_) | Column::EndId(_) | Column::Type => {
                return Err(with_hint(
                    ctx.at(1, "a node file has relationship columns"),
                    "put relationships in their own file",
                ));
            }
            _ => {}
        }
    }
    let props = prop_columns(graph, &header);
    let mut record = ByteRecord::new();
    let default_group = spaces.group("");
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&ctx, e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let mut node = NodeRow {
            group: default_group,
            id: None,
            labels: Vec::new(),
            props: Vec::with_capacity(props.len()),
            file: file_index,
            line,
        };
        if let Some((i, group, key)) = id_col {
            let text = utf8(&ctx, line, record.get(i).unwrap_or(b""))?;
            if text.is_empty() {
                return Err(with_hint(
                    ctx.at(line, "the node has an empty `:ID`"),
                    "give every node an id",
                ));
            }
            node.group = group;
            node.id = Some(text.into());
            if let Some(k) = key {
                node.props.push((k, Value::String(text.to_owned())));
            }
        }
        for &i in &label_cols {
            let text = utf8(&ctx, line, record.get(i).unwrap_or(b""))?;
            for label in text.split(';').map(str::trim).filter(|l| !l.is_empty()) {
                if !is_plain_identifier(label) {
                    return Err(with_hint(
                        ctx.at(line, format!("invalid label `{label}`")),
                        "a label is a letter or `_` followed by letters, digits and `_`",
                    ));
                }
                node.labels.push(graph.intern(label));
            }
        }
        read_props(&ctx, line, &record, &props, &mut node.props)?;
        rows.push(node);
    }
    Ok(())
}

/// Decides ids (the file's integers when possible) and inserts the nodes.
fn insert_nodes(
    graph: &mut Graph,
    spaces: &mut IdSpaces,
    rows: Vec<NodeRow>,
    files: &[PathBuf],
) -> Result<(), Error> {
    let count = rows.len();
    let bound = 2 * count as u64 + 1024;
    let mut taken = vec![false; 0];
    let mut keep = true;
    for row in &rows {
        match row.id.as_deref().map(str::parse::<u64>) {
            Some(Ok(n)) if n <= bound => {
                let n = n as usize;
                if taken.len() <= n {
                    taken.resize(n + 1, false);
                }
                if taken[n] {
                    keep = false;
                    break;
                }
                taken[n] = true;
            }
            _ => {
                keep = false;
                break;
            }
        }
    }
    graph.reserve(count, 0);
    let mut per_group = vec![0usize; spaces.maps.len()];
    for row in &rows {
        per_group[row.group] += 1;
    }
    // Integer id tables for the spaces whose ids are all small integers.
    let mut max_int: Vec<Option<u64>> = vec![Some(0); spaces.maps.len()];
    for row in &rows {
        let slot = &mut max_int[row.group];
        *slot = match (*slot, row.id.as_deref().and_then(canonical_int)) {
            (Some(m), Some(n)) => Some(m.max(n)),
            _ => None,
        };
    }
    for ((map, n), max) in spaces.maps.iter_mut().zip(per_group).zip(max_int) {
        match max {
            Some(m) if m <= 2 * n as u64 + 1024 => map.ints = Some(vec![u64::MAX; m as usize + 1]),
            _ => map.short.reserve(n),
        }
    }
    for (i, row) in rows.into_iter().enumerate() {
        let id = match (&row.id, keep) {
            (Some(text), true) => NodeId(text.parse::<u64>().unwrap_or(i as u64)),
            _ => NodeId(i as u64),
        };
        if let Some(text) = &row.id {
            if !spaces.maps[row.group].insert(text, id) {
                let ctx = FileCtx {
                    path: &files[row.file],
                };
                return Err(with_hint(
                    ctx.at(row.line, format!("duplicate node id `{text}`")),
                    "ids are unique within an id space; use `:ID(space)` to separate spaces",
                ));
            }
        }
        graph.insert_node(id, row.labels, row.props);
    }
    Ok(())
}

fn read_rel_file(graph: &mut Graph, spaces: &IdSpaces, path: &Path) -> Result<(), Error> {
    let ctx = FileCtx { path };
    let mut reader = open(path)?;
    let header = read_header(path, &mut reader)?;
    let (mut start_col, mut end_col, mut type_col) = (None, None, None);
    for (i, c) in header.columns.iter().enumerate() {
        match c {
            Column::StartId(g) => start_col = Some((i, spaces.names.get(g).copied())),
            Column::EndId(g) => end_col = Some((i, spaces.names.get(g).copied())),
            Column::Type => type_col = Some(i),
            Column::Id { .. } | Column::Label => {
                return Err(with_hint(
                    ctx.at(
                        1,
                        "a relationship file has node columns (`:ID` or `:LABEL`)",
                    ),
                    "put nodes in their own file",
                ));
            }
            _ => {}
        }
    }
    let (Some(start_col), Some(end_col), Some(type_col)) = (start_col, end_col, type_col) else {
        return Err(with_hint(
            ctx.at(
                1,
                "a relationship file needs `:START_ID`, `:END_ID` and `:TYPE` columns",
            ),
            "add the missing column to the header",
        ));
    };
    let props = prop_columns(graph, &header);
    let mut record = ByteRecord::new();
    let mut last_type: (Vec<u8>, Option<Symbol>) = (Vec::new(), None);
    let mut prop_buf = Vec::with_capacity(props.len());
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&ctx, e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let endpoint = |(col, group): (usize, Option<usize>), which: &str| {
            let text = utf8(&ctx, line, record.get(col).unwrap_or(b""))?;
            group.and_then(|g| spaces.maps[g].get(text)).ok_or_else(|| {
                with_hint(
                    ctx.at(line, format!("{which} `{text}` is not the id of any node")),
                    "check the id, the node files loaded, and the id space in `(...)`",
                )
            })
        };
        let start = endpoint(start_col, ":START_ID")?;
        let end = endpoint(end_col, ":END_ID")?;
        let type_bytes = record.get(type_col).unwrap_or(b"");
        let rel_type = match last_type.1 {
            Some(sym) if last_type.0 == type_bytes => sym,
            _ => {
                let text = utf8(&ctx, line, type_bytes)?;
                if !is_plain_identifier(text) {
                    return Err(with_hint(
                        ctx.at(line, format!("invalid relationship type `{text}`")),
                        "a type is a letter or `_` followed by letters, digits and `_`",
                    ));
                }
                let sym = graph.intern(text);
                last_type = (type_bytes.to_vec(), Some(sym));
                sym
            }
        };
        prop_buf.clear();
        read_props(&ctx, line, &record, &props, &mut prop_buf)?;
        let id: RelId = graph.next_rel_id();
        graph
            .insert_rel(id, start, end, rel_type, prop_buf.drain(..))
            .map_err(|e| ctx.at(line, e.to_string()))?;
    }
    Ok(())
}
