//! Writing [`NewsData`] as a neo4j-admin import directory, plus
//! `params.json`, the description of the graph that harnesses read.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Kind, NewsData, Schema};
use crate::graph::{Value, format_float};

/// The column header of a property: `name` for the name (string is the
/// default type), `key:type` for the others.
fn header(key: &str, kind: Kind) -> String {
    if key == "name" {
        key.to_owned()
    } else {
        format!("{key}:{}", kind.header_name())
    }
}

/// A property value as CSV field text.
fn field(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Float(f) => format_float(*f),
        other => other.to_string(),
    }
}

fn to_io(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

fn props_header(schema: Schema) -> impl Iterator<Item = String> {
    schema.iter().map(|&(k, kind)| header(k, kind))
}

pub(super) fn write_dir(data: &NewsData, dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for block in &data.nodes {
        let path = dir.join(format!("nodes_{}.csv", block.label));
        let mut w = csv::Writer::from_writer(BufWriter::new(File::create(&path)?));
        let mut head = vec![":ID".to_owned()];
        head.extend(props_header(block.schema));
        head.push(":LABEL".to_owned());
        w.write_record(&head).map_err(to_io)?;
        let mut record = Vec::with_capacity(head.len());
        for (i, row) in block.rows.iter().enumerate() {
            record.clear();
            record.push((block.first_id + i as u64).to_string());
            record.extend(row.iter().map(field));
            record.push(block.label.to_owned());
            w.write_record(&record).map_err(to_io)?;
        }
        w.flush()?;
        written.push(path);
    }
    for block in &data.rels {
        let path = dir.join(format!("rels_{}.csv", block.rel_type));
        let mut w = csv::Writer::from_writer(BufWriter::new(File::create(&path)?));
        let mut head = vec![
            ":START_ID".to_owned(),
            ":END_ID".to_owned(),
            ":TYPE".to_owned(),
        ];
        head.extend(props_header(block.schema));
        w.write_record(&head).map_err(to_io)?;
        let mut record = Vec::with_capacity(head.len());
        for row in &block.rows {
            record.clear();
            record.push(row.start.to_string());
            record.push(row.end.to_string());
            record.push(block.rel_type.to_owned());
            record.extend(row.props.iter().map(field));
            w.write_record(&record).map_err(to_io)?;
        }
        w.flush()?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `params.json`: size, seed, landmarks (the query parameters),
/// and per label its id range and schema, per type its count and schema,
/// so that a harness can load the CSVs into engines that need a schema
/// without reading them first.
pub(super) fn write_params(data: &NewsData, path: &Path) -> io::Result<()> {
    let schema = |s: Schema| {
        s.iter()
            .map(|&(k, kind)| json!([k, kind.header_name()]))
            .collect::<Vec<_>>()
    };
    let labels: serde_json::Map<String, serde_json::Value> = data
        .nodes
        .iter()
        .map(|b| {
            (
                b.label.to_owned(),
                json!({"first_id": b.first_id, "count": b.rows.len(), "schema": schema(b.schema)}),
            )
        })
        .collect();
    let types: serde_json::Map<String, serde_json::Value> = data
        .rels
        .iter()
        .map(|b| {
            (
                b.rel_type.to_owned(),
                json!({"count": b.rows.len(), "schema": schema(b.schema)}),
            )
        })
        .collect();
    let doc = json!({
        "rels": data.rel_count(),
        "nodes": data.node_count(),
        "seed": data.seed,
        "landmarks": data.landmarks(),
        "labels": labels,
        "types": types,
    });
    let mut w = BufWriter::new(File::create(path)?);
    serde_json::to_writer_pretty(&mut w, &doc).map_err(io::Error::other)?;
    writeln!(w)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_have_typed_headers_and_one_row_per_element() {
        let data = NewsData::generate(2_000, 42);
        let dir = tempfile::tempdir().expect("temp dir");
        let files = data.write_csv(dir.path()).expect("written");
        assert_eq!(files.len(), 12);
        let person = fs::read_to_string(dir.path().join("nodes_Person.csv")).expect("read");
        let mut lines = person.lines();
        assert_eq!(
            lines.next(),
            Some(":ID,name,age:int,score:float,verified:boolean,country:string,:LABEL")
        );
        assert_eq!(lines.count(), data.nodes[0].rows.len());
        let mentions = fs::read_to_string(dir.path().join("rels_MENTIONS.csv")).expect("read");
        let mut lines = mentions.lines();
        assert_eq!(
            lines.next(),
            Some(":START_ID,:END_ID,:TYPE,weight:float,sentence:int")
        );
        assert_eq!(lines.count(), data.rels[0].rows.len());
    }

    #[test]
    fn fields_parse_back_to_the_generated_values() {
        let data = NewsData::generate(2_000, 7);
        let dir = tempfile::tempdir().expect("temp dir");
        data.write_csv(dir.path()).expect("written");
        let mut r = csv::Reader::from_path(dir.path().join("nodes_Quote.csv")).expect("open");
        let block = &data.nodes[5];
        for (record, row) in r.records().zip(&block.rows) {
            let record = record.expect("valid CSV");
            assert_eq!(record.len(), block.schema.len() + 2);
            for ((i, &(_, kind)), value) in block.schema.iter().enumerate().zip(row) {
                let text = &record[i + 1];
                let parsed = match kind {
                    Kind::Str => Value::from(text),
                    Kind::Int => Value::Int(text.parse().expect("int")),
                    Kind::Float => Value::Float(text.parse().expect("float")),
                    Kind::Bool => Value::Bool(text.parse().expect("bool")),
                };
                assert_eq!(&parsed, value);
            }
        }
    }

    #[test]
    fn params_name_the_landmarks_and_the_id_ranges() {
        let data = NewsData::generate(3_000, 42);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("params.json");
        write_params(&data, &path).expect("written");
        let doc: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("json");
        assert_eq!(doc["landmarks"]["hub"], data.landmarks().hub.as_str());
        assert_eq!(doc["rels"], 3_000);
        let quote = &doc["labels"]["Quote"];
        assert_eq!(quote["first_id"], data.nodes[5].first_id);
        assert_eq!(doc["types"]["SAID"]["count"], data.rels[1].rows.len());
    }
}
