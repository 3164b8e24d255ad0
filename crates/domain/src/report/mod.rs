//! Reports: the names the API and the console know them by, the period a
//! report covers, and the rules that sort what it counts (a new customer, a
//! loyal one), as pure functions over the figures kept.

mod customer_months;
mod figures;
mod filter;
mod period;
mod products;
mod rolled;
mod sales;
mod sums;
mod table;
mod visitors;

pub use customer_months::{CustomerMonth, customer_months};
pub use figures::{DayFigures, DisplacedFirst, ReceiptFact, ReturnFact, roll_up};
pub use filter::{DEFAULT_DAYS, MAX_LIMIT, ReportAsked, ReportFilter};
pub use period::{Bucket, MAX_PERIOD_DAYS, Period, PeriodAsked};
pub use products::{
    CustomerProduct, CustomerProductKey, LineFact, ProductDay, ProductFigures, ProductKey,
    ReturnLineFact, customer_products, product_days,
};
pub use rolled::{Facts, RolledUp};
pub use sales::sales;
pub use table::{Cell, Chart, Column, Measure, Report, Section};
pub use visitors::{Visitor, visitor};

use crate::validation::FieldError;

/// The reports, by the names in their addresses (`/reports/{name}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportName {
    Sales,
    BaseQuality,
    ProductBuyers,
    Discounts,
    Points,
    Rfm,
    Cohorts,
    CustomersTop,
    CustomersLapsed,
    Effect,
}

impl ReportName {
    pub const ALL: [ReportName; 10] = [
        ReportName::Sales,
        ReportName::BaseQuality,
        ReportName::ProductBuyers,
        ReportName::Discounts,
        ReportName::Points,
        ReportName::Rfm,
        ReportName::Cohorts,
        ReportName::CustomersTop,
        ReportName::CustomersLapsed,
        ReportName::Effect,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportName::Sales => "sales",
            ReportName::BaseQuality => "base-quality",
            ReportName::ProductBuyers => "product-buyers",
            ReportName::Discounts => "discounts",
            ReportName::Points => "points",
            ReportName::Rfm => "rfm",
            ReportName::Cohorts => "cohorts",
            ReportName::CustomersTop => "customers-top",
            ReportName::CustomersLapsed => "customers-lapsed",
            ReportName::Effect => "effect",
        }
    }

    /// Counts what happened in a period (the others show the base as it
    /// stands).
    pub fn takes_period(self) -> bool {
        !matches!(
            self,
            ReportName::Rfm | ReportName::CustomersTop | ReportName::CustomersLapsed
        )
    }

    /// Reads `days`: the active customers' window, the lapsed ones' gap.
    pub fn takes_days(self) -> bool {
        matches!(self, ReportName::BaseQuality | ReportName::CustomersLapsed)
    }

    /// Lists customers, as many as `limit`.
    pub fn takes_limit(self) -> bool {
        matches!(
            self,
            ReportName::ProductBuyers
                | ReportName::Discounts
                | ReportName::Rfm
                | ReportName::CustomersTop
                | ReportName::CustomersLapsed
        )
    }

    /// Reads the SKUs and categories bought.
    pub fn takes_products(self) -> bool {
        self == ReportName::ProductBuyers
    }

    pub fn parse(raw: &str) -> Result<ReportName, FieldError> {
        ReportName::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| {
                let known: Vec<&str> = ReportName::ALL.iter().map(|r| r.as_str()).collect();
                FieldError::new(
                    "name",
                    "unknown_report",
                    format!("no report «{raw}»; known: {}", known.join(", ")),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_report_is_found_by_its_name() {
        for report in ReportName::ALL {
            assert_eq!(ReportName::parse(report.as_str()), Ok(report));
        }
        assert_eq!(
            ReportName::parse("Sales").unwrap_err().code,
            "unknown_report"
        );
    }
}
