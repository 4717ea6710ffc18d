//! One line of help per function, for the shell's `:help` and completion.

/// The call signature and a one-line summary of function `name` (its
/// canonical spelling, as [`super::FunctionInfo::name`]).
pub fn describe(name: &str) -> Option<(&'static str, &'static str)> {
    HELP.iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, signature, summary)| (signature, summary))
}

/// (name, signature, summary), grouped as in the registry.
const HELP: &[(&str, &str, &str)] = &[
    (
        "id",
        "id(element)",
        "the stable id of a node or relationship",
    ),
    (
        "elementId",
        "elementId(element)",
        "the id as a string: n:12 for a node, r:5 for a relationship",
    ),
    (
        "labels",
        "labels(node)",
        "the node's labels, as a list of strings",
    ),
    ("type", "type(relationship)", "the relationship's type"),
    (
        "properties",
        "properties(x)",
        "the properties of a node or relationship as a map",
    ),
    (
        "keys",
        "keys(x)",
        "the property keys of a node, relationship or map",
    ),
    (
        "startNode",
        "startNode(relationship)",
        "the node the relationship starts at",
    ),
    (
        "endNode",
        "endNode(relationship)",
        "the node the relationship ends at",
    ),
    ("nodes", "nodes(path)", "the nodes of a path, in order"),
    (
        "relationships",
        "relationships(path)",
        "the relationships of a path, in order",
    ),
    (
        "length",
        "length(path)",
        "the number of relationships in a path",
    ),
    ("exists", "exists(x)", "whether x is not null"),
    (
        "valueType",
        "valueType(x)",
        "the name of x's type, e.g. INTEGER NOT NULL",
    ),
    ("nullIf", "nullIf(a, b)", "null when a = b, otherwise a"),
    (
        "size",
        "size(list | string)",
        "the number of elements or characters",
    ),
    ("head", "head(list)", "the first element, or null"),
    ("last", "last(list)", "the last element, or null"),
    ("tail", "tail(list)", "all elements but the first"),
    (
        "reverse",
        "reverse(list | string)",
        "the elements or characters in reverse order",
    ),
    (
        "range",
        "range(start, end [, step])",
        "the integers from start to end inclusive, step apart",
    ),
    (
        "isEmpty",
        "isEmpty(list | string | map)",
        "whether it has no elements, characters or keys",
    ),
    (
        "coalesce",
        "coalesce(a, b, ...)",
        "the first argument that is not null",
    ),
    (
        "toString",
        "toString(x)",
        "a number, boolean or string as a string",
    ),
    (
        "toStringOrNull",
        "toStringOrNull(x)",
        "toString(x), or null where it would fail",
    ),
    (
        "toInteger",
        "toInteger(x)",
        "a number, boolean or numeric string as an integer (truncating)",
    ),
    (
        "toIntegerOrNull",
        "toIntegerOrNull(x)",
        "toInteger(x), or null where it would fail",
    ),
    (
        "toFloat",
        "toFloat(x)",
        "a number or numeric string as a float",
    ),
    (
        "toFloatOrNull",
        "toFloatOrNull(x)",
        "toFloat(x), or null where it would fail",
    ),
    (
        "toBoolean",
        "toBoolean(x)",
        "a boolean, 'true'/'false' or an integer (0 is false) as a boolean",
    ),
    (
        "toBooleanOrNull",
        "toBooleanOrNull(x)",
        "toBoolean(x), or null where it would fail",
    ),
    (
        "toStringList",
        "toStringList(list)",
        "each element converted with toStringOrNull",
    ),
    (
        "toIntegerList",
        "toIntegerList(list)",
        "each element converted with toIntegerOrNull",
    ),
    (
        "toFloatList",
        "toFloatList(list)",
        "each element converted with toFloatOrNull",
    ),
    (
        "toBooleanList",
        "toBooleanList(list)",
        "each element converted with toBooleanOrNull",
    ),
    ("toLower", "toLower(string)", "the string in lower case"),
    ("toUpper", "toUpper(string)", "the string in upper case"),
    (
        "lower",
        "lower(string)",
        "the string in lower case (as toLower)",
    ),
    (
        "upper",
        "upper(string)",
        "the string in upper case (as toUpper)",
    ),
    (
        "trim",
        "trim(string [, chars])",
        "without leading and trailing whitespace (or chars)",
    ),
    (
        "btrim",
        "btrim(string [, chars])",
        "without leading and trailing whitespace (or chars)",
    ),
    (
        "ltrim",
        "ltrim(string [, chars])",
        "without leading whitespace (or chars)",
    ),
    (
        "rtrim",
        "rtrim(string [, chars])",
        "without trailing whitespace (or chars)",
    ),
    (
        "char_length",
        "char_length(string)",
        "the number of characters",
    ),
    (
        "character_length",
        "character_length(string)",
        "the number of characters",
    ),
    (
        "replace",
        "replace(string, search, replacement)",
        "every occurrence of search replaced",
    ),
    (
        "split",
        "split(string, delimiter)",
        "the pieces between delimiters (a string or a list of them)",
    ),
    (
        "substring",
        "substring(string, start [, length])",
        "the characters from start (0-based)",
    ),
    ("left", "left(string, n)", "the first n characters"),
    ("right", "right(string, n)", "the last n characters"),
    ("abs", "abs(number)", "the absolute value"),
    (
        "ceil",
        "ceil(number)",
        "the smallest whole number not below it, as a float",
    ),
    (
        "floor",
        "floor(number)",
        "the largest whole number not above it, as a float",
    ),
    (
        "round",
        "round(number [, precision [, mode]])",
        "rounded to precision decimals (mode: HALF_UP, HALF_EVEN, UP, DOWN, ...)",
    ),
    ("sign", "sign(number)", "-1, 0 or 1"),
    ("isNaN", "isNaN(number)", "whether the number is NaN"),
    ("sqrt", "sqrt(number)", "the square root"),
    ("exp", "exp(number)", "e raised to the number"),
    ("log", "log(number)", "the natural logarithm"),
    ("log10", "log10(number)", "the base-10 logarithm"),
    ("e", "e()", "Euler's number"),
    (
        "pi",
        "pi()",
        "the ratio of a circle's circumference to its diameter",
    ),
    ("sin", "sin(radians)", "the sine"),
    ("cos", "cos(radians)", "the cosine"),
    ("tan", "tan(radians)", "the tangent"),
    ("cot", "cot(radians)", "the cotangent"),
    ("asin", "asin(number)", "the arcsine, in radians"),
    ("acos", "acos(number)", "the arccosine, in radians"),
    ("atan", "atan(number)", "the arctangent, in radians"),
    (
        "atan2",
        "atan2(y, x)",
        "the angle of the point (x, y), in radians",
    ),
    (
        "degrees",
        "degrees(radians)",
        "radians converted to degrees",
    ),
    (
        "radians",
        "radians(degrees)",
        "degrees converted to radians",
    ),
    (
        "haversin",
        "haversin(radians)",
        "half the versine, (1 - cos x) / 2",
    ),
    (
        "rand",
        "rand()",
        "a random float from 0 (inclusive) to 1 (exclusive)",
    ),
    ("randomUUID", "randomUUID()", "a random UUID as a string"),
    (
        "timestamp",
        "timestamp()",
        "milliseconds since 1970-01-01 UTC",
    ),
    (
        "count",
        "count([DISTINCT] x) | count(*)",
        "the number of non-null values (or of rows)",
    ),
    ("sum", "sum([DISTINCT] number)", "the sum, 0 for no values"),
    ("avg", "avg([DISTINCT] number)", "the mean, as a float"),
    (
        "min",
        "min([DISTINCT] x)",
        "the least value in ORDER BY order",
    ),
    (
        "max",
        "max([DISTINCT] x)",
        "the greatest value in ORDER BY order",
    ),
    (
        "collect",
        "collect([DISTINCT] x)",
        "the non-null values as a list",
    ),
    (
        "stDev",
        "stDev([DISTINCT] number)",
        "the sample standard deviation",
    ),
    (
        "stDevP",
        "stDevP([DISTINCT] number)",
        "the population standard deviation",
    ),
    (
        "percentileCont",
        "percentileCont(number, p)",
        "the p-th percentile (0..1), interpolated",
    ),
    (
        "percentileDisc",
        "percentileDisc(number, p)",
        "the p-th percentile (0..1), the nearest value",
    ),
];

#[cfg(test)]
mod tests {
    use super::{HELP, describe};
    use crate::query::functions::all;

    #[test]
    fn every_function_has_help_and_every_help_a_function() {
        for f in all() {
            let (signature, summary) =
                describe(f.name).unwrap_or_else(|| panic!("{} has no help", f.name));
            assert!(signature.starts_with(f.name), "{signature}");
            assert!(!summary.is_empty());
        }
        for (name, _, _) in HELP {
            assert!(
                all().iter().any(|f| f.name == *name),
                "help for unknown {name}"
            );
        }
        assert_eq!(describe("TOUPPER").map(|d| d.0), Some("toUpper(string)"));
    }
}
