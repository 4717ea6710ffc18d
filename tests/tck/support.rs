//! Values as the TCK writes them in expected cells and parameters, and a
//! canonical text form that both expected and actual values are reduced
//! to before comparing (nodes by labels and properties, relationships by
//! type and properties, paths by both).

use std::collections::BTreeMap;

use kgq::graph::{Graph, Value};

/// A value in the TCK's notation.
#[derive(Clone, Debug)]
pub enum Expected {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    List(Vec<Expected>),
    Map(BTreeMap<String, Expected>),
    /// Labels and properties.
    Node(Vec<String>, BTreeMap<String, Expected>),
    /// Type and properties.
    Rel(String, BTreeMap<String, Expected>),
    /// Nodes, and each relationship with `true` when it points forwards.
    Path(Vec<Expected>, Vec<(Expected, bool)>),
}

/// Reads a cell; `None` if it is not in the notation.
pub fn parse_expected(text: &str) -> Option<Expected> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
    let v = p.value()?;
    p.ws();
    (p.i == p.s.len()).then_some(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn word(&mut self, w: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(w.as_bytes()) {
            let end = self.i + w.len();
            if self
                .s
                .get(end)
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
            {
                self.i = end;
                return true;
            }
        }
        false
    }

    fn ident(&mut self) -> Option<String> {
        self.ws();
        if self.s.get(self.i) == Some(&b'`') {
            let start = self.i + 1;
            let end = start + self.s[start..].iter().position(|c| *c == b'`')?;
            self.i = end + 1;
            return Some(String::from_utf8_lossy(&self.s[start..end]).into_owned());
        }
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn value(&mut self) -> Option<Expected> {
        match self.peek()? {
            b'\'' => self.string().map(Expected::Str),
            b'[' => {
                let save = self.i;
                self.i += 1;
                if self.peek() == Some(b':') {
                    self.i = save;
                    let (t, props) = self.rel()?;
                    return Some(Expected::Rel(t, props));
                }
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Some(Expected::List(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.eat(b']') {
                        return Some(Expected::List(items));
                    }
                    if !self.eat(b',') {
                        return None;
                    }
                }
            }
            b'{' => self.map().map(Expected::Map),
            b'(' => self.node(),
            b'<' => self.path(),
            _ => {
                if self.word("null") {
                    return Some(Expected::Null);
                }
                if self.word("true") {
                    return Some(Expected::Bool(true));
                }
                if self.word("false") {
                    return Some(Expected::Bool(false));
                }
                if self.word("NaN") {
                    return Some(Expected::Float(f64::NAN));
                }
                if self.word("Infinity") {
                    return Some(Expected::Float(f64::INFINITY));
                }
                if self.s[self.i..].starts_with(b"-Infinity") {
                    self.i += 9;
                    return Some(Expected::Float(f64::NEG_INFINITY));
                }
                self.number()
            }
        }
    }

    fn number(&mut self) -> Option<Expected> {
        let start = self.i;
        let mut float = false;
        while self.i < self.s.len() {
            let c = self.s[self.i];
            if c.is_ascii_digit() || c == b'-' || c == b'+' {
                self.i += 1;
            } else if c == b'.' || c == b'e' || c == b'E' {
                float = true;
                self.i += 1;
            } else {
                break;
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        if text.is_empty() {
            return None;
        }
        if float {
            let t = if let Some(rest) = text.strip_prefix('.') {
                format!("0.{rest}")
            } else if let Some(rest) = text.strip_prefix("-.") {
                format!("-0.{rest}")
            } else {
                text.to_owned()
            };
            t.parse().ok().map(Expected::Float)
        } else {
            text.parse().ok().map(Expected::Int)
        }
    }

    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = Vec::new();
        while self.i < self.s.len() {
            let c = self.s[self.i];
            self.i += 1;
            match c {
                b'\'' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    out.extend_from_slice(match e {
                        b'n' => b"\n",
                        b't' => b"\t",
                        b'r' => b"\r",
                        b'\'' => b"'",
                        b'"' => b"\"",
                        b'\\' => b"\\",
                        other => {
                            out.push(b'\\');
                            out.push(other);
                            continue;
                        }
                    });
                }
                c => out.push(c),
            }
        }
        None
    }

    fn map(&mut self) -> Option<BTreeMap<String, Expected>> {
        if !self.eat(b'{') {
            return None;
        }
        let mut m = BTreeMap::new();
        if self.eat(b'}') {
            return Some(m);
        }
        loop {
            let k = self.ident()?;
            if !self.eat(b':') {
                return None;
            }
            m.insert(k, self.value()?);
            if self.eat(b'}') {
                return Some(m);
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn node(&mut self) -> Option<Expected> {
        if !self.eat(b'(') {
            return None;
        }
        let mut labels = Vec::new();
        while self.eat(b':') {
            labels.push(self.ident()?);
        }
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        if !self.eat(b')') {
            return None;
        }
        labels.sort();
        Some(Expected::Node(labels, props))
    }

    fn rel(&mut self) -> Option<(String, BTreeMap<String, Expected>)> {
        if !self.eat(b'[') || !self.eat(b':') {
            return None;
        }
        let t = self.ident()?;
        let props = if self.peek() == Some(b'{') {
            self.map()?
        } else {
            BTreeMap::new()
        };
        if !self.eat(b']') {
            return None;
        }
        Some((t, props))
    }

    fn path(&mut self) -> Option<Expected> {
        if !self.eat(b'<') {
            return None;
        }
        let mut nodes = vec![self.node()?];
        let mut rels = Vec::new();
        loop {
            if self.eat(b'>') {
                return Some(Expected::Path(nodes, rels));
            }
            let back = self.eat(b'<');
            if !self.eat(b'-') {
                return None;
            }
            let (t, props) = self.rel()?;
            if !self.eat(b'-') {
                return None;
            }
            let fwd = self.eat(b'>');
            if back == fwd {
                return None;
            }
            rels.push((Expected::Rel(t, props), fwd));
            nodes.push(self.node()?);
        }
    }
}

impl Expected {
    /// The value as a parameter (no graph elements).
    pub fn to_value(&self) -> Option<Value> {
        Some(match self {
            Expected::Null => Value::Null,
            Expected::Bool(b) => Value::Bool(*b),
            Expected::Int(i) => Value::Int(*i),
            Expected::Float(f) => Value::Float(*f),
            Expected::Str(s) => Value::String(s.clone()),
            Expected::List(items) => Value::List(
                items
                    .iter()
                    .map(Expected::to_value)
                    .collect::<Option<_>>()?,
            ),
            Expected::Map(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.to_value()?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }

    /// The canonical text; with `unordered`, list elements are sorted.
    pub fn canonical(&self, unordered: bool) -> String {
        match self {
            Expected::Null => "null".into(),
            Expected::Bool(b) => b.to_string(),
            Expected::Int(i) => i.to_string(),
            Expected::Float(f) => float_text(*f),
            Expected::Str(s) => format!("{s:?}"),
            Expected::List(items) => {
                let mut v: Vec<String> = items.iter().map(|i| i.canonical(unordered)).collect();
                if unordered {
                    v.sort();
                }
                format!("[{}]", v.join(", "))
            }
            Expected::Map(m) => map_text(m, unordered),
            Expected::Node(labels, props) => {
                format!("({} {})", labels.join(":"), map_text(props, unordered))
            }
            Expected::Rel(t, props) => format!("[{t} {}]", map_text(props, unordered)),
            Expected::Path(nodes, rels) => {
                let mut s = format!("<{}", nodes[0].canonical(unordered));
                for (i, (r, fwd)) in rels.iter().enumerate() {
                    let r = r.canonical(unordered);
                    if *fwd {
                        s.push_str(&format!("-{r}->"));
                    } else {
                        s.push_str(&format!("<-{r}-"));
                    }
                    s.push_str(&nodes[i + 1].canonical(unordered));
                }
                s.push('>');
                s
            }
        }
    }
}

fn float_text(f: f64) -> String {
    // -0.0 equals 0.0.
    if f.is_nan() {
        "NaN".into()
    } else if f == 0.0 {
        "0.0".into()
    } else {
        format!("{f:?}")
    }
}

fn map_text(m: &BTreeMap<String, Expected>, unordered: bool) -> String {
    let inner: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{k}: {}", v.canonical(unordered)))
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn props_of(pairs: Vec<(&str, &Value)>, g: &Graph) -> BTreeMap<String, Expected> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_owned(), actual(g, v)))
        .collect()
}

/// An actual value in the expected notation's model.
fn actual(g: &Graph, v: &Value) -> Expected {
    match v {
        Value::Null => Expected::Null,
        Value::Bool(b) => Expected::Bool(*b),
        Value::Int(i) => Expected::Int(*i),
        Value::Float(f) => Expected::Float(*f),
        Value::String(s) => Expected::Str(s.clone()),
        Value::List(items) => Expected::List(items.iter().map(|i| actual(g, i)).collect()),
        Value::Map(m) => Expected::Map(m.iter().map(|(k, v)| (k.clone(), actual(g, v))).collect()),
        Value::Node(id) => match g.node(*id) {
            Some(n) => {
                let mut labels: Vec<String> = n.labels().into_iter().map(str::to_owned).collect();
                labels.sort();
                Expected::Node(labels, props_of(n.properties(), g))
            }
            None => Expected::Node(Vec::new(), BTreeMap::new()),
        },
        Value::Rel(id) => match g.rel(*id) {
            Some(r) => Expected::Rel(r.rel_type().to_owned(), props_of(r.properties(), g)),
            None => Expected::Rel(String::new(), BTreeMap::new()),
        },
        Value::Path(p) => {
            let nodes = p
                .nodes
                .iter()
                .map(|n| actual(g, &Value::Node(*n)))
                .collect();
            let rels = p
                .rels
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let fwd = g.rel(*r).is_none_or(|rel| rel.start() == p.nodes[i]);
                    (actual(g, &Value::Rel(*r)), fwd)
                })
                .collect();
            Expected::Path(nodes, rels)
        }
    }
}

/// The canonical text of an actual value.
pub fn canonical_actual(g: &Graph, v: &Value, unordered: bool) -> String {
    actual(g, v).canonical(unordered)
}
