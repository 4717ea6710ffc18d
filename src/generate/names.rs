//! Unique, readable names for generated nodes: the i-th name of a label
//! is a fixed mixed-radix combination of word lists, with a generation
//! number appended once the combinations run out, so names are unique
//! within a label at any size.

const FIRST: &[&str] = &[
    "Ada",
    "Amir",
    "Anna",
    "Boris",
    "Carla",
    "Chen",
    "Dmitri",
    "Elena",
    "Emeka",
    "Farah",
    "Hana",
    "Ivan",
    "Jonas",
    "Kateryna",
    "Keir",
    "Lars",
    "Leila",
    "Marco",
    "Maria",
    "Mikhail",
    "Nadia",
    "Olena",
    "Omar",
    "Pablo",
    "Priya",
    "Rustem",
    "Sara",
    "Sergei",
    "Tomas",
    "Volodymyr",
    "Yulia",
    "Zofia",
];

const LAST: &[&str] = &[
    "Abe",
    "Barros",
    "Costa",
    "Dahl",
    "Esposito",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kovalenko",
    "Larsen",
    "Moreau",
    "Novak",
    "Okafor",
    "Petrova",
    "Quinn",
    "Rossi",
    "Sato",
    "Shevchenko",
    "Silva",
    "Tanaka",
    "Umarov",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zelenko",
    "Kowalski",
    "Lindqvist",
    "Mendes",
    "Nakamura",
    "Orlov",
    "Popescu",
    "Rubio",
    "Stoltenberg",
    "Tkachenko",
    "Witkoff",
];

const ORG_FIRST: &[&str] = &[
    "Atlantic",
    "Baltic",
    "Central",
    "Eastern",
    "Federal",
    "Global",
    "Independent",
    "National",
    "Northern",
    "Pacific",
    "Royal",
    "Southern",
    "United",
    "Western",
    "Free",
    "Open",
];

const ORG_SECOND: &[&str] = &[
    "Energy", "Defence", "Media", "Health", "Grain", "Rail", "Steel", "Press", "Policy", "Trade",
    "Aid", "Shipping", "Security", "Finance", "Farming", "Space",
];

const ORG_KIND: &[&str] = &[
    "Council",
    "Ministry",
    "Agency",
    "Institute",
    "Group",
    "Union",
    "Fund",
    "Alliance",
    "Bureau",
    "Company",
    "Foundation",
    "Committee",
];

const SYLLABLES: &[&str] = &[
    "ka", "lo", "vi", "ber", "dor", "mi", "sa", "tan", "gra", "pol", "ny", "zan", "kov", "ri",
    "ten", "bu", "sk", "mar", "esh", "ol", "va", "din", "hu", "lis",
];

const EVENT_KIND: &[&str] = &[
    "Summit",
    "Strike",
    "Election",
    "Protest",
    "Ceasefire",
    "Conference",
    "Talks",
    "Flood",
    "Blackout",
    "Referendum",
    "Exercise",
    "Visit",
];

/// Words for quote texts; quotes need not make sense, only look like text.
pub(crate) const WORDS: &[&str] = &[
    "peace",
    "war",
    "we",
    "will",
    "not",
    "accept",
    "the",
    "people",
    "must",
    "talks",
    "deal",
    "pressure",
    "strike",
    "city",
    "support",
    "never",
    "now",
    "plan",
    "our",
    "partners",
    "time",
    "security",
    "guarantees",
    "energy",
    "winter",
    "children",
    "justice",
    "again",
    "today",
    "clear",
    "ready",
    "stop",
    "agreement",
    "territory",
    "front",
    "aid",
    "sanctions",
    "respect",
    "future",
    "truth",
];

/// Digits of `i` in the mixed radix given by the list lengths, least
/// significant first, and the number of full cycles beyond them.
fn mixed_radix(mut i: u64, lists: &[&[&str]]) -> (Vec<usize>, u64) {
    let mut digits = Vec::with_capacity(lists.len());
    for list in lists {
        let n = list.len() as u64;
        digits.push((i % n) as usize);
        i /= n;
    }
    (digits, i)
}

/// Appends ` N` (N >= 2) for the second and later cycles.
fn with_generation(mut name: String, generation: u64) -> String {
    if generation > 0 {
        name.push(' ');
        name.push_str(&(generation + 1).to_string());
    }
    name
}

/// "Maria Petrova", ..., then "Maria Petrova 2", ...
pub(crate) fn person(i: u64) -> String {
    let (d, g) = mixed_radix(i, &[FIRST, LAST]);
    with_generation(format!("{} {}", FIRST[d[0]], LAST[d[1]]), g)
}

/// "National Energy Agency", ...
pub(crate) fn organization(i: u64) -> String {
    let (d, g) = mixed_radix(i, &[ORG_FIRST, ORG_SECOND, ORG_KIND]);
    with_generation(
        format!(
            "{} {} {}",
            ORG_FIRST[d[0]], ORG_SECOND[d[1]], ORG_KIND[d[2]]
        ),
        g,
    )
}

/// A made-up place name of three syllables, e.g. "Kalovi".
pub(crate) fn place(i: u64) -> String {
    let (d, g) = mixed_radix(i, &[SYLLABLES, SYLLABLES, SYLLABLES]);
    let mut name: String = d.iter().rev().map(|&k| SYLLABLES[k]).collect();
    if let Some(first) = name.get(..1) {
        let upper = first.to_uppercase();
        name.replace_range(..1, &upper);
    }
    with_generation(name, g)
}

/// "Summit 1", "Strike 1", ..., "Summit 2", ...
pub(crate) fn event(i: u64) -> String {
    let n = EVENT_KIND.len() as u64;
    format!("{} {}", EVENT_KIND[(i % n) as usize], i / n + 1)
}

/// "article-000001"
pub(crate) fn article(i: u64) -> String {
    format!("article-{:06}", i + 1)
}

/// "quote-000001"
pub(crate) fn quote(i: u64) -> String {
    format!("quote-{:06}", i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn all_unique(f: fn(u64) -> String, n: u64) -> bool {
        let names: HashSet<String> = (0..n).map(f).collect();
        names.len() as u64 == n
    }

    #[test]
    fn names_are_unique_across_several_generations() {
        let cycle = (FIRST.len() * LAST.len()) as u64;
        assert!(all_unique(person, 3 * cycle + 5));
        assert!(all_unique(organization, 10_000));
        assert!(all_unique(place, 30_000));
        assert!(all_unique(event, 10_000));
        assert!(all_unique(article, 10_000));
        assert!(all_unique(quote, 10_000));
    }

    #[test]
    fn later_generations_carry_a_number() {
        let cycle = (FIRST.len() * LAST.len()) as u64;
        assert_eq!(person(0), "Ada Abe");
        assert_eq!(person(cycle), "Ada Abe 2");
        assert!(place(0).starts_with(char::is_uppercase));
    }
}
