//! Messages of syntax errors, shared with the tests.

/// An unterminated `/* ...` comment.
pub const UNTERMINATED_COMMENT: &str = "unterminated comment: `/*` has no closing `*/`";
/// An unterminated backquoted name.
pub const UNTERMINATED_BACKQUOTE: &str =
    "unterminated backquoted name: add the closing backquote (`)";
/// An unterminated string literal.
pub const UNTERMINATED_STRING: &str = "unterminated string literal: add the closing quote";
/// `\q` and other unknown escapes.
pub const UNKNOWN_ESCAPE: &str = "unknown escape sequence in string; use \\\\, \\', \\\", \\b, \\f, \\n, \\r, \\t, \\uXXXX or \\UXXXXXXXX";
/// `\u` not followed by four hex digits, or a lone surrogate.
pub const INVALID_UNICODE_LITERAL: &str = "invalid unicode escape: `\\u` takes four hexadecimal digits and `\\U` eight, naming a valid character";
/// An integer that does not fit in 64 bits.
pub const INTEGER_OVERFLOW: &str = "integer literal is too large for a 64-bit integer (range -9223372036854775808 to 9223372036854775807)";
/// A float that is infinite.
pub const FLOAT_OVERFLOW: &str = "floating point literal is too large for a 64-bit float";
/// A number running into letters, or `0x` without digits.
pub const INVALID_NUMBER: &str = "invalid number literal: digits may not be followed by letters (hexadecimal needs `0x`, octal `0o`)";
/// A relationship length without `*` or with a negative bound.
pub const INVALID_RANGE: &str = "invalid variable-length relationship: write `*`, `*n`, `*min..max`, `*min..` or `*..max` with non-negative integers";
/// `)` of a node pattern.
pub const CLOSE_NODE: &str = "`)` to close the node pattern";
/// `]` of a relationship pattern.
pub const CLOSE_REL: &str = "`]` to close the relationship pattern";
/// Missing expression.
pub const EXPRESSION: &str = "an expression";
/// An unknown word where a clause should begin.
pub const CLAUSE: &str = "a clause (MATCH, RETURN, WITH, CREATE, ...)";
/// After the last clause.
pub const END: &str = "a clause, `UNION`, `;` or the end of the query";
/// A pattern used as a value.
pub const PATTERN_AS_VALUE: &str = "a pattern can only stand as a condition in `WHERE`; use `EXISTS { ... }` to test for a match or a pattern comprehension `[(a)-->(b) | b]` to collect matches";
/// `0x` or `0o` without digits.
pub const MISSING_DIGITS: &str =
    "incomplete number literal: `0x` needs hexadecimal digits and `0o` octal digits";
/// More text after `;`.
pub const ONE_STATEMENT: &str =
    "expected the end of the query after `;`: run one statement at a time";
/// `ORDER BY`, `SKIP` or `LIMIT` after the `WHERE` of `WITH`, or alone.
pub const MISPLACED_MODIFIER: &str = "`ORDER BY`, `SKIP` and `LIMIT` belong to a `WITH` or `RETURN` clause, after its items and before the `WHERE` of `WITH`";
/// Input nested deeper than the parser allows.
pub const TOO_DEEP: &str =
    "the query nests expressions or patterns too deeply (more than 256 levels); flatten it";
/// A non-ASCII character that looks like an operator.
pub const CONFUSABLE: &str = "is not an operator; use the ASCII character";
