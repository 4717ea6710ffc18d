//! The syntax tree of the query language (names follow the openCypher
//! grammar). Every node that an error may point at carries a byte [`Span`]
//! into the query text. `Display` (in `printer.rs`) prints a tree back as
//! canonical query text that parses to the same tree.

use crate::error::Span;

/// A whole statement: a query, possibly under `EXPLAIN` or `PROFILE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// `EXPLAIN` / `PROFILE` prefix, if any.
    pub mode: StatementMode,
    /// The query.
    pub query: Query,
    /// The whole statement.
    pub span: Span,
}

/// How a statement is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatementMode {
    /// Run it.
    Normal,
    /// Show the plan without running.
    Explain,
    /// Run it and show the plan with rows and time per operator.
    Profile,
}

/// `single (UNION [ALL] single)*`.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The first single query.
    pub first: SingleQuery,
    /// Each further part, with `true` for `UNION ALL`.
    pub unions: Vec<(bool, SingleQuery)>,
    /// The whole query.
    pub span: Span,
}

/// A sequence of clauses.
#[derive(Clone, Debug, PartialEq)]
pub struct SingleQuery {
    /// The clauses in order.
    pub clauses: Vec<Clause>,
    /// The whole part.
    pub span: Span,
}

/// One clause.
#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    /// `[OPTIONAL] MATCH pattern [WHERE expr]`.
    Match(Match),
    /// `UNWIND expr AS var`.
    Unwind(Unwind),
    /// `WITH projection [WHERE expr]`.
    With(With),
    /// `RETURN projection`.
    Return(Return),
    /// `CREATE pattern`.
    Create(Create),
    /// `MERGE part [ON CREATE SET ...] [ON MATCH SET ...]`.
    Merge(Merge),
    /// `SET item, ...`.
    Set(SetClause),
    /// `REMOVE item, ...`.
    Remove(Remove),
    /// `[DETACH] DELETE expr, ...`.
    Delete(Delete),
    /// `CALL proc(args) [YIELD ...]`.
    Call(Call),
}

impl Clause {
    /// The clause's span.
    pub fn span(&self) -> Span {
        match self {
            Clause::Match(c) => c.span,
            Clause::Unwind(c) => c.span,
            Clause::With(c) => c.span,
            Clause::Return(c) => c.span,
            Clause::Create(c) => c.span,
            Clause::Merge(c) => c.span,
            Clause::Set(c) => c.span,
            Clause::Remove(c) => c.span,
            Clause::Delete(c) => c.span,
            Clause::Call(c) => c.span,
        }
    }
}

/// `[OPTIONAL] MATCH pattern [WHERE expr]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    /// `OPTIONAL MATCH`.
    pub optional: bool,
    /// The comma-separated pattern parts.
    pub pattern: Vec<PatternPart>,
    /// The `WHERE` predicate.
    pub where_clause: Option<Expr>,
    /// The clause.
    pub span: Span,
}

/// `UNWIND expr AS var`.
#[derive(Clone, Debug, PartialEq)]
pub struct Unwind {
    /// The list.
    pub expr: Expr,
    /// The variable each element is bound to.
    pub variable: Variable,
    /// The clause.
    pub span: Span,
}

/// `WITH projection [WHERE expr]`.
#[derive(Clone, Debug, PartialEq)]
pub struct With {
    /// What is carried on.
    pub projection: Projection,
    /// The filter applied after projecting.
    pub where_clause: Option<Expr>,
    /// The clause.
    pub span: Span,
}

/// `RETURN projection`.
#[derive(Clone, Debug, PartialEq)]
pub struct Return {
    /// What is returned.
    pub projection: Projection,
    /// The clause.
    pub span: Span,
}

/// The body shared by `WITH` and `RETURN`.
#[derive(Clone, Debug, PartialEq)]
pub struct Projection {
    /// `DISTINCT`.
    pub distinct: bool,
    /// `*`: every variable in scope, before the items.
    pub star: bool,
    /// The listed items.
    pub items: Vec<ProjectionItem>,
    /// `ORDER BY`.
    pub order_by: Vec<SortItem>,
    /// `SKIP`.
    pub skip: Option<Expr>,
    /// `LIMIT`.
    pub limit: Option<Expr>,
}

/// `expr [AS alias]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectionItem {
    /// The value.
    pub expr: Expr,
    /// The alias after `AS`.
    pub alias: Option<Variable>,
    /// The column name: the alias, or else the expression's text exactly
    /// as written in the query (`n.name`, `count(*)`).
    pub column: String,
}

/// `expr [ASC|DESC]`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortItem {
    /// The sort key.
    pub expr: Expr,
    /// `DESC` / `DESCENDING`.
    pub descending: bool,
}

/// `CREATE pattern`.
#[derive(Clone, Debug, PartialEq)]
pub struct Create {
    /// The parts to create.
    pub pattern: Vec<PatternPart>,
    /// The clause.
    pub span: Span,
}

/// `MERGE part [ON CREATE SET ...] [ON MATCH SET ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Merge {
    /// The single pattern part to match or create.
    pub part: PatternPart,
    /// The actions, in written order.
    pub actions: Vec<MergeAction>,
    /// The clause.
    pub span: Span,
}

