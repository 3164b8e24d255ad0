//! The scheduled jobs' slots, the customers they walk and the referral
//! rewards due.

use async_trait::async_trait;
use clientele_domain::CustomerId;
use clientele_store::DbResult;
use clientele_store::area::Jobs;
use jiff::Timestamp;

use crate::{Engine, Sql, Statement};

#[async_trait]
impl<E: Engine> Jobs for Sql<E> {
    async fn claim_slot(&self, job: &str, slot: &str, at: Timestamp) -> DbResult<bool> {
        let claim = Statement::new(
            "INSERT INTO job_slots (job, slot, claimed_at) VALUES ($1, $2, $3)
             ON CONFLICT DO NOTHING",
        )
        .bind(job)
        .bind(slot)
        .bind(at);
        Ok(self.execute(claim).await? == 1)
    }

    async fn referrals_due(&self, limit: u32) -> DbResult<Vec<(CustomerId, CustomerId)>> {
        let statement = Statement::new(
            "SELECT c.id, c.referrer_id FROM customers c
             JOIN customer_loyalty l ON l.customer_id = c.id AND l.purchases > 0
             WHERE c.referrer_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM job_slots s
                               WHERE s.job = 'referral' AND s.slot = CAST(c.id AS TEXT))
             ORDER BY c.id LIMIT $1",
        )
        .bind(i64::from(limit));
        self.all(statement, |row| {
            Ok((
                CustomerId(row.int("id")?),
                CustomerId(row.int("referrer_id")?),
            ))
        })
        .await
    }

    async fn last_customer_id(&self) -> DbResult<Option<CustomerId>> {
        let last = Statement::new("SELECT MAX(id) AS last FROM customers");
        let last = self.one(last, |row| row.int_or_null("last")).await?;
        Ok(last.flatten().map(CustomerId))
    }

    async fn customer_ids(&self, after: CustomerId, limit: u32) -> DbResult<Vec<CustomerId>> {
        let statement = Statement::new(
            "SELECT id FROM customers WHERE id > $1 AND merged_into IS NULL ORDER BY id LIMIT $2",
        )
        .bind(after.0)
        .bind(i64::from(limit));
        self.all(statement, |row| Ok(CustomerId(row.int("id")?)))
            .await
    }
}
