//! The workstation draw (抽签): each entry of a skill gets a workstation number by lot. The draw
//! is a pure function of a recorded seed and the set of entries, so anyone can replay it and check
//! that the published result is the one the seed gives.

use rand::rngs::ChaCha20Rng;
use rand::{Rng, SeedableRng};

text_enum! {
    /// The procedure a draw was made with; stored with every draw so a replay uses the same one.
    pub enum DrawAlgorithm {
        Chacha20ShuffleV1 = "chacha20-shuffle-v1",
        /// A name older data may hold (see the schema test's old rows): its draws are kept and
        /// shown, but no longer replay.
        Chacha8FisherYatesV1 = "chacha8-fisher-yates-v1",
    }
}

/// The procedure of [`draw`] below.
pub const ALGORITHM: DrawAlgorithm = DrawAlgorithm::Chacha20ShuffleV1;

/// Assigns workstations to entries: entry ids are put in ascending order, the workstation numbers
/// `1..=workstation_count` are shuffled by [`shuffle`] over ChaCha20 seeded by `seed`, and the i-th
/// entry gets the i-th number. Returns `(entry_id, workstation)` in ascending entry-id order.
pub fn draw<T: Clone + Ord>(seed: u64, entry_ids: &[T], workstation_count: u32) -> Result<Vec<(T, u32)>, String> {
    let mut ids: Vec<T> = entry_ids.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Err("there are no confirmed entries to draw for".into());
    }
    if ids.len() > workstation_count as usize {
        return Err(format!("{} entries but only {workstation_count} workstations", ids.len()));
    }
    let mut numbers: Vec<u32> = (1..=workstation_count).collect();
    shuffle(&mut numbers, &mut ChaCha20Rng::seed_from_u64(seed));
    Ok(ids.into_iter().zip(numbers).collect())
}

/// Fisher–Yates from the back: for `i` from `len - 1` down to 1, swap item `i` with item
/// [`below`]`(i + 1)`. Written out here rather than taken from a library so that the draws of
/// [`ALGORITHM`] replay whatever a random-number crate changes in its own shuffle or ranges
/// (this is, word for word, what `rand` 0.8's `SliceRandom::shuffle` did).
fn shuffle<T>(items: &mut [T], rng: &mut impl Rng) {
    for i in (1..items.len()).rev() {
        let bound = u32::try_from(i + 1).expect("a draw has fewer than 2^32 workstations");
        items.swap(i, below(bound, rng) as usize);
    }
}

/// A uniform number in `0..bound` from the generator's 32-bit words: the word times `bound` as a
/// 64-bit product, whose high half is the number, accepted when the low half is at most the zone
/// `(bound << bound.leading_zeros()) - 1` and otherwise drawn again (a widening multiply with
/// rejection, exactly as `rand` 0.8 sampled a `u32` range).
fn below(bound: u32, rng: &mut impl Rng) -> u32 {
    let zone = (bound << bound.leading_zeros()).wrapping_sub(1);
    loop {
        let product = u64::from(rng.next_u32()) * u64::from(bound);
        if product as u32 <= zone {
            return (product >> 32) as u32;
        }
    }
}

/// Letters and digits that cannot be mistaken for each other when read aloud in a workshop.
const CODE_ALPHABET: &[u8] = b"ACDEFGHJKLMNPQRTUVWXY34679";

/// An entry's anonymous code (four characters) from random bits.
pub fn entry_code(bits: u64) -> String {
    let n = CODE_ALPHABET.len() as u64;
    (0..4).map(|i| CODE_ALPHABET[((bits / n.pow(i)) % n) as usize] as char).collect()
}

/// A fresh seed from the operating system's generator.
pub fn new_seed() -> u64 {
    rand::random()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("entry-{i:03}")).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_draw() {
        let a = draw(42, &ids(10), 12).unwrap();
        assert_eq!(a, draw(42, &ids(10), 12).unwrap());
        assert_ne!(a, draw(43, &ids(10), 12).unwrap());
        // A known value pins the algorithm: if this changes, old draws no longer replay.
        let got: Vec<u32> = draw(2019, &ids(8), 10).unwrap().iter().map(|(_, w)| *w).collect();
        assert_eq!(got, [1, 10, 3, 6, 4, 7, 9, 5]);
        assert!(draw(1, &ids(5), 4).is_err());
        assert!(draw::<String>(1, &[], 4).is_err());
    }

    #[test]
    fn a_larger_draw_replays_too() {
        // Recorded with rand 0.8's `SliceRandom::shuffle`, which `shuffle` replaced: 45 numbers
        // take every bound from 2 to 45 through `below`, rejections included.
        let got: Vec<u32> = draw(20260607, &ids(40), 45).unwrap().iter().map(|(_, w)| *w).collect();
        let recorded = [
            25, 33, 8, 18, 43, 1, 20, 44, 5, 27, 35, 45, 24, 38, 21, 28, 36, 26, 19, 7, 23, 34, 6, 37, 22, 42, 41, 3,
            11, 12, 10, 15, 14, 9, 40, 16, 2, 17, 31, 32,
        ];
        assert_eq!(got, recorded);
    }

    #[test]
    fn below_stays_below_its_bound() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        for bound in [1, 2, 3, 5, 1000, u32::MAX] {
            assert!((0..200).all(|_| below(bound, &mut rng) < bound), "{bound}");
        }
    }

    #[test]
    fn entry_codes_use_unambiguous_characters() {
        let code = entry_code(123_456_789);
        assert_eq!(code.len(), 4);
        assert!(code.chars().all(|c| !"0O1I5S8B2Z".contains(c)), "{code}");
        assert_ne!(entry_code(1), entry_code(2));
    }

    proptest! {
        #[test]
        fn draws_are_distinct_in_range_and_order_independent(seed: u64, n in 1usize..60, extra in 0u32..10, rot in 0usize..60) {
            let count = n as u32 + extra;
            let mut input = ids(n);
            let result = draw(seed, &input, count).unwrap();
            let mut seen: Vec<u32> = result.iter().map(|(_, w)| *w).collect();
            prop_assert!(seen.iter().all(|w| (1..=count).contains(w)));
            seen.sort();
            seen.dedup();
            prop_assert_eq!(seen.len(), n);
            input.rotate_left(rot % n);
            prop_assert_eq!(draw(seed, &input, count).unwrap(), result);
        }
    }
}
