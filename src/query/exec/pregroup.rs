//! Grouping by element first: [`PreGroups`] groups rows by the graph
//! elements their grouping keys are read from, before reading the keys.
//!
//! `RETURN p1.name, p2.name, count(*)` groups by two strings: hashing,
//! comparing and copying them costs far more than the match that found
//! the row. But both keys are read from the nodes in `p1` and `p2`, so
//! rows with the same two nodes have the same keys: grouping by the two
//! node ids (two integers) first, and by the keys only once per pair of
//! nodes, gives the same groups. Likewise `labels(n)[0]` depends only on
//! `n`'s label set, which the store numbers ([`Graph::node_label_set`]),
//! and `type(r)` only on `r`'s type symbol.
//!
//! Each pre-group is then one group of the keys, or several pre-groups
//! share one: two nodes may have the same name. Which it is, is checked
//! at the end ([`PreGroups::injective`]): when each element's keys are
//! distinct across its distinct elements, the pre-groups are the groups
//! and no key is grouped at all; otherwise they are folded into a
//! [`Grouper`](super::group::Grouper) of the keys, one pre-group at a time (the
//! [`super::aggregation::Aggregation`] does that).
//!
//! Exactness. A key expression is admitted only when it is a function of
//! one element that cannot fail on it: the element itself, a property of
//! it, its labels (or one of them by a constant index), its type or its
//! id. A row whose slot holds no element of the required kind stops the
//! pre-grouping (the aggregation folds what it has and goes on by key), so
//! keys are never evaluated on anything else. Groups come out in the order
//! of their first row, as with plain grouping: a group's first row is the
//! first row of the first of its pre-groups. Within a group, the rows of
//! each pre-group are aggregated in order and the pre-groups are then
//! merged in order, so only aggregates indifferent to the order of their
//! rows are admitted: `count`, and `avg` up to the rounding of its float
//! sum when pre-groups are folded. (`min` and `max` are not: of two equal
//! values, `1` and `1.0`, they keep the first, which folding may change.)

use std::borrow::Cow;
use std::hash::BuildHasher;

use hashbrown::HashTable;

use crate::error::QueryError;
use crate::graph::{Graph, NodeId, RelId, Value};
use crate::query::analyze::ir::{BExpr, BProjection, Slot};
use crate::query::eval::{Env, eval, peek, property_ref};

use super::aggregation::INLINE_KEYS;
use super::group::{hash_key, value_eq};
use super::tag_table::TagTable;

/// What a pre-group part is keyed by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The element itself: its keys read its properties or its id.
    Element,
    /// A node's label set: its keys read only its labels.
    LabelSet,
    /// A relationship's type: its keys read only its type.
    RelType,
}

/// Which elements a slot may hold for its keys to be read without error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Needs {
    Any,
    Node,
    Rel,
}

/// One slot whose element determines some of the keys.
#[derive(Clone, Copy, Debug)]
struct Part {
    slot: Slot,
    kind: Kind,
    needs: Needs,
}

/// How one key expression reads its slot.
enum Use {
    /// A constant: reads no slot.
    Constant,
    /// Reads the element in `slot` as a whole (property, id, itself).
    Element(Slot, Needs),
    /// Reads only the labels of the node in `slot`.
    Labels(Slot),
    /// Reads only the type of the relationship in `slot`.
    Type(Slot),
}

/// How a key expression depends on the row, or `None` when it is not one
/// the pre-grouping admits (see the module doc).
fn key_use(e: &BExpr) -> Option<Use> {
    let call_on_var = |e: &BExpr| match e {
        BExpr::Call(f, args) if args.len() == 1 => match &args[0] {
            BExpr::Var(s) => Some((f.name, *s)),
            _ => None,
        },
        _ => None,
    };
    Some(match e {
        BExpr::Const(_) => Use::Constant,
        BExpr::Var(s) => Use::Element(*s, Needs::Any),
        BExpr::Prop(base, _) => match **base {
            BExpr::Var(s) => Use::Element(s, Needs::Any),
            _ => return None,
        },
        BExpr::Index(list, index) if matches!(**index, BExpr::Const(Value::Int(_))) => {
            match call_on_var(list)? {
                ("labels", s) => Use::Labels(s),
                _ => return None,
            }
        }
        BExpr::Call(..) => match call_on_var(e)? {
            ("labels", s) => Use::Labels(s),
            ("type", s) => Use::Type(s),
            ("id", s) => Use::Element(s, Needs::Any),
            _ => return None,
        },
        _ => return None,
    })
}

