//! Points liability and burn: what the shop owes in points (a point pays a
//! rouble, so a hundredth of a point is a kopeck), what of it comes due in
//! 30, 60 and 90 days, the debts, and month by month what was accrued
//! against paid, expired and given.

use std::collections::BTreeMap;

use clientele_domain::report::{Bucket, Cell, Chart, Column, Measure, Section};
use jiff::civil::Date;

use super::Asked;
use crate::{App, AppResult};

/// The horizons of the points coming due, in days.
const HORIZONS: [i32; 3] = [30, 60, 90];

const OWED: [Column; 9] = [
    Column::new("outstanding", Measure::Points),
    Column::new("outstanding_minor", Measure::Money),
    Column::new("holders", Measure::Count),
    Column::new("expiring_30", Measure::Points),
    Column::new("expiring_60", Measure::Points),
    Column::new("expiring_90", Measure::Points),
    Column::new("expiring_90_share", Measure::Share),
    Column::new("debts", Measure::Points),
    Column::new("debtors", Measure::Count),
];

const BURN: [Column; 7] = [
    Column::new("period", Measure::Month),
    Column::new("points_accrued", Measure::Points),
    Column::new("points_given", Measure::Points),
    Column::new("points_paid", Measure::Points),
    Column::new("points_expired", Measure::Points),
    Column::new("points_returned", Measure::Points),
    Column::new("points_taken_back", Measure::Points),
];

/// A month's movements.
#[derive(Default)]
struct Month {
    accrued: i64,
    given: i64,
    paid: i64,
    expired: i64,
    returned: i64,
    taken_back: i64,
}

impl App {
    pub(super) async fn points_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let now = self.clock().now();
        let zone = self.clock().zone().clone();
        let bounds = HORIZONS.map(|days| now + super::days(days));
        let reports = self.db().reports();
        let owed = reports.points_liability(&asked.reach, now, bounds).await?;
        let mut position = Section::new("owed", &OWED);
        position.push(vec![
            Cell::Int(owed.outstanding),
            Cell::Int(owed.outstanding),
            Cell::Int(owed.holders),
            Cell::Int(owed.expiring[0]),
            Cell::Int(owed.expiring[1]),
            Cell::Int(owed.expiring[2]),
            Cell::share(owed.expiring[2], owed.outstanding),
            Cell::Int(owed.debts),
            Cell::Int(owed.debtors),
        ]);

        let period = &asked.filter.period;
        let mut months: BTreeMap<Date, Month> = BTreeMap::new();
        let mut month = period.from.first_of_month();
        while month <= period.to {
            months.insert(month, Month::default());
            month = match Bucket::Month.next(month) {
                Some(next) => next,
                None => break,
            };
        }
        for (day, figures) in self.summed_days(asked).await? {
            let month = months.entry(day.first_of_month()).or_default();
            month.accrued += figures.points_accrued;
            month.paid += figures.points_paid;
            month.returned += figures.points_returned;
            month.taken_back += figures.points_taken_back;
        }
        if let Some((from, to)) = asked.times(&zone) {
            for moved in reports.point_movements(&asked.reach, from, to).await? {
                let day = moved.at.to_zoned(zone.clone()).date();
                let month = months.entry(day.first_of_month()).or_default();
                // Expiry is written as a negative entry; the burn is shown
                // as the points that went.
                match moved.kind.as_str() {
                    "expiry" => month.expired -= moved.points,
                    _ => month.given += moved.points,
                }
            }
        }
        let mut burn = Section::new("by_month", &BURN).drawn(Chart {
            bars: vec!["points_accrued", "points_paid", "points_expired"],
            lines: Vec::new(),
            stacked: false,
        });
        for (start, m) in months {
            burn.push(vec![
                Cell::Date(start),
                Cell::Int(m.accrued),
                Cell::Int(m.given),
                Cell::Int(m.paid),
                Cell::Int(m.expired),
                Cell::Int(m.returned),
                Cell::Int(m.taken_back),
            ]);
        }
        Ok(vec![position, burn])
    }
}
