//! Literals: numbers (decimal, hexadecimal, octal, floats), strings with
//! escapes, and parameters.

use nom::Err;

use super::keywords::{is_ident_continue, span_from, symbolic_name, token_start};
use super::{PError, PResult, fail, messages};
use crate::error::Span;
use crate::query::ast::Literal;

// [81] Digit ::= [0-9]
/// Whether a number literal begins at `i` (after whitespace).
pub(super) fn at_number(i: &str) -> bool {
    let mut chars = i.chars();
    match chars.next() {
        Some(c) if c.is_ascii_digit() => true,
        Some('.') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

// [73] NumberLiteral ::= HexInteger | OctalInteger | DoubleLiteral | DecimalInteger /* not followed by an IdentifierPart */
// [74] HexInteger ::= '0' [xX] HexDigit+
// [75] OctalInteger ::= '0' [oO] [0-7]+
// [77] DoubleLiteral ::= ( Digit+ '.' Digit+ | '.' Digit+ | Digit+ ) ( [eE] [+-]? Digit+ )? /* with a fraction or an exponent */
/// A number literal, negated when `negative` (a unary minus just before
/// it), so that `-9223372036854775808` is representable.
pub(super) fn number(i: &str, negative: bool) -> PResult<'_, (Literal, Span)> {
    let (i, start) = token_start(i)?;
    if !at_number(i) {
        return fail(i, "a number");
    }
    let bytes = i.as_bytes();
    let radix_prefix = if bytes.len() >= 2 && bytes[0] == b'0' {
        match bytes[1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            _ => None,
        }
    } else {
        None
    };
    let (end, literal) = if let Some(radix) = radix_prefix {
        let digits_end = 2 + i[2..]
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(i.len() - 2);
        if digits_end == 2 {
            return Err(Err::Failure(PError::with_detail(
                i,
                word_end(i),
                "InvalidNumberLiteral",
                messages::MISSING_DIGITS,
            )));
        }
        (
            digits_end,
            integer(i, &i[2..digits_end], radix, negative, digits_end)?,
        )
    } else {
        let int_end = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
        let mut end = int_end;
        let mut is_float = false;
        if i[end..].starts_with('.') && i[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            is_float = true;
            end += 1;
            end += i[end..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(i.len() - end);
        }
        if i[end..].starts_with(['e', 'E']) {
            let mut exp = end + 1;
            if i[exp..].starts_with(['-', '+']) {
                exp += 1;
            }
            let digits = i[exp..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(i.len() - exp);
            if digits > 0 {
                is_float = true;
                end = exp + digits;
            }
        }
        if is_float {
            match i[..end].parse::<f64>() {
                Ok(v) if v.is_infinite() => {
                    return Err(Err::Failure(PError::with_detail(
                        i,
                        end,
                        "FloatingPointOverflow",
                        messages::FLOAT_OVERFLOW,
                    )));
                }
                Ok(v) => (end, Literal::Float(if negative { -v } else { v })),
                Err(_) => return invalid_number(i, end),
            }
        } else {
            (end, integer(i, &i[..end], 10, negative, end)?)
        }
    };
    if i[end..].starts_with(is_ident_continue) {
        let len = word_end(i);
        return invalid_number(i, len);
    }
    let rest = &i[end..];
    Ok((rest, (literal, span_from(start, rest))))
}

fn word_end(i: &str) -> usize {
    i.find(|c: char| !is_ident_continue(c) && c != '.')
        .unwrap_or(i.len())
}

fn invalid_number<'a, T>(i: &'a str, len: usize) -> PResult<'a, T> {
    Err(Err::Failure(PError::with_detail(
        i,
        len,
        "InvalidNumberLiteral",
        messages::INVALID_NUMBER,
    )))
}

fn integer(
    i: &str,
    digits: &str,
    radix: u32,
    negative: bool,
    len: usize,
) -> Result<Literal, Err<PError>> {
    let limit: u128 = if negative { 1 << 63 } else { (1 << 63) - 1 };
    let mut value: u128 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix).map_or(0, u128::from);
        value = value * u128::from(radix) + d;
        if value > limit {
            return Err(Err::Failure(PError::with_detail(
                i,
                len,
                "IntegerOverflow",
                messages::INTEGER_OVERFLOW,
            )));
        }
    }
    let v = if negative {
        // value <= 2^63, so the subtraction stays in range.
        (0i128 - value as i128) as i64
    } else {
        value as i64
    };
    Ok(Literal::Int(v))
}

