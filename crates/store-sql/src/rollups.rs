//! The figures, the same on every engine: facts read by the time they
//! were committed, added to their tables with the mark moved in the same
//! transaction, so no fact is counted twice or left out.

use async_trait::async_trait;
use clientele_domain::StoreId;
use clientele_domain::report::{DayFigures, Facts, RolledUp};
use clientele_store::DbResult;
use clientele_store::area::{
    CohortMonth, CustomerReach, KeptDay, ProductBuyer, ProductTotal, Rollups, VisitorMonth,
};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::sql::{commit, execute};
use crate::{Engine, Got, Sql, Statement, month_figures, rollup_facts, rollup_keep, rollup_reads};

/// The mark's name in `figure_marks`: one for every table of figures.
const MARK: &str = "figures";

/// The tables of figures, each kept from the mark.
const TABLES: [&str; 4] = [
    "store_days",
    "customer_months",
    "customer_products",
    "product_days",
];

fn kept_day<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptDay> {
    let mut values = [0; DayFigures::NAMES.len()];
    for (value, column) in values.iter_mut().zip(DayFigures::NAMES) {
        *value = row.int(column)?;
    }
    Ok(KeptDay {
        day: row.date("day")?,
        store_id: StoreId(row.int("store_id")?),
        figures: DayFigures::from_values(values),
    })
}

/// `after` as a bound: before any receipt when nothing is kept yet.
fn since(after: Option<Timestamp>) -> Timestamp {
    after.unwrap_or(Timestamp::UNIX_EPOCH)
}

#[async_trait]
impl<E: Engine> Rollups for Sql<E> {
    async fn figures_mark(&self) -> DbResult<Option<Timestamp>> {
        let statement = Statement::new("SELECT up_to FROM figure_marks WHERE name = $1").bind(MARK);
        self.one(statement, |row| row.time("up_to")).await
    }

    async fn nth_commit_after(
        &self,
        after: Option<Timestamp>,
        nth: u64,
    ) -> DbResult<Option<Timestamp>> {
        let skipped = i64::try_from(nth.saturating_sub(1)).unwrap_or(i64::MAX);
        let statement = Statement::new(
            "SELECT committed_at FROM receipts WHERE committed_at > $1
             ORDER BY committed_at LIMIT 1 OFFSET $2",
        )
        .bind(since(after))
        .bind(skipped);
        self.one(statement, |row| row.time("committed_at")).await
    }

    async fn commits_between(&self, after: Option<Timestamp>, up_to: Timestamp) -> DbResult<u64> {
        let statement = Statement::new(
            "SELECT COUNT(*) AS n FROM receipts WHERE committed_at > $1 AND committed_at <= $2",
        )
        .bind(since(after))
        .bind(up_to);
        let counted = self.one(statement, |row| row.int("n")).await?;
        Ok(counted.map_or(0, |n| n.unsigned_abs()))
    }

    async fn facts(&self, after: Option<Timestamp>, up_to: Timestamp) -> DbResult<Facts> {
        rollup_facts::facts(self, since(after), up_to).await
    }

    async fn keep_figures(
        &self,
        figures: &RolledUp,
        after: Option<Timestamp>,
        up_to: Timestamp,
    ) -> DbResult<bool> {
        let mut tx = self.begin().await?;
        let moved = match after {
            None => Statement::new(
                "INSERT INTO figure_marks (name, up_to) VALUES ($1, $2)
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(MARK)
            .bind(up_to),
            Some(after) => {
                Statement::new("UPDATE figure_marks SET up_to = $2 WHERE name = $1 AND up_to = $3")
                    .bind(MARK)
                    .bind(up_to)
                    .bind(after)
            }
        };
        if execute::<E>(&mut tx, moved).await? == 0 {
            return Ok(false);
        }
        rollup_keep::add_figures::<E>(&mut tx, figures).await?;
        commit::<E>(tx).await?;
        Ok(true)
    }

    async fn day_figures(&self, from: Date, to: Date) -> DbResult<Vec<KeptDay>> {
        let sql = format!(
            "SELECT day, store_id, {} FROM store_days WHERE day >= $1 AND day <= $2
             ORDER BY day, store_id",
            DayFigures::NAMES.join(", ")
        );
        self.all(Statement::new(&sql).bind(from).bind(to), kept_day)
            .await
    }

    async fn visitor_months(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
        zone: &TimeZone,
    ) -> DbResult<Vec<VisitorMonth>> {
        month_figures::visitors(self, from, to, reach, zone).await
    }

    async fn cohorts(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
    ) -> DbResult<Vec<CohortMonth>> {
        month_figures::cohorts(self, from, to, reach).await
    }

    async fn product_figures(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
    ) -> DbResult<Vec<ProductTotal>> {
        rollup_reads::product_figures(self, from, to, reach).await
    }

    async fn product_buyers(
        &self,
        from: Date,
        to: Date,
        skus: &[String],
        categories: &[String],
        reach: &CustomerReach,
        limit: u32,
    ) -> DbResult<(i64, Vec<ProductBuyer>)> {
        rollup_reads::product_buyers(self, from, to, skus, categories, reach, limit).await
    }

    async fn keep_month_figures(&self, before: Date, zone: &TimeZone) -> DbResult<Option<Date>> {
        month_figures::keep_month(self, before, zone).await
    }

    async fn months_changed(&self, from: Date) -> DbResult<()> {
        month_figures::changed(self, from).await
    }

    async fn clear_figures(&self) -> DbResult<()> {
        let mut tx = self.begin().await?;
        for table in TABLES {
            let sql = format!("DELETE FROM {table}");
            execute::<E>(&mut tx, Statement::new(&sql)).await?;
        }
        // The months' rows stay, each with a change more than a count
        // under way read: none keeps what it read before the clearing.
        for sql in [
            "UPDATE month_visitors SET changes = changes + 1",
            "DELETE FROM cohort_months",
        ] {
            execute::<E>(&mut tx, Statement::new(sql)).await?;
        }
        let mark = Statement::new("DELETE FROM figure_marks WHERE name = $1").bind(MARK);
        execute::<E>(&mut tx, mark).await?;
        commit::<E>(tx).await
    }
}
