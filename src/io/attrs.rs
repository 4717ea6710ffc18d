//! Property keys in formats that put properties beside fixed attributes
//! (`id`, `labels`, `type`, ...): a property that would collide with one is
//! written with a `prop_` prefix, and the prefix is removed on import.
//! The rule is applied recursively, so `prop_id` becomes `prop_prop_id`
//! and every key survives the round trip.

/// Whether `key` must be prefixed among the fixed names `reserved`.
fn needs_prefix(key: &str, reserved: &[&str]) -> bool {
    reserved.contains(&key)
        || key
            .strip_prefix("prop_")
            .is_some_and(|rest| needs_prefix(rest, reserved))
}

/// The attribute name under which property `key` is written.
pub(crate) fn escape_key(key: &str, reserved: &[&str]) -> String {
    if needs_prefix(key, reserved) {
        format!("prop_{key}")
    } else {
        key.to_owned()
    }
}

/// The property key an attribute name stands for.
pub(crate) fn unescape_key<'k>(name: &'k str, reserved: &[&str]) -> &'k str {
    match name.strip_prefix("prop_") {
        Some(rest) if needs_prefix(rest, reserved) => rest,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_keys_round_trip() {
        let reserved = ["id", "labels"];
        for key in [
            "id",
            "prop_id",
            "prop_prop_id",
            "name",
            "prop_name",
            "labels",
        ] {
            let written = escape_key(key, &reserved);
            assert!(!reserved.contains(&written.as_str()));
            assert_eq!(unescape_key(&written, &reserved), key);
        }
        assert_eq!(escape_key("prop_name", &reserved), "prop_name");
    }
}