/// The most slots a pre-group is keyed by.
const MAX_PARTS: usize = INLINE_KEYS;

/// Rows grouped by the elements their keys are read from; see the module
/// doc. Group indexes number the pre-groups in order of first row; the
/// aggregation keeps their aggregates by the same index.
pub struct PreGroups {
    parts: Vec<Part>,
    /// Per grouping key: the part it reads, or `None` for a constant.
    key_parts: Vec<Option<usize>>,
    /// Tag to pre-group ([`PreGroups::tag`]).
    table: TagTable,
    /// Whether tags are the numbers themselves (one or two parts).
    packed: bool,
    /// Per pre-group, one number per part: the element (encoded), the
    /// label set or the type symbol.
    dets: Vec<u64>,
    /// Per pre-group, one element per part (encoded) whose keys stand
    /// for the pre-group's: only kept when some part is not
    /// [`Kind::Element`] (otherwise the element is the number itself).
    reps: Vec<u64>,
    needs_reps: bool,
    /// Per part whose numbers are its elements: a bitmap of the elements
    /// met so far, kept as pre-groups are made so that the end need not
    /// scan them all ([`PreGroups::injective`]); `None` for other parts,
    /// or once an element's number is too large for a bitmap.
    elements: Vec<Option<Vec<u64>>>,
    len: usize,
    /// The pre-group of the previous row: rows of one pre-group come in
    /// runs (a scan meets one label's nodes together), and comparing with
    /// one pre-group's numbers skips hashing. Checked before use.
    last: usize,
    /// The numbers of pre-group `last`, kept here: reading them from
    /// `dets` would cost a cache miss per row when rows hop between
    /// pre-groups.
    last_dets: [u64; MAX_PARTS],
}

/// An element as one number: nodes even, relationships odd. `None` for
/// anything else, or an id too large to shift.
fn encode(v: &Value, needs: Needs) -> Option<u64> {
    match (v, needs) {
        (Value::Node(id), Needs::Any | Needs::Node) if id.0 >> 63 == 0 => Some(id.0 << 1),
        (Value::Rel(id), Needs::Any | Needs::Rel) if id.0 >> 63 == 0 => Some(id.0 << 1 | 1),
        _ => None,
    }
}

fn decode(e: u64) -> Value {
    if e & 1 == 0 {
        Value::Node(NodeId(e >> 1))
    } else {
        Value::Rel(RelId(e >> 1))
    }
}

/// Slice equality without a call to `memcmp`: the slices hold one to
/// four numbers, and this runs once per row.
#[inline]
fn same(a: &[u64], b: &[u64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

fn hash_dets(dets: &[u64]) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7072_6567).hash_one(dets)
}

impl PreGroups {
    /// Pre-grouping for the keys of `p` (the items at `keys`), when every
    /// key is admitted and its aggregates merge exactly; `None` otherwise.
    pub fn plan(p: &BProjection, keys: &[usize]) -> Option<PreGroups> {
        if keys.is_empty()
            || keys.len() > INLINE_KEYS
            || !p
                .aggregates
                .iter()
                .all(|a| !a.distinct && matches!(a.name.as_str(), "count" | "avg"))
        {
            return None;
        }
        let mut parts: Vec<Part> = Vec::new();
        let mut key_parts = Vec::with_capacity(keys.len());
        for &k in keys {
            let (slot, kind, needs) = match key_use(&p.items[k].0)? {
                Use::Constant => {
                    key_parts.push(None);
                    continue;
                }
                Use::Element(s, n) => (s, Kind::Element, n),
                Use::Labels(s) => (s, Kind::LabelSet, Needs::Node),
                Use::Type(s) => (s, Kind::RelType, Needs::Rel),
            };
            let at = match parts.iter().position(|part| part.slot == slot) {
                Some(at) => at,
                None => {
                    parts.push(Part { slot, kind, needs });
                    parts.len() - 1
                }
            };
            let part = &mut parts[at];
            // Keys reading one slot in different ways group by the element.
            if part.kind != kind {
                part.kind = Kind::Element;
            }
            part.needs = match (part.needs, needs) {
                (a, Needs::Any) => a,
                (Needs::Any, b) => b,
                (a, b) if a == b => a,
                // `labels(x)` and `type(x)`: one of them fails on any row.
                _ => return None,
            };
            key_parts.push(Some(at));
        }
        if parts.is_empty() || parts.len() > MAX_PARTS {
            return None;
        }
        let needs_reps = parts.iter().any(|p| p.kind != Kind::Element);
        let packed = parts.len() <= 2;
        let parts_elements = parts
            .iter()
            .map(|p| (p.kind == Kind::Element).then(Vec::new))
            .collect();
        Some(PreGroups {
            parts,
            key_parts,
            table: TagTable::new(),
            packed,
            dets: Vec::new(),
            reps: Vec::new(),
            needs_reps,
            elements: parts_elements,
            len: 0,
            last: 0,
            last_dets: [0; MAX_PARTS],
        })
    }

