//! Triggers and the scans that find their occasions, the same on every
//! engine. A scan only finds candidates: the outbox keeps one message per
//! customer and occasion, so a scan repeated (or run by two servers) adds
//! nothing.

use async_trait::async_trait;
use clientele_domain::trigger::{TriggerKind, TriggerTerms};
use clientele_domain::{CustomerId, TemplateId, TierId, TriggerId};
use clientele_store::DbResult;
use clientele_store::area::{KeptTrigger, TierMove, TriggerTally, Triggers};
use jiff::Timestamp;

use crate::sql::{commit, execute, unanswered};
use crate::{Engine, Got, Sql, Statement, channel_list, unreadable};

const TRIGGER: &str =
    "id, kind, template_id, channels, days, active, activated_at, created_at, updated_at, version";
const NAMED: &[(&str, &str)] = &[("triggers.kind", "kind")];

fn trigger<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptTrigger> {
    Ok(KeptTrigger {
        id: TriggerId(row.int("id")?),
        kind: TriggerKind::parse(&row.text("kind")?).map_err(|e| unreadable("kind", e.message))?,
        template_id: TemplateId(row.int("template_id")?),
        channels: channel_list::read(row, "channels")?,
        days: row.int_or_null("days")?,
        active: row.flag("active")?,
        activated_at: row.time_or_null("activated_at")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        version: row.int("version")?,
    })
}

fn customer<E: Engine>(row: &Got<'_, E>) -> DbResult<CustomerId> {
    Ok(CustomerId(row.int("customer_id")?))
}

fn dated<E: Engine>(row: &Got<'_, E>) -> DbResult<(CustomerId, Timestamp)> {
    Ok((CustomerId(row.int("customer_id")?), row.time("at")?))
}

#[async_trait]
impl<E: Engine> Triggers for Sql<E> {
    async fn triggers(&self) -> DbResult<Vec<KeptTrigger>> {
        let sql = format!("SELECT {TRIGGER} FROM triggers ORDER BY id");
        self.all(Statement::new(&sql), trigger).await
    }

