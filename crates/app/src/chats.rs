//! Chats: a customer writes first (an SMS reply, a messenger's webhook),
//! the thread opens on them, and staff answer from the inbox or the
//! customer's page; answers leave through the outbox, as transactional
//! messages, over the channel the customer wrote from.

use clientele_channels::{Sender, read_inbound};
use clientele_domain::chat::{cut, text};
use clientele_domain::message::{Channel, MessageSource, device_address};
use clientele_domain::{CustomerId, FieldError, Phone};
use clientele_store::{Actor, ChatMessage, ChatThread, NewMessage};

use crate::audit::ChangedBy;
use crate::outbox::channels::Proof;
use crate::{App, AppError, AppResult};

/// Open threads an inbox shows at once.
const INBOX: u32 = 200;

/// Where an inbound message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboundTaken {
    /// The customer it was matched to; None: nobody has that address.
    pub customer_id: Option<CustomerId>,
}

/// A thread and its messages.
#[derive(Debug, Clone)]
pub struct Chat {
    pub thread: ChatThread,
    pub messages: Vec<ChatMessage>,
}

impl App {
    /// Takes what a customer wrote over `channel`, posted by its provider
    /// (proven by the channel's key or signature) in our form or as a
    /// Telegram update: it opens or continues the thread of the customer
    /// the sender's phone or handle matches. A messenger user who shares
    /// their phone is matched by it, and their handle kept for answers.
    #[tracing::instrument(skip(self, body, proof))]
    pub async fn take_inbound(
        &self,
        channel: Channel,
        body: &[u8],
        proof: Proof<'_>,
    ) -> AppResult<InboundTaken> {
        self.proven(channel, body, proof).await?;
        let inbound = read_inbound(body).map_err(|e| {
            AppError::from_field(FieldError::new("body", "bad_inbound", e.to_string()))
        })?;
        let Some(inbound) = inbound else {
            return Ok(InboundTaken { customer_id: None });
        };
        // A messenger retries what it is refused, so what cannot be kept
        // whole is cut there; our own form is refused, as the caller can
        // mend it.
        let messenger = matches!(inbound.sender, Sender::Handle { .. });
        let said = inbound
            .text
            .as_deref()
            .map(|t| {
                if messenger {
                    text("text", &cut(t))
                } else {
                    text("text", t)
                }
            })
            .transpose()
            .map_err(AppError::from_field)?;
        let Some((customer, address)) = self.sender(channel, inbound.sender).await? else {
            tracing::info!(
                channel = channel.as_str(),
                "a message from an unknown sender"
            );
            return Ok(InboundTaken { customer_id: None });
        };
        if let Some(said) = said {
            self.db()
                .chats()
                .take_inbound(customer, channel, &address, &said, self.clock().now())
                .await?;
        }
        Ok(InboundTaken {
            customer_id: Some(customer),
        })
    }

    /// The customer behind a sender, and the address answers go to: by
    /// phone, by a handle kept before, or by the phone a messenger user
    /// shared (their handle is kept then).
    async fn sender(
        &self,
        channel: Channel,
        sender: Sender,
    ) -> AppResult<Option<(CustomerId, String)>> {
        match sender {
            Sender::Phone(raw) => {
                let phone = Phone::parse(&raw).map_err(|e| AppError::from_field(e.at("from")))?;
                let customer = self.db().customer_by_phone(&phone).await?;
                Ok(customer.map(|c| {
                    (
                        c.merged_into.map_or(c.id, |s| s.id),
                        phone.as_str().to_owned(),
                    )
                }))
            }
            Sender::Handle { handle, phone } => {
                let handle = device_address(channel, &handle).map_err(AppError::from_field)?;
                if let Some(holder) = self
                    .db()
                    .addresses()
                    .address_holder(channel, &handle)
                    .await?
                {
                    return Ok(Some((holder, handle)));
                }
                let Some(phone) = phone else {
                    return Ok(None);
                };
                // A phone the messenger vouches for but that is none of ours
                // matches nobody.
                let Ok(phone) = Phone::parse(&phone) else {
                    return Ok(None);
                };
                let Some(customer) = self.db().customer_by_phone(&phone).await? else {
                    return Ok(None);
                };
                let customer = customer.merged_into.map_or(customer.id, |s| s.id);
                let by = ChangedBy::system(&format!("channel {}", channel.as_str()));
                self.register(customer, channel, handle.clone(), None, &by)
                    .await?;
                Ok(Some((customer, handle)))
            }
        }
    }

    /// The open threads `by` may see, the longest waiting first.
    pub async fn chat_inbox(&self, by: &ChangedBy) -> AppResult<Vec<ChatThread>> {
        Ok(self
            .db()
            .chats()
            .open_threads(by.scope.as_deref(), INBOX)
            .await?)
    }

    /// A customer's thread, if they ever wrote.
    pub async fn chat(&self, customer: CustomerId, by: &ChangedBy) -> AppResult<Option<Chat>> {
        let record = self.customer(customer).await?;
        self.ensure_within(&record, by).await?;
        let Some(thread) = self.db().chats().thread(customer).await? else {
            return Ok(None);
        };
        let messages = self.db().chats().chat_messages(customer).await?;
        Ok(Some(Chat { thread, messages }))
    }

    /// Answers a customer in their thread: refused until they have written
    /// (as in UDS, the customer opens the chat).
    #[tracing::instrument(skip(self, said, by))]
    pub async fn answer_chat(
        &self,
        customer: CustomerId,
        said: &str,
        by: &ChangedBy,
    ) -> AppResult<ChatMessage> {
        let said = text("text", said).map_err(AppError::from_field)?;
        let record = self.customer(customer).await?;
        self.ensure_within(&record, by).await?;
        let thread =
            self.db()
                .chats()
                .thread(customer)
                .await?
                .ok_or_else(|| AppError::Conflict {
                    message: "the customer has not written: a chat opens when they write first"
                        .into(),
                    field: None,
                    existing_customer: None,
                })?;
        let author = match &by.actor {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        };
        let at = self.clock().now();
        let outbox = NewMessage {
            customer_id: customer,
            source: MessageSource::Chat,
            channels: vec![thread.channel],
            subject: None,
            body: said.clone(),
            at,
            expires_at: at + MessageSource::Chat.lifetime(),
            author,
            trigger_id: None,
            occasion: None,
        };
        Ok(self
            .db()
            .chats()
            .answer(&thread, &said, author, &outbox)
            .await?)
    }

    /// Closes a thread; the customer's next message opens it again.
    pub async fn close_chat(&self, customer: CustomerId, by: &ChangedBy) -> AppResult<()> {
        let record = self.customer(customer).await?;
        self.ensure_within(&record, by).await?;
        if !self.db().chats().close_thread(customer).await? {
            return Err(AppError::NotFound("open chat"));
        }
        Ok(())
    }
}
