//! [`Needle`]: the searcher of a constant `CONTAINS` operand, built once
//! per run and tried on every row's string.

use memchr::memmem::Finder;

/// Haystacks shorter than this are searched here, eight positions per
/// step in a 64-bit word: names and labels are a dozen or two bytes,
/// below the length at which memchr's vector searcher starts, and its
/// fallback for short haystacks (a rolling hash over every byte) costs
/// more than comparing bytes only where the needle's first and last bytes
/// both match.
const SHORT: usize = 64;

/// A constant needle with its searchers.
pub struct Needle {
    /// The needle's bytes.
    bytes: Box<[u8]>,
    /// memchr's searcher, for long haystacks.
    finder: Finder<'static>,
}

impl Needle {
    /// The searchers for `needle`.
    pub fn new(needle: &[u8]) -> Needle {
        Needle {
            bytes: needle.into(),
            finder: Finder::new(needle).into_owned(),
        }
    }

    /// memchr's searcher, for searching many texts laid end to end.
    pub fn finder(&self) -> &Finder<'static> {
        &self.finder
    }

    /// Whether `haystack` contains the needle.
    #[inline]
    pub fn found_in(&self, haystack: &[u8]) -> bool {
        if haystack.len() >= SHORT {
            return self.finder.find(haystack).is_some();
        }
        let n = &self.bytes[..];
        let Some((&first, _)) = n.split_first() else {
            return true;
        };
        let Some(last_start) = haystack.len().checked_sub(n.len()) else {
            return false;
        };
        let tail = n.len() - 1;
        let last = n[tail];
        let at = |i: usize| haystack[i..i + n.len()] == *n;
        if last_start < WORD {
            // Too short for a word of candidate positions.
            return (0..=last_start)
                .any(|i| haystack[i] == first && haystack[i + tail] == last && at(i));
        }
        // Eight candidate positions at a time: the bytes where the
        // needle's first byte matches and, `tail` bytes on, its last byte
        // too; only those are compared in full. The last word overlaps the
        // one before rather than leaving a remainder.
        let (f, l) = (splat(first), splat(last));
        let mut i = 0;
        loop {
            let i0 = i.min(last_start + 1 - WORD);
            let mut hits = zero_bytes((word(haystack, i0) ^ f) | (word(haystack, i0 + tail) ^ l));
            while hits != 0 {
                if at(i0 + (hits.trailing_zeros() / 8) as usize) {
                    return true;
                }
                hits &= hits - 1;
            }
            if i0 + WORD > last_start {
                return false;
            }
            i += WORD;
        }
    }
}

/// The bytes of a word.
const WORD: usize = 8;

/// `b` in every byte of a word.
fn splat(b: u8) -> u64 {
    u64::from(b) * 0x0101_0101_0101_0101
}

/// The eight bytes of `h` from `i`, the first in the lowest byte.
#[inline]
fn word(h: &[u8], i: usize) -> u64 {
    let mut w = [0u8; WORD];
    w.copy_from_slice(&h[i..i + WORD]);
    u64::from_le_bytes(w)
}

/// The top bit of each zero byte of `x`, exactly (no carries between
/// bytes, unlike the shorter trick).
#[inline]
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short loop and memchr agree on every needle and haystack of a
    /// small alphabet, at every length up to past the cut-over.
    #[test]
    fn short_and_long_searches_agree_with_a_naive_search() {
        let naive = |h: &[u8], n: &[u8]| n.is_empty() || h.windows(n.len()).any(|w| w == n);
        let needles: [&[u8]; 10] = [
            b"",
            b"a",
            b"ab",
            b"aba",
            b"ova",
            b"bbbb",
            "é".as_bytes(),
            b"abovabova",
            b"vvvvvvvvvvvv",
            b"a\xc3",
        ];
        let mut state = 7u64;
        for len in 0..(SHORT + 8) {
            for _ in 0..40 {
                let h: Vec<u8> = (0..len)
                    .map(|_| {
                        state = state
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        b"abov\xc3\xa9"[(state >> 60) as usize % 6]
                    })
                    .collect();
                for n in needles {
                    assert_eq!(Needle::new(n).found_in(&h), naive(&h, n), "{n:?} in {h:?}");
                }
            }
        }
    }
}
