//! What a customer wrote, as a provider posts it to us: our own
//! `{"from": "+7…", "text": "…"}` (an SMS reply relayed by the provider), or
//! a Telegram bot's Update. Reading only: who is behind the sender, and
//! what to keep of it, are for the caller to decide.

use serde::Deserialize;
use serde_json::Value;

/// Who wrote, as the provider names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// A phone, in any form people write one (an SMS reply).
    Phone(String),
    /// A messenger's handle (Telegram: the chat id, as a string), with the
    /// phone the customer shared, if they did.
    Handle {
        handle: String,
        phone: Option<String>,
    },
}

/// One message a customer wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMessage {
    pub sender: Sender,
    /// What they wrote, as written (a photo's caption for a photo); None:
    /// nothing to keep (a shared contact alone, a sticker, blank text).
    pub text: Option<String>,
}

/// A post that is neither of the forms read, saying what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboundError {
    #[error(
        "The body is not JSON ({0}): expected {{\"from\": \"+7…\", \"text\": \"…\"}} or a Telegram update."
    )]
    NotJson(String),
    #[error(
        "The body is not {{\"from\": \"+7…\", \"text\": \"…\"}} (nor a Telegram update, which has an `update_id`): {0}."
    )]
    Ours(String),
    #[error("The `from` is empty: expected the phone of the customer who wrote.")]
    NoSender,
    #[error("The body is not a Telegram update as expected: {0}.")]
    Telegram(String),
}

/// Reads a provider's post: our own `{"from": "+7…", "text": "…"}` (no
/// other fields allowed), or a Telegram Update
/// (<https://core.telegram.org/bots/api#update>), told apart by its
/// `update_id`.
///
/// Ok(None): an update that carries no customer's message (an edited
/// message, a callback, a channel post, a message in a group): answered and
/// ignored, so the provider does not retry it.
pub fn read_inbound(body: &[u8]) -> Result<Option<InboundMessage>, InboundError> {
    let json: Value =
        serde_json::from_slice(body).map_err(|e| InboundError::NotJson(e.to_string()))?;
    if json.get("update_id").is_some() {
        let update: Update =
            serde_json::from_value(json).map_err(|e| InboundError::Telegram(e.to_string()))?;
        return Ok(update.message.and_then(Message::read));
    }
    let ours: Ours = serde_json::from_value(json).map_err(|e| InboundError::Ours(e.to_string()))?;
    if ours.from.trim().is_empty() {
        return Err(InboundError::NoSender);
    }
    Ok(Some(InboundMessage {
        sender: Sender::Phone(ours.from),
        text: kept(Some(ours.text)),
    }))
}

/// Our own form.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ours {
    from: String,
    text: String,
}

/// The parts of Telegram's objects read here; Telegram adds fields over
/// time, so others are let be. Every other kind of update
/// (`edited_message`, `callback_query`, `channel_post`, …) has no `message`.
#[derive(Deserialize)]
struct Update {
    #[serde(default)]
    message: Option<Message>,
}

/// <https://core.telegram.org/bots/api#message>
#[derive(Deserialize)]
struct Message {
    /// Absent in channels' messages.
    #[serde(default)]
    from: Option<User>,
    chat: Chat,
    #[serde(default)]
    text: Option<String>,
    /// A photo's, a document's or a video's words.
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    contact: Option<Contact>,
}

#[derive(Deserialize)]
struct User {
    id: i64,
}

#[derive(Deserialize)]
struct Chat {
    id: i64,
    /// `private`, `group`, `supergroup` or `channel`.
    #[serde(rename = "type")]
    kind: String,
}

/// <https://core.telegram.org/bots/api#contact>
#[derive(Deserialize)]
struct Contact {
    phone_number: String,
    /// Whose contact it is, when they are on Telegram.
    #[serde(default)]
    user_id: Option<i64>,
}

