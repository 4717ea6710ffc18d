//! Holds the hand-curated graph `data/article.json` to the article in
//! `data/article.txt`: quotes are verbatim, the sentence nodes are the
//! article's sentences, every fact cites sentences that mention what it
//! links, names are the article's own unless marked inferred, and the file
//! keeps the native format's naming rules.
//!
//! The file is read with serde_json directly, so these checks do not depend
//! on the loader. Each check is a function that returns the problems it
//! finds; the tests at the end run them on the real data (no problem
//! allowed) and on copies with one planted mistake (the problem must be
//! found), so that no check can pass vacuously.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::LazyLock;

use serde_json::{Map, Value as Json};

/// Relationship types that record where the graph's content comes from,
/// not facts stated by the article; they carry no `evidence`.
const PROVENANCE_TYPES: [&str; 4] = ["CONTAINS", "NEXT", "MENTIONS", "QUOTES"];

/// Labels of nodes that are not entities: they carry `text`, not `name`.
const TEXT_LABELS: [&str; 2] = ["Sentence", "Quote"];

fn data_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// The article's text without the first line that names its source (and
/// the blank line after it).
fn article_body(file: &str) -> &str {
    file.split_once("\n\n").map_or(file, |(_, body)| body)
}

static ARTICLE_FILE: LazyLock<String> = LazyLock::new(|| {
    std::fs::read_to_string(data_path("article.txt")).expect("data/article.txt is readable")
});

static GRAPH: LazyLock<Json> = LazyLock::new(|| {
    let text =
        std::fs::read_to_string(data_path("article.json")).expect("data/article.json is readable");
    serde_json::from_str(&text).expect("data/article.json is valid JSON")
});

/// A read-only view of the graph file with the lookups the checks share.
struct Doc<'a> {
    nodes: Vec<&'a Map<String, Json>>,
    rels: Vec<&'a Map<String, Json>>,
}

impl<'a> Doc<'a> {
    fn new(json: &'a Json) -> Doc<'a> {
        let list = |key: &str| -> Vec<&'a Map<String, Json>> {
            json.get(key)
                .and_then(Json::as_array)
                .map(|items| items.iter().filter_map(Json::as_object).collect())
                .unwrap_or_default()
        };
        Doc {
            nodes: list("nodes"),
            rels: list("relationships"),
        }
    }

    fn by_id(&self) -> HashMap<String, &'a Map<String, Json>> {
        self.nodes
            .iter()
            .map(|n| (id_text(n.get("id")), *n))
            .collect()
    }

    fn sentences(&self) -> BTreeMap<i64, &'a Map<String, Json>> {
        self.nodes
            .iter()
            .filter(|n| has_label(n, "Sentence"))
            .filter_map(|n| Some((prop(n, "index")?.as_i64()?, *n)))
            .collect()
    }

    fn facts(&self) -> impl Iterator<Item = &&'a Map<String, Json>> {
        self.rels
            .iter()
            .filter(|r| !PROVENANCE_TYPES.contains(&rel_type(r)))
    }

    /// For each sentence id, the ids of the nodes it mentions or quotes.
    fn covered(&self) -> HashMap<String, BTreeSet<String>> {
        let mut covered: HashMap<String, BTreeSet<String>> = HashMap::new();
        for r in &self.rels {
            if matches!(rel_type(r), "MENTIONS" | "QUOTES") {
                covered
                    .entry(id_text(r.get("start")))
                    .or_default()
                    .insert(id_text(r.get("end")));
            }
        }
        covered
    }
}

/// A node or relationship id as text (ids may be strings or integers).
fn id_text(id: Option<&Json>) -> String {
    match id {
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn prop<'a>(element: &'a Map<String, Json>, key: &str) -> Option<&'a Json> {
    element.get("properties")?.get(key)
}

fn prop_str<'a>(element: &'a Map<String, Json>, key: &str) -> Option<&'a str> {
    prop(element, key)?.as_str()
}

