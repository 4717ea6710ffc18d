//! [`IdSet`]: a compressed, ordered set of element ids for the label and
//! type indexes.
//!
//! A `BTreeSet<u64>` costs about 36 bytes per id once its nodes are half
//! full, which for a million relationships is tens of megabytes. Here ids
//! are split by their high bits into chunks of 2^16; a chunk is a sorted
//! array of the low 16 bits while it is sparse and a bitmap once it holds
//! more than [`ARRAY_MAX`] ids (the layout of Roaring bitmaps). A dense
//! chunk then costs one bit per possible id, a sparse one two bytes per id,
//! and inserts, removes and in-order iteration stay cheap, so deletes and
//! undo need no special handling.

/// Ids per chunk: the low 16 bits index inside a chunk.
const CHUNK_BITS: u32 = 16;
/// Words in a bitmap chunk.
const WORDS: usize = (1 << CHUNK_BITS) / 64;
/// The most ids an array chunk holds; beyond this a bitmap (8 KiB) is
/// smaller.
const ARRAY_MAX: usize = 4096;

#[derive(Clone, Debug)]
enum Chunk {
    /// Sorted low bits.
    Array(Vec<u16>),
    /// One bit per low value, with the number of bits set.
    Bitmap(Box<[u64; WORDS]>, u32),
}

impl Chunk {
    fn len(&self) -> usize {
        match self {
            Chunk::Array(a) => a.len(),
            Chunk::Bitmap(_, n) => *n as usize,
        }
    }

    /// Adds `low`; false if it was there.
    fn insert(&mut self, low: u16) -> bool {
        match self {
            Chunk::Array(a) => {
                // Bulk loads insert in id order: append without a search.
                if a.last().is_none_or(|&l| l < low) {
                    a.push(low);
                } else {
                    match a.binary_search(&low) {
                        Ok(_) => return false,
                        Err(i) => a.insert(i, low),
                    }
                }
                if a.len() > ARRAY_MAX {
                    let mut bits = Box::new([0u64; WORDS]);
                    for &l in a.iter() {
                        bits[usize::from(l) / 64] |= 1 << (l % 64);
                    }
                    *self = Chunk::Bitmap(bits, (ARRAY_MAX + 1) as u32);
                }
                true
            }
            Chunk::Bitmap(bits, n) => {
                let (w, b) = (usize::from(low) / 64, low % 64);
                if bits[w] & (1 << b) != 0 {
                    return false;
                }
                bits[w] |= 1 << b;
                *n += 1;
                true
            }
        }
    }

    /// Removes `low`; false if it was not there.
    fn remove(&mut self, low: u16) -> bool {
        match self {
            Chunk::Array(a) => match a.binary_search(&low) {
                Ok(i) => {
                    a.remove(i);
                    true
                }
                Err(_) => false,
            },
            Chunk::Bitmap(bits, n) => {
                let (w, b) = (usize::from(low) / 64, low % 64);
                if bits[w] & (1 << b) == 0 {
                    return false;
                }
                bits[w] &= !(1 << b);
                *n -= 1;
                // Back to an array well below the switch point, so that
                // alternating inserts and removes do not convert each time.
                if (*n as usize) < ARRAY_MAX / 2 {
                    *self = Chunk::Array(bitmap_values(bits).collect());
                }
                true
            }
        }
    }

    /// The low values in ascending order.
    fn values(&self) -> ChunkIter<'_> {
        match self {
            Chunk::Array(a) => ChunkIter::Array(a.iter()),
            Chunk::Bitmap(bits, _) => ChunkIter::Bitmap(bitmap_values(bits)),
        }
    }
}

/// The set bits of a bitmap chunk, in ascending order.
fn bitmap_values(bits: &[u64; WORDS]) -> BitIter<'_> {
    BitIter {
        words: bits,
        word: 0,
        rest: bits[0],
    }
}

/// Iterator over the set bits of a bitmap chunk.
struct BitIter<'a> {
    words: &'a [u64; WORDS],
    /// Index of the word `rest` came from.
    word: usize,
    /// The bits of that word not yet returned.
    rest: u64,
}