/// `ON CREATE SET ...` or `ON MATCH SET ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeAction {
    /// `true` for `ON CREATE`, `false` for `ON MATCH`.
    pub on_create: bool,
    /// The assignments.
    pub items: Vec<SetItem>,
}

/// `SET item, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct SetClause {
    /// The assignments.
    pub items: Vec<SetItem>,
    /// The clause.
    pub span: Span,
}

/// One assignment of `SET`.
#[derive(Clone, Debug, PartialEq)]
pub enum SetItem {
    /// `target.key = value`; `target` is an expression yielding a node or
    /// relationship (usually a variable).
    Property {
        /// The entity expression.
        target: Expr,
        /// The property key.
        key: Name,
        /// The new value.
        value: Expr,
    },
    /// `var = map` (replace all properties).
    Replace {
        /// The entity.
        variable: Variable,
        /// The map (or node/relationship) to copy from.
        value: Expr,
    },
    /// `var += map` (merge properties).
    Merge {
        /// The entity.
        variable: Variable,
        /// The map to merge in.
        value: Expr,
    },
    /// `var:Label1:Label2`.
    Labels {
        /// The node.
        variable: Variable,
        /// Labels to add.
        labels: Vec<Name>,
    },
}

/// `REMOVE item, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Remove {
    /// What to remove.
    pub items: Vec<RemoveItem>,
    /// The clause.
    pub span: Span,
}

/// One item of `REMOVE`.
#[derive(Clone, Debug, PartialEq)]
pub enum RemoveItem {
    /// `target.key`.
    Property {
        /// The entity expression.
        target: Expr,
        /// The key to remove.
        key: Name,
    },
    /// `var:Label1:Label2`.
    Labels {
        /// The node.
        variable: Variable,
        /// Labels to remove.
        labels: Vec<Name>,
    },
}

/// `[DETACH] DELETE expr, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Delete {
    /// `DETACH DELETE`.
    pub detach: bool,
    /// The entities (or paths, or lists of them) to delete.
    pub exprs: Vec<Expr>,
    /// The clause.
    pub span: Span,
}

/// `CALL ns.proc(args) [YIELD item, ... [WHERE expr]]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The qualified procedure name, e.g. `["db", "labels"]`.
    pub procedure: Vec<Name>,
    /// The arguments; `None` for the implicit form without parentheses.
    pub args: Option<Vec<Expr>>,
    /// `YIELD` items (`None`: no `YIELD`; `Some(empty)`: `YIELD *`).
    pub yields: Option<Vec<YieldItem>>,
    /// `WHERE` after `YIELD`.
    pub where_clause: Option<Expr>,
    /// The clause.
    pub span: Span,
}

/// `field [AS var]` after `YIELD`.
#[derive(Clone, Debug, PartialEq)]
pub struct YieldItem {
    /// The procedure's output field.
    pub field: Name,
    /// The variable bound, if renamed.
    pub alias: Option<Variable>,
}

// ---- patterns ----------------------------------------------------------

/// `[var =] [shortestPath|allShortestPaths](element)`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternPart {
    /// The path variable.
    pub variable: Option<Variable>,
    /// Plain, or one of the shortest-path functions.
    pub kind: PathKind,
    /// The chain of nodes and relationships.
    pub element: PatternElement,
    /// The part.
    pub span: Span,
}

/// How a pattern part is matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathKind {
    /// Every match.
    Normal,
    /// `shortestPath(...)`: one shortest match per endpoint pair.
    ShortestPath,
    /// `allShortestPaths(...)`: every shortest match per endpoint pair.
    AllShortestPaths,
}

/// `(node) (-[rel]- (node))*`.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternElement {
    /// The first node.
    pub start: NodePattern,
    /// Each hop: a relationship and the node it leads to.
    pub chain: Vec<(RelPattern, NodePattern)>,
    /// The element.
    pub span: Span,
}

/// `(var:Label1:Label2 {props})`.
#[derive(Clone, Debug, PartialEq)]
pub struct NodePattern {
    /// The variable.
    pub variable: Option<Variable>,
    /// Labels the node must all carry.
    pub labels: Vec<Name>,
    /// A map literal or a parameter.
    pub properties: Option<Expr>,
    /// The node pattern.
    pub span: Span,
}

/// `-[var:T1|T2*min..max {props}]->`.
#[derive(Clone, Debug, PartialEq)]
pub struct RelPattern {
    /// The variable.
    pub variable: Option<Variable>,
    /// Arrow direction.
    pub direction: RelDirection,
    /// Type alternatives; empty means any type.
    pub types: Vec<Name>,
    /// Variable length, if `*` was given.
    pub length: Option<RangeSpec>,
    /// A map literal or a parameter.
    pub properties: Option<Expr>,
    /// The relationship pattern, arrows included.
    pub span: Span,
}

/// Arrow direction of a relationship pattern, read left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelDirection {
    /// `-->`.
    Right,
    /// `<--`.
    Left,
    /// `--` (or `<-->`): either direction.
    Both,
}

