//! The channels' settings and delivery reports, the same on every engine.

use async_trait::async_trait;
use clientele_domain::message::Channel;
use clientele_domain::{CustomerId, MessageId};
use clientele_store::DbResult;
use clientele_store::area::{Channels, Delivery, KeptChannel};
use jiff::Timestamp;

use crate::sql::unanswered;
use crate::{Engine, Got, Sql, Statement, Value, unreadable};

const CHANNEL: &str = "channel, settings, webhook_key, updated_at, version";

fn kept<E: Engine>(row: &Got<'_, E>) -> DbResult<KeptChannel> {
    Ok(KeptChannel {
        channel: Channel::parse(&row.text("channel")?)
            .map_err(|e| unreadable("channel", e.message))?,
        settings: row.json("settings")?,
        webhook_key: row.text("webhook_key")?,
        updated_at: row.time("updated_at")?,
        version: row.int("version")?,
    })
}

#[async_trait]
impl<E: Engine> Channels for Sql<E> {
    async fn channel_settings(&self) -> DbResult<Vec<KeptChannel>> {
        let sql = format!("SELECT {CHANNEL} FROM channel_settings ORDER BY channel");
        self.all(Statement::new(&sql), kept).await
    }

    async fn save_channel(
        &self,
        channel: Channel,
        settings: &serde_json::Value,
        webhook_key: &str,
        at: Timestamp,
    ) -> DbResult<KeptChannel> {
        let sql = format!(
            "INSERT INTO channel_settings (channel, settings, webhook_key, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (channel) DO UPDATE
             SET settings = excluded.settings, webhook_key = excluded.webhook_key,
                 updated_at = excluded.updated_at,
                 version = channel_settings.version + 1
             RETURNING {CHANNEL}"
        );
        let statement = Statement::new(&sql)
            .bind(channel.as_str())
            .bind(Value::Json(Some(settings.clone())))
            .bind(webhook_key)
            .bind(at);
        self.written(statement, &[], kept)
            .await?
            .ok_or_else(unanswered)
    }

    async fn message_by_provider_id(
        &self,
        channel: Channel,
        provider_id: &str,
    ) -> DbResult<Option<(CustomerId, MessageId)>> {
        let statement = Statement::new(
            "SELECT customer_id, message_id FROM message_provider_ids
             WHERE provider_id = $1 AND channel = $2",
        )
        .bind(provider_id)
        .bind(channel.as_str());
        self.one(statement, |row| {
            Ok((
                CustomerId(row.int("customer_id")?),
                MessageId(row.int("message_id")?),
            ))
        })
        .await
    }

    async fn report_delivery(
        &self,
        customer: CustomerId,
        id: MessageId,
        delivery: &Delivery,
        at: Timestamp,
    ) -> DbResult<bool> {
        let statement = match delivery {
            Delivery::Delivered => Statement::new(
                "UPDATE messages SET state = 'delivered', delivered_at = $3
                 WHERE customer_id = $1 AND id = $2 AND state = 'sent'",
            )
            .bind(customer.0)
            .bind(id.0)
            .bind(at),
            Delivery::Failed(reason) => Statement::new(
                "UPDATE messages SET state = 'failed', reason = 'not_delivered', answer = $3
                 WHERE customer_id = $1 AND id = $2 AND state = 'sent'",
            )
            .bind(customer.0)
            .bind(id.0)
            .bind(reason.as_str()),
        };
        Ok(self.execute(statement).await? > 0)
    }
}