impl Iterator for BitIter<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        while self.rest == 0 {
            self.word += 1;
            self.rest = *self.words.get(self.word)?;
        }
        let b = self.rest.trailing_zeros();
        self.rest &= self.rest - 1;
        Some((self.word * 64) as u16 + b as u16)
    }
}

/// Iterator over one chunk, without dynamic dispatch.
enum ChunkIter<'a> {
    Array(std::slice::Iter<'a, u16>),
    Bitmap(BitIter<'a>),
}

impl Iterator for ChunkIter<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        match self {
            ChunkIter::Array(it) => it.next().copied(),
            ChunkIter::Bitmap(it) => it.next(),
        }
    }
}

/// An ordered set of `u64` ids, compact for both sparse and dense sets.
#[derive(Clone, Debug, Default)]
pub(crate) struct IdSet {
    /// Chunks by high bits, sorted by them; no chunk is empty.
    chunks: Vec<(u64, Chunk)>,
    len: usize,
}

fn split(id: u64) -> (u64, u16) {
    (id >> CHUNK_BITS, id as u16)
}

impl IdSet {
    /// Number of ids in the set.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn chunk_pos(&self, high: u64) -> Result<usize, usize> {
        // Ids mostly arrive in order, so try the last chunk first.
        match self.chunks.last() {
            Some((h, _)) if *h == high => Ok(self.chunks.len() - 1),
            Some((h, _)) if *h < high => Err(self.chunks.len()),
            _ => self.chunks.binary_search_by_key(&high, |(h, _)| *h),
        }
    }

    /// Adds `id`; false if it was there.
    pub(crate) fn insert(&mut self, id: u64) -> bool {
        let (high, low) = split(id);
        let added = match self.chunk_pos(high) {
            Ok(i) => self.chunks[i].1.insert(low),
            Err(i) => {
                self.chunks.insert(i, (high, Chunk::Array(vec![low])));
                true
            }
        };
        self.len += usize::from(added);
        added
    }

    /// Removes `id`; false if it was not there.
    pub(crate) fn remove(&mut self, id: u64) -> bool {
        let (high, low) = split(id);
        let Ok(i) = self.chunk_pos(high) else {
            return false;
        };
        let removed = self.chunks[i].1.remove(low);
        if removed {
            self.len -= 1;
            if self.chunks[i].1.len() == 0 {
                self.chunks.remove(i);
            }
        }
        removed
    }

    /// The ids in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.chunks.iter().flat_map(|(high, chunk)| {
            let base = high << CHUNK_BITS;
            chunk.values().map(move |low| base | u64::from(low))
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// Applies the same operations to an `IdSet` and a `BTreeSet` and
    /// checks that they agree throughout, across array/bitmap switches.
    #[test]
    fn agrees_with_a_btree_set_through_inserts_and_removes() {
        let mut set = IdSet::default();
        let mut model = BTreeSet::new();
        // A dense run that turns into a bitmap, sparse ids in other chunks
        // and one far away, inserted partly out of order.
        let mut ids: Vec<u64> = (0..10_000).collect();
        ids.extend((0..300).map(|i| 70_000 + i * 97));
        ids.push(1 << 40);
        ids.extend((10_000..12_000).rev());
        for &id in &ids {
            assert_eq!(set.insert(id), model.insert(id));
        }
        assert!(!set.insert(5));
        assert_eq!(set.len(), model.len());
        assert!(set.iter().eq(model.iter().copied()));
        // Remove most of the dense chunk so it turns back into an array.
        for id in (0..12_000).filter(|i| i % 7 != 0) {
            assert_eq!(set.remove(id), model.remove(&id));
        }
        assert!(!set.remove(1));
        assert!(!set.remove(123_456_789));
        assert_eq!(set.len(), model.len());
        assert!(set.iter().eq(model.iter().copied()));
        assert!(set.iter().any(|i| i == 1 << 40));
        for id in model.clone() {
            assert!(set.remove(id));
        }
        assert!(set.is_empty() && set.chunks.is_empty());
    }
}
