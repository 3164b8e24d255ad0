//! The outbox, the same on every engine. A claim is one conditional
//! update: whichever worker's update reaches a queued row first makes it
//! `sending`, and the other's finds it no longer queued.

use async_trait::async_trait;
use clientele_domain::message::{Channel, MessageSource, MessageState, Purpose, channels_after};
use clientele_domain::{
    CampaignId, CustomerId, Email, MessageId, Phone, StoreId, TriggerId, UserId,
};
use clientele_store::area::{Addresses, Outbox};
use clientele_store::{Claimed, DbResult, Message, MessageQuery, NewMessage, Settlement};
use jiff::{SignedDuration, Timestamp};

use crate::engine::Conn;
use crate::sql::written;
use crate::{Engine, Got, Sql, Statement, Value, channel_list, unreadable};

const MESSAGE: &str = "customer_id, id, source, channels, subject, body, state, reason, channel, \
                       address, attempts, due_at, expires_at, created_at, author_id, sent_at, \
                       delivered_at, provider_id, answer, campaign_id, trigger_id, \
                       unsubscribed_at";

/// How far back a customer's marketing is counted against the caps: a week
/// and a day, whatever their time zone.
const CAPS_LOOK_BACK: SignedDuration = SignedDuration::from_hours(8 * 24);

fn message<E: Engine>(row: &Got<'_, E>) -> DbResult<Message> {
    let channel = |raw: &str| Channel::parse(raw).map_err(|e| unreadable("channels", e.message));
    Ok(Message {
        id: MessageId(row.int("id")?),
        customer_id: CustomerId(row.int("customer_id")?),
        source: MessageSource::parse(&row.text("source")?)
            .map_err(|e| unreadable("source", e.message))?,
        channels: channel_list::read(row, "channels")?,
        subject: row.text_or_null("subject")?,
        body: row.text("body")?,
        state: MessageState::parse(&row.text("state")?)
            .map_err(|e| unreadable("state", e.message))?,
        reason: row.text_or_null("reason")?,
        channel: row
            .text_or_null("channel")?
            .as_deref()
            .map(channel)
            .transpose()?,
        address: row.text_or_null("address")?,
        attempts: row.int("attempts")?,
        due_at: row.time("due_at")?,
        expires_at: row.time("expires_at")?,
        created_at: row.time("created_at")?,
        author: row.int_or_null("author_id")?.map(UserId),
        sent_at: row.time_or_null("sent_at")?,
        delivered_at: row.time_or_null("delivered_at")?,
        provider_id: row.text_or_null("provider_id")?,
        answer: row.text_or_null("answer")?,
        campaign_id: row.int_or_null("campaign_id")?.map(CampaignId),
        trigger_id: row.int_or_null("trigger_id")?.map(TriggerId),
        unsubscribed_at: row.time_or_null("unsubscribed_at")?,
    })
}

/// Queues a message inside the caller's transaction (the points it comes
/// with are written in the same one); None when its customer had its
/// occasion already.
pub async fn queue_message<E: Engine>(
    conn: &mut Conn<E>,
    message: &NewMessage,
) -> DbResult<Option<MessageId>> {
    let channels = channel_list::text(&message.channels);
    let statement = Statement::new(
        "INSERT INTO messages (customer_id, source, channels, subject, body, state, due_at,
                               expires_at, created_at, author_id, trigger_id, occasion)
         VALUES ($1, $2, $3, $4, $5, 'queued', $6, $7, $6, $8, $9, $10)
         ON CONFLICT DO NOTHING
         RETURNING id",
    )
    .bind(message.customer_id.0)
    .bind(message.source.as_str())
    .bind(channels.as_str())
    .bind(message.subject.as_deref())
    .bind(message.body.as_str())
    .bind(message.at)
    .bind(message.expires_at)
    .bind(message.author.map(|u| u.0))
    .bind(message.trigger_id.map(|t| t.0))
    .bind(message.occasion.as_deref());
    let id = written::<E, _>(conn, statement, &[], |row| row.int("id")).await?;
    Ok(id.map(MessageId))
}

