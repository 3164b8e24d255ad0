//! Unsubscribing from a message's link: no sign-in, the link itself is
//! the proof. A link names its message (and so its customer and channel)
//! and carries a MAC of both under the shop's key, so it cannot be made up
//! for another customer.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_domain::customer::ConsentInput;
use clientele_domain::message::Channel;
use clientele_domain::{CustomerChanges, CustomerId, MessageId};
use clientele_store::{Actor, Message};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::audit::ChangedBy;
use crate::{App, AppError, AppResult};

const KEY: &str = "unsubscribe";
/// The bytes of the MAC a link carries.
const TAG: usize = 16;

/// What a link unsubscribes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsubscribed {
    pub customer_id: CustomerId,
    /// The message whose link it was: its campaign counts the unsubscribe.
    pub message_id: MessageId,
    pub channel: Channel,
}

fn signed(key: &[u8], customer: CustomerId, id: MessageId) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(&customer.0.to_be_bytes());
    mac.update(&id.0.to_be_bytes());
    mac
}

fn token(key: &[u8], customer: CustomerId, id: MessageId) -> String {
    let tag = signed(key, customer, id).finalize().into_bytes();
    let mut bytes = Vec::with_capacity(16 + TAG);
    bytes.extend_from_slice(&customer.0.to_be_bytes());
    bytes.extend_from_slice(&id.0.to_be_bytes());
    bytes.extend_from_slice(&tag[..TAG]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The message a link names, if its MAC holds.
fn read_token(key: &[u8], token: &str) -> Option<(CustomerId, MessageId)> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != 16 + TAG {
        return None;
    }
    let customer = CustomerId(i64::from_be_bytes(bytes[..8].try_into().ok()?));
    let id = MessageId(i64::from_be_bytes(bytes[8..16].try_into().ok()?));
    signed(key, customer, id)
        .verify_truncated_left(&bytes[16..])
        .ok()?;
    Some((customer, id))
}

impl App {
    /// The shop's key, read from the store once: every e-mail's link is
    /// signed with it, and the worker sends hundreds a second.
    async fn unsubscribe_key(&self) -> AppResult<Vec<u8>> {
        let key = self
            .unsubscribe_key
            .get_or_try_init(|| async {
                let mut fresh = [0u8; 32];
                getrandom::fill(&mut fresh).expect("the operating system gives random bytes");
                self.db().outbox().shop_key(KEY, &fresh).await
            })
            .await?;
        Ok(key.clone())
    }

    /// The public link that withdraws the consent of `message`'s channel.
    pub(super) async fn unsubscribe_url(&self, message: &Message) -> AppResult<String> {
        let key = self.unsubscribe_key().await?;
        let base = self.messaging().public_url.trim_end_matches('/');
        Ok(format!(
            "{base}/unsubscribe/{}",
            token(&key, message.customer_id, message.id)
        ))
    }

    /// What a link would unsubscribe from, changing nothing.
    pub async fn unsubscribe_link(&self, token: &str) -> AppResult<Unsubscribed> {
        let key = self.unsubscribe_key().await?;
        let (customer, id) = read_token(&key, token).ok_or(AppError::NotFound("link"))?;
        let message = self
            .db()
            .outbox()
            .message(customer, id)
            .await?
            .ok_or(AppError::NotFound("link"))?;
        Ok(Unsubscribed {
            customer_id: customer,
            message_id: id,
            // A link travels only in e-mail so far.
            channel: message.channel.unwrap_or(Channel::Email),
        })
    }

    /// Withdraws the consent the link names, with source `unsubscribe`, in
    /// the audit log as the customer's own doing.
    pub async fn unsubscribe(&self, token: &str, ip: Option<String>) -> AppResult<Unsubscribed> {
        let link = self.unsubscribe_link(token).await?;
        let changes = CustomerChanges {
            consents: vec![ConsentInput {
                kind: link.channel.consent().as_str().into(),
                granted: false,
                source: Some("unsubscribe".into()),
            }],
            ..CustomerChanges::default()
        };
        let by = ChangedBy {
            actor: Actor::System {
                name: "unsubscribe".into(),
            },
            ip,
            scope: None,
        };
        self.change_customer(
            link.customer_id,
            changes,
            "unsubscribe",
            &by,
            "customer.unsubscribe",
        )
        .await?;
        self.db()
            .outbox()
            .mark_unsubscribed(link.customer_id, link.message_id, self.clock().now())
            .await?;
        Ok(link)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_holds_for_its_message_only() {
        let key = b"the shop's key";
        let link = token(key, CustomerId(7), MessageId(42));
        assert_eq!(read_token(key, &link), Some((CustomerId(7), MessageId(42))));
        assert_eq!(read_token(b"another key", &link), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&link).unwrap();
        bytes[7] = 8;
        assert_eq!(read_token(key, &URL_SAFE_NO_PAD.encode(&bytes)), None);
        assert_eq!(read_token(key, "not a link"), None);
        assert_eq!(read_token(key, ""), None);
    }
}
