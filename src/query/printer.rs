//! Canonical query text for syntax trees (`Display`), and a normaliser that
//! makes trees comparable regardless of where they were written.
//!
//! Printing puts keywords in upper case, writes one space between tokens
//! and clauses, backquotes names that need it, and adds parentheses only
//! where precedence requires them, so that parsing the printed text gives
//! back the same tree (up to spans and column names):
//!
//! ```
//! use kgq::query::parser::parse;
//! use kgq::query::printer::without_spans;
//! let tree = parse("match (a)-->(b) where not a.x<3 return a.x*(1+2)").unwrap();
//! let text = tree.to_string();
//! assert_eq!(text, "MATCH (a)-->(b) WHERE NOT a.x < 3 RETURN a.x * (1 + 2)");
//! assert_eq!(without_spans(&parse(&text).unwrap()), without_spans(&tree));
//! ```

use std::fmt::{self, Display, Formatter, Write};

use crate::query::ast::{
    BinaryOp, Call, Clause, Create, Delete, ExistsBody, Expr, ExprKind, Literal, MapProjectionItem,
    Match, Merge, MergeAction, Name, NodePattern, PathKind, PatternElement, PatternPart,
    Projection, ProjectionItem, Quantifier, Query, RangeSpec, RelDirection, RelPattern, Remove,
    RemoveItem, Return, SetClause, SetItem, SingleQuery, SortItem, Statement, StatementMode,
    UnaryOp, Unwind, Variable, With, YieldItem,
};
use crate::query::parser::{is_plain_identifier, is_reserved};

mod normalize;

pub use normalize::{Normalize, without_spans};

// ---- names and literals --------------------------------------------------

/// Writes `name` backquoted (with inner backquotes doubled).
fn quoted(f: &mut Formatter<'_>, name: &str) -> fmt::Result {
    write!(f, "`{}`", name.replace('`', "``"))
}

/// A label, type or property key: keywords are fine, odd characters are not.
fn write_name(f: &mut Formatter<'_>, name: &str) -> fmt::Result {
    if is_plain_identifier(name)
        || (is_reserved(name) && name.chars().all(|c| c.is_ascii_alphabetic()))
    {
        f.write_str(name)
    } else {
        quoted(f, name)
    }
}

/// A variable: reserved words need backquotes too.
fn write_variable(f: &mut Formatter<'_>, name: &str) -> fmt::Result {
    if is_plain_identifier(name) {
        f.write_str(name)
    } else {
        quoted(f, name)
    }
}

/// A function name part: words that start other expressions need quotes.
fn write_function_name(f: &mut Formatter<'_>, name: &str) -> fmt::Result {
    let special = ["ANY", "NONE", "SINGLE", "REDUCE"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(name));
    if (is_plain_identifier(name) && !special) || name.eq_ignore_ascii_case("exists") {
        f.write_str(name)
    } else {
        quoted(f, name)
    }
}

/// Writes a string literal in single quotes with escapes.
pub fn write_string(out: &mut impl Write, s: &str) -> fmt::Result {
    out.write_char('\'')?;
    for c in s.chars() {
        match c {
            '\\' => out.write_str("\\\\")?,
            '\'' => out.write_str("\\'")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            '\u{8}' => out.write_str("\\b")?,
            '\u{c}' => out.write_str("\\f")?,
            c if c.is_control() => write!(out, "\\u{:04X}", c as u32)?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('\'')
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Float(x) => write!(f, "{x:?}"),
            Literal::String(s) => write_string(f, s),
        }
    }
}

impl Display for Variable {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_variable(f, &self.name)
    }
}

impl Display for Name {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write_name(f, &self.name)
    }
}

fn comma_list<T>(
    f: &mut Formatter<'_>,
    items: &[T],
    mut each: impl FnMut(&mut Formatter<'_>, &T) -> fmt::Result,
) -> fmt::Result {
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            f.write_str(", ")?;
        }
        each(f, item)?;
    }
    Ok(())
}

// ---- expressions -----------------------------------------------------------

/// Binding strength, loosest first; see the parser's precedence levels.
const OR: u8 = 1;
const XOR: u8 = 2;
const AND: u8 = 3;
const NOT: u8 = 4;
const COMPARISON: u8 = 5;
const PREDICATE: u8 = 6;
const ADD: u8 = 7;
const MUL: u8 = 8;
const POW: u8 = 9;
const UNARY: u8 = 10;
const POSTFIX: u8 = 11;
const ATOM: u8 = 12;

