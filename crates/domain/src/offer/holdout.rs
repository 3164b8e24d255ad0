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
    in_control(offer.0 as u64, customer, share)
}

/// Whether the customer is in the control group of the draw `draw` (an
/// offer's id, a campaign's): each draw makes its own group.
pub fn in_control(draw: u64, customer: CustomerId, share: BasisPoints) -> bool {
    let hash = splitmix64(splitmix64(draw) ^ customer.0 as u64);
    // 2^64 is not a multiple of 10000; the bias is below 10^-15.
    (hash % WHOLE as u64) < share.clamp(0, WHOLE) as u64
}

/// What one group of an offer's audience did over the offer's period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupFigures {
    /// In the audience and in this group.
    pub customers: i64,
    /// Of them, those who bought at least once.
    pub buyers: i64,
    pub receipts: i64,
    /// What they paid, after discounts.
    pub revenue_minor: i64,
}

impl GroupFigures {
    pub fn average_receipt_minor(&self) -> Option<i64> {
        (self.receipts > 0).then(|| self.revenue_minor / self.receipts)
    }

    /// The figure that compares groups of different sizes.
    pub fn revenue_per_customer_minor(&self) -> Option<i64> {
        (self.customers > 0).then(|| self.revenue_minor / self.customers)
    }
}

/// The offer's audience split in two: those who got it, and its control
/// group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HoldoutComparison {
    pub offered: GroupFigures,
    pub control: GroupFigures,
}

impl HoldoutComparison {
    /// What those who got it spent beyond what they would have at the
    /// control group's rate per customer; none without a control group.
    pub fn extra_revenue_minor(&self) -> Option<i64> {
        let (offered, control) = (&self.offered, &self.control);
        (control.customers > 0).then(|| {
            let expected = i128::from(control.revenue_minor) * i128::from(offered.customers)
                / i128::from(control.customers);
            let extra = i128::from(offered.revenue_minor) - expected;
            i64::try_from(extra).unwrap_or(if extra < 0 { i64::MIN } else { i64::MAX })
        })
    }
}

/// Splits an audience (each customer once) by the offer's control group
/// and sums what each customer bought (`(customer, receipts, revenue)`,
/// customers outside the audience left out).
pub fn compare_groups(
    offer: OfferId,
    share: BasisPoints,
    audience: &[CustomerId],
    purchases: &[(CustomerId, i64, i64)],
) -> HoldoutComparison {
    compare_split(audience, purchases, |customer| {
        in_holdout(offer, customer, share)
    })
}

/// Splits an audience (each customer once) by `in_control` and sums what
/// each customer bought (`(customer, receipts, revenue)`, customers outside
/// the audience left out).
pub fn compare_split(
    audience: &[CustomerId],
    purchases: &[(CustomerId, i64, i64)],
    in_control: impl Fn(CustomerId) -> bool,
) -> HoldoutComparison {
    let mut comparison = HoldoutComparison::default();
    fn group(comparison: &mut HoldoutComparison, control: bool) -> &mut GroupFigures {
        if control {
            &mut comparison.control
        } else {
            &mut comparison.offered
        }
    }
    let mut members: Vec<CustomerId> = audience.to_vec();
    members.sort_unstable();
    members.dedup();
    for &customer in &members {
        group(&mut comparison, in_control(customer)).customers += 1;
    }
    for &(customer, receipts, revenue) in purchases {
        if members.binary_search(&customer).is_err() || receipts <= 0 {
            continue;
        }
        let figures = group(&mut comparison, in_control(customer));
        figures.buyers += 1;
        figures.receipts += receipts;
        figures.revenue_minor += revenue;
    }
    comparison
}

/// Splits a campaign's members (`(customer, held out)`, each once) as they
/// were kept when it was queued, and sums what each bought.
pub fn compare_members(
    members: &[(CustomerId, bool)],
    purchases: &[(CustomerId, i64, i64)],
) -> HoldoutComparison {
    let audience: Vec<CustomerId> = members.iter().map(|(c, _)| *c).collect();
    let mut held: Vec<CustomerId> = members
        .iter()
        .filter(|(_, held)| *held)
        .map(|(c, _)| *c)
        .collect();
    held.sort_unstable();
    compare_split(&audience, purchases, |customer| {
        held.binary_search(&customer).is_ok()
    })
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
    fn the_extra_revenue_is_measured_at_the_control_groups_rate() {
        let group = |customers, revenue_minor| GroupFigures {
            customers,
            buyers: customers,
            receipts: customers,
            revenue_minor,
        };
        let comparison = HoldoutComparison {
            offered: group(90, 9_900),
            control: group(10, 1_000),
        };
        // At the control's 100 a customer, 90 would have spent 9,000.
        assert_eq!(comparison.extra_revenue_minor(), Some(900));
        let none_held = HoldoutComparison {
            offered: group(90, 9_900),
            control: GroupFigures::default(),
        };
        assert_eq!(none_held.extra_revenue_minor(), None);
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
    fn the_groups_split_the_audience_and_its_purchases() {
        let audience: Vec<CustomerId> = (1..=1000).map(CustomerId).collect();
        let purchases: Vec<(CustomerId, i64, i64)> = (1..=1200)
            .step_by(3)
            .map(|c| (CustomerId(c), 2, 1000 * c))
            .collect();
        let split = compare_groups(OfferId(5), 2000, &audience, &purchases);
        let (offered, control) = (split.offered, split.control);
        assert_eq!(offered.customers + control.customers, 1000);
        assert!(
            control.customers > 100 && control.customers < 300,
            "{control:?}"
        );
        // Customers 1001..1200 bought but are not in the audience.
        assert_eq!(offered.buyers + control.buyers, 334);
        assert_eq!(offered.receipts + control.receipts, 668);
        let inside: i64 = (1..=1000).step_by(3).map(|c| 1000 * c).sum();
        assert_eq!(offered.revenue_minor + control.revenue_minor, inside);
        for c in (1..=1000).step_by(3) {
            let held = in_holdout(OfferId(5), CustomerId(c), 2000);
            assert!(if held {
                control.buyers > 0
            } else {
                offered.buyers > 0
            });
        }
        assert_eq!(
            control.average_receipt_minor(),
            Some(control.revenue_minor / control.receipts)
        );
        assert_eq!(GroupFigures::default().revenue_per_customer_minor(), None);
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
