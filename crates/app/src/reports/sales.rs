//! The sales report: the stores' days (every receipt, anonymous ones too)
//! and who bought each month, new, loyal or other. Narrowed to a segment
//! or a program, it counts what those customers bought, month by month:
//! an anonymous receipt belongs to no segment.

use clientele_domain::report::{Cell, Chart, Column, Measure, Section, sales};

use super::Asked;
use crate::{App, AppResult};

const VISITORS: [Column; 5] = [
    Column::new("period", Measure::Month),
    Column::new("new_customers", Measure::Count),
    Column::new("loyal_customers", Measure::Count),
    Column::new("other_customers", Measure::Count),
    Column::new("buyers", Measure::Count),
];

const CUSTOMER_SALES: [Column; 9] = [
    Column::new("period", Measure::Month),
    Column::new("buyers", Measure::Count),
    Column::new("identified_receipts", Measure::Count),
    Column::new("identified_revenue_minor", Measure::Money),
    Column::new("identified_average_minor", Measure::Money),
    Column::new("discount_minor", Measure::Money),
    Column::new("points_accrued", Measure::Points),
    Column::new("points_paid", Measure::Points),
    Column::new("points_paid_share", Measure::Share),
];

impl App {
    pub(super) async fn sales_report(&self, asked: &Asked) -> AppResult<Vec<Section>> {
        let period = &asked.filter.period;
        let reach = &asked.reach;
        let mut sections = if reach.segment_id.is_some() || reach.program_id.is_some() {
            vec![self.customer_sales(asked).await?]
        } else {
            let days = self.summed_days(asked).await?;
            sales(period, &days)
        };
        let zone = self.clock().zone().clone();
        let months = self
            .db()
            .rollups()
            .visitor_months(period.from, period.to, reach, &zone)
            .await?;
        let mut visitors = Section::new("visitors", &VISITORS).drawn(Chart {
            bars: vec!["new_customers", "loyal_customers", "other_customers"],
            lines: Vec::new(),
            stacked: true,
        });
        for month in months {
            visitors.push(vec![
                Cell::Date(month.month),
                Cell::Int(month.new),
                Cell::Int(month.loyal),
                Cell::Int(month.other),
                Cell::Int(month.new + month.loyal + month.other),
            ]);
        }
        sections.push(visitors);
        Ok(sections)
    }

    /// What the customers of the segment or program bought, by month.
    async fn customer_sales(&self, asked: &Asked) -> AppResult<Section> {
        let period = &asked.filter.period;
        let months = self
            .db()
            .reports()
            .customer_sales(period.from, period.to, &asked.reach)
            .await?;
        let mut section = Section::new("customer_sales", &CUSTOMER_SALES).drawn(Chart {
            bars: vec!["identified_receipts"],
            lines: vec!["identified_revenue_minor"],
            stacked: false,
        });
        for m in months {
            section.push(vec![
                Cell::Date(m.month),
                Cell::Int(m.customers),
                Cell::Int(m.receipts),
                Cell::Int(m.revenue_minor),
                Cell::average(m.revenue_minor, m.receipts),
                Cell::Int(m.discount_minor),
                Cell::Int(m.points_accrued),
                Cell::Int(m.points_paid),
                Cell::share(m.points_paid, m.revenue_minor),
            ]);
        }
        Ok(section)
    }
}
