//! RFM: how recently, how often and how much each customer bought, each
//! scored 1 to 5 against the rest of the population, and the group a
//! customer's recency and frequency put them in.
//!
//! A score is earned by being better than a share of the customers who
//! bought: a customer better than `w` of `n` scores `1 + ⌊5·w/n⌋`. So equal
//! values always score the same, each score holds a fifth when values are
//! distinct, and a crowd of equal values shares the lowest score its members
//! could have (most one-time buyers are frequency 1, not 3).

use serde::Serialize;

/// A customer's scores, each 1 (worst) to 5 (best).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Rfm {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
}

impl Rfm {
    pub fn group(self) -> RfmGroup {
        RfmGroup::of(self.recency, self.frequency)
    }
}

/// The four boundaries that split a population's values into fifths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quintiles {
    /// The k-th is the value at position ⌈k·n/5⌉ − 1 of the sorted values:
    /// a value above it beats at least k fifths. Empty for no values.
    bounds: Vec<i64>,
}

impl Quintiles {
    /// From the population's values sorted ascending, larger being better.
    /// A measure where less is better (days since the last purchase) is
    /// given negated.
    pub fn of(sorted: &[i64]) -> Quintiles {
        debug_assert!(sorted.is_sorted(), "quintiles need sorted values");
        let n = sorted.len();
        let bounds = if n == 0 {
            Vec::new()
        } else {
            (1..5).map(|k| sorted[(k * n).div_ceil(5) - 1]).collect()
        };
        Quintiles { bounds }
    }

    /// 1 plus the number of boundaries the value is above: the stores may
    /// compute it as `1 + (v > b1) + (v > b2) + (v > b3) + (v > b4)`.
    pub fn score(&self, value: i64) -> u8 {
        let above = self.bounds.iter().filter(|bound| value > **bound).count();
        1 + u8::try_from(above).expect("at most four boundaries")
    }

    pub fn bounds(&self) -> &[i64] {
        &self.bounds
    }
}

/// What RFM scores one customer by (only customers who bought are scored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RfmFigures {
    pub last_purchase_days_ago: i64,
    pub purchases: i64,
    pub spent_minor: i64,
}

/// The boundaries of one population, to score its customers by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RfmScales {
    /// Over days since the last purchase, negated: fewer days score higher.
    pub recency: Quintiles,
    pub frequency: Quintiles,
    pub monetary: Quintiles,
}

impl RfmScales {
    pub fn of(population: &[RfmFigures]) -> RfmScales {
        let sorted = |measure: fn(&RfmFigures) -> i64| {
            let mut values: Vec<i64> = population.iter().map(measure).collect();
            values.sort_unstable();
            Quintiles::of(&values)
        };
        RfmScales {
            recency: sorted(|f| f.last_purchase_days_ago.saturating_neg()),
            frequency: sorted(|f| f.purchases),
            monetary: sorted(|f| f.spent_minor),
        }
    }

    pub fn rate(&self, figures: &RfmFigures) -> Rfm {
        Rfm {
            recency: self
                .recency
                .score(figures.last_purchase_days_ago.saturating_neg()),
            frequency: self.frequency.score(figures.purchases),
            monetary: self.monetary.score(figures.spent_minor),
        }
    }
}

/// The usual groups of the recency × frequency grid:
///
/// | R \ F | 1              | 2                   | 3                   | 4         | 5           |
/// |-------|----------------|---------------------|---------------------|-----------|-------------|
/// | 5     | new_customers  | potential_loyalists | potential_loyalists | champions | champions   |
/// | 4     | promising      | potential_loyalists | potential_loyalists | loyal     | loyal       |
/// | 3     | about_to_sleep | about_to_sleep      | need_attention      | loyal     | loyal       |
/// | 2     | hibernating    | hibernating         | at_risk             | at_risk   | cannot_lose |
/// | 1     | lost           | lost                | at_risk             | at_risk   | cannot_lose |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RfmGroup {
    Champions,
    Loyal,
    PotentialLoyalists,
    NewCustomers,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CannotLose,
    Hibernating,
    Lost,
}

