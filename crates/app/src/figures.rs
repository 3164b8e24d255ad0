//! The figures an owner looks at first, kept for a minute: every one is a
//! scan of a big table, and a page that asked for them on every visit would
//! be slow at a million customers. A stale answer is shown while a fresh one
//! is counted in the background.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clientele_domain::StoreId;
use clientele_store::{BusinessFigures, FiguresQuery};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::{App, AppError, AppResult};

/// How long an answer is shown before it is counted again.
const FRESH_FOR: Duration = Duration::from_secs(60);
/// The chart's days, today the last.
pub const CHART_DAYS: i32 = 90;
/// Customers who bought within this many days are active.
pub const ACTIVE_DAYS: i32 = 30;

#[derive(Debug, Clone)]
pub struct HomeFigures {
    /// When they were counted.
    pub as_of: Timestamp,
    /// The chart's first day; the last is today.
    pub first_day: Date,
    pub figures: BusinessFigures,
}

impl HomeFigures {
    /// Each day of the chart with its sales.
    pub fn days(&self) -> impl Iterator<Item = (Date, &clientele_store::DaySales)> {
        self.figures
            .days
            .iter()
            .enumerate()
            .filter_map(|(i, sales)| {
                let offset = i32::try_from(i).ok()?;
                Some((self.first_day.checked_add(offset.days()).ok()?, sales))
            })
    }

    /// Today's sales: the chart's last day.
    pub fn today(&self) -> clientele_store::DaySales {
        self.figures.days.last().copied().unwrap_or_default()
    }
}

type Scope = Option<Vec<StoreId>>;

struct Kept {
    counted: Instant,
    figures: Arc<HomeFigures>,
    recounting: bool,
}

/// The last answer for each reach of staff (the whole base, or some stores).
#[derive(Clone, Default)]
pub(crate) struct FiguresCache(Arc<Mutex<HashMap<Scope, Kept>>>);

impl FiguresCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Scope, Kept>> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl App {
    /// The home page's figures for a reach of staff: kept ones while they
    /// are fresh, stale ones while fresh ones are counted, counted now when
    /// there are none.
    pub async fn home_figures(&self, scope: Scope) -> AppResult<Arc<HomeFigures>> {
        let stale = {
            let mut kept = self.figures.lock();
            match kept.get_mut(&scope) {
                Some(k) if k.counted.elapsed() < FRESH_FOR => return Ok(k.figures.clone()),
                Some(k) if k.recounting => return Ok(k.figures.clone()),
                Some(k) => {
                    k.recounting = true;
                    Some(k.figures.clone())
                }
                None => None,
            }
        };
        match stale {
            Some(figures) => {
                let app = self.clone();
                tokio::spawn(async move {
                    if let Err(error) = app.count_home_figures(scope.clone()).await {
                        tracing::warn!(%error, "the home figures were not counted");
                        if let Some(k) = app.figures.lock().get_mut(&scope) {
                            k.recounting = false;
                        }
                    }
                });
                Ok(figures)
            }
            None => self.count_home_figures(scope).await,
        }
    }

    /// Counts the figures now and keeps them.
    pub async fn count_home_figures(&self, scope: Scope) -> AppResult<Arc<HomeFigures>> {
        let now = self.clock().now();
        let (first_day, days) = chart_days(self.clock().today(), self.clock().zone())
            .ok_or_else(|| AppError::Unavailable("the calendar is out of range".into()))?;
        let active_since = now
            .checked_sub(jiff::SignedDuration::from_hours(
                24 * i64::from(ACTIVE_DAYS),
            ))
            .map_err(|_| AppError::Unavailable("the calendar is out of range".into()))?;
        let query = FiguresQuery {
            stores: scope.clone(),
            active_since,
            now,
            days,
        };
        let figures = Arc::new(HomeFigures {
            as_of: now,
            first_day,
            figures: self.db().business_figures(&query).await?,
        });
        self.figures.lock().insert(
            scope,
            Kept {
                counted: Instant::now(),
                figures: figures.clone(),
                recounting: false,
            },
        );
        Ok(figures)
    }
}

/// The chart's days up to `today`, each cut at the shop's midnights (a day
/// of a clock change is 23 or 25 hours long).
fn chart_days(today: Date, zone: &TimeZone) -> Option<(Date, Vec<(Timestamp, Timestamp)>)> {
    let first_day = today.checked_sub((CHART_DAYS - 1).days()).ok()?;
    let mut days = Vec::new();
    let mut day = first_day;
    while day <= today {
        let next = day.tomorrow().ok()?;
        let start = day.to_zoned(zone.clone()).ok()?.timestamp();
        let end = next.to_zoned(zone.clone()).ok()?.timestamp();
        days.push((start, end));
        day = next;
    }
    Some((first_day, days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_has_ninety_days_cut_at_local_midnights() {
        let zone = TimeZone::get("Europe/Berlin").unwrap();
        let today = jiff::civil::date(2026, 11, 24);
        let (first, days) = chart_days(today, &zone).unwrap();
        assert_eq!(first, jiff::civil::date(2026, 8, 27));
        assert_eq!(days.len(), 90);
        // The last day starts at midnight in Berlin (UTC+1 in November).
        assert_eq!(days[89].0.to_string(), "2026-11-23T23:00:00Z");
        // The day the clocks went back (25 October) lasts 25 hours.
        let october_25 = days
            .iter()
            .find(|(start, _)| start.to_string() == "2026-10-24T22:00:00Z")
            .unwrap();
        assert_eq!(october_25.1.duration_since(october_25.0).as_hours(), 25);
        assert!(days.windows(2).all(|pair| pair[0].1 == pair[1].0));
    }
}