fn binary_level(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => OR,
        BinaryOp::Xor => XOR,
        BinaryOp::And => AND,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            COMPARISON
        }
        BinaryOp::In
        | BinaryOp::StartsWith
        | BinaryOp::EndsWith
        | BinaryOp::Contains
        | BinaryOp::RegexMatch => PREDICATE,
        BinaryOp::Add | BinaryOp::Sub => ADD,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => MUL,
        BinaryOp::Pow => POW,
    }
}

fn binary_symbol(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Or => "OR",
        BinaryOp::Xor => "XOR",
        BinaryOp::And => "AND",
        BinaryOp::Eq => "=",
        BinaryOp::Ne => "<>",
        BinaryOp::Lt => "<",
        BinaryOp::Le => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::Ge => ">=",
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Mod => "%",
        BinaryOp::Pow => "^",
        BinaryOp::In => "IN",
        BinaryOp::StartsWith => "STARTS WITH",
        BinaryOp::EndsWith => "ENDS WITH",
        BinaryOp::Contains => "CONTAINS",
        BinaryOp::RegexMatch => "=~",
    }
}

fn is_negative_number(lit: &Literal) -> bool {
    match lit {
        Literal::Int(i) => *i < 0,
        Literal::Float(x) => x.is_sign_negative(),
        _ => false,
    }
}

fn level(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, _, _) => binary_level(*op),
        ExprKind::Unary(UnaryOp::Not, _) => NOT,
        ExprKind::Unary(_, _) => UNARY,
        ExprKind::IsNull(_, _) => PREDICATE,
        ExprKind::Property(..)
        | ExprKind::Index(..)
        | ExprKind::Slice(..)
        | ExprKind::HasLabels(..) => POSTFIX,
        ExprKind::Literal(l) if is_negative_number(l) => UNARY,
        _ => ATOM,
    }
}