// [76] DecimalInteger ::= Digit+
/// A non-negative decimal integer (range bounds of relationship patterns).
pub(super) fn unsigned(i: &str) -> PResult<'_, (u64, Span)> {
    let (i, start) = token_start(i)?;
    let end = i.find(|c: char| !c.is_ascii_digit()).unwrap_or(i.len());
    if end == 0 {
        return fail(i, "an integer");
    }
    match i[..end].parse::<u64>() {
        Ok(v) => {
            let rest = &i[end..];
            Ok((rest, (v, span_from(start, rest))))
        }
        Err(_) => Err(Err::Failure(PError::with_detail(
            i,
            end,
            "IntegerOverflow",
            messages::INTEGER_OVERFLOW,
        ))),
    }
}

// [78] StringLiteral ::= '"' ( [^"\] | EscapedChar )* '"' | "'" ( [^'\] | EscapedChar )* "'"
// [79] EscapedChar ::= '\' ( [\'"bfnrtBFNRT] | 'u' HexDigit HexDigit HexDigit HexDigit | 'U' HexDigit HexDigit HexDigit HexDigit HexDigit HexDigit HexDigit HexDigit )
/// A quoted string, escapes resolved.
pub(super) fn string(i: &str) -> PResult<'_, (String, Span)> {
    let (i, start) = token_start(i)?;
    let quote = match i.chars().next() {
        Some(q @ ('\'' | '"')) => q,
        _ => return fail(i, "a string"),
    };
    let mut out = String::new();
    let mut chars = i.char_indices().skip(1);
    while let Some((n, c)) = chars.next() {
        if c == quote {
            let rest = &i[n + 1..];
            return Ok((rest, (out, span_from(start, rest))));
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        let simple = match e {
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'b' | 'B' => Some('\u{8}'),
            'f' | 'F' => Some('\u{c}'),
            'n' | 'N' => Some('\n'),
            'r' | 'R' => Some('\r'),
            't' | 'T' => Some('\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let width = match e {
            'u' => 4,
            'U' => 8,
            _ => {
                return Err(Err::Failure(PError::with_detail(
                    &i[n..],
                    2,
                    "UnexpectedSyntax",
                    messages::UNKNOWN_ESCAPE,
                )));
            }
        };
        let hex_start = n + 2;
        let code = hex_code(i, hex_start, width);
        let bad = |len| {
            Err(Err::Failure(PError::with_detail(
                &i[n..],
                len,
                "InvalidUnicodeLiteral",
                messages::INVALID_UNICODE_LITERAL,
            )))
        };
        let Some(mut code) = code else {
            return bad(2);
        };
        for _ in 0..width {
            chars.next();
        }
        // A UTF-16 surrogate pair written as two escapes.
        if (0xD800..0xDC00).contains(&code) && i[hex_start + width..].starts_with("\\u") {
            if let Some(low) = hex_code(i, hex_start + width + 2, 4) {
                if (0xDC00..0xE000).contains(&low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    for _ in 0..6 {
                        chars.next();
                    }
                }
            }
        }
        match char::from_u32(code) {
            Some(ch) => out.push(ch),
            None => return bad(2 + width),
        }
    }
    Err(Err::Failure(PError::with_detail(
        i,
        1,
        "UnexpectedSyntax",
        messages::UNTERMINATED_STRING,
    )))
}

// [82] HexDigit ::= [0-9a-fA-F]
fn hex_code(i: &str, at: usize, width: usize) -> Option<u32> {
    let digits = i.get(at..at + width)?;
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

// [80] Parameter ::= '$' ( SymbolicName | DecimalInteger )
/// `$name` or `$0`.
pub(super) fn parameter(i: &str) -> PResult<'_, (String, Span)> {
    let (i, start) = token_start(i)?;
    let Some(after) = i.strip_prefix('$') else {
        return fail(i, "a parameter");
    };
    let digits = after
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after.len());
    if digits > 0 {
        let rest = &after[digits..];
        return Ok((rest, (after[..digits].to_string(), span_from(start, rest))));
    }
    if after.starts_with(char::is_whitespace) {
        return fail(after, "a parameter name right after `$`");
    }
    match symbolic_name(after) {
        Ok((rest, (name, _, _))) => Ok((rest, (name, span_from(start, rest)))),
        Err(Err::Error(_)) => fail(after, "a parameter name after `$`"),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::super::keywords::InputGuard;
    use super::*;

    fn num(text: &str, negative: bool) -> Result<Literal, &'static str> {
        let _g = InputGuard::new(text);
        match number(text, negative) {
            Ok((_, (l, _))) => Ok(l),
            Err(Err::Error(e)) | Err(Err::Failure(e)) => Err(e.detail),
            Err(Err::Incomplete(_)) => Err("incomplete"),
        }
    }

    fn string_of(text: &str) -> Result<String, &'static str> {
        let _g = InputGuard::new(text);
        match string(text) {
            Ok((_, (s, _))) => Ok(s),
            Err(Err::Error(e)) | Err(Err::Failure(e)) => Err(e.detail),
            Err(Err::Incomplete(_)) => Err("incomplete"),
        }
    }

    #[test]
    fn integers_in_three_radixes() {
        assert_eq!(num("42", false), Ok(Literal::Int(42)));
        assert_eq!(num("0x1F", false), Ok(Literal::Int(31)));
        assert_eq!(num("0o17", false), Ok(Literal::Int(15)));
        assert_eq!(num("9223372036854775808", true), Ok(Literal::Int(i64::MIN)));
        assert_eq!(num("0x8000000000000000", true), Ok(Literal::Int(i64::MIN)));
    }

    #[test]
    fn integer_overflow_and_bad_digits_are_reported_with_their_codes() {
        assert_eq!(num("9223372036854775808", false), Err("IntegerOverflow"));
        assert_eq!(num("9223372036854775809", true), Err("IntegerOverflow"));
        assert_eq!(num("0x", false), Err("InvalidNumberLiteral"));
        assert_eq!(num("0x1A2b3j4", false), Err("InvalidNumberLiteral"));
        assert_eq!(num("9223372h54775808", false), Err("InvalidNumberLiteral"));
        assert_eq!(num("1.34E999", false), Err("FloatingPointOverflow"));
    }

    #[test]
    fn floats_with_fraction_or_exponent() {
        assert_eq!(num("1.5", false), Ok(Literal::Float(1.5)));
        assert_eq!(num(".5", false), Ok(Literal::Float(0.5)));
        assert_eq!(num("1e3", false), Ok(Literal::Float(1000.0)));
        assert_eq!(num("2.5E-1", true), Ok(Literal::Float(-0.25)));
        // `1..3` is a range, not a float.
        assert_eq!(num("1..3", false), Ok(Literal::Int(1)));
    }

    #[test]
    fn string_escapes_are_resolved() {
        assert_eq!(string_of(r"'a\'b'"), Ok("a'b".to_string()));
        assert_eq!(string_of(r#""x\"\n\t\\""#), Ok("x\"\n\t\\".to_string()));
        assert_eq!(string_of(r"'\u00e9'"), Ok("é".to_string()));
        assert_eq!(string_of(r"'\uD83E\uDDD0'"), Ok("🧐".to_string()));
        assert_eq!(string_of(r"'\uH'"), Err("InvalidUnicodeLiteral"));
        assert_eq!(string_of("'open"), Err("UnexpectedSyntax"));
    }
}
