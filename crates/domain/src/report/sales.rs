//! The sales report's figures by day, week or month: receipts of known
//! customers against anonymous ones, revenue and the average receipt of
//! each, discounts, and the points accrued and paid.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::table::{Cell, Chart, Column, Measure, Section};
use super::{Bucket, DayFigures, Period};

const RECEIPTS: [Column; 13] = [
    Column::new("period", Measure::Date),
    Column::new("receipts", Measure::Count),
    Column::new("identified_receipts", Measure::Count),
    Column::new("anonymous_receipts", Measure::Count),
    Column::new("anonymous_share", Measure::Share),
    Column::new("revenue_minor", Measure::Money),
    Column::new("identified_revenue_minor", Measure::Money),
    Column::new("anonymous_revenue_minor", Measure::Money),
    Column::new("average_receipt_minor", Measure::Money),
    Column::new("identified_average_minor", Measure::Money),
    Column::new("anonymous_average_minor", Measure::Money),
    Column::new("returns", Measure::Count),
    Column::new("refunds_minor", Measure::Money),
];

const LOYALTY: [Column; 7] = [
    Column::new("period", Measure::Date),
    Column::new("first_purchases", Measure::Count),
    Column::new("discount_minor", Measure::Money),
    Column::new("points_accrued", Measure::Points),
    Column::new("points_paid", Measure::Points),
    Column::new("points_returned", Measure::Points),
    Column::new("points_taken_back", Measure::Points),
];

/// The figures of each day (every chosen store's summed), grouped by the
/// period's bucket; the last row holds the whole period.
pub fn sales(period: &Period, days: &[(Date, DayFigures)]) -> Vec<Section> {
    let bucket = period.bucket();
    let mut grouped: BTreeMap<Date, DayFigures> = BTreeMap::new();
    let mut day = bucket.start_of(period.from);
    while day <= period.to {
        grouped.insert(day, DayFigures::default());
        day = match bucket.next(day) {
            Some(next) => next,
            None => break,
        };
    }
    let mut whole = DayFigures::default();
    for (day, figures) in days.iter().filter(|(day, _)| period.holds(*day)) {
        *grouped.entry(bucket.start_of(*day)).or_default() += *figures;
        whole += *figures;
    }
    let mut receipts = Section::new("receipts", &by(&RECEIPTS, bucket)).drawn(Chart {
        bars: vec!["identified_receipts", "anonymous_receipts"],
        lines: vec!["revenue_minor"],
        stacked: true,
    });
    let mut loyalty = Section::new("loyalty", &by(&LOYALTY, bucket)).drawn(Chart {
        bars: Vec::new(),
        lines: vec!["points_accrued", "points_paid"],
        stacked: false,
    });
    for (start, figures) in grouped {
        receipts.push(receipts_row(Cell::Date(start), &figures));
        loyalty.push(loyalty_row(Cell::Date(start), &figures));
    }
    // The whole period's rows need no period column: the report names it.
    let mut total = Section::new("total", &RECEIPTS[1..]);
    total.push(receipts_row(Cell::Blank, &whole).split_off(1));
    let mut loyalty_total = Section::new("loyalty_total", &LOYALTY[1..]);
    loyalty_total.push(loyalty_row(Cell::Blank, &whole).split_off(1));
    vec![total, receipts, loyalty_total, loyalty]
}

/// The columns with the period's column measuring the bucket: a row per
/// month reads as a month.
fn by(columns: &[Column], bucket: Bucket) -> Vec<Column> {
    let mut columns = columns.to_vec();
    if bucket == Bucket::Month {
        columns[0].measure = Measure::Month;
    }
    columns
}

fn receipts_row(period: Cell, f: &DayFigures) -> Vec<Cell> {
    let anonymous = f.receipts - f.identified_receipts;
    let anonymous_revenue = f.revenue_minor - f.identified_revenue_minor;
    vec![
        period,
        Cell::Int(f.receipts),
        Cell::Int(f.identified_receipts),
        Cell::Int(anonymous),
        Cell::share(anonymous, f.receipts),
        Cell::Int(f.revenue_minor),
        Cell::Int(f.identified_revenue_minor),
        Cell::Int(anonymous_revenue),
        Cell::average(f.revenue_minor, f.receipts),
        Cell::average(f.identified_revenue_minor, f.identified_receipts),
        Cell::average(anonymous_revenue, anonymous),
        Cell::Int(f.returns),
        Cell::Int(f.refunds_minor),
    ]
}

fn loyalty_row(period: Cell, f: &DayFigures) -> Vec<Cell> {
    vec![
        period,
        Cell::Int(f.first_purchases),
        Cell::Int(f.discount_minor),
        Cell::Int(f.points_accrued),
        Cell::Int(f.points_paid),
        Cell::Int(f.points_returned),
        Cell::Int(f.points_taken_back),
    ]
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn day(receipts: i64, identified: i64, revenue: i64) -> DayFigures {
        DayFigures {
            receipts,
            identified_receipts: identified,
            revenue_minor: revenue,
            identified_revenue_minor: revenue / 2,
            points_paid: 100,
            ..DayFigures::default()
        }
    }

    #[test]
    fn days_add_up_by_bucket_and_to_the_whole_period() {
        let period = Period {
            from: date(2026, 11, 29),
            to: date(2026, 12, 2),
            cut_to_history: false,
        };
        let days = [
            (date(2026, 11, 29), day(4, 2, 1000)),
            (date(2026, 12, 1), day(2, 1, 500)),
            (date(2026, 12, 1), day(2, 2, 300)),
            // Outside the period: left out.
            (date(2026, 12, 3), day(9, 9, 900)),
        ];
        let sections = sales(&period, &days);
        let receipts = &sections[1];
        // Every day of the period has its row, quiet days too.
        assert_eq!(receipts.rows.len(), 4);
        assert_eq!(receipts.rows[2][1], Cell::Int(4));
        assert_eq!(receipts.rows[1][1], Cell::Int(0));
        assert_eq!(receipts.rows[1][8], Cell::Blank);
        let total = &sections[0].rows[0];
        assert_eq!(total[0], Cell::Int(8));
        assert_eq!(total[2], Cell::Int(3));
        assert_eq!(total[3], Cell::Share { part: 3, whole: 8 });
        assert_eq!(total[7], Cell::average(1800, 8));
        assert_eq!(sections[2].rows[0][3], Cell::Int(300));
    }
}