    /// Whether every part is a label set or a type: the pre-groups are
    /// then few whatever the rows.
    pub fn few(&self) -> bool {
        self.parts.iter().all(|p| p.kind != Kind::Element)
    }

    /// The number of pre-groups.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no row came in yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether grouping by element is likely to pay on rows like `row`,
    /// the first: it does when the keys are read from label sets or types
    /// (few groups), or when some key read from an element is a string or
    /// a collection (expensive to hash, compare and copy). Numbers and
    /// elements group as cheaply as the element would.
    pub fn worthwhile(&self, env: &Env, p: &BProjection, keys: &[usize], row: &[Value]) -> bool {
        if self.needs_reps {
            return true;
        }
        keys.iter().zip(&self.key_parts).any(|(&k, part)| {
            part.is_some()
                && match peek(env.graph, &p.items[k].0, row) {
                    Some(Ok(v)) => matches!(
                        v.as_ref(),
                        Value::String(_) | Value::List(_) | Value::Map(_) | Value::Path(_)
                    ),
                    _ => false,
                }
        })
    }

    /// Writes the numbers of `row`'s elements into `out` (one per part);
    /// `false` when a slot holds no element of the kind its keys need.
    /// Fills a buffer rather than returning an array: the array would be
    /// copied out of its `Option` in wider moves than it was written in,
    /// which stalls the processor once per row.
    #[inline]
    fn dets_into(&self, graph: &Graph, row: &[Value], out: &mut [u64]) -> bool {
        for (d, part) in out.iter_mut().zip(&self.parts) {
            let Some(v) = row.get(part.slot) else {
                return false;
            };
            let found = match part.kind {
                Kind::Element => encode(v, part.needs),
                Kind::LabelSet => match v {
                    Value::Node(id) => graph.node_label_set(*id).map(u64::from),
                    _ => None,
                },
                Kind::RelType => match v {
                    Value::Rel(id) => graph.rel_type_symbol(*id).map(|s| u64::from(s.0)),
                    _ => None,
                },
            };
            match found {
                Some(x) => *d = x,
                None => return false,
            }
        }
        true
    }

    fn dets(&self, g: usize) -> &[u64] {
        let n = self.parts.len();
        &self.dets[g * n..(g + 1) * n]
    }

    /// The pre-group of `row` and whether it is new, or `None` when the row
    /// cannot be pre-grouped (a slot without an element of the kind its keys
    /// need).
    pub fn group_of(&mut self, graph: &Graph, row: &[Value]) -> Option<(usize, bool)> {
        let n = self.parts.len();
        let mut all = [0u64; MAX_PARTS];
        if !self.dets_into(graph, row, &mut all[..n]) {
            return None;
        }
        let dets = &all[..n];
        if self.last < self.len && same(&self.last_dets[..n], dets) {
            return Some((self.last, false));
        }
        let reps = if self.needs_reps {
            let mut reps = [0u64; MAX_PARTS];
            for (r, part) in reps.iter_mut().zip(&self.parts) {
                *r = encode(&row[part.slot], part.needs)?;
            }
            Some(reps)
        } else {
            None
        };
        let found = self.find_or_insert(dets, reps.as_ref().map(|r| &r[..n]))?;
        self.last = found.0;
        self.last_dets = all;
        Some(found)
    }