fn labels(node: &Map<String, Json>) -> Vec<&str> {
    node.get("labels")
        .and_then(Json::as_array)
        .map(|ls| ls.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

fn has_label(node: &Map<String, Json>, label: &str) -> bool {
    labels(node).contains(&label)
}

fn is_entity(node: &Map<String, Json>) -> bool {
    !labels(node).iter().any(|l| TEXT_LABELS.contains(l))
}

fn rel_type(rel: &Map<String, Json>) -> &str {
    rel.get("type").and_then(Json::as_str).unwrap_or("")
}

fn describe(rel: &Map<String, Json>) -> String {
    format!(
        "({})-[:{}]->({})",
        id_text(rel.get("start")),
        rel_type(rel),
        id_text(rel.get("end"))
    )
}

fn inferred(element: &Map<String, Json>) -> bool {
    prop(element, "inferred") == Some(&Json::Bool(true))
}

// ---- checks ---------------------------------------------------------------

fn check_quotes_verbatim(doc: &Doc, article: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for q in doc.nodes.iter().filter(|n| has_label(n, "Quote")) {
        let id = id_text(q.get("id"));
        match prop_str(q, "text") {
            None => problems.push(format!("quote {id} has no text")),
            Some(t) if t.trim().is_empty() => problems.push(format!("quote {id} is empty")),
            Some(t) if !article.contains(t) => {
                problems.push(format!("quote {id} is not verbatim in the article: {t:?}"))
            }
            Some(t) if t.starts_with(['“', '"']) || t.ends_with(['”', '"']) => {
                problems.push(format!("quote {id} keeps its quotation marks: {t:?}"))
            }
            Some(_) => {}
        }
    }
    problems
}

/// Every quote is a whole quoted passage: it opens right after a quotation
/// mark and ends at the closing one (a closing comma, or the sentence's
/// period after a fragment, may stand between), or at the end of a line
/// where the article leaves the quotation unclosed.
fn check_quotes_whole(doc: &Doc, article: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for q in doc.nodes.iter().filter(|n| has_label(n, "Quote")) {
        let Some(text) = prop_str(q, "text") else {
            continue;
        };
        let whole = article.match_indices(text).any(|(at, _)| {
            let before = article[..at].chars().next_back();
            let after = &article[at + text.len()..];
            let after = after.strip_prefix([',', '.']).unwrap_or(after);
            before == Some('“')
                && (after.starts_with('”') || after.starts_with('\n') || after.is_empty())
        });
        if !whole {
            problems.push(format!(
                "quote {} is not a whole quoted passage: {text:?}",
                id_text(q.get("id"))
            ));
        }
    }
    problems
}

/// The sentences, in index order, must be 1..=n and, joined by the
/// whitespace between them, reproduce the article exactly.
fn check_sentences_cover_article(doc: &Doc, article: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let sentences = doc.sentences();
    let count = doc
        .nodes
        .iter()
        .filter(|n| has_label(n, "Sentence"))
        .count();
    if count != sentences.len() {
        problems.push(format!(
            "{count} sentence nodes but {} distinct integer indexes",
            sentences.len()
        ));
    }
    let expected: Vec<i64> = (1..=sentences.len() as i64).collect();
    let found: Vec<i64> = sentences.keys().copied().collect();
    if found != expected {
        problems.push(format!("sentence indexes are not 1..=n: {found:?}"));
    }
    let mut rest = article;
    for (index, s) in &sentences {
        let text = prop_str(s, "text").unwrap_or("");
        if text.is_empty() || text.trim() != text {
            problems.push(format!(
                "sentence {index} is empty or has surrounding whitespace"
            ));
        }
        let after_gap = rest.trim_start();
        if *index > 1 && after_gap.len() == rest.len() {
            problems.push(format!(
                "sentence {index} does not follow whitespace after sentence {}",
                index - 1
            ));
        }
        match after_gap.strip_prefix(text) {
            Some(tail) => rest = tail,
            None => {
                let at: String = after_gap.chars().take(60).collect();
                problems.push(format!(
                    "sentence {index} is not the article's next sentence; the article goes on {at:?}"
                ));
                return problems;
            }
        }
    }
    if !rest.trim().is_empty() {
        let left: String = rest.trim().chars().take(60).collect();
        problems.push(format!("no sentence covers the article's end: {left:?}"));
    }
    problems
}

/// `NEXT` joins each sentence to the one after it and `CONTAINS` carries
/// the sentence's index, so that reading order can be queried.
fn check_reading_order(doc: &Doc) -> Vec<String> {
    let mut problems = Vec::new();
    let index_of: HashMap<String, i64> = doc
        .sentences()
        .iter()
        .map(|(i, s)| (id_text(s.get("id")), *i))
        .collect();
    let mut next: Vec<(i64, i64)> = Vec::new();
    for r in &doc.rels {
        let start = index_of.get(&id_text(r.get("start")));
        let end = index_of.get(&id_text(r.get("end")));
        match rel_type(r) {
            "NEXT" => match (start, end) {
                (Some(a), Some(b)) => next.push((*a, *b)),
                _ => problems.push(format!("{} does not join two sentences", describe(r))),
            },
            "CONTAINS" if prop(r, "index").and_then(Json::as_i64) != end.copied() => {
                problems.push(format!("{} has the wrong index", describe(r)))
            }
            _ => {}
        }
    }
    next.sort_unstable();
    let expected: Vec<(i64, i64)> = (1..index_of.len() as i64).map(|i| (i, i + 1)).collect();
    if next != expected {
        problems.push(format!(
            "NEXT does not chain the sentences in order: {next:?}"
        ));
    }
    problems
}

fn check_evidence(doc: &Doc) -> Vec<String> {
    let mut problems = Vec::new();
    let sentences = doc.sentences();
    let covered = doc.covered();
    let empty = BTreeSet::new();
    for r in doc.facts() {
        let Some(evidence) = prop(r, "evidence").and_then(Json::as_array) else {
            problems.push(format!("{} has no evidence list", describe(r)));
            continue;
        };
        if evidence.is_empty() {
            problems.push(format!("{} has an empty evidence list", describe(r)));
        }
        let indices: Vec<i64> = evidence.iter().filter_map(Json::as_i64).collect();
        if indices.windows(2).any(|w| w[0] >= w[1]) {
            problems.push(format!(
                "{} lists its evidence out of order or twice: {indices:?}",
                describe(r)
            ));
        }
        for e in evidence {
            let Some(sentence) = e.as_i64().and_then(|i| sentences.get(&i)) else {
                problems.push(format!("{} cites no sentence: {e}", describe(r)));
                continue;
            };
            let sid = id_text(sentence.get("id"));
            let mentioned = covered.get(&sid).unwrap_or(&empty);
            for end in [id_text(r.get("start")), id_text(r.get("end"))] {
                if end != sid && !mentioned.contains(&end) {
                    problems.push(format!(
                        "{} cites sentence {e}, which does not mention {end}",
                        describe(r)
                    ));
                }
            }
        }
    }
    for r in doc
        .rels
        .iter()
        .filter(|r| PROVENANCE_TYPES.contains(&rel_type(r)))
    {
        if prop(r, "evidence").is_some() {
            problems.push(format!("provenance {} carries evidence", describe(r)));
        }
    }
    problems
}

fn check_names(doc: &Doc, article: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for n in doc.nodes.iter().filter(|n| is_entity(n)) {
        let id = id_text(n.get("id"));
        match prop_str(n, "name") {
            None => problems.push(format!("entity {id} has no name")),
            Some(name) if !inferred(n) && !article.contains(name) => problems.push(format!(
                "entity {id}: name {name:?} is not in the article and not marked inferred"
            )),
            Some(_) => {}
        }
        for alias in prop(n, "aliases")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
        {
            match alias.as_str() {
                Some(a) if article.contains(a) => {}
                _ => problems.push(format!("entity {id}: alias {alias} is not in the article")),
            }
        }
    }
    for n in doc.nodes.iter().filter(|n| !is_entity(n)) {
        if prop_str(n, "text").is_none() {
            problems.push(format!("{} has no text", id_text(n.get("id"))));
        }
    }
    problems
}

/// A `MENTIONS` names its entity by words found in the sentence, or is
/// marked `implicit` (a continued quotation whose speaker is not repeated).
fn check_mention_forms(doc: &Doc) -> Vec<String> {
    let mut problems = Vec::new();
    let by_id = doc.by_id();
    for r in doc.rels.iter().filter(|r| rel_type(r) == "MENTIONS") {
        let text = by_id
            .get(&id_text(r.get("start")))
            .and_then(|s| prop_str(s, "text"))
            .unwrap_or("");
        let forms = prop(r, "surface").and_then(Json::as_array);
        match (forms, is_implicit(r)) {
            (Some(forms), false) if !forms.is_empty() => {
                for f in forms {
                    if !f.as_str().is_some_and(|f| text.contains(f)) {
                        problems.push(format!("{}: {f} is not in the sentence", describe(r)));
                    }
                }
            }
            (None, true) => {}
            _ => problems.push(format!(
                "{} needs either a non-empty surface list or implicit: true",
                describe(r)
            )),
        }
    }
    problems
}

fn is_implicit(rel: &Map<String, Json>) -> bool {
    prop(rel, "implicit") == Some(&Json::Bool(true))
}

/// Every entity takes part in a fact and is mentioned by a sentence; every
/// quote has one speaker and is held by a sentence whose text contains it.
fn check_connected(doc: &Doc) -> Vec<String> {
    let mut problems = Vec::new();
    let by_id = doc.by_id();
    let mut in_fact: BTreeSet<String> = BTreeSet::new();
    for r in doc.facts() {
        in_fact.insert(id_text(r.get("start")));
        in_fact.insert(id_text(r.get("end")));
    }
    let mut mentioned: BTreeSet<String> = BTreeSet::new();
    let mut quoted_by: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut speakers: BTreeMap<String, usize> = BTreeMap::new();
    for r in &doc.rels {
        let (start, end) = (id_text(r.get("start")), id_text(r.get("end")));
        match rel_type(r) {
            "MENTIONS" => {
                mentioned.insert(end);
            }
            "QUOTES" => {
                let text = by_id
                    .get(&start)
                    .and_then(|s| prop_str(s, "text"))
                    .unwrap_or("");
                quoted_by.entry(end).or_default().push(text.to_owned());
            }
            "SAID" | "WROTE" => *speakers.entry(end).or_default() += 1,
            _ => {}
        }
    }
    for n in &doc.nodes {
        let id = id_text(n.get("id"));
        if has_label(n, "Sentence") {
            continue;
        }
        // The article node is provenance: it is linked by CONTAINS.
        if !in_fact.contains(&id) && !has_label(n, "Article") {
            problems.push(format!("{id} takes part in no fact"));
        }
        if has_label(n, "Quote") {
            if speakers.get(&id) != Some(&1) {
                problems.push(format!("quote {id} needs exactly one SAID or WROTE"));
            }
            let held = quoted_by.get(&id).map(|t| t.join(" ")).unwrap_or_default();
            let text = prop_str(n, "text").unwrap_or("");
            let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            if !squash(&held).contains(&squash(text)) {
                problems.push(format!(
                    "quote {id} is not within the sentences that QUOTES it"
                ));
            }
        } else if !has_label(n, "Article") && !mentioned.contains(&id) {
            problems.push(format!("entity {id} is mentioned by no sentence"));
        }
    }
    problems
}

fn is_pascal(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase()) && s.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_upper_snake(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

fn is_lower_snake(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

/// Values the native format accepts: no nulls, integers within 64 bits.
fn check_value(path: &str, value: &Json, problems: &mut Vec<String>) {
    match value {
        Json::Null => problems.push(format!("{path} is null; leave the key out instead")),
        Json::Number(n) if !(n.is_i64() || n.is_f64()) => {
            problems.push(format!("{path}: {n} does not fit a 64-bit integer"))
        }
        Json::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_value(&format!("{path}[{i}]"), v, problems);
            }
        }
        Json::Object(map) => {
            for (k, v) in map {
                check_value(&format!("{path}.{k}"), v, problems);
            }
        }
        _ => {}
    }
}

fn check_format(json: &Json) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(top) = json.as_object() else {
        return vec!["the file is not a JSON object".to_owned()];
    };
    for key in top.keys() {
        if !matches!(
            key.as_str(),
            "kgq_graph" | "nodes" | "relationships" | "metadata"
        ) {
            problems.push(format!("unknown top-level field {key}"));
        }
    }
    if top.get("kgq_graph") != Some(&Json::from(1)) {
        problems.push("kgq_graph must be 1".to_owned());
    }
    let doc = Doc::new(json);
    let mut node_ids = BTreeSet::new();
    for n in &doc.nodes {
        let id = id_text(n.get("id"));
        match n.get("id") {
            Some(Json::String(_)) => {}
            Some(Json::Number(x)) if x.is_u64() => {}
            _ => problems.push(format!(
                "node id {id} is not a string or non-negative integer"
            )),
        }
        if !node_ids.insert(id.clone()) {
            problems.push(format!("duplicate node id {id}"));
        }
        for key in n.keys() {
            if !matches!(key.as_str(), "id" | "labels" | "properties") {
                problems.push(format!("node {id}: unknown field {key}"));
            }
        }
        for l in labels(n) {
            if !is_pascal(l) {
                problems.push(format!("node {id}: label {l} is not PascalCase"));
            }
        }
        check_properties(&format!("node {id}"), n, &mut problems);
    }
    let mut rel_ids = BTreeSet::new();
    for r in &doc.rels {
        let name = describe(r);
        for key in r.keys() {
            if !matches!(key.as_str(), "id" | "type" | "start" | "end" | "properties") {
                problems.push(format!("{name}: unknown field {key}"));
            }
        }
        if let Some(id) = r.get("id")
            && !rel_ids.insert(id_text(Some(id)))
        {
            problems.push(format!("duplicate relationship id {id}"));
        }
        if !is_upper_snake(rel_type(r)) {
            problems.push(format!("{name}: type is not UPPER_SNAKE_CASE"));
        }
        for end in ["start", "end"] {
            if !node_ids.contains(&id_text(r.get(end))) {
                problems.push(format!("{name}: {end} node does not exist"));
            }
        }
        check_properties(&name, r, &mut problems);
    }
    problems
}

fn check_properties(owner: &str, element: &Map<String, Json>, problems: &mut Vec<String>) {
    match element.get("properties") {
        Some(Json::Object(props)) => {
            for flag in ["inferred", "implicit"] {
                if props.get(flag).is_some_and(|v| v != &Json::Bool(true)) {
                    problems.push(format!("{owner}: {flag} is either true or left out"));
                }
            }
            for (k, v) in props {
                if !is_lower_snake(k) {
                    problems.push(format!("{owner}: key {k} is not lower_snake_case"));
                }
                check_value(&format!("{owner}.{k}"), v, problems);
            }
        }
        _ => problems.push(format!("{owner}: properties must be an object")),
    }
}

/// Every relationship between a speaker and a quote, and every quote's
/// setting, is typed as the schema says.
fn check_quote_links(doc: &Doc) -> Vec<String> {
    let mut problems = Vec::new();
    let by_id = doc.by_id();
    let label_of = |id: &str, label: &str| by_id.get(id).is_some_and(|n| has_label(n, label));
    for r in &doc.rels {
        let (start, end) = (id_text(r.get("start")), id_text(r.get("end")));
        let ok = match rel_type(r) {
            "SAID" | "WROTE" => label_of(&start, "Person") && label_of(&end, "Quote"),
            "SAID_AT" | "SAID_ON" | "ADDRESSED_TO" => label_of(&start, "Quote"),
            "QUOTES" => label_of(&start, "Sentence") && label_of(&end, "Quote"),
            "MENTIONS" => label_of(&start, "Sentence") && !label_of(&end, "Sentence"),
            "CONTAINS" => label_of(&start, "Article") && label_of(&end, "Sentence"),
            _ => true,
        };
        if !ok {
            problems.push(format!("{} links the wrong kinds of node", describe(r)));
        }
    }
    problems
}

fn all_problems(json: &Json, article: &str) -> Vec<String> {
    let doc = Doc::new(json);
    let mut all = check_format(json);
    all.extend(check_quotes_verbatim(&doc, article));
    all.extend(check_quotes_whole(&doc, article));
    all.extend(check_reading_order(&doc));
    all.extend(check_sentences_cover_article(&doc, article));
    all.extend(check_evidence(&doc));
    all.extend(check_names(&doc, article));
    all.extend(check_mention_forms(&doc));
    all.extend(check_connected(&doc));
    all.extend(check_quote_links(&doc));
    all
}

// ---- mutations for the negative tests -------------------------------------

/// A copy of the graph with `edit` applied to the first node matching
/// `pick`.
fn with_node_edit(
    pick: impl Fn(&Map<String, Json>) -> bool,
    edit: impl FnOnce(&mut Map<String, Json>),
) -> Json {
    let mut json = GRAPH.clone();
    let node = json["nodes"]
        .as_array_mut()
        .and_then(|ns| {
            ns.iter_mut()
                .filter_map(Json::as_object_mut)
                .find(|n| pick(n))
        })
        .expect("the graph has a node to mutate");
    edit(node);
    json
}

fn with_rel_edit(
    pick: impl Fn(&Map<String, Json>) -> bool,
    edit: impl FnOnce(&mut Map<String, Json>),
) -> Json {
    let mut json = GRAPH.clone();
    let rel = json["relationships"]
        .as_array_mut()
        .and_then(|rs| {
            rs.iter_mut()
                .filter_map(Json::as_object_mut)
                .find(|r| pick(r))
        })
        .expect("the graph has a relationship to mutate");
    edit(rel);
    json
}

fn set_prop(element: &mut Map<String, Json>, key: &str, value: Json) {
    if let Some(Json::Object(props)) = element.get_mut("properties") {
        props.insert(key.to_owned(), value);
    }
}

fn body() -> &'static str {
    article_body(&ARTICLE_FILE)
}