/// `*`, `*n`, `*min..`, `*..max`, `*min..max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeSpec {
    /// Lower bound; `None` means 1.
    pub min: Option<u64>,
    /// Upper bound; `None` means unbounded.
    pub max: Option<u64>,
}

/// A variable name as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Variable {
    /// The name (unquoted).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// A label, relationship type, property key or function name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    /// The name (unquoted).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

// ---- expressions ---------------------------------------------------------

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// A literal constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer (decimal, `0x` hex or `0o` octal in the text).
    Int(i64),
    /// A float.
    Float(f64),
    /// A string, escapes resolved.
    String(String),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `NOT`.
    Not,
    /// `-`.
    Neg,
    /// `+`.
    Plus,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `OR`.
    Or,
    /// `XOR`.
    Xor,
    /// `AND`.
    And,
    /// `=`.
    Eq,
    /// `<>`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
    /// `%`.
    Mod,
    /// `^`.
    Pow,
    /// `IN`.
    In,
    /// `STARTS WITH`.
    StartsWith,
    /// `ENDS WITH`.
    EndsWith,
    /// `CONTAINS`.
    Contains,
    /// `=~`.
    RegexMatch,
}

/// `all`, `any`, `none`, `single`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// `all(x IN list WHERE p)`.
    All,
    /// `any(...)`.
    Any,
    /// `none(...)`.
    None,
    /// `single(...)`.
    Single,
}

/// One entry of a map projection `n{...}`.
#[derive(Clone, Debug, PartialEq)]
pub enum MapProjectionItem {
    /// `.key`.
    Property(Name),
    /// `.*`.
    AllProperties(Span),
    /// `key: expr`.
    Literal(Name, Expr),
    /// `var` (its name is the key).
    Variable(Variable),
}

/// The body of `EXISTS { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub enum ExistsBody {
    /// `EXISTS { pattern [WHERE expr] }`.
    Pattern(Vec<PatternPart>, Option<Box<Expr>>),
    /// `EXISTS { full query }`.
    Query(Box<Query>),
}

/// What an expression is.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A constant.
    Literal(Literal),
    /// `$name` (or `$0`).
    Parameter(String),
    /// A variable reference.
    Variable(String),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// `{k: v}`.
    Map(Vec<(Name, Expr)>),
    /// `expr.key`.
    Property(Box<Expr>, Name),
    /// `expr[index]`: list index or dynamic property/map access.
    Index(Box<Expr>, Box<Expr>),
    /// `expr[from..to]`.
    Slice(Box<Expr>, Option<Box<Expr>>, Option<Box<Expr>>),
    /// A unary operator.
    Unary(UnaryOp, Box<Expr>),
    /// A binary operator.
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `expr IS NULL` (`false`) or `expr IS NOT NULL` (`true`).
    IsNull(Box<Expr>, bool),
    /// `expr:Label1:Label2`, true when all labels are present.
    HasLabels(Box<Expr>, Vec<Name>),
    /// `ns.name([DISTINCT] args)`.
    FunctionCall {
        /// Qualified name, e.g. `["toLower"]`.
        name: Vec<Name>,
        /// `DISTINCT` (aggregates).
        distinct: bool,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `count(*)`.
    CountStar,
    /// `CASE [operand] WHEN .. THEN .. [ELSE ..] END`.
    Case {
        /// The simple form's operand.
        operand: Option<Box<Expr>>,
        /// `WHEN` / `THEN` pairs.
        alternatives: Vec<(Expr, Expr)>,
        /// `ELSE`.
        default: Option<Box<Expr>>,
    },
    /// `[x IN list WHERE p | expr]`.
    ListComprehension {
        /// The element variable.
        variable: Variable,
        /// The list.
        list: Box<Expr>,
        /// `WHERE`.
        predicate: Option<Box<Expr>>,
        /// `| expr`.
        projection: Option<Box<Expr>>,
    },
    /// `[p = (a)-->(b) WHERE pred | expr]`.
    PatternComprehension {
        /// The path variable.
        variable: Option<Variable>,
        /// The pattern.
        pattern: Box<PatternElement>,
        /// `WHERE`.
        predicate: Option<Box<Expr>>,
        /// `| expr`.
        projection: Box<Expr>,
    },
    /// `all/any/none/single(x IN list WHERE p)`.
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The element variable.
        variable: Variable,
        /// The list.
        list: Box<Expr>,
        /// The predicate.
        predicate: Box<Expr>,
    },
    /// `reduce(acc = init, x IN list | expr)`.
    Reduce {
        /// The accumulator.
        accumulator: Variable,
        /// Its initial value.
        init: Box<Expr>,
        /// The element variable.
        variable: Variable,
        /// The list.
        list: Box<Expr>,
        /// The step.
        expr: Box<Expr>,
    },
    /// A pattern used as a predicate, e.g. `WHERE (a)-->(b)`.
    PatternPredicate(Box<PatternElement>),
    /// `EXISTS { ... }`.
    Exists(ExistsBody),
    /// `var{.key, .*, k: expr, other}`.
    MapProjection {
        /// The node, relationship or map.
        variable: Variable,
        /// The entries.
        items: Vec<MapProjectionItem>,
    },
}
