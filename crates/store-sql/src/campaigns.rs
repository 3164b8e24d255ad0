//! Message templates and campaigns, the same on every engine. A campaign's
//! messages are queued in slices, each an insert of many customers at
//! once that skips those queued already, so a queueing cut off by a crash
//! resumes without sending anyone the campaign twice.

use async_trait::async_trait;
use clientele_domain::campaign::{CANCELLED_REASON, CampaignState, HOLDOUT_REASON};
use clientele_domain::message::{MessageSource, MessageState};
use clientele_domain::points::{Account, Lot};
use clientele_domain::template::Locale;
use clientele_domain::{
    CampaignId, CustomerId, LedgerEntryId, OfferId, SegmentId, StoreId, TemplateId, UserId,
};
use clientele_store::DbResult;
use clientele_store::area::{
    CampaignSlice, CampaignTally, Campaigns, KeptCampaign, KeptTemplate, NewCampaign,
    PersonalFacts, TemplateRecord,
};
use jiff::Timestamp;

use crate::sql::{commit, execute, unanswered};
use crate::{Engine, Got, Sql, Statement, Value, channel_list, unreadable};

const TEMPLATE: &str = "id, name, locale, subject, body, html, created_at, updated_at, version";
const CAMPAIGN: &str = "id, name, template_id, channels, locale, subject, body, html, segment_id, \
                        offer_id, stores, holdout_bp, cancel_window_mins, report_days, starts_at, \
                        state, recipients, held_out, queued_at, cancelled_at, created_at, author_id";
/// The columns a refused template or campaign names.
const NAMED: &[(&str, &str)] = &[
    ("message_templates.name", "name"),
    ("campaigns.name", "name"),
];

fn locale<E: Engine>(row: &Got<'_, E>) -> DbResult<Locale> {
    Locale::parse(&row.text("locale")?).map_err(|e| unreadable("locale", e.message))
}

fn template<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptTemplate> {
    Ok(KeptTemplate {
        id: TemplateId(row.int("id")?),
        record: TemplateRecord {
            name: row.text("name")?,
            locale: locale(row)?,
            subject: row.text_or_null("subject")?,
            body: row.text("body")?,
            html: row.text_or_null("html")?,
        },
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        version: row.int("version")?,
    })
}

fn campaign<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptCampaign> {
    let channels = channel_list::read(row, "channels")?;
    let name = row.text("name")?;
    Ok(KeptCampaign {
        id: CampaignId(row.int("id")?),
        template_id: TemplateId(row.int("template_id")?),
        channels,
        segment_id: row.int_or_null("segment_id")?.map(SegmentId),
        offer_id: row.int_or_null("offer_id")?.map(OfferId),
        holdout_bp: row.int("holdout_bp")?,
        cancel_window_mins: row.int("cancel_window_mins")?,
        report_days: row.int("report_days")?,
        starts_at: row.time("starts_at")?,
        state: CampaignState::parse(&row.text("state")?)
            .map_err(|e| unreadable("state", e.message))?,
        words: TemplateRecord {
            name: name.clone(),
            locale: locale(row)?,
            subject: row.text_or_null("subject")?,
            body: row.text("body")?,
            html: row.text_or_null("html")?,
        },
        name,
        stores: row
            .ids_or_null("stores")?
            .map(|ids| ids.into_iter().map(StoreId).collect()),
        recipients: row.int("recipients")?,
        held_out: row.int("held_out")?,
        queued_at: row.time_or_null("queued_at")?,
        cancelled_at: row.time_or_null("cancelled_at")?,
        created_at: row.time("created_at")?,
        author: row.int_or_null("author_id")?.map(UserId),
    })
}

fn ids(customers: &[CustomerId]) -> Value<'static> {
    Value::Ids(Some(customers.iter().map(|c| c.0).collect()))
}

#[async_trait]
impl<E: Engine> Campaigns for Sql<E> {
    async fn templates(&self) -> DbResult<Vec<KeptTemplate>> {
        let sql = format!("SELECT {TEMPLATE} FROM message_templates ORDER BY name");
        self.all(Statement::new(&sql), template).await
    }

