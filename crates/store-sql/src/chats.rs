//! Chats, the same on every engine.

use async_trait::async_trait;
use clientele_domain::chat::Direction;
use clientele_domain::message::Channel;
use clientele_domain::{CustomerId, MessageId, StoreId, UserId};
use clientele_store::area::{ChatMessage, ChatThread, Chats};
use clientele_store::{DbResult, NewMessage};
use jiff::Timestamp;

use crate::outbox::queue_message;
use crate::sql::{commit, execute, unanswered, written};
use crate::{Engine, Got, Sql, Statement, Value, unreadable};

const THREAD: &str =
    "customer_id, channel, address, opened_at, last_at, last_text, waiting_since, open";
const MESSAGE: &str = "customer_id, id, direction, channel, text, at, author_id, message_id";

fn channel<E: Engine>(row: &Got<'_, E>) -> DbResult<Channel> {
    Channel::parse(&row.text("channel")?).map_err(|e| unreadable("channel", e.message))
}

fn thread<E: Engine>(row: &Got<'_, E>) -> DbResult<ChatThread> {
    Ok(ChatThread {
        customer_id: CustomerId(row.int("customer_id")?),
        channel: channel(row)?,
        address: row.text("address")?,
        opened_at: row.time("opened_at")?,
        last_at: row.time("last_at")?,
        last_text: row.text("last_text")?,
        waiting_since: row.time_or_null("waiting_since")?,
        open: row.flag("open")?,
    })
}

fn message<E: Engine>(row: &Got<'_, E>) -> DbResult<ChatMessage> {
    Ok(ChatMessage {
        id: row.int("id")?,
        customer_id: CustomerId(row.int("customer_id")?),
        direction: Direction::parse(&row.text("direction")?)
            .ok_or_else(|| unreadable("direction", "neither in nor out"))?,
        channel: channel(row)?,
        text: row.text("text")?,
        at: row.time("at")?,
        author: row.int_or_null("author_id")?.map(UserId),
        message_id: row.int_or_null("message_id")?.map(MessageId),
    })
}

fn adding(
    customer: CustomerId,
    direction: Direction,
    channel: Channel,
    text: &str,
    at: Timestamp,
    author: Option<UserId>,
    message_id: Option<MessageId>,
) -> Statement<'_> {
    Statement::new(
        "INSERT INTO chat_messages (customer_id, direction, channel, text, at, author_id,
                                    message_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING customer_id, id, direction, channel, text, at, author_id, message_id",
    )
    .bind(customer.0)
    .bind(direction.as_str())
    .bind(channel.as_str())
    .bind(text)
    .bind(at)
    .bind(author.map(|u| u.0))
    .bind(message_id.map(|m| m.0))
}

#[async_trait]
impl<E: Engine> Chats for Sql<E> {
    async fn take_inbound(
        &self,
        customer: CustomerId,
        channel: Channel,
        address: &str,
        text: &str,
        at: Timestamp,
    ) -> DbResult<ChatMessage> {
        let mut tx = self.begin().await?;
        let open = Statement::new(
            "INSERT INTO chat_threads (customer_id, channel, address, opened_at, last_at,
                                       last_text, waiting_since, open)
             VALUES ($1, $2, $3, $4, $4, $6, $4, $5)
             ON CONFLICT (customer_id) DO UPDATE
             SET channel = excluded.channel, address = excluded.address,
                 last_at = excluded.last_at, last_text = excluded.last_text,
                 waiting_since = COALESCE(chat_threads.waiting_since, excluded.waiting_since),
                 open = excluded.open",
        )
        .bind(customer.0)
        .bind(channel.as_str())
        .bind(address)
        .bind(at)
        .bind(true)
        .bind(text);
        execute::<E>(&mut tx, open).await?;
        let kept = written::<E, _>(
            &mut tx,
            adding(customer, Direction::Inbound, channel, text, at, None, None),
            &[],
            message,
        )
        .await?
        .ok_or_else(unanswered)?;
        commit::<E>(tx).await?;
        Ok(kept)
    }

    async fn answer(
        &self,
        thread: &ChatThread,
        text: &str,
        author: Option<UserId>,
        outbox: &NewMessage,
    ) -> DbResult<ChatMessage> {
        let mut tx = self.begin().await?;
        let queued = queue_message::<E>(&mut tx, outbox).await?;
        let answered = Statement::new(
            "UPDATE chat_threads SET last_at = $2, last_text = $3, waiting_since = NULL
             WHERE customer_id = $1",
        )
        .bind(thread.customer_id.0)
        .bind(outbox.at)
        .bind(text);
        execute::<E>(&mut tx, answered).await?;
        let kept = written::<E, _>(
            &mut tx,
            adding(
                thread.customer_id,
                Direction::Outbound,
                thread.channel,
                text,
                outbox.at,
                author,
                queued,
            ),
            &[],
            message,
        )
        .await?
        .ok_or_else(unanswered)?;
        commit::<E>(tx).await?;
        Ok(kept)
    }

    async fn thread(&self, customer: CustomerId) -> DbResult<Option<ChatThread>> {
        let sql = format!("SELECT {THREAD} FROM chat_threads WHERE customer_id = $1");
        self.one(Statement::new(&sql).bind(customer.0), thread)
            .await
    }

    async fn open_threads(
        &self,
        stores: Option<&[StoreId]>,
        limit: u32,
    ) -> DbResult<Vec<ChatThread>> {
        let sql = format!(
            "SELECT {THREAD} FROM chat_threads
             WHERE open = $1
               AND ($2 IS NULL OR customer_id IN (SELECT c.id FROM customers c WHERE {}))
             ORDER BY waiting_since IS NULL, waiting_since, last_at DESC
             LIMIT $3",
            E::among_ids("c.store_id", "$2")
        );
        let statement = Statement::new(&sql)
            .bind(true)
            .bind(Value::Ids(
                stores.map(|stores| stores.iter().map(|s| s.0).collect()),
            ))
            .bind(i64::from(limit));
        self.all(statement, thread).await
    }

    async fn chat_messages(&self, customer: CustomerId) -> DbResult<Vec<ChatMessage>> {
        let sql = format!("SELECT {MESSAGE} FROM chat_messages WHERE customer_id = $1 ORDER BY id");
        self.all(Statement::new(&sql).bind(customer.0), message)
            .await
    }

    async fn close_thread(&self, customer: CustomerId) -> DbResult<bool> {
        let statement = Statement::new(
            "UPDATE chat_threads SET open = $2, waiting_since = NULL
             WHERE customer_id = $1 AND open = $3",
        )
        .bind(customer.0)
        .bind(false)
        .bind(true);
        Ok(self.execute(statement).await? > 0)
    }

    async fn erase_chat(&self, customer: CustomerId) -> DbResult<()> {
        let mut tx = self.begin().await?;
        for table in ["chat_messages", "chat_threads"] {
            let sql = format!("DELETE FROM {table} WHERE customer_id = $1");
            execute::<E>(&mut tx, Statement::new(&sql).bind(customer.0)).await?;
        }
        commit::<E>(tx).await
    }
}
