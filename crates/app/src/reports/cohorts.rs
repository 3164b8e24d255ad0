//! Cohorts: the customers who first bought in each month of the period,
//! and the share of them buying again in each later month.

use std::collections::BTreeMap;

use clientele_domain::report::{Cell, Column, Measure, Section};
use jiff::civil::Date;

use super::Asked;
use crate::{App, AppResult};

/// The later months a cohort is followed for, each a column.
const LATER: [&str; 24] = [
    "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7", "month_8",
    "month_9", "month_10", "month_11", "month_12", "month_13", "month_14", "month_15", "month_16",
    "month_17", "month_18", "month_19", "month_20", "month_21", "month_22", "month_23", "month_24",
];

/// Whole months from `cohort`'s to `month`'s.
fn months_between(cohort: Date, month: Date) -> usize {
    let months = (i32::from(month.year()) - i32::from(cohort.year())) * 12
        + i32::from(month.month())
        - i32::from(cohort.month());
    usize::try_from(months).unwrap_or(0)
}

impl App {
    pub(super) async fn cohorts_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let period = &asked.filter.period;
        let counted = self
            .db()
            .rollups()
            .cohorts(period.from, period.to, &asked.reach)
            .await?;
        let mut cohorts: BTreeMap<Date, BTreeMap<usize, i64>> = BTreeMap::new();
        for row in counted {
            let later = months_between(row.cohort, row.month);
            cohorts
                .entry(row.cohort)
                .or_default()
                .insert(later, row.customers);
        }
        // As many later months as the oldest cohort has had, at most the
        // columns there are.
        let span = months_between(period.from.first_of_month(), period.to).min(LATER.len());
        let mut columns = vec![
            Column::new("cohort", Measure::Month),
            Column::new("customers", Measure::Count),
        ];
        columns.extend(LATER[..span].iter().map(|k| Column::new(k, Measure::Share)));
        let mut section = Section::new("cohorts", &columns).shaded();
        for (cohort, months) in cohorts {
            let size = months.get(&0).copied().unwrap_or(0);
            let age = months_between(cohort, period.to);
            let mut row = vec![Cell::Date(cohort), Cell::Int(size)];
            for later in 1..=span {
                row.push(if later > age {
                    Cell::Blank
                } else {
                    Cell::share(months.get(&later).copied().unwrap_or(0), size)
                });
            }
            section.push(row);
        }
        Ok(vec![section])
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::months_between;

    #[test]
    fn months_count_across_the_new_year() {
        assert_eq!(months_between(date(2025, 11, 1), date(2026, 2, 1)), 3);
        assert_eq!(months_between(date(2026, 2, 1), date(2026, 2, 28)), 0);
    }
}
