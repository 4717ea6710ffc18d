//! Parsing the header row of a neo4j-admin CSV file.

use crate::error::DataError;

/// The type of a property column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scalar {
    String,
    Int,
    Float,
    Bool,
}

impl Scalar {
    pub fn name(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Int => "long",
            Scalar::Float => "double",
            Scalar::Bool => "boolean",
        }
    }
}

/// What one column holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Column {
    /// The node id, in an id space; a named id column also sets a property.
    Id {
        group: String,
        property: Option<String>,
    },
    Label,
    StartId(String),
    EndId(String),
    Type,
    Ignore,
    Property {
        key: String,
        scalar: Scalar,
        array: bool,
    },
}

fn scalar(name: &str) -> Option<Scalar> {
    Some(match name.to_ascii_lowercase().as_str() {
        "string" | "char" => Scalar::String,
        "int" | "long" | "short" | "byte" => Scalar::Int,
        "float" | "double" => Scalar::Float,
        "boolean" => Scalar::Bool,
        _ => return None,
    })
}

/// `ID(group)` -> Some(("ID", "group")), `ID` -> Some(("ID", "")).
fn with_group(spec: &str) -> (String, String) {
    match spec.find('(') {
        Some(open) if spec.ends_with(')') => (
            spec[..open].to_ascii_uppercase(),
            spec[open + 1..spec.len() - 1].to_owned(),
        ),
        _ => (spec.to_ascii_uppercase(), String::new()),
    }
}

/// Parses one header field; `err` positions the error.
pub(crate) fn column(field: &str, err: impl Fn(String) -> DataError) -> Result<Column, DataError> {
    let Some(colon) = field.rfind(':') else {
        return Ok(Column::Property {
            key: field.to_owned(),
            scalar: Scalar::String,
            array: false,
        });
    };
    let (name, spec) = (&field[..colon], field[colon + 1..].trim());
    let (kind, group) = with_group(spec);
    let name_opt = (!name.is_empty()).then(|| name.to_owned());
    Ok(match kind.as_str() {
        "ID" => Column::Id {
            group,
            property: name_opt,
        },
        "LABEL" => Column::Label,
        "START_ID" => Column::StartId(group),
        "END_ID" => Column::EndId(group),
        "TYPE" => Column::Type,
        "IGNORE" => Column::Ignore,
        _ => {
            let (base, array) = match spec.strip_suffix("[]") {
                Some(b) => (b, true),
                None => (spec, false),
            };
            match scalar(base) {
                Some(s) if !name.is_empty() => Column::Property {
                    key: name.to_owned(),
                    scalar: s,
                    array,
                },
                Some(_) => return Err(err(format!("column `{field}` has a type but no name"))),
                // A colon that starts no known type is part of the name.
                None if name.is_empty() => {
                    return Err(err(format!("unknown column kind `{field}`")));
                }
                None if is_known_looking(spec) => {
                    return Err(err(format!(
                        "unsupported column type `{spec}` in `{field}`"
                    )));
                }
                None => Column::Property {
                    key: field.to_owned(),
                    scalar: Scalar::String,
                    array: false,
                },
            }
        }
    })
}

/// Types neo4j-admin knows that kgq does not load.
fn is_known_looking(spec: &str) -> bool {
    let base = spec.trim_end_matches("[]").to_ascii_lowercase();
    matches!(
        base.as_str(),
        "date" | "time" | "localtime" | "datetime" | "localdatetime" | "duration" | "point"
    )
}

/// The parsed header of a node or relationship file.
pub(crate) struct Header {
    pub columns: Vec<Column>,
}

impl Header {
    pub fn is_relationships(&self) -> bool {
        self.columns
            .iter()
            .any(|c| matches!(c, Column::StartId(_) | Column::EndId(_)))
    }

    pub fn is_nodes(&self) -> bool {
        self.columns.iter().any(|c| matches!(c, Column::Id { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(s: &str) -> Column {
        column(s, DataError::new).unwrap()
    }

    #[test]
    fn header_fields_parse_to_columns() {
        assert_eq!(
            col("personId:ID(Person)"),
            Column::Id {
                group: "Person".into(),
                property: Some("personId".into())
            }
        );
        assert_eq!(col(":START_ID"), Column::StartId(String::new()));
        assert_eq!(
            col("tags:string[]"),
            Column::Property {
                key: "tags".into(),
                scalar: Scalar::String,
                array: true
            }
        );
        assert_eq!(
            col("year:int"),
            Column::Property {
                key: "year".into(),
                scalar: Scalar::Int,
                array: false
            }
        );
        assert_eq!(
            col("a:b"),
            Column::Property {
                key: "a:b".into(),
                scalar: Scalar::String,
                array: false
            }
        );
        assert!(column("born:date", DataError::new).is_err());
        assert!(column(":FOO", DataError::new).is_err());
    }
}
