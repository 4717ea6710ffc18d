//! A seeded pseudo-random generator and a Zipf-like sampler: enough
//! randomness for a reproducible benchmark graph without a crate whose
//! output could change between versions.

/// SplitMix64 (Steele, Lea and Flood): one 64-bit state, full period,
/// and good enough statistics for synthetic data. The same seed gives the
/// same sequence on every platform and in every release.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift, which has
    /// no modulo bias worth speaking of for the sizes used here.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    /// A float in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A float in `[0, 1)` rounded to three decimals, so that it survives
    /// a round trip through CSV text unchanged in every engine.
    pub(crate) fn milli(&mut self) -> f64 {
        self.below(1000) as f64 / 1000.0
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A uniformly random permutation of `0..n` (Fisher-Yates).
    pub(crate) fn permutation(&mut self, n: usize) -> Vec<u32> {
        let mut p: Vec<u32> = (0..n as u32).collect();
        for i in (1..n).rev() {
            let j = self.below(i as u64 + 1) as usize;
            p.swap(i, j);
        }
        p
    }
}

/// Samples ranks `0..n` with probability proportional to `1 / (rank+1)^s`,
/// then maps each rank to an element through a fixed permutation, so that
/// popularity is not tied to id order. `s = 1` gives a few huge hubs and a
/// long tail, as mentions in news do.
#[derive(Clone, Debug)]
pub(crate) struct Zipf {
    cumulative: Vec<f64>,
    by_rank: Vec<u32>,
}

impl Zipf {
    pub(crate) fn new(by_rank: Vec<u32>, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..by_rank.len())
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf {
            cumulative,
            by_rank,
        }
    }

    /// An element (an index into the population); `O(log n)`. The
    /// population must not be empty.
    pub(crate) fn sample(&self, rng: &mut Rng) -> u32 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let target = rng.unit() * total;
        let rank = self
            .cumulative
            .partition_point(|&c| c <= target)
            .min(self.by_rank.len() - 1);
        self.by_rank[rank]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_sequence_and_other_seeds_differ() {
        let a: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = Rng::new(7);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = Rng::new(8);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn splitmix_matches_the_reference_output() {
        // First outputs of the reference C implementation seeded with 0.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn below_and_between_stay_in_range() {
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            let x = r.between(-3, 3);
            assert!((-3..=3).contains(&x));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert_eq!(r.below(0), 0);
    }

    #[test]
    fn permutation_holds_every_index_once() {
        let mut p = Rng::new(3).permutation(1000);
        p.sort_unstable();
        assert_eq!(p, (0..1000).collect::<Vec<u32>>());
    }

    #[test]
    fn zipf_favours_the_top_rank_heavily() {
        let mut rng = Rng::new(5);
        let zipf = Zipf::new((0..1000).collect(), 1.0);
        let mut counts = vec![0u32; 1000];
        for _ in 0..100_000 {
            counts[zipf.sample(&mut rng) as usize] += 1;
        }
        // Rank 0 has weight 1/H(1000), about 13%; rank 999 about 0.013%.
        assert!(counts[0] > 10_000, "top rank drew {}", counts[0]);
        assert!(counts[0] > 20 * counts[99]);
        assert!(counts[999] < 100);
    }
}