/// Writes `e`, in parentheses if it binds looser than `min`.
fn operand(f: &mut Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if level(e) < min {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

fn write_where(f: &mut Formatter<'_>, predicate: &Option<Box<Expr>>) -> fmt::Result {
    match predicate {
        Some(p) => write!(f, " WHERE {p}"),
        None => Ok(()),
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Parameter(p) => {
                f.write_char('$')?;
                if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
                    f.write_str(p)
                } else {
                    write_name(f, p)
                }
            }
            ExprKind::Variable(v) => write_variable(f, v),
            ExprKind::List(items) => {
                f.write_char('[')?;
                for (n, e) in items.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    let text = e.to_string();
                    // `[x IN list]` would read as a list comprehension.
                    if n == 0 && starts_with_variable_in(&text) {
                        write!(f, "({text})")?;
                    } else {
                        f.write_str(&text)?;
                    }
                }
                f.write_char(']')
            }
            ExprKind::Map(entries) => write_map(f, entries),
            ExprKind::Property(base, key) => {
                operand(f, base, POSTFIX)?;
                write!(f, ".{key}")
            }
            ExprKind::Index(base, index) => {
                operand(f, base, POSTFIX)?;
                write!(f, "[{index}]")
            }
            ExprKind::Slice(base, from, to) => {
                operand(f, base, POSTFIX)?;
                f.write_char('[')?;
                if let Some(from) = from {
                    write!(f, "{from}")?;
                }
                f.write_str("..")?;
                if let Some(to) = to {
                    write!(f, "{to}")?;
                }
                f.write_char(']')
            }
            ExprKind::Unary(UnaryOp::Not, e) => {
                f.write_str("NOT ")?;
                operand(f, e, NOT)
            }
            ExprKind::Unary(op, e) => {
                f.write_str(if *op == UnaryOp::Neg { "-" } else { "+" })?;
                // `-(1)` keeps a negated literal apart from a negative one.
                let wrap = match &e.kind {
                    ExprKind::Unary(..) => true,
                    ExprKind::Literal(Literal::Int(_) | Literal::Float(_)) => *op == UnaryOp::Neg,
                    _ => false,
                };
                if wrap {
                    write!(f, "({e})")
                } else {
                    operand(f, e, UNARY)
                }
            }
            ExprKind::Binary(op, l, r) => {
                let p = binary_level(*op);
                // Comparisons do not nest without parentheses: `a < b < c`
                // means `a < b AND b < c`.
                operand(f, l, if p == COMPARISON { p + 1 } else { p })?;
                write!(f, " {} ", binary_symbol(*op))?;
                operand(f, r, p + 1)
            }
            ExprKind::IsNull(e, not) => {
                operand(f, e, PREDICATE)?;
                f.write_str(if *not { " IS NOT NULL" } else { " IS NULL" })
            }
            ExprKind::HasLabels(e, labels) => {
                // `(n:A):B` stays two tests; `n:A:B` would be one.
                if matches!(e.kind, ExprKind::HasLabels(..)) {
                    write!(f, "({e})")?;
                } else {
                    operand(f, e, POSTFIX)?;
                }
                for l in labels {
                    write!(f, ":{l}")?;
                }
                Ok(())
            }
            ExprKind::FunctionCall {
                name,
                distinct,
                args,
            } => {
                for (n, part) in name.iter().enumerate() {
                    if n > 0 {
                        f.write_char('.')?;
                    }
                    write_function_name(f, &part.name)?;
                }
                f.write_char('(')?;
                if *distinct {
                    f.write_str("DISTINCT ")?;
                }
                comma_list(f, args, |f, e| write!(f, "{e}"))?;
                f.write_char(')')
            }
            ExprKind::CountStar => f.write_str("count(*)"),
            ExprKind::Case {
                operand,
                alternatives,
                default,
            } => {
                f.write_str("CASE")?;
                if let Some(o) = operand {
                    write!(f, " {o}")?;
                }
                for (w, t) in alternatives {
                    write!(f, " WHEN {w} THEN {t}")?;
                }
                if let Some(d) = default {
                    write!(f, " ELSE {d}")?;
                }
                f.write_str(" END")
            }
            ExprKind::ListComprehension {
                variable,
                list,
                predicate,
                projection,
            } => {
                write!(f, "[{variable} IN {list}")?;
                write_where(f, predicate)?;
                if let Some(p) = projection {
                    write!(f, " | {p}")?;
                }
                f.write_char(']')
            }
            ExprKind::PatternComprehension {
                variable,
                pattern,
                predicate,
                projection,
            } => {
                f.write_char('[')?;
                if let Some(v) = variable {
                    write!(f, "{v} = ")?;
                }
                write!(f, "{pattern}")?;
                write_where(f, predicate)?;
                write!(f, " | {projection}]")
            }
            ExprKind::Quantified {
                quantifier,
                variable,
                list,
                predicate,
            } => {
                let q = match quantifier {
                    Quantifier::All => "all",
                    Quantifier::Any => "any",
                    Quantifier::None => "none",
                    Quantifier::Single => "single",
                };
                write!(f, "{q}({variable} IN {list} WHERE {predicate})")
            }
            ExprKind::Reduce {
                accumulator,
                init,
                variable,
                list,
                expr,
            } => write!(
                f,
                "reduce({accumulator} = {init}, {variable} IN {list} | {expr})"
            ),
            ExprKind::PatternPredicate(p) => write!(f, "{p}"),
            ExprKind::Exists(ExistsBody::Pattern(parts, predicate)) => {
                f.write_str("EXISTS { ")?;
                comma_list(f, parts, |f, p| write!(f, "{p}"))?;
                write_where(f, predicate)?;
                f.write_str(" }")
            }
            ExprKind::Exists(ExistsBody::Query(q)) => write!(f, "EXISTS {{ {q} }}"),
            ExprKind::MapProjection { variable, items } => {
                write!(f, "{variable}{{")?;
                comma_list(f, items, |f, item| match item {
                    MapProjectionItem::Property(k) => write!(f, ".{k}"),
                    MapProjectionItem::AllProperties(_) => f.write_str(".*"),
                    MapProjectionItem::Literal(k, v) => write!(f, "{k}: {v}"),
                    MapProjectionItem::Variable(v) => write!(f, "{v}"),
                })?;
                f.write_char('}')
            }
        }
    }
}