// ---- tests on the real data -----------------------------------------------

#[test]
fn article_file_names_its_source_then_holds_the_article() {
    let file = ARTICLE_FILE.as_str();
    let first = file.lines().next().unwrap_or("");
    assert!(
        first.starts_with("Source: ABC News"),
        "first line: {first:?}"
    );
    assert!(
        file.contains("\n\n"),
        "a blank line follows the source line"
    );
    assert!(body().starts_with("Despite negotiations"));
    assert!(body().trim_end().ends_with("appeared first on ABC News."));
}

#[test]
fn native_format_rules_hold() {
    assert_eq!(check_format(&GRAPH), Vec::<String>::new());
}

#[test]
fn every_quote_is_verbatim_in_the_article() {
    let doc = Doc::new(&GRAPH);
    assert!(doc.nodes.iter().any(|n| has_label(n, "Quote")));
    assert_eq!(check_quotes_verbatim(&doc, body()), Vec::<String>::new());
}

#[test]
fn every_quote_is_a_whole_quoted_passage() {
    assert_eq!(
        check_quotes_whole(&Doc::new(&GRAPH), body()),
        Vec::<String>::new()
    );
}

#[test]
fn sentences_are_chained_in_reading_order() {
    assert_eq!(check_reading_order(&Doc::new(&GRAPH)), Vec::<String>::new());
}