    /// Whether rows may be placed one row late ([`PreGroups::ahead`], then
    /// [`PreGroups::place`]): when the numbers alone make the pre-group
    /// (no representative elements to keep) and pre-groups are many
    /// enough for their table to miss the cache.
    pub fn defers(&self) -> bool {
        !self.needs_reps && !self.few()
    }

    /// `row`'s numbers, with the table slot where they would be found
    /// requested from memory, for [`PreGroups::place`] a row later; `None`
    /// when the row cannot be pre-grouped this way (place it now, by
    /// [`PreGroups::group_of`]). Only when [`PreGroups::defers`].
    #[inline]
    pub fn ahead(&self, graph: &Graph, row: &[Value]) -> Option<[u64; MAX_PARTS]> {
        let n = self.parts.len();
        let mut all = [0u64; MAX_PARTS];
        if !self.dets_into(graph, row, &mut all[..n]) {
            return None;
        }
        let tag = self.tag(&all[..n])?;
        self.table.prefetch(Self::hash_of(self.packed, tag));
        Some(all)
    }

    /// The pre-group of the numbers [`PreGroups::ahead`] gave, and whether
    /// it is new.
    #[inline]
    pub fn place(&mut self, all: [u64; MAX_PARTS]) -> (usize, bool) {
        let n = self.parts.len();
        let dets = &all[..n];
        if self.last < self.len && same(&self.last_dets[..n], dets) {
            return (self.last, false);
        }
        // `ahead` saw the numbers make a tag, and no representatives are
        // kept: this finds or makes a pre-group.
        let found = self
            .find_or_insert(dets, None)
            .unwrap_or((self.last, false));
        self.last = found.0;
        self.last_dets = all;
        found
    }

    /// The table's tag for `dets`: with one or two parts the numbers
    /// themselves packed into one (equal tags are equal numbers, and a
    /// probe needs no second look), else their hash. `None` when two
    /// numbers do not fit in 32 bits each.
    fn tag(&self, dets: &[u64]) -> Option<u64> {
        match dets {
            [d] if self.packed => Some(*d),
            [a, b] if self.packed => (*a >> 32 == 0 && *b >> 32 == 0).then_some(a << 32 | b),
            _ => Some(hash_dets(dets)),
        }
    }

    /// The hash the table files `tag` under.
    fn hash_of(packed: bool, tag: u64) -> u64 {
        if packed {
            // A multiplicative mix: packed ids are dense and small.
            (tag ^ (tag >> 29))
                .wrapping_mul(0xbf58_476d_1ce4_e5b9)
                .rotate_left(31)
        } else {
            tag
        }
    }

    fn find_or_insert(&mut self, dets: &[u64], reps: Option<&[u64]>) -> Option<(usize, bool)> {
        let tag = self.tag(dets)?;
        let packed = self.packed;
        let hash = Self::hash_of(packed, tag);
        let n = self.parts.len();
        let all = &self.dets;
        if let Some(g) = self.table.find(hash, tag, |g| {
            packed || same(&all[g as usize * n..][..n], dets)
        }) {
            return Some((g as usize, false));
        }
        let g = self.len;
        self.len += 1;
        for (bits, &d) in self.elements.iter_mut().zip(dets) {
            if let Some(b) = bits
                && !mark(b, d)
            {
                *bits = None;
            }
        }
        self.dets.extend_from_slice(dets);
        if let Some(reps) = reps {
            self.reps.extend_from_slice(reps);
        }
        self.table
            .insert_new(hash, tag, g as u32, |t| Self::hash_of(packed, t));
        Some((g, true))
    }

    /// Whether `later`, built for the same projection, can be folded into
    /// this one by [`PreGroups::absorb`]: its parts are these, and each of
    /// its pre-groups has a tag here.
    pub fn can_absorb(&self, later: &PreGroups) -> bool {
        self.parts.len() == later.parts.len()
            && self
                .parts
                .iter()
                .zip(&later.parts)
                .all(|(a, b)| a.slot == b.slot && a.kind == b.kind && a.needs == b.needs)
            && (0..later.len).all(|g| self.tag(later.dets(g)).is_some())
    }

