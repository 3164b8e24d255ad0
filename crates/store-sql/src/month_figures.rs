//! The whole chain's figures by month (who bought, new, loyal or other;
//! the cohorts), kept for closed months so that a year asked of every
//! customer reads a few dozen rows, not every customer's months. A round
//! that adds to a month, or moves a first purchase into it, counts a change
//! on it and on every later month (`rollup_keep`); a month's figures hold
//! while its changes are those they were counted at. The rest (the current
//! month, those changed since) are counted live, as a narrowed report is.

use clientele_store::{CohortMonth, CustomerReach, DbResult, VisitorMonth};
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::rollup_keep::{COHORT_MONTHS, add_rows, months_changed};
use crate::rollup_reads::{self, cohort_month, month_cohorts, months, push_months, visitor_months};
use crate::sql::{commit, execute};
use crate::{Engine, Sql, Statement, Value};

/// A month whose figures hold: its visitors, their new customers read in
/// `zone`.
struct Kept {
    visitors: VisitorMonth,
    zone: Option<String>,
}

/// The months from `from`'s to `to`'s whose figures hold.
async fn kept_months<E: Engine>(sql: &Sql<E>, from: Date, to: Date) -> DbResult<Vec<Kept>> {
    let statement = Statement::new(
        "SELECT month, zone, new_customers, loyal_customers, other_customers
         FROM month_visitors WHERE month >= $1 AND month <= $2 AND counted = changes",
    )
    .bind(from.first_of_month())
    .bind(to);
    sql.all(statement, |row| {
        Ok(Kept {
            visitors: VisitorMonth {
                month: row.date("month")?,
                new: row.int("new_customers")?,
                loyal: row.int("loyal_customers")?,
                other: row.int("other_customers")?,
            },
            zone: row.text_or_null("zone")?,
        })
    })
    .await
}

/// The months from `from`'s to `to`'s but `kept`.
fn rest(from: Date, to: Date, kept: &[Date]) -> Vec<Date> {
    months(from, to)
        .into_iter()
        .filter(|month| !kept.contains(month))
        .collect()
}

pub(crate) async fn visitors<E: Engine>(
    sql: &Sql<E>,
    from: Date,
    to: Date,
    reach: &CustomerReach,
    zone: &TimeZone,
) -> DbResult<Vec<VisitorMonth>> {
    let (Some(name), true) = (zone.iana_name(), reach.is_everyone()) else {
        return visitor_months(sql, &months(from, to), reach, zone).await;
    };
    // New customers counted in another zone are counted again.
    let kept: Vec<VisitorMonth> = kept_months(sql, from, to)
        .await?
        .into_iter()
        .filter(|k| k.zone.as_deref() == Some(name))
        .map(|k| k.visitors)
        .collect();
    let known: Vec<Date> = kept.iter().map(|k| k.month).collect();
    let mut visitors = visitor_months(sql, &rest(from, to, &known), reach, zone).await?;
    // A month nobody bought in has no row, as when counted live.
    visitors.extend(kept.into_iter().filter(|k| k.new + k.loyal + k.other > 0));
    visitors.sort_by_key(|v| v.month);
    Ok(visitors)
}

pub(crate) async fn cohorts<E: Engine>(
    sql: &Sql<E>,
    from: Date,
    to: Date,
    reach: &CustomerReach,
) -> DbResult<Vec<CohortMonth>> {
    if !reach.is_everyone() {
        return rollup_reads::cohorts(sql, from, to, reach).await;
    }
    let known: Vec<Date> = kept_months(sql, from, to)
        .await?
        .iter()
        .map(|k| k.visitors.month)
        .collect();
    let first = from.first_of_month();
    let mut cohorts = month_cohorts(sql, &rest(from, to, &known), Some(first)).await?;
    if !known.is_empty() {
        let mut statement = Statement::new(
            "SELECT cohort, month, customers FROM cohort_months WHERE cohort >= $1 AND",
        )
        .bind(first);
        push_months(&mut statement, "month", &known);
        cohorts.extend(sql.all(statement, cohort_month).await?);
    }
    cohorts.sort_by_key(|c| (c.cohort, c.month));
    Ok(cohorts)
}

pub(crate) async fn keep_month<E: Engine>(
    sql: &Sql<E>,
    before: Date,
    zone: &TimeZone,
) -> DbResult<Option<Date>> {
    let Some(name) = zone.iana_name() else {
        return Ok(None);
    };
    let due = Statement::new(
        "SELECT month, changes FROM month_visitors
         WHERE month < $1 AND (counted IS DISTINCT FROM changes OR zone IS DISTINCT FROM $2)
         ORDER BY month LIMIT 1",
    )
    .bind(before)
    .bind(name);
    let found = sql
        .one(due, |row| Ok((row.date("month")?, row.int("changes")?)))
        .await?;
    let Some((month, changes)) = found else {
        return Ok(None);
    };
    // Counted on a reader before the transaction: the writer the tills
    // share waits only for the few rows written.
    let everyone = CustomerReach::default();
    let visitors = visitor_months(sql, &[month], &everyone, zone).await?;
    let counted = visitors.first().copied().unwrap_or(VisitorMonth {
        month,
        new: 0,
        loyal: 0,
        other: 0,
    });
    let cohorts = month_cohorts(sql, &[month], None).await?;
    let mut tx = sql.begin().await?;
    let kept = Statement::new(
        "UPDATE month_visitors SET counted = changes, zone = $3, new_customers = $4,
                loyal_customers = $5, other_customers = $6
         WHERE month = $1 AND changes = $2",
    )
    .bind(month)
    .bind(changes)
    .bind(name)
    .bind(counted.new)
    .bind(counted.loyal)
    .bind(counted.other);
    // A round changed the month meanwhile: it stays due, nothing written.
    if execute::<E>(&mut tx, kept).await? == 0 {
        return Ok(Some(month));
    }
    let old = Statement::new("DELETE FROM cohort_months WHERE month = $1").bind(month);
    execute::<E>(&mut tx, old).await?;
    let rows = cohorts.iter().map(|c| {
        let row: Vec<Value<'_>> = vec![c.month.into(), c.cohort.into(), c.customers.into()];
        row
    });
    add_rows::<E>(&mut tx, &COHORT_MONTHS, rows.collect()).await?;
    commit::<E>(tx).await?;
    Ok(Some(month))
}

pub(crate) async fn changed<E: Engine>(sql: &Sql<E>, from: Date) -> DbResult<()> {
    sql.execute(months_changed(from.first_of_month())).await?;
    Ok(())
}
