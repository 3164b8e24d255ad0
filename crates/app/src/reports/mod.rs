//! The reports: each read from figures kept beforehand (the stores' days,
//! the customers' loyalty rows, the open lots), narrowed to the stores,
//! segment and program asked and to the caller's stores, and answered as
//! sections of rows every reader writes its own way.

mod base;
mod cohorts;
mod customers;
mod effect;
mod points;
mod products;
mod sales;

use clientele_domain::report::{Report, ReportAsked, ReportFilter, ReportName};
use clientele_domain::{FieldError, Store, StoreId};
use clientele_store::CustomerReach;

use crate::{App, AppError, AppResult};

/// What a report counts once its parameters are checked: the filter and
/// the customers and stores it reaches.
pub(crate) struct Asked {
    pub filter: ReportFilter,
    pub reach: CustomerReach,
    /// The caller's stores; None: all.
    pub scope: Option<Vec<StoreId>>,
}

impl Asked {
    /// The period as times: from its first day's start up to (not
    /// including) the start of the day after its last, in `zone`.
    fn times(&self, zone: &jiff::tz::TimeZone) -> Option<(jiff::Timestamp, jiff::Timestamp)> {
        let period = &self.filter.period;
        let start = |day: jiff::civil::Date| day.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
        Some((start(period.from)?, start(period.to.tomorrow().ok()?)?))
    }
}

impl App {
    /// A report for a caller who reaches `scope` (their stores; None: all).
    #[tracing::instrument(skip(self, asked, scope))]
    pub async fn report(
        &self,
        name: ReportName,
        asked: &ReportAsked<'_>,
        scope: Option<&[StoreId]>,
    ) -> AppResult<Report> {
        let history_from = self.db().reports().history_from().await?;
        let filter = ReportFilter::parse(asked, self.clock().today(), history_from)?;
        let reach = self.reach(&filter, scope).await?;
        let asked = Asked {
            filter,
            reach,
            scope: scope.map(<[StoreId]>::to_vec),
        };
        let sections = match name {
            ReportName::Sales => self.sales_report(&asked).await?,
            ReportName::BaseQuality => self.base_quality(&asked).await?,
            ReportName::Points => self.points_report(&asked).await?,
            ReportName::Rfm => self.rfm_report(&asked).await?,
            ReportName::CustomersTop => self.top_customers(&asked).await?,
            ReportName::CustomersLapsed => self.lapsed_customers(&asked).await?,
            ReportName::ProductBuyers => self.product_buyers_report(&asked).await?,
            ReportName::Discounts => self.discounts_report(&asked).await?,
            ReportName::Cohorts => self.cohorts_report(&asked).await?,
            ReportName::Effect => self.effect_report(&asked).await?,
        };
        Ok(Report {
            name,
            period: name.takes_period().then_some(asked.filter.period),
            sections,
        })
    }

    /// The stores, segment and program asked, checked, narrowed to the
    /// caller's stores.
    async fn reach(
        &self,
        filter: &ReportFilter,
        scope: Option<&[StoreId]>,
    ) -> AppResult<CustomerReach> {
        let stores = match filter.store_id {
            Some(node) => {
                let all = self.db().directory().stores().await?;
                if !all.iter().any(|s| s.id == node) {
                    return Err(unknown("store_id", "unknown_store", node.0));
                }
                let under = Store::subtree(&all, &[node]);
                match scope {
                    Some(scope) if !under.iter().any(|s| scope.contains(s)) => {
                        return Err(AppError::from_field(FieldError::new(
                            "store_id",
                            "outside_your_stores",
                            format!("store {} is not among your stores", node.0),
                        )));
                    }
                    Some(scope) => Some(under.into_iter().filter(|s| scope.contains(s)).collect()),
                    None => Some(under),
                }
            }
            None => scope.map(<[StoreId]>::to_vec),
        };
        if let Some(segment) = filter.segment_id
            && self.db().segments().segment(segment).await?.is_none()
        {
            return Err(unknown("segment_id", "unknown_segment", segment.0));
        }
        if let Some(program) = filter.program_id
            && self.db().programs().program(program).await?.is_none()
        {
            return Err(unknown("program_id", "unknown_program", program.0));
        }
        Ok(CustomerReach {
            stores,
            segment_id: filter.segment_id,
            program_id: filter.program_id,
        })
    }

    /// Each day's figures of the period, the reached stores' summed.
    async fn summed_days(
        &self,
        asked: &Asked,
    ) -> AppResult<Vec<(jiff::civil::Date, clientele_domain::report::DayFigures)>> {
        let period = &asked.filter.period;
        let kept = self
            .db()
            .rollups()
            .day_figures(period.from, period.to)
            .await?;
        let mut days: Vec<(jiff::civil::Date, clientele_domain::report::DayFigures)> = Vec::new();
        for day in kept {
            if let Some(stores) = &asked.reach.stores
                && !stores.contains(&day.store_id)
            {
                continue;
            }
            match days.last_mut() {
                Some((last, figures)) if *last == day.day => *figures += day.figures,
                _ => days.push((day.day, day.figures)),
            }
        }
        Ok(days)
    }
}

/// A number of whole days as time: "bought within 90 days" counts back
/// from this moment, not from the start of a day.
fn days(days: i32) -> jiff::SignedDuration {
    jiff::SignedDuration::from_hours(24 * i64::from(days))
}

fn unknown(field: &str, code: &'static str, id: i64) -> AppError {
    AppError::from_field(FieldError::new(field, code, format!("no {field} {id}")))
}