impl Message {
    /// A customer's message in their private chat with the bot; in a group
    /// nobody writes to the shop alone.
    fn read(self) -> Option<InboundMessage> {
        if self.chat.kind != "private" {
            return None;
        }
        let from = self.from.map(|user| user.id);
        // Only the customer's own contact: one shared of someone else must
        // not tie this chat to that person.
        let phone = self
            .contact
            .filter(|contact| from.is_some() && contact.user_id == from)
            .map(|contact| contact.phone_number)
            .filter(|phone| !phone.trim().is_empty());
        Some(InboundMessage {
            sender: Sender::Handle {
                handle: self.chat.id.to_string(),
                phone,
            },
            text: kept(self.text.or(self.caption)),
        })
    }
}

/// Text worth keeping: not blank.
fn kept(text: Option<String>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn read(body: Value) -> Result<Option<InboundMessage>, InboundError> {
        read_inbound(body.to_string().as_bytes())
    }

    fn handle(handle: &str, phone: Option<&str>) -> Sender {
        Sender::Handle {
            handle: handle.to_owned(),
            phone: phone.map(str::to_owned),
        }
    }

    /// A Telegram update with `message` in Anna's private chat with the bot.
    fn update(message: Value) -> Value {
        let mut full = json!({
            "message_id": 5,
            "from": {"id": 42, "is_bot": false, "first_name": "Анна", "language_code": "ru"},
            "chat": {"id": 42, "first_name": "Анна", "type": "private"},
            "date": 1700000000
        });
        for (key, value) in message.as_object().expect("an object") {
            full[key] = value.clone();
        }
        json!({"update_id": 1, "message": full})
    }

    #[test]
    fn our_own_form_is_a_phone_and_its_text() {
        assert_eq!(
            read(json!({"from": "8 (916) 123-45-67", "text": "Стоп"})),
            Ok(Some(InboundMessage {
                sender: Sender::Phone("8 (916) 123-45-67".to_owned()),
                text: Some("Стоп".to_owned()),
            }))
        );
        assert_eq!(
            read(json!({"from": "+79161234567", "text": "  \n"})),
            Ok(Some(InboundMessage {
                sender: Sender::Phone("+79161234567".to_owned()),
                text: None,
            }))
        );
    }

    #[test]
    fn our_own_form_allows_nothing_else() {
        let err =
            read(json!({"from": "+79161234567", "text": "Да", "channel": "sms"})).unwrap_err();
        assert!(matches!(err, InboundError::Ours(_)), "{err:?}");
        assert!(err.to_string().contains("unknown field `channel`"), "{err}");

        let err = read(json!({"text": "Да"})).unwrap_err();
        assert!(err.to_string().contains("missing field `from`"), "{err}");
        let err = read(json!({"from": "+79161234567"})).unwrap_err();
        assert!(err.to_string().contains("missing field `text`"), "{err}");
        let err = read(json!({"from": " ", "text": "Да"})).unwrap_err();
        assert_eq!(err, InboundError::NoSender);
    }

    #[test]
    fn garbage_says_what_was_expected() {
        for body in [
            &b"from=%2B7916&text=hi"[..],
            b"",
            b"\xff\xfe",
            b"{\"from\":",
        ] {
            let err = read_inbound(body).unwrap_err();
            assert!(matches!(err, InboundError::NotJson(_)), "{err:?}");
            assert!(err.to_string().contains("\"from\""), "{err}");
        }
        for body in [json!([1, 2]), json!("text"), json!(null), json!({})] {
            let err = read(body).unwrap_err();
            assert!(matches!(err, InboundError::Ours(_)), "{err:?}");
            assert!(err.to_string().contains("update_id"), "{err}");
        }
    }

    #[test]
    fn a_telegram_message_is_its_chat_and_text() {
        let body = json!({"update_id": 1, "message": {"message_id": 5, "from": {"id": 42, "is_bot": false, "first_name": "Анна"}, "chat": {"id": 42, "type": "private"}, "date": 1700000000, "text": "Здравствуйте"}});
        assert_eq!(
            read(body),
            Ok(Some(InboundMessage {
                sender: handle("42", None),
                text: Some("Здравствуйте".to_owned()),
            }))
        );
        // Fields Telegram may add are let be; large ids stay whole.
        let body = update(json!({
            "chat": {"id": 7_000_000_001_i64, "type": "private", "accent": 3},
            "from": {"id": 7_000_000_001_i64, "is_bot": false, "first_name": "Ян"},
            "text": "Где мой заказ?",
            "entities": [],
            "new_field": {"x": 1}
        }));
        assert_eq!(
            read(body),
            Ok(Some(InboundMessage {
                sender: handle("7000000001", None),
                text: Some("Где мой заказ?".to_owned()),
            }))
        );
    }

    #[test]
    fn the_customers_own_contact_gives_their_phone() {
        let body = update(json!({
            "contact": {"phone_number": "79161234567", "first_name": "Анна", "user_id": 42}
        }));
        assert_eq!(
            read(body),
            Ok(Some(InboundMessage {
                sender: handle("42", Some("79161234567")),
                text: None,
            }))
        );
    }

    #[test]
    fn someone_elses_contact_gives_no_phone() {
        for contact in [
            json!({"phone_number": "79031112233", "first_name": "Пётр", "user_id": 77}),
            // Not on Telegram: whose it is cannot be told.
            json!({"phone_number": "79031112233", "first_name": "Пётр"}),
        ] {
            assert_eq!(
                read(update(json!({"contact": contact}))),
                Ok(Some(InboundMessage {
                    sender: handle("42", None),
                    text: None,
                }))
            );
        }
    }

    #[test]
    fn a_sticker_keeps_no_text_and_a_photo_its_caption() {
        let sticker = update(json!({"sticker": {"file_id": "f", "emoji": "👍"}}));
        assert_eq!(
            read(sticker),
            Ok(Some(InboundMessage {
                sender: handle("42", None),
                text: None,
            }))
        );
        let photo = update(json!({"photo": [{"file_id": "p"}], "caption": "Вот чек"}));
        assert_eq!(
            read(photo).map(|m| m.and_then(|m| m.text)),
            Ok(Some("Вот чек".to_owned()))
        );
    }

    #[test]
    fn updates_without_a_customers_message_are_ignored() {
        let group = update(json!({
            "chat": {"id": -1001234567890_i64, "title": "Клуб", "type": "supergroup"},
            "text": "Всем привет"
        }));
        let small_group = update(json!({"chat": {"id": -42, "type": "group"}, "text": "Да"}));
        let edited = json!({"update_id": 2, "edited_message": {"message_id": 5,
            "chat": {"id": 42, "type": "private"}, "date": 1, "text": "Исправила"}});
        let callback = json!({"update_id": 3, "callback_query": {"id": "c",
            "from": {"id": 42, "is_bot": false, "first_name": "Анна"}, "data": "yes"}});
        let post = json!({"update_id": 4, "channel_post": {"message_id": 1,
            "chat": {"id": -100, "type": "channel"}, "date": 1, "text": "Новости"}});
        for body in [group, small_group, edited, callback, post] {
            assert_eq!(read(body.clone()), Ok(None), "{body}");
        }
    }

    #[test]
    fn a_broken_telegram_update_says_so() {
        let err = read(json!({"update_id": 1, "message": {"text": "Привет"}})).unwrap_err();
        assert!(matches!(err, InboundError::Telegram(_)), "{err:?}");
        assert!(err.to_string().contains("missing field `chat`"), "{err}");
        let err =
            read(json!({"update_id": 1, "message": {"chat": {"id": "42", "type": "private"}}}))
                .unwrap_err();
        assert!(matches!(err, InboundError::Telegram(_)), "{err:?}");
    }
}