    async fn trigger(&self, id: TriggerId) -> DbResult<Option<KeptTrigger>> {
        let sql = format!("SELECT {TRIGGER} FROM triggers WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), trigger).await
    }

    async fn create_trigger(&self, terms: &TriggerTerms, at: Timestamp) -> DbResult<KeptTrigger> {
        let sql = format!(
            "INSERT INTO triggers (kind, template_id, channels, days, active, activated_at,
                                   created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING {TRIGGER}"
        );
        let channels = channel_list::text(&terms.channels);
        let statement = Statement::new(&sql)
            .bind(terms.kind.as_str())
            .bind(terms.template.0)
            .bind(channels.as_str())
            .bind(terms.days)
            .bind(terms.active)
            .bind(terms.active.then_some(at))
            .bind(at);
        self.written(statement, NAMED, trigger)
            .await?
            .ok_or_else(unanswered)
    }

    async fn update_trigger(
        &self,
        id: TriggerId,
        terms: &TriggerTerms,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<KeptTrigger>> {
        let sql = format!(
            "UPDATE triggers
             SET template_id = $1, channels = $2, days = $3,
                 activated_at = CASE WHEN $4 AND NOT active THEN $5
                                     WHEN $4 THEN activated_at END,
                 active = $4, updated_at = $5, version = version + 1
             WHERE id = $6 AND version = $7 RETURNING {TRIGGER}"
        );
        let channels = channel_list::text(&terms.channels);
        let statement = Statement::new(&sql)
            .bind(terms.template.0)
            .bind(channels.as_str())
            .bind(terms.days)
            .bind(terms.active)
            .bind(at)
            .bind(id.0)
            .bind(version);
        self.written(statement, NAMED, trigger).await
    }

    async fn joined_since(&self, since: Timestamp) -> DbResult<Vec<CustomerId>> {
        let statement = Statement::new(
            "SELECT id AS customer_id FROM customers
             WHERE created_at >= $1 AND merged_into IS NULL ORDER BY id",
        )
        .bind(since);
        self.all(statement, customer).await
    }

    async fn first_bought_since(&self, since: Timestamp) -> DbResult<Vec<CustomerId>> {
        let statement = Statement::new(
            "SELECT customer_id FROM customer_loyalty
             WHERE first_purchase_at >= $1 ORDER BY customer_id",
        )
        .bind(since);
        self.all(statement, customer).await
    }

    async fn last_bought_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<(CustomerId, Timestamp)>> {
        let statement = Statement::new(
            "SELECT customer_id, last_purchase_at AS at FROM customer_loyalty
             WHERE last_purchase_at >= $1 AND last_purchase_at <= $2 ORDER BY customer_id",
        )
        .bind(from)
        .bind(to);
        self.all(statement, dated).await
    }

    async fn expiring_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<(CustomerId, Timestamp)>> {
        let statement = Statement::new(
            "SELECT customer_id, MIN(expires_at) AS at FROM point_lots
             WHERE remaining > 0 AND expires_at > $1
             GROUP BY customer_id
             HAVING MIN(expires_at) <= $2
             ORDER BY customer_id",
        )
        .bind(from)
        .bind(to);
        self.all(statement, dated).await
    }

    async fn trigger_tallies(&self, since: Timestamp) -> DbResult<Vec<TriggerTally>> {
        let statement = Statement::new(
            "SELECT trigger_id,
                    CAST(SUM(CASE WHEN state IN ('sent', 'delivered') THEN 1 ELSE 0 END)
                         AS bigint) AS sent,
                    CAST(SUM(CASE WHEN state IN ('no_consent', 'no_contact', 'capped',
                                                 'expired', 'failed', 'cancelled')
                                  THEN 1 ELSE 0 END) AS bigint) AS stopped
             FROM messages
             WHERE trigger_id IS NOT NULL AND created_at >= $1
             GROUP BY trigger_id",
        )
        .bind(since);
        self.all(statement, |row| {
            Ok(TriggerTally {
                trigger_id: TriggerId(row.int("trigger_id")?),
                sent: row.int("sent")?,
                stopped: row.int("stopped")?,
            })
        })
        .await
    }

    async fn tier_moves(&self, limit: u32) -> DbResult<Vec<TierMove>> {
        let statement = Statement::new(
            "SELECT l.customer_id, s.tier_id AS seen, st.threshold_minor AS seen_threshold,
                    l.tier_id AS tier, t.threshold_minor AS threshold
             FROM customer_loyalty l
             LEFT JOIN customer_tier_seen s ON s.customer_id = l.customer_id
             LEFT JOIN tiers st ON st.id = s.tier_id
             LEFT JOIN tiers t ON t.id = l.tier_id
             WHERE s.tier_id IS DISTINCT FROM l.tier_id
             ORDER BY l.customer_id LIMIT $1",
        )
        .bind(i64::from(limit));
        self.all(statement, |row| {
            let tier = |id: &str, threshold: &str| -> DbResult<Option<(TierId, i64)>> {
                Ok(match row.int_or_null(id)? {
                    Some(tier) => Some((TierId(tier), row.int_or_null(threshold)?.unwrap_or(0))),
                    None => None,
                })
            };
            Ok(TierMove {
                customer_id: CustomerId(row.int("customer_id")?),
                seen: tier("seen", "seen_threshold")?,
                now: tier("tier", "threshold")?,
            })
        })
        .await
    }

    async fn see_tiers(&self, seen: Option<&[(CustomerId, Option<TierId>)]>) -> DbResult<()> {
        let mut tx = self.begin().await?;
        match seen {
            None => {
                let all = Statement::new(
                    "INSERT INTO customer_tier_seen (customer_id, tier_id)
                     SELECT customer_id, tier_id FROM customer_loyalty WHERE true
                     ON CONFLICT (customer_id) DO UPDATE SET tier_id = excluded.tier_id",
                );
                execute::<E>(&mut tx, all).await?;
            }
            Some(seen) => {
                for (customer, tier) in seen {
                    let one = Statement::new(
                        "INSERT INTO customer_tier_seen (customer_id, tier_id) VALUES ($1, $2)
                         ON CONFLICT (customer_id) DO UPDATE SET tier_id = excluded.tier_id",
                    )
                    .bind(customer.0)
                    .bind(tier.map(|t| t.0));
                    execute::<E>(&mut tx, one).await?;
                }
            }
        }
        commit::<E>(tx).await
    }
}