#[test]
fn sentences_in_index_order_are_the_article() {
    assert_eq!(
        check_sentences_cover_article(&Doc::new(&GRAPH), body()),
        Vec::<String>::new()
    );
}

#[test]
fn every_fact_cites_sentences_that_mention_its_endpoints() {
    assert_eq!(check_evidence(&Doc::new(&GRAPH)), Vec::<String>::new());
}

#[test]
fn names_and_aliases_are_the_articles_own_unless_inferred() {
    assert_eq!(check_names(&Doc::new(&GRAPH), body()), Vec::<String>::new());
}

#[test]
fn mentions_quote_the_words_of_their_sentence() {
    assert_eq!(check_mention_forms(&Doc::new(&GRAPH)), Vec::<String>::new());
}

#[test]
fn no_entity_or_quote_is_isolated() {
    assert_eq!(check_connected(&Doc::new(&GRAPH)), Vec::<String>::new());
}

#[test]
fn quote_and_provenance_links_join_the_right_kinds() {
    assert_eq!(check_quote_links(&Doc::new(&GRAPH)), Vec::<String>::new());
}

#[test]
fn the_article_node_contains_every_sentence() {
    let doc = Doc::new(&GRAPH);
    let articles: Vec<_> = doc
        .nodes
        .iter()
        .filter(|n| has_label(n, "Article"))
        .collect();
    assert_eq!(articles.len(), 1);
    assert_eq!(prop_str(articles[0], "source"), Some("ABC News"));
    assert!(inferred(articles[0]), "the publication date is inferred");
    let contained = doc
        .rels
        .iter()
        .filter(|r| rel_type(r) == "CONTAINS")
        .count();
    assert_eq!(contained, doc.sentences().len());
}

