//! [`Needle`]: the searcher of a constant `CONTAINS` operand, built once
//! per run and tried on every row's string.

use memchr::memmem::Finder;

/// Haystacks shorter than this are searched by a plain loop: names and
/// labels are a dozen or two bytes, below the length at which memchr's
/// vector searcher starts, and its fallback for short haystacks (a
/// rolling hash over every byte) costs more than comparing a few bytes at
/// the positions where the needle's first and last bytes both match.
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
        let last = n[n.len() - 1];
        let tail = n.len() - 1;
        (0..=last_start).any(|i| {
            haystack[i] == first && haystack[i + tail] == last && haystack[i..i + n.len()] == *n
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The short loop and memchr agree on every needle and haystack of a
    /// small alphabet, at every length up to past the cut-over.
    #[test]
    fn short_and_long_searches_agree_with_a_naive_search() {
        let naive = |h: &[u8], n: &[u8]| n.is_empty() || h.windows(n.len()).any(|w| w == n);
        let needles: [&[u8]; 7] = [b"", b"a", b"ab", b"aba", b"ova", b"bbbb", "é".as_bytes()];
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