    /// Folds in the pre-groups of `later` (over rows that all come after
    /// this one's), calling `f(g, new)` for each of them in order with the
    /// pre-group here it went to. Only after [`PreGroups::can_absorb`].
    pub fn absorb(&mut self, later: &PreGroups, f: &mut dyn FnMut(usize, bool)) {
        let n = self.parts.len();
        let packed = self.packed;
        self.table.reserve(later.len, |t| Self::hash_of(packed, t));
        self.dets.reserve(later.dets.len());
        self.reps.reserve(later.reps.len());
        for g in 0..later.len {
            let reps = later.needs_reps.then(|| &later.reps[g * n..(g + 1) * n]);
            // `can_absorb` saw every tag exist.
            if let Some((at, new)) = self.find_or_insert(later.dets(g), reps) {
                f(at, new);
            }
        }
    }

    /// Writes pre-group `g`'s elements into `row`: the keys evaluated on
    /// it are the pre-group's keys.
    pub fn bind(&self, g: usize, row: &mut [Value]) {
        let n = self.parts.len();
        for (i, part) in self.parts.iter().enumerate() {
            let e = if self.needs_reps {
                self.reps[g * n + i]
            } else {
                self.dets[g * n + i]
            };
            row[part.slot] = decode(e);
        }
    }

    /// Whether no two pre-groups have equal keys, so that the pre-groups
    /// are the groups: true when, for each part, the keys read from it
    /// differ between any two of its distinct elements (label sets,
    /// types). Evaluates those keys once per distinct element.
    pub fn injective(
        &self,
        env: &Env,
        p: &BProjection,
        keys: &[usize],
        width: usize,
    ) -> Result<bool, QueryError> {
        let n = self.parts.len();
        let exprs_of = |pi: usize| -> Vec<&BExpr> {
            keys.iter()
                .zip(&self.key_parts)
                .filter(|(_, kp)| **kp == Some(pi))
                .map(|(&k, _)| &p.items[k].0)
                .collect()
        };
        let mut row = vec![Value::Null; width];
        let mut checked = vec![false; n];
        for pi in 0..n {
            if checked[pi] {
                continue;
            }
            let exprs = exprs_of(pi);
            // Parts whose keys are the same function of their element
            // (`p1.name` and `p2.name`) are checked together, over all
            // their elements: distinct across the union, distinct in each.
            let together: Vec<usize> = (pi..n)
                .filter(|&pj| {
                    let other = exprs_of(pj);
                    !checked[pj]
                        && self.parts[pj].kind == self.parts[pi].kind
                        && other.len() == exprs.len()
                        && other.iter().zip(&exprs).all(|(a, b)| same_function(a, b))
                })
                .collect();
            for &pj in &together {
                checked[pj] = true;
            }
            let elements = self.distinct_elements(env, &together)?;
            // The keys read so far, borrowed from the graph where they are
            // properties: names are compared, never copied.
            let mut values: Vec<Cow<Value>> = Vec::with_capacity(elements.len() * exprs.len());
            let mut table: HashTable<(u64, usize)> = HashTable::with_capacity(elements.len());
            let slot = self.parts[pi].slot;
            for e in elements {
                env.guard.tick()?;
                let element = decode(e);
                let first = values.len();
                for e in &exprs {
                    values.push(match e {
                        BExpr::Prop(_, key) => {
                            property_ref(env.graph, Cow::Owned(element.clone()), key)?
                        }
                        _ => {
                            row[slot] = element.clone();
                            Cow::Owned(eval(env, e, &mut row)?)
                        }
                    });
                }
                let key = &values[first..];
                let hash = hash_key(key);
                let w = exprs.len();
                if table
                    .find(hash, |&(h, at)| {
                        h == hash && keys_eq_cow(&values[at..at + w], key)
                    })
                    .is_some()
                {
                    return Ok(false);
                }
                table.insert_unique(hash, (hash, first), |&(h, _)| h);
            }
        }
        Ok(true)
    }