// ---- the checks catch planted mistakes --------------------------------------

fn quote_with(text: &str) -> impl Fn(&Map<String, Json>) -> bool + '_ {
    move |n| has_label(n, "Quote") && prop_str(n, "text") == Some(text)
}

#[test]
fn a_typo_in_a_quote_is_caught() {
    let json = with_node_edit(quote_with("Vladimir, STOP!"), |q| {
        set_prop(q, "text", Json::from("Vladimir, stop!"))
    });
    let problems = check_quotes_verbatim(&Doc::new(&json), body());
    assert!(
        problems.iter().any(|p| p.contains("not verbatim")),
        "{problems:?}"
    );
}

#[test]
fn a_straight_apostrophe_in_a_quote_is_caught() {
    let json = with_node_edit(quote_with("We’ll see what happens"), |q| {
        set_prop(q, "text", Json::from("We'll see what happens"))
    });
    assert!(!check_quotes_verbatim(&Doc::new(&json), body()).is_empty());
}

#[test]
fn a_shortened_quote_is_caught() {
    let json = with_node_edit(quote_with("Not necessary, and very bad timing."), |q| {
        set_prop(q, "text", Json::from("very bad timing."))
    });
    let doc = Doc::new(&json);
    assert_eq!(check_quotes_verbatim(&doc, body()), Vec::<String>::new());
    assert!(!check_quotes_whole(&doc, body()).is_empty());
}