impl RfmGroup {
    pub const ALL: [RfmGroup; 11] = [
        RfmGroup::Champions,
        RfmGroup::Loyal,
        RfmGroup::PotentialLoyalists,
        RfmGroup::NewCustomers,
        RfmGroup::Promising,
        RfmGroup::NeedAttention,
        RfmGroup::AboutToSleep,
        RfmGroup::AtRisk,
        RfmGroup::CannotLose,
        RfmGroup::Hibernating,
        RfmGroup::Lost,
    ];
    /// Every group as written.
    pub const NAMES: &'static [&'static str] = &[
        "champions",
        "loyal",
        "potential_loyalists",
        "new_customers",
        "promising",
        "need_attention",
        "about_to_sleep",
        "at_risk",
        "cannot_lose",
        "hibernating",
        "lost",
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RfmGroup::Champions => "champions",
            RfmGroup::Loyal => "loyal",
            RfmGroup::PotentialLoyalists => "potential_loyalists",
            RfmGroup::NewCustomers => "new_customers",
            RfmGroup::Promising => "promising",
            RfmGroup::NeedAttention => "need_attention",
            RfmGroup::AboutToSleep => "about_to_sleep",
            RfmGroup::AtRisk => "at_risk",
            RfmGroup::CannotLose => "cannot_lose",
            RfmGroup::Hibernating => "hibernating",
            RfmGroup::Lost => "lost",
        }
    }

    pub fn parse(raw: &str) -> Option<RfmGroup> {
        RfmGroup::ALL
            .into_iter()
            .find(|group| group.as_str() == raw)
    }

    /// The grid above; scores outside 1..=5 are read as the nearest.
    pub fn of(recency: u8, frequency: u8) -> RfmGroup {
        match (recency.clamp(1, 5), frequency.clamp(1, 5)) {
            (5, 1) => RfmGroup::NewCustomers,
            (4, 1) => RfmGroup::Promising,
            (4..=5, 2..=3) => RfmGroup::PotentialLoyalists,
            (5, 4..=5) => RfmGroup::Champions,
            (3..=4, 4..=5) => RfmGroup::Loyal,
            (3, 3) => RfmGroup::NeedAttention,
            (3, 1..=2) => RfmGroup::AboutToSleep,
            (1..=2, 5) => RfmGroup::CannotLose,
            (1..=2, 3..=4) => RfmGroup::AtRisk,
            (2, 1..=2) => RfmGroup::Hibernating,
            _ => RfmGroup::Lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn names_follow_the_variants() {
        for (group, name) in RfmGroup::ALL.into_iter().zip(RfmGroup::NAMES) {
            assert_eq!(group.as_str(), *name);
            assert_eq!(RfmGroup::parse(name), Some(group));
        }
        assert_eq!(RfmGroup::NAMES.len(), RfmGroup::ALL.len());
        assert_eq!(RfmGroup::of(5, 5), RfmGroup::Champions);
        assert_eq!(RfmGroup::of(1, 1), RfmGroup::Lost);
        assert_eq!(RfmGroup::of(2, 5), RfmGroup::CannotLose);
        assert_eq!(RfmGroup::of(3, 3), RfmGroup::NeedAttention);
    }

    #[test]
    fn one_time_buyers_share_the_lowest_frequency() {
        let mut purchases = vec![1; 80];
        purchases.extend(2..22);
        let quintiles = Quintiles::of(&purchases);
        assert_eq!(quintiles.score(1), 1);
        assert_eq!(quintiles.score(21), 5);
    }

    #[test]
    fn the_most_recent_buyers_score_highest() {
        let population: Vec<RfmFigures> = (0..50)
            .map(|days| RfmFigures {
                last_purchase_days_ago: days,
                purchases: 1,
                spent_minor: 100,
            })
            .collect();
        let scales = RfmScales::of(&population);
        assert_eq!(scales.rate(&population[0]).recency, 5);
        assert_eq!(scales.rate(&population[49]).recency, 1);
        assert_eq!(scales.rate(&population[0]).frequency, 1);
    }

    proptest! {
        #[test]
        fn scores_are_monotone_and_equal_for_equal_values(
            mut values in prop::collection::vec(-50i64..50, 1..200),
            a in -60i64..60,
            b in -60i64..60,
        ) {
            values.sort_unstable();
            let quintiles = Quintiles::of(&values);
            let (low, high) = (a.min(b), a.max(b));
            prop_assert!((1..=5).contains(&quintiles.score(a)));
            prop_assert!(quintiles.score(low) <= quintiles.score(high));
            // The definition: 1 + ⌊5·w/n⌋, w the values strictly below.
            for value in &values {
                let below = values.iter().filter(|v| *v < value).count();
                prop_assert_eq!(usize::from(quintiles.score(*value)), 1 + 5 * below / values.len());
            }
        }

        #[test]
        fn distinct_values_fill_each_score_with_a_fifth(
            n in 50usize..2000,
            shift in -1000i64..1000,
        ) {
            let values: Vec<i64> = (0..n as i64).map(|v| v * 3 + shift).collect();
            let quintiles = Quintiles::of(&values);
            for score in 1..=5u8 {
                let holding = values.iter().filter(|v| quintiles.score(**v) == score).count();
                prop_assert!(holding.abs_diff(n / 5) <= 1, "score {} holds {} of {}", score, holding, n);
            }
        }
    }
}