/// The write that records what became of a claimed message; one no longer
/// `sending` (failed as interrupted meanwhile) is left as it is.
fn settling<'a>(message: &Message, settlement: &'a Settlement) -> Statement<'a> {
    match settlement {
        Settlement::Sent {
            channel,
            address,
            provider_id,
            at,
            cascade_at,
        } => Statement::new(
            "UPDATE messages SET state = 'sent', reason = NULL, channel = $3, address = $4,
                                 provider_id = $5, sent_at = $6, cascade_at = $7
             WHERE customer_id = $1 AND id = $2 AND state = 'sending'",
        )
        .bind(message.customer_id.0)
        .bind(message.id.0)
        .bind(channel.as_str())
        .bind(address.as_str())
        .bind(provider_id.as_deref())
        .bind(*at)
        .bind(*cascade_at),
        Settlement::Held { until } => Statement::new(
            "UPDATE messages SET state = 'held', reason = 'quiet_hours', due_at = $3,
                                 attempts = attempts - 1
             WHERE customer_id = $1 AND id = $2 AND state = 'sending'",
        )
        .bind(message.customer_id.0)
        .bind(message.id.0)
        .bind(*until),
        Settlement::Retry { at, answer } => Statement::new(
            "UPDATE messages SET state = 'queued', reason = 'retrying', due_at = $3,
                                 answer = $4
             WHERE customer_id = $1 AND id = $2 AND state = 'sending'",
        )
        .bind(message.customer_id.0)
        .bind(message.id.0)
        .bind(*at)
        .bind(answer.as_str()),
        Settlement::Stopped {
            state,
            reason,
            answer,
        } => Statement::new(
            "UPDATE messages SET state = $3, reason = $4, answer = COALESCE($5, answer)
             WHERE customer_id = $1 AND id = $2 AND state = 'sending'",
        )
        .bind(message.customer_id.0)
        .bind(message.id.0)
        .bind(state.as_str())
        .bind(reason.as_str())
        .bind(answer.as_deref()),
    }
}

