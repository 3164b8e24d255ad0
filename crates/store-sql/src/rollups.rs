//! The day figures, the same on every engine: facts read by the time they
//! were committed, added to their days with the mark moved in the same
//! transaction, so no fact is counted twice or left out.

use async_trait::async_trait;
use clientele_domain::report::{DayFigures, ReceiptFact, ReturnFact};
use clientele_domain::{CustomerId, StoreId};
use clientele_store::DbResult;
use clientele_store::area::{Facts, KeptDay, Rollups};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::sql::{commit, execute};
use crate::{Engine, Got, Sql, Statement};

/// The mark's name in `figure_marks`.
const MARK: &str = "store_days";

fn kept_day<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptDay> {
    let mut values = [0i64; 12];
    for (value, column) in values.iter_mut().zip(DayFigures::NAMES) {
        *value = row.int(column)?;
    }
    Ok(KeptDay {
        day: row.date("day")?,
        store_id: StoreId(row.int("store_id")?),
        figures: DayFigures::from_values(values),
    })
}

fn receipt<E: Engine>(row: &Got<'_, E>) -> DbResult<ReceiptFact> {
    Ok(ReceiptFact {
        store_id: StoreId(row.int("store_id")?),
        customer_id: row.int_or_null("customer_id")?.map(CustomerId),
        created_at: row.time("created_at")?,
        total_minor: row.int("total_minor")?,
        discount_minor: row.int("discount_minor")?,
        points_accrued: row.int("points_accrued")?,
        points_paid: row.int("points_paid")?,
        first_purchase: row.int("first_purchase")? == 1,
    })
}

fn taken_back<E: Engine>(row: &Got<'_, E>) -> DbResult<ReturnFact> {
    Ok(ReturnFact {
        store_id: StoreId(row.int("store_id")?),
        created_at: row.time("created_at")?,
        refund_minor: row.int("refund_minor")?,
        points_returned: row.int("points_returned")?,
        points_taken_back: row.int("points_taken_back")?,
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

    async fn facts(&self, after: Option<Timestamp>, up_to: Timestamp) -> DbResult<Facts> {
        // A customer's first purchase is the receipt made when their first
        // purchase was; the loyalty row is the owner's, kept beside the
        // receipt (an anonymous receipt's owner has none).
        let receipts = format!(
            "SELECT r.store_id, r.customer_id, r.created_at, r.total_minor, r.discount_minor,
                    r.points_accrued, r.points_paid,
                    CASE WHEN l.first_purchase_at = r.created_at THEN 1 ELSE 0 END
                        AS first_purchase
             FROM receipts r
             LEFT JOIN customer_loyalty l ON l.customer_id = r.{}
             WHERE r.committed_at > $1 AND r.committed_at <= $2",
            E::RECEIPT_OWNER
        );
        let receipts = Statement::new(&receipts).bind(since(after)).bind(up_to);
        // A return counts in the store of the till that took it.
        let returns = Statement::new(
            "SELECT t.store_id, rt.created_at, rt.refund_minor, rt.points_returned,
                    rt.points_taken_back
             FROM returns rt JOIN tills t ON t.id = rt.till_id
             WHERE rt.created_at > $1 AND rt.created_at <= $2",
        )
        .bind(since(after))
        .bind(up_to);
        Ok(Facts {
            receipts: self.all(receipts, receipt).await?,
            returns: self.all(returns, taken_back).await?,
        })
    }

    async fn keep_day_figures(
        &self,
        days: &[KeptDay],
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
        let columns = DayFigures::NAMES.join(", ");
        let placeholders: Vec<String> = (3..3 + DayFigures::NAMES.len())
            .map(|n| format!("${n}"))
            .collect();
        let added: Vec<String> = DayFigures::NAMES
            .iter()
            .map(|c| format!("{c} = store_days.{c} + excluded.{c}"))
            .collect();
        let adding = format!(
            "INSERT INTO store_days (day, store_id, {columns}) VALUES ($1, $2, {})
             ON CONFLICT (day, store_id) DO UPDATE SET {}",
            placeholders.join(", "),
            added.join(", ")
        );
        for kept in days {
            let mut statement = Statement::new(&adding).bind(kept.day).bind(kept.store_id.0);
            for value in kept.figures.values() {
                statement = statement.bind(value);
            }
            execute::<E>(&mut tx, statement).await?;
        }
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

    async fn clear_day_figures(&self) -> DbResult<()> {
        let mut tx = self.begin().await?;
        execute::<E>(&mut tx, Statement::new("DELETE FROM store_days")).await?;
        let mark = Statement::new("DELETE FROM figure_marks WHERE name = $1").bind(MARK);
        execute::<E>(&mut tx, mark).await?;
        commit::<E>(tx).await
    }
}
