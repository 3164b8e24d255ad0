//! Chats: a thread per customer who wrote, and its messages both ways.

use async_trait::async_trait;
use clientele_domain::chat::Direction;
use clientele_domain::message::Channel;
use clientele_domain::{CustomerId, MessageId, StoreId, UserId};
use jiff::Timestamp;

use crate::{DbResult, NewMessage};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatThread {
    pub customer_id: CustomerId,
    /// The channel and address the customer wrote from: answers go there.
    pub channel: Channel,
    pub address: String,
    pub opened_at: Timestamp,
    pub last_at: Timestamp,
    /// The thread's last message, either way.
    pub last_text: String,
    /// Since when the customer waits for an answer; None: answered.
    pub waiting_since: Option<Timestamp>,
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub id: i64,
    pub customer_id: CustomerId,
    pub direction: Direction,
    pub channel: Channel,
    pub text: String,
    pub at: Timestamp,
    pub author: Option<UserId>,
    /// An answer's message in the outbox.
    pub message_id: Option<MessageId>,
}

#[async_trait]
pub trait Chats: Send + Sync {
    /// Keeps what a customer wrote, opening their thread (or opening it
    /// again) on the channel and address they wrote from.
    async fn take_inbound(
        &self,
        customer: CustomerId,
        channel: Channel,
        address: &str,
        text: &str,
        at: Timestamp,
    ) -> DbResult<ChatMessage>;
    /// Keeps staff's answer and queues it in the outbox, in one
    /// transaction.
    async fn answer(
        &self,
        thread: &ChatThread,
        text: &str,
        author: Option<UserId>,
        outbox: &NewMessage,
    ) -> DbResult<ChatMessage>;
    async fn thread(&self, customer: CustomerId) -> DbResult<Option<ChatThread>>;
    /// Open threads, the longest waiting first, then the latest; only
    /// customers registered in `stores` when given.
    async fn open_threads(
        &self,
        stores: Option<&[StoreId]>,
        limit: u32,
    ) -> DbResult<Vec<ChatThread>>;
    /// A thread's messages, oldest first.
    async fn chat_messages(&self, customer: CustomerId) -> DbResult<Vec<ChatMessage>>;
    async fn close_thread(&self, customer: CustomerId) -> DbResult<bool>;
    /// Erases a customer's chat (the personal-data right).
    async fn erase_chat(&self, customer: CustomerId) -> DbResult<()>;
}