#[test]
fn a_broken_reading_order_is_caught() {
    let json = with_rel_edit(
        |r| rel_type(r) == "NEXT",
        |r| {
            r.insert("end".to_owned(), Json::from("s5"));
        },
    );
    assert!(!check_reading_order(&Doc::new(&json)).is_empty());
}

#[test]
fn unsorted_evidence_and_false_flags_are_caught() {
    let json = with_rel_edit(
        |r| rel_type(r) == "REBUKED",
        |r| {
            set_prop(r, "evidence", Json::from(vec![8, 7]));
            set_prop(r, "inferred", Json::Bool(false));
        },
    );
    assert!(!check_evidence(&Doc::new(&json)).is_empty());
    assert!(!check_format(&json).is_empty());
}

#[test]
fn a_sentence_split_in_the_wrong_place_is_caught() {
    let json = with_node_edit(
        |n| has_label(n, "Sentence") && prop(n, "index") == Some(&Json::from(2)),
        |s| {
            let text = prop_str(s, "text").unwrap_or("").to_owned();
            set_prop(s, "text", Json::from(&text[..text.len() - 1]));
        },
    );
    assert!(!check_sentences_cover_article(&Doc::new(&json), body()).is_empty());
}

#[test]
fn a_missing_sentence_is_caught() {
    let mut json = GRAPH.clone();
    if let Some(nodes) = json["nodes"].as_array_mut() {
        nodes.retain(|n| n["properties"]["index"] != 5);
    }
    let problems = check_sentences_cover_article(&Doc::new(&json), body());
    assert!(!problems.is_empty());
}