/// Whether printed text begins with `variable IN`.
fn starts_with_variable_in(text: &str) -> bool {
    let rest = if let Some(quoted) = text.strip_prefix('`') {
        // A backquoted name ends at a backquote that is not doubled.
        let mut rest = quoted;
        loop {
            match rest.find('`') {
                Some(n) if rest[n + 1..].starts_with('`') => rest = &rest[n + 2..],
                Some(n) => break &rest[n + 1..],
                None => return false,
            }
        }
    } else {
        let end = text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(text.len());
        if end == 0 {
            return false;
        }
        &text[end..]
    };
    rest.starts_with(" IN ")
}

fn write_map(f: &mut Formatter<'_>, entries: &[(Name, Expr)]) -> fmt::Result {
    f.write_char('{')?;
    comma_list(f, entries, |f, (k, v)| write!(f, "{k}: {v}"))?;
    f.write_char('}')
}

// ---- patterns ----------------------------------------------------------------

impl Display for NodePattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('(')?;
        if let Some(v) = &self.variable {
            write!(f, "{v}")?;
        }
        for l in &self.labels {
            write!(f, ":{l}")?;
        }
        if let Some(p) = &self.properties {
            if self.variable.is_some() || !self.labels.is_empty() {
                f.write_char(' ')?;
            }
            write!(f, "{p}")?;
        }
        f.write_char(')')
    }
}

impl Display for RangeSpec {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('*')?;
        match (self.min, self.max) {
            (None, None) => Ok(()),
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (min, max) => {
                if let Some(a) = min {
                    write!(f, "{a}")?;
                }
                f.write_str("..")?;
                if let Some(b) = max {
                    write!(f, "{b}")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for RelPattern {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(if self.direction == RelDirection::Left {
            "<-"
        } else {
            "-"
        })?;
        let detail = self.variable.is_some()
            || !self.types.is_empty()
            || self.length.is_some()
            || self.properties.is_some();
        if detail {
            f.write_char('[')?;
            if let Some(v) = &self.variable {
                write!(f, "{v}")?;
            }
            for (n, t) in self.types.iter().enumerate() {
                f.write_str(if n == 0 { ":" } else { "|" })?;
                write!(f, "{t}")?;
            }
            if let Some(r) = &self.length {
                write!(f, "{r}")?;
            }
            if let Some(p) = &self.properties {
                if self.variable.is_some() || !self.types.is_empty() || self.length.is_some() {
                    f.write_char(' ')?;
                }
                write!(f, "{p}")?;
            }
            f.write_char(']')?;
        }
        f.write_str(if self.direction == RelDirection::Right {
            "->"
        } else {
            "-"
        })
    }
}

impl Display for PatternElement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.start)?;
        for (rel, node) in &self.chain {
            write!(f, "{rel}{node}")?;
        }
        Ok(())
    }
}

impl Display for PatternPart {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(v) = &self.variable {
            write!(f, "{v} = ")?;
        }
        match self.kind {
            PathKind::Normal => write!(f, "{}", self.element),
            PathKind::ShortestPath => write!(f, "shortestPath({})", self.element),
            PathKind::AllShortestPaths => write!(f, "allShortestPaths({})", self.element),
        }
    }
}

// ---- clauses -------------------------------------------------------------------

impl Display for ProjectionItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        if let Some(a) = &self.alias {
            write!(f, " AS {a}")?;
        }
        Ok(())
    }
}

impl Display for SortItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expr)?;
        if self.descending {
            f.write_str(" DESC")?;
        }
        Ok(())
    }
}

impl Display for Projection {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        if self.star {
            f.write_char('*')?;
            if !self.items.is_empty() {
                f.write_str(", ")?;
            }
        }
        comma_list(f, &self.items, |f, i| write!(f, "{i}"))?;
        if !self.order_by.is_empty() {
            f.write_str(" ORDER BY ")?;
            comma_list(f, &self.order_by, |f, i| write!(f, "{i}"))?;
        }
        if let Some(s) = &self.skip {
            write!(f, " SKIP {s}")?;
        }
        if let Some(l) = &self.limit {
            write!(f, " LIMIT {l}")?;
        }
        Ok(())
    }
}

impl Display for SetItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            SetItem::Property { target, key, value } => {
                operand(f, target, POSTFIX)?;
                write!(f, ".{key} = {value}")
            }
            SetItem::Replace { variable, value } => write!(f, "{variable} = {value}"),
            SetItem::Merge { variable, value } => write!(f, "{variable} += {value}"),
            SetItem::Labels { variable, labels } => {
                write!(f, "{variable}")?;
                labels.iter().try_for_each(|l| write!(f, ":{l}"))
            }
        }
    }
}

