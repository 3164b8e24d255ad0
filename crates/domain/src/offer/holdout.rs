//! The control group: a share of an offer's audience that does not get it,
//! so its effect can be measured. Membership is a hash of the two ids
//! written here (std's hasher may change between Rust releases, and a
//! customer must not move in or out of the group on an upgrade).

use crate::ids::{CustomerId, OfferId};
use crate::program::{BasisPoints, WHOLE};

/// The largest control group: half the audience.
pub const MAX_HOLDOUT_BP: BasisPoints = 5000;

/// Whether the customer is in the offer's control group. Each offer draws
/// its own group, so the same customers are not held out of everything.
pub fn in_holdout(offer: OfferId, customer: CustomerId, share: BasisPoints) -> bool {
    let hash = splitmix64(splitmix64(offer.0 as u64) ^ customer.0 as u64);
    // 2^64 is not a multiple of 10000; the bias is below 10^-15.
    (hash % WHOLE as u64) < share.clamp(0, WHOLE) as u64
}

/// SplitMix64's finaliser (Steele, Lea and Flood, 2014).
pub(super) fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_never_changes() {
        // Pinned: changing these moves customers between groups.
        assert_eq!(splitmix64(0), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(1), 0x910A_2DEC_8902_5CC1);
    }

    #[test]
    fn membership_is_stable_and_per_offer() {
        let customer = CustomerId(123_456);
        let first = in_holdout(OfferId(9), customer, 2500);
        for _ in 0..3 {
            assert_eq!(in_holdout(OfferId(9), customer, 2500), first);
        }
        assert!(!in_holdout(OfferId(9), customer, 0));
        let groups: Vec<bool> = (1..=64)
            .map(|offer| in_holdout(OfferId(offer), customer, 5000))
            .collect();
        assert!(groups.contains(&true) && groups.contains(&false));
    }

    #[test]
    fn the_group_is_about_the_share_asked() {
        for share in [100, 1000, 2500, 5000] {
            let held = (1..=100_000)
                .filter(|&c| in_holdout(OfferId(77), CustomerId(c), share))
                .count() as i64;
            let expected = 100_000 * share / WHOLE;
            // Well over four standard deviations at 50 %: sqrt(25000) ≈ 158.
            assert!((held - expected).abs() < 700, "{share}: {held}");
        }
    }

    #[test]
    fn a_larger_share_keeps_everyone_a_smaller_one_held() {
        for c in 1..=10_000 {
            if in_holdout(OfferId(3), CustomerId(c), 1000) {
                assert!(in_holdout(OfferId(3), CustomerId(c), 2000));
            }
        }
    }
}