#[test]
fn evidence_citing_an_unrelated_sentence_is_caught() {
    let json = with_rel_edit(
        |r| rel_type(r) == "REBUKED",
        |r| set_prop(r, "evidence", Json::from(vec![2])),
    );
    let problems = check_evidence(&Doc::new(&json));
    assert!(
        problems.iter().any(|p| p.contains("does not mention")),
        "{problems:?}"
    );
}

#[test]
fn evidence_beyond_the_last_sentence_is_caught() {
    let json = with_rel_edit(
        |r| rel_type(r) == "REBUKED",
        |r| set_prop(r, "evidence", Json::from(vec![999])),
    );
    assert!(!check_evidence(&Doc::new(&json)).is_empty());
}

#[test]
fn a_fact_without_evidence_is_caught() {
    let json = with_rel_edit(
        |r| rel_type(r) == "MET_WITH",
        |r| {
            if let Some(Json::Object(p)) = r.get_mut("properties") {
                p.remove("evidence");
            }
        },
    );
    assert!(!check_evidence(&Doc::new(&json)).is_empty());
}

#[test]
fn an_invented_name_is_caught_unless_marked_inferred() {
    let pick = |n: &Map<String, Json>| prop_str(n, "name") == Some("Marco Rubio");
    let json = with_node_edit(pick, |n| {
        set_prop(n, "name", Json::from("Marco Antonio Rubio"))
    });
    assert!(!check_names(&Doc::new(&json), body()).is_empty());
    let json = with_node_edit(pick, |n| {
        set_prop(n, "name", Json::from("Marco Antonio Rubio"));
        set_prop(n, "inferred", Json::Bool(true));
    });
    assert_eq!(check_names(&Doc::new(&json), body()), Vec::<String>::new());
}