impl Display for RemoveItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RemoveItem::Property { target, key } => {
                operand(f, target, POSTFIX)?;
                write!(f, ".{key}")
            }
            RemoveItem::Labels { variable, labels } => {
                write!(f, "{variable}")?;
                labels.iter().try_for_each(|l| write!(f, ":{l}"))
            }
        }
    }
}

impl Display for Clause {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Clause::Match(Match {
                optional,
                pattern,
                where_clause,
                ..
            }) => {
                f.write_str(if *optional {
                    "OPTIONAL MATCH "
                } else {
                    "MATCH "
                })?;
                comma_list(f, pattern, |f, p| write!(f, "{p}"))?;
                if let Some(w) = where_clause {
                    write!(f, " WHERE {w}")?;
                }
                Ok(())
            }
            Clause::Unwind(Unwind { expr, variable, .. }) => {
                write!(f, "UNWIND {expr} AS {variable}")
            }
            Clause::With(With {
                projection,
                where_clause,
                ..
            }) => {
                write!(f, "WITH {projection}")?;
                if let Some(w) = where_clause {
                    write!(f, " WHERE {w}")?;
                }
                Ok(())
            }
            Clause::Return(Return { projection, .. }) => write!(f, "RETURN {projection}"),
            Clause::Create(Create { pattern, .. }) => {
                f.write_str("CREATE ")?;
                comma_list(f, pattern, |f, p| write!(f, "{p}"))
            }
            Clause::Merge(Merge { part, actions, .. }) => {
                write!(f, "MERGE {part}")?;
                for MergeAction { on_create, items } in actions {
                    f.write_str(if *on_create {
                        " ON CREATE SET "
                    } else {
                        " ON MATCH SET "
                    })?;
                    comma_list(f, items, |f, i| write!(f, "{i}"))?;
                }
                Ok(())
            }
            Clause::Set(SetClause { items, .. }) => {
                f.write_str("SET ")?;
                comma_list(f, items, |f, i| write!(f, "{i}"))
            }
            Clause::Remove(Remove { items, .. }) => {
                f.write_str("REMOVE ")?;
                comma_list(f, items, |f, i| write!(f, "{i}"))
            }
            Clause::Delete(Delete { detach, exprs, .. }) => {
                f.write_str(if *detach { "DETACH DELETE " } else { "DELETE " })?;
                comma_list(f, exprs, |f, e| write!(f, "{e}"))
            }
            Clause::Call(Call {
                procedure,
                args,
                yields,
                where_clause,
                ..
            }) => {
                f.write_str("CALL ")?;
                for (n, p) in procedure.iter().enumerate() {
                    if n > 0 {
                        f.write_char('.')?;
                    }
                    write!(f, "{p}")?;
                }
                if let Some(args) = args {
                    f.write_char('(')?;
                    comma_list(f, args, |f, e| write!(f, "{e}"))?;
                    f.write_char(')')?;
                }
                match yields {
                    None => {}
                    Some(items) if items.is_empty() => f.write_str(" YIELD *")?,
                    Some(items) => {
                        f.write_str(" YIELD ")?;
                        comma_list(f, items, |f, YieldItem { field, alias }| {
                            write!(f, "{field}")?;
                            match alias {
                                Some(a) => write!(f, " AS {a}"),
                                None => Ok(()),
                            }
                        })?;
                    }
                }
                if let Some(w) = where_clause {
                    write!(f, " WHERE {w}")?;
                }
                Ok(())
            }
        }
    }
}

impl Display for SingleQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (n, c) in self.clauses.iter().enumerate() {
            if n > 0 {
                f.write_char(' ')?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        for (all, q) in &self.unions {
            f.write_str(if *all { " UNION ALL " } else { " UNION " })?;
            write!(f, "{q}")?;
        }
        Ok(())
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.mode {
            StatementMode::Normal => {}
            StatementMode::Explain => f.write_str("EXPLAIN ")?,
            StatementMode::Profile => f.write_str("PROFILE ")?,
        }
        write!(f, "{}", self.query)
    }
}