fn marketing_sources() -> String {
    MessageSource::ALL
        .into_iter()
        .filter(|s| s.purpose() == Purpose::Marketing)
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[async_trait]
impl<E: Engine> Outbox for Sql<E> {
    async fn queue_messages(&self, messages: &[NewMessage]) -> DbResult<Vec<MessageId>> {
        let mut tx = self.begin().await?;
        let mut ids = Vec::with_capacity(messages.len());
        for message in messages {
            ids.extend(queue_message::<E>(&mut tx, message).await?);
        }
        crate::sql::commit::<E>(tx).await?;
        Ok(ids)
    }

    async fn claim_messages(&self, now: Timestamp, limit: u32) -> DbResult<Vec<Claimed>> {
        // Asked every second: the writer the tills share only when
        // something is due.
        let due = Statement::new(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM messages
             WHERE state IN ('queued', 'held') AND due_at <= $1 LIMIT 1) due",
        )
        .bind(now);
        if self.one(due, |row| row.int("n")).await?.unwrap_or(0) == 0 {
            return Ok(Vec::new());
        }
        let claim = format!(
            "UPDATE messages SET state = 'sending', claimed_at = $1, attempts = attempts + 1
             WHERE state IN ('queued', 'held') AND due_at <= $1
               AND (customer_id, id) IN (
                   SELECT customer_id, id FROM messages
                   WHERE state IN ('queued', 'held') AND due_at <= $1
                   ORDER BY due_at LIMIT $2 {lock})
             RETURNING {MESSAGE}",
            lock = E::CLAIM_LOCK
        );
        let mut conn = self.writer().await?;
        let claimed = crate::sql::all::<E, _>(
            &mut conn,
            Statement::new(&claim).bind(now).bind(i64::from(limit)),
            message,
        )
        .await?;
        drop(conn);
        if claimed.is_empty() {
            return Ok(Vec::new());
        }
        let mut customers: Vec<i64> = claimed.iter().map(|m| m.customer_id.0).collect();
        customers.sort_unstable();
        customers.dedup();
        let contacts = format!(
            "SELECT id, email, phone, consents, store_id FROM customers WHERE {}",
            E::among_ids("id", "$1")
        );
        let contacts = self
            .all(
                Statement::new(&contacts).bind(Value::Ids(Some(customers.clone()))),
                |row| {
                    Ok((
                        CustomerId(row.int("id")?),
                        row.text_or_null("email")?.map(Email::from_stored),
                        row.text_or_null("phone")?.map(Phone::from_stored),
                        row.json_or_null("consents")?.unwrap_or_default(),
                        row.int_or_null("store_id")?.map(StoreId),
                    ))
                },
            )
            .await?;
        let sent = format!(
            "SELECT customer_id, sent_at FROM messages
             WHERE {} AND sent_at >= $2 AND source IN ({})",
            E::among_ids("customer_id", "$1"),
            marketing_sources()
        );
        let since = now.checked_sub(CAPS_LOOK_BACK).unwrap_or(now);
        let sent = self
            .all(
                Statement::new(&sent)
                    .bind(Value::Ids(Some(customers)))
                    .bind(since),
                |row| Ok((CustomerId(row.int("customer_id")?), row.time("sent_at")?)),
            )
            .await?;
        let customers: Vec<CustomerId> = contacts.iter().map(|c| c.0).collect();
        let devices = self.registered(&claimed, &customers, Channel::Push).await?;
        let handles = self
            .registered(&claimed, &customers, Channel::Messenger)
            .await?;
        Ok(claimed
            .into_iter()
            .filter_map(|message| {
                let (_, email, phone, consents, store_id) = contacts
                    .iter()
                    .find(|c| c.0 == message.customer_id)?
                    .clone();
                let marketing_sent = sent
                    .iter()
                    .filter(|(c, _)| *c == message.customer_id)
                    .map(|(_, at)| *at)
                    .collect();
                let device = registered_of(&devices, message.customer_id);
                let handle = registered_of(&handles, message.customer_id);
                Some(Claimed {
                    message,
                    email,
                    phone,
                    device,
                    handle,
                    consents,
                    store_id,
                    marketing_sent,
                })
            })
            .collect())
    }

    async fn settle_messages(&self, settled: &[(Message, Settlement)]) -> DbResult<()> {
        let mut tx = self.begin().await?;
        for (message, settlement) in settled {
            crate::sql::execute::<E>(&mut tx, settling(message, settlement)).await?;
            // A provider's delivery report names the message by its id.
            if let Settlement::Sent {
                channel,
                provider_id: Some(provider_id),
                ..
            } = settlement
                && *channel != Channel::Email
            {
                let remember = Statement::new(
                    "INSERT INTO message_provider_ids (channel, provider_id, customer_id,
                                                       message_id)
                     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(channel.as_str())
                .bind(provider_id.as_str())
                .bind(message.customer_id.0)
                .bind(message.id.0);
                crate::sql::execute::<E>(&mut tx, remember).await?;
            }
        }
        crate::sql::commit::<E>(tx).await
    }

    async fn cascade_due(&self, now: Timestamp, limit: u32) -> DbResult<u64> {
        let due = format!(
            "SELECT {MESSAGE} FROM messages
             WHERE state = 'sent' AND cascade_at <= $1 ORDER BY cascade_at LIMIT $2"
        );
        let due = self
            .all(
                Statement::new(&due).bind(now).bind(i64::from(limit)),
                message,
            )
            .await?;
        // Asked every round: the writer the tills share only when some are due.
        if due.is_empty() {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let mut moved = 0;
        for message in &due {
            let Some(sent_over) = message.channel else {
                continue;
            };
            let rest = channel_list::text(&channels_after(&message.channels, sent_over));
            let answer = format!("{}: no delivery report in time", sent_over.as_str());
            let onward = Statement::new(
                "UPDATE messages
                 SET state = 'queued', reason = 'not_delivered_in_time', channels = $3,
                     due_at = $4, cascade_at = NULL, answer = $5
                 WHERE customer_id = $1 AND id = $2 AND state = 'sent'",
            )
            .bind(message.customer_id.0)
            .bind(message.id.0)
            .bind(rest.as_str())
            .bind(now)
            .bind(answer.as_str());
            moved += crate::sql::execute::<E>(&mut tx, onward).await?;
        }
        crate::sql::commit::<E>(tx).await?;
        Ok(moved)
    }

    async fn fail_interrupted(&self, before: Timestamp) -> DbResult<u64> {
        // Asked every round: the writer the tills share only when a crash
        // left some behind.
        let left = Statement::new(
            "SELECT COUNT(*) AS n FROM messages WHERE state = 'sending' AND claimed_at < $1",
        )
        .bind(before);
        if self.one(left, |row| row.int("n")).await?.unwrap_or(0) == 0 {
            return Ok(0);
        }
        let statement = Statement::new(
            "UPDATE messages SET state = 'failed', reason = 'interrupted'
             WHERE state = 'sending' AND claimed_at < $1",
        )
        .bind(before);
        self.execute(statement).await
    }

    async fn messages(&self, query: &MessageQuery) -> DbResult<Vec<Message>> {
        let sql = format!(
            "SELECT {MESSAGE} FROM messages
             WHERE ($1 IS NULL OR customer_id = $1) AND ($2 IS NULL OR state = $2)
               AND ($3 IS NULL OR reason = $3) AND ($4 IS NULL OR id < $4)
               AND ($6 IS NULL OR customer_id IN (
                   SELECT c.id FROM customers c WHERE {}))
             ORDER BY id DESC LIMIT $5",
            E::among_ids("c.store_id", "$6")
        );
        let stores = query
            .stores
            .as_ref()
            .map(|s| s.iter().map(|s| s.0).collect());
        let statement = Statement::new(&sql)
            .bind(query.customer_id.map(|c| c.0))
            .bind(query.state.map(MessageState::as_str))
            .bind(query.reason.as_deref())
            .bind(query.before.map(|m| m.0))
            .bind(i64::from(query.limit))
            .bind(Value::Ids(stores));
        self.all(statement, message).await
    }

    async fn message(&self, customer: CustomerId, id: MessageId) -> DbResult<Option<Message>> {
        let sql = format!("SELECT {MESSAGE} FROM messages WHERE customer_id = $1 AND id = $2");
        let statement = Statement::new(&sql).bind(customer.0).bind(id.0);
        self.one(statement, message).await
    }

    async fn erase_messages(&self, customer: CustomerId) -> DbResult<u64> {
        let statement = Statement::new(
            "UPDATE messages
             SET subject = NULL, body = '', address = NULL, answer = NULL,
                 reason = CASE WHEN state IN ('queued', 'held') THEN 'customer_erased'
                               ELSE reason END,
                 state = CASE WHEN state IN ('queued', 'held') THEN 'cancelled' ELSE state END
             WHERE customer_id = $1",
        )
        .bind(customer.0);
        self.execute(statement).await
    }

    async fn mark_unsubscribed(
        &self,
        customer: CustomerId,
        id: MessageId,
        at: Timestamp,
    ) -> DbResult<()> {
        let statement = Statement::new(
            "UPDATE messages SET unsubscribed_at = $3
             WHERE customer_id = $1 AND id = $2 AND unsubscribed_at IS NULL",
        )
        .bind(customer.0)
        .bind(id.0)
        .bind(at);
        self.execute(statement).await.map(drop)
    }

    async fn shop_key(&self, name: &str, fresh: &[u8]) -> DbResult<Vec<u8>> {
        let keep = Statement::new(
            "INSERT INTO shop_keys (name, key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(name)
        .bind(fresh);
        self.execute(keep).await?;
        let kept = Statement::new("SELECT key FROM shop_keys WHERE name = $1").bind(name);
        self.one(kept, |row| row.bytes("key"))
            .await?
            .ok_or_else(crate::sql::unanswered)
    }
}

impl<E: Engine> Sql<E> {
    /// The latest address registered on `channel` of each customer, read
    /// only when a claimed message may go over it.
    async fn registered(
        &self,
        claimed: &[Message],
        customers: &[CustomerId],
        channel: Channel,
    ) -> DbResult<Vec<(CustomerId, String)>> {
        if !claimed.iter().any(|m| m.channels.contains(&channel)) {
            return Ok(Vec::new());
        }
        self.latest_addresses(customers, channel).await
    }
}

fn registered_of(registered: &[(CustomerId, String)], customer: CustomerId) -> Option<String> {
    registered
        .iter()
        .find(|(c, _)| *c == customer)
        .map(|(_, address)| address.clone())
}