    /// One element (encoded) for each distinct number of the parts
    /// `together`: from their bitmaps when all kept one, else by a pass
    /// over the pre-groups.
    fn distinct_elements(&self, env: &Env, together: &[usize]) -> Result<Vec<u64>, QueryError> {
        let n = self.parts.len();
        let maps: Option<Vec<&Vec<u64>>> = together
            .iter()
            .map(|&pj| self.elements[pj].as_ref())
            .collect();
        if let Some(maps) = maps {
            let words = maps.iter().map(|m| m.len()).max().unwrap_or(0);
            let mut out = Vec::new();
            for w in 0..words {
                let mut word = maps
                    .iter()
                    .fold(0u64, |acc, m| acc | m.get(w).copied().unwrap_or(0));
                while word != 0 {
                    let bit = u64::from(word.trailing_zeros());
                    word &= word - 1;
                    out.push((w as u64) << 6 | bit);
                }
            }
            return Ok(out);
        }
        let mut seen = Seen::for_numbers(
            together
                .iter()
                .flat_map(|&pj| self.dets.iter().skip(pj).step_by(n).copied()),
        );
        let mut out = Vec::new();
        for g in 0..self.len {
            env.guard.tick()?;
            for &pj in together {
                let det = self.dets[g * n + pj];
                if seen.insert(det) {
                    out.push(if self.needs_reps {
                        self.reps[g * n + pj]
                    } else {
                        det
                    });
                }
            }
        }
        Ok(out)
    }
}

/// Whether two admitted key expressions compute the same function of the
/// element in their slot (the slots may differ): `p1.name` and `p2.name`.
fn same_function(a: &BExpr, b: &BExpr) -> bool {
    match (a, b) {
        (BExpr::Var(_), BExpr::Var(_)) => true,
        (BExpr::Const(x), BExpr::Const(y)) => x == y,
        (BExpr::Prop(x, k), BExpr::Prop(y, l)) => {
            matches!((&**x, &**y), (BExpr::Var(_), BExpr::Var(_))) && k.name == l.name
        }
        (BExpr::Call(f, xs), BExpr::Call(g, ys)) => {
            f.name == g.name
                && xs.len() == ys.len()
                && xs.iter().zip(ys).all(|(x, y)| same_function(x, y))
        }
        (BExpr::Index(l1, i1), BExpr::Index(l2, i2)) => {
            same_function(l1, l2) && same_function(i1, i2)
        }
        _ => false,
    }
}

/// Sets bit `d` of `bits`, growing it; `false` when `d` is too large for a
/// bitmap worth keeping.
#[inline]
fn mark(bits: &mut Vec<u64>, d: u64) -> bool {
    if d >= Seen::MAX_BITS {
        return false;
    }
    let w = (d >> 6) as usize;
    if w >= bits.len() {
        let len = (w + 1).max(bits.len() * 2);
        bits.resize(len, 0);
    }
    bits[w] |= 1 << (d & 63);
    true
}

fn keys_eq_cow(a: &[Cow<Value>], b: &[Cow<Value>]) -> bool {
    a.iter().zip(b).all(|(x, y)| value_eq(x, y))
}

/// A set of numbers that are seen once each: a bitmap when the largest is
/// small enough (element ids, label sets and types usually are), a hash
/// set otherwise.
enum Seen {
    Bits(Vec<u64>),
    Hashed(HashTable<u64>),
}

impl Seen {
    /// The largest bitmap, in bits (16 MiB).
    const MAX_BITS: u64 = 1 << 27;

    /// An empty set for `numbers` (read once to size it).
    fn for_numbers(numbers: impl Iterator<Item = u64>) -> Seen {
        match numbers.max() {
            Some(max) if max < Self::MAX_BITS => Seen::Bits(vec![0; (max >> 6) as usize + 1]),
            None => Seen::Bits(Vec::new()),
            Some(_) => Seen::Hashed(HashTable::new()),
        }
    }

    /// Adds `x`; `false` when it was there already.
    fn insert(&mut self, x: u64) -> bool {
        match self {
            Seen::Bits(words) => {
                let (w, bit) = ((x >> 6) as usize, 1u64 << (x & 63));
                let new = words[w] & bit == 0;
                words[w] |= bit;
                new
            }
            Seen::Hashed(set) => {
                let h = hash_dets(std::slice::from_ref(&x));
                if set.find(h, |&d| d == x).is_some() {
                    return false;
                }
                set.insert_unique(h, x, |&d| hash_dets(std::slice::from_ref(&d)));
                true
            }
        }
    }
}