#[test]
fn a_mention_by_words_the_sentence_lacks_is_caught() {
    let json = with_rel_edit(
        |r| {
            rel_type(r) == "MENTIONS"
                && r.get("properties").and_then(|p| p.get("surface")).is_some()
        },
        |r| set_prop(r, "surface", Json::from(vec!["Zelenskyy"])),
    );
    assert!(!check_mention_forms(&Doc::new(&json)).is_empty());
}

#[test]
fn an_isolated_entity_is_caught() {
    let mut json = GRAPH.clone();
    if let Some(nodes) = json["nodes"].as_array_mut() {
        nodes.push(serde_json::json!({
            "id": "lonely", "labels": ["Person"], "properties": {"name": "Trump"}
        }));
    }
    let problems = check_connected(&Doc::new(&json));
    assert!(
        problems.iter().any(|p| p.contains("lonely")),
        "{problems:?}"
    );
}

#[test]
fn naming_and_format_mistakes_are_caught() {
    let json = with_rel_edit(
        |r| rel_type(r) == "MET_WITH",
        |r| {
            r.insert("type".to_owned(), Json::from("metWith"));
            r.insert("end".to_owned(), Json::from("nobody"));
            set_prop(r, "Place", Json::Null);
        },
    );
    let problems = check_format(&json);
    for expected in ["UPPER_SNAKE", "does not exist", "lower_snake", "null"] {
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{expected}: {problems:?}"
        );
    }
    let json = with_node_edit(
        |n| has_label(n, "Platform"),
        |n| {
            n.insert("labels".to_owned(), Json::from(vec!["social_platform"]));
            n.insert("id".to_owned(), Json::from("trump"));
        },
    );
    let problems = check_format(&json);
    assert!(
        problems.iter().any(|p| p.contains("PascalCase")),
        "{problems:?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("duplicate node id")),
        "{problems:?}"
    );
}

/// The rows `| `Name` | number |` of data/README.md's count tables.
fn readme_counts(readme: &str) -> BTreeMap<String, usize> {
    readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            match cells.as_slice() {
                ["", name, count, ""] => Some((
                    name.strip_prefix('`')?.strip_suffix('`')?.to_owned(),
                    count.parse().ok()?,
                )),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn the_readme_documents_every_label_and_type_with_its_count() {
    let readme =
        std::fs::read_to_string(data_path("README.md")).expect("data/README.md is readable");
    let documented = readme_counts(&readme);
    let doc = Doc::new(&GRAPH);
    let mut actual: BTreeMap<String, usize> = BTreeMap::new();
    for n in &doc.nodes {
        for l in labels(n) {
            *actual.entry(l.to_owned()).or_default() += 1;
        }
    }
    for r in &doc.rels {
        *actual.entry(rel_type(r).to_owned()).or_default() += 1;
    }
    assert_eq!(documented, actual, "the count tables in data/README.md");
    for name in actual.keys() {
        assert!(
            readme.contains(&format!("| `{name}` | "))
                && readme.matches(&format!("`{name}`")).count() >= 2,
            "data/README.md describes {name} in the schema tables"
        );
    }
}

#[test]
fn the_whole_graph_passes_every_check() {
    assert_eq!(all_problems(&GRAPH, body()), Vec::<String>::new());
}