    async fn template(&self, id: TemplateId) -> DbResult<Option<KeptTemplate>> {
        let sql = format!("SELECT {TEMPLATE} FROM message_templates WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), template).await
    }

    async fn create_template(
        &self,
        record: &TemplateRecord,
        at: Timestamp,
    ) -> DbResult<KeptTemplate> {
        let sql = format!(
            "INSERT INTO message_templates (name, locale, subject, body, html, created_at,
                                            updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING {TEMPLATE}"
        );
        let statement = Statement::new(&sql)
            .bind(record.name.as_str())
            .bind(record.locale.as_str())
            .bind(record.subject.as_deref())
            .bind(record.body.as_str())
            .bind(record.html.as_deref())
            .bind(at);
        self.written(statement, NAMED, template)
            .await?
            .ok_or_else(unanswered)
    }

    async fn update_template(
        &self,
        id: TemplateId,
        record: &TemplateRecord,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<KeptTemplate>> {
        let sql = format!(
            "UPDATE message_templates
             SET name = $1, locale = $2, subject = $3, body = $4, html = $5, updated_at = $6,
                 version = version + 1
             WHERE id = $7 AND version = $8 RETURNING {TEMPLATE}"
        );
        let statement = Statement::new(&sql)
            .bind(record.name.as_str())
            .bind(record.locale.as_str())
            .bind(record.subject.as_deref())
            .bind(record.body.as_str())
            .bind(record.html.as_deref())
            .bind(at)
            .bind(id.0)
            .bind(version);
        self.written(statement, NAMED, template).await
    }

    async fn campaigns(&self) -> DbResult<Vec<KeptCampaign>> {
        let sql = format!("SELECT {CAMPAIGN} FROM campaigns ORDER BY id DESC");
        self.all(Statement::new(&sql), campaign).await
    }

    async fn campaign(&self, id: CampaignId) -> DbResult<Option<KeptCampaign>> {
        let sql = format!("SELECT {CAMPAIGN} FROM campaigns WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), campaign).await
    }

    async fn create_campaign(&self, new: &NewCampaign) -> DbResult<KeptCampaign> {
        let sql = format!(
            "INSERT INTO campaigns (name, template_id, channels, locale, subject, body, html,
                                    segment_id, offer_id, stores, holdout_bp, cancel_window_mins,
                                    report_days, starts_at, state, created_at, author_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'scheduled',
                     $15, $16)
             RETURNING {CAMPAIGN}"
        );
        let terms = &new.terms;
        let channels = channel_list::text(&terms.channels);
        let statement = Statement::new(&sql)
            .bind(terms.name.as_str())
            .bind(terms.template.0)
            .bind(channels.as_str())
            .bind(new.words.locale.as_str())
            .bind(new.words.subject.as_deref())
            .bind(new.words.body.as_str())
            .bind(new.words.html.as_deref())
            .bind(terms.segment.map(|s| s.0))
            .bind(terms.offer.map(|o| o.0))
            .bind(Value::Ids(
                new.stores
                    .as_ref()
                    .map(|stores| stores.iter().map(|s| s.0).collect()),
            ))
            .bind(terms.holdout_bp)
            .bind(terms.cancel_window_mins)
            .bind(terms.report_days)
            .bind(terms.starts_at)
            .bind(new.at)
            .bind(new.author.map(|u| u.0));
        self.written(statement, NAMED, campaign)
            .await?
            .ok_or_else(unanswered)
    }

    async fn campaigns_to_queue(&self, now: Timestamp) -> DbResult<Vec<KeptCampaign>> {
        // Asked every second: a read first, so the writer the tills share
        // is taken only when a campaign's start has come.
        let due = Statement::new(
            "SELECT COUNT(*) AS n FROM campaigns WHERE state = 'scheduled' AND starts_at <= $1",
        )
        .bind(now);
        if self.one(due, |row| row.int("n")).await?.unwrap_or(0) > 0 {
            let start = Statement::new(
                "UPDATE campaigns SET state = 'queueing'
                 WHERE state = 'scheduled' AND starts_at <= $1",
            )
            .bind(now);
            self.execute(start).await?;
        }
        let sql = format!("SELECT {CAMPAIGN} FROM campaigns WHERE state = 'queueing' ORDER BY id");
        self.all(Statement::new(&sql), campaign).await
    }

    async fn queue_campaign(&self, slice: CampaignSlice<'_>) -> DbResult<u64> {
        let campaign = slice.campaign;
        let channels = channel_list::text(&campaign.channels);
        // The words stay on the campaign: a million copies of them would
        // only fill the disk.
        let sql = format!(
            "INSERT INTO messages (customer_id, source, channels, body, state, reason, due_at,
                                   expires_at, created_at, author_id, campaign_id)
             SELECT value, '{source}', $2, '', $3, $4, $5, $6, $7, $8, $1
             FROM {each}
             WHERE EXISTS (SELECT 1 FROM campaigns WHERE id = $1 AND state = 'queueing')
             ON CONFLICT DO NOTHING",
            source = MessageSource::Campaign.as_str(),
            each = E::each_id("$9"),
        );
        let mut tx = self.begin().await?;
        let mut added = 0;
        for (customers, state, reason) in [
            (slice.recipients, MessageState::Queued, None),
            (
                slice.held_out,
                MessageState::Cancelled,
                Some(HOLDOUT_REASON),
            ),
        ] {
            if customers.is_empty() {
                continue;
            }
            let statement = Statement::new(&sql)
                .bind(campaign.id.0)
                .bind(channels.as_str())
                .bind(state.as_str())
                .bind(reason)
                .bind(slice.due_at)
                .bind(slice.expires_at)
                .bind(slice.at)
                .bind(campaign.author.map(|u| u.0))
                .bind(ids(customers));
            added += execute::<E>(&mut tx, statement).await?;
        }
        commit::<E>(tx).await?;
        Ok(added)
    }

    async fn finish_queueing(&self, id: CampaignId, at: Timestamp) -> DbResult<()> {
        let statement = Statement::new(
            "UPDATE campaigns
             SET state = 'queued', queued_at = $2,
                 recipients = (SELECT COUNT(*) FROM messages
                               WHERE campaign_id = $1 AND (reason IS NULL OR reason <> $3)),
                 held_out = (SELECT COUNT(*) FROM messages
                             WHERE campaign_id = $1 AND reason = $3)
             WHERE id = $1 AND state = 'queueing'",
        )
        .bind(id.0)
        .bind(at)
        .bind(HOLDOUT_REASON);
        self.execute(statement).await.map(drop)
    }

    async fn cancel_campaign(&self, id: CampaignId, at: Timestamp) -> DbResult<Option<u64>> {
        let mut tx = self.begin().await?;
        let stop = Statement::new(
            "UPDATE campaigns SET state = 'cancelled', cancelled_at = $2
             WHERE id = $1 AND state <> 'cancelled'",
        )
        .bind(id.0)
        .bind(at);
        if execute::<E>(&mut tx, stop).await? == 0 {
            return Ok(None);
        }
        let withdraw = Statement::new(
            "UPDATE messages SET state = 'cancelled', reason = $2
             WHERE campaign_id = $1 AND state IN ('queued', 'held')",
        )
        .bind(id.0)
        .bind(CANCELLED_REASON);
        let withdrawn = execute::<E>(&mut tx, withdraw).await?;
        commit::<E>(tx).await?;
        Ok(Some(withdrawn))
    }

    async fn campaign_counts(&self, ids: &[CampaignId]) -> DbResult<Vec<CampaignTally>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT campaign_id, state, reason, COUNT(*) AS n,
                    COUNT(unsubscribed_at) AS unsubscribed
             FROM messages WHERE {}
             GROUP BY campaign_id, state, reason",
            E::among_ids("campaign_id", "$1")
        );
        let ids = Value::Ids(Some(ids.iter().map(|c| c.0).collect()));
        self.all(Statement::new(&sql).bind(ids), |row| {
            Ok(CampaignTally {
                campaign_id: CampaignId(row.int("campaign_id")?),
                state: MessageState::parse(&row.text("state")?)
                    .map_err(|e| unreadable("state", e.message))?,
                reason: row.text_or_null("reason")?,
                messages: row.int("n")?,
                unsubscribed: row.int("unsubscribed")?,
            })
        })
        .await
    }

    async fn campaign_members(&self, id: CampaignId) -> DbResult<Vec<(CustomerId, bool)>> {
        let statement = Statement::new(
            "SELECT customer_id, CASE WHEN reason = $2 THEN 1 ELSE 0 END AS held_out
             FROM messages WHERE campaign_id = $1",
        )
        .bind(id.0)
        .bind(HOLDOUT_REASON);
        let members = self.packed(statement, ["customer_id", "held_out"]).await?;
        Ok(members
            .into_iter()
            .map(|[customer, held_out]| (CustomerId(customer), held_out == 1))
            .collect())
    }

    async fn campaign_audience(
        &self,
        segment: Option<SegmentId>,
        stores: Option<&[StoreId]>,
    ) -> DbResult<Vec<CustomerId>> {
        let sql = format!(
            "SELECT c.id FROM customers c
             WHERE c.merged_into IS NULL AND c.status <> 'archived'
               AND ($1 IS NULL OR c.id IN (
                   SELECT customer_id FROM segment_members WHERE segment_id = $1))
               AND ($2 IS NULL OR {})
             ORDER BY c.id",
            E::among_ids("c.store_id", "$2")
        );
        let statement = Statement::new(&sql)
            .bind(segment.map(|s| s.0))
            .bind(Value::Ids(
                stores.map(|stores| stores.iter().map(|s| s.0).collect()),
            ));
        self.all(statement, |row| Ok(CustomerId(row.int("id")?)))
            .await
    }

    async fn personal_facts(
        &self,
        customers: &[CustomerId],
        offer: Option<OfferId>,
    ) -> DbResult<Vec<PersonalFacts>> {
        if customers.is_empty() {
            return Ok(Vec::new());
        }
        let people = format!(
            "SELECT c.id, c.name, l.debt, t.name AS tier
             FROM customers c
             LEFT JOIN customer_loyalty l ON l.customer_id = c.id
             LEFT JOIN tiers t ON t.id = l.tier_id
             WHERE {}",
            E::among_ids("c.id", "$1")
        );
        let mut facts = self
            .all(Statement::new(&people).bind(ids(customers)), |row| {
                Ok(PersonalFacts {
                    customer_id: CustomerId(row.int("id")?),
                    name: row.text("name")?,
                    account: Account {
                        lots: Vec::new(),
                        debt: row.int_or_null("debt")?.unwrap_or(0),
                        held: 0,
                    },
                    tier: row.text_or_null("tier")?,
                    coupon: None,
                })
            })
            .await?;
        let lots = format!(
            "SELECT customer_id, entry_id, remaining, usable_from, expires_at FROM point_lots
             WHERE {} AND remaining > 0",
            E::among_ids("customer_id", "$1")
        );
        let lots = self
            .all(Statement::new(&lots).bind(ids(customers)), |row| {
                Ok((
                    CustomerId(row.int("customer_id")?),
                    Lot {
                        entry: LedgerEntryId(row.int("entry_id")?),
                        remaining: row.int("remaining")?,
                        usable_from: row.time("usable_from")?,
                        expires_at: row.time_or_null("expires_at")?,
                    },
                ))
            })
            .await?;
        for (customer, lot) in lots {
            if let Some(facts) = facts.iter_mut().find(|f| f.customer_id == customer) {
                facts.account.lots.push(lot);
            }
        }
        if let Some(offer) = offer {
            let coupons = format!(
                "SELECT customer_id, MIN(code) AS code FROM coupons
                 WHERE offer_id = $2 AND used_at IS NULL AND {}
                 GROUP BY customer_id",
                E::among_ids("customer_id", "$1")
            );
            let coupons = self
                .all(
                    Statement::new(&coupons).bind(ids(customers)).bind(offer.0),
                    |row| Ok((CustomerId(row.int("customer_id")?), row.text("code")?)),
                )
                .await?;
            for (customer, code) in coupons {
                if let Some(facts) = facts.iter_mut().find(|f| f.customer_id == customer) {
                    facts.coupon = Some(code);
                }
            }
        }
        Ok(facts)
    }
}
