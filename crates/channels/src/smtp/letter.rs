//! A message as it goes out: its addresses in ASCII where they can be, its
//! id and unsubscribe link checked, its text and HTML as alternatives.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::{MESSAGE_ID_MAX, Smtp, UNSUBSCRIBE_MAX};
use crate::envelope::Envelope;
use crate::error::SendError;

impl Smtp {
    pub(super) fn message(&self, envelope: &Envelope) -> Result<Message, SendError> {
        let refused = |e: String| {
            SendError::Refused(format!("{:?} is not an e-mail address: {e}", envelope.to))
        };
        let to: Address = envelope.to.parse().map_err(|e| refused(format!("{e}")))?;
        let to = ascii_domain(to).map_err(refused)?;
        if envelope.subject.chars().any(char::is_control) {
            return Err(SendError::Refused(
                "the subject has a line break or another control character".to_owned(),
            ));
        }
        check_id(&envelope.id)?;

        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(envelope.subject.as_str())
            .message_id(Some(format!(
                "<{}@{}>",
                envelope.id,
                self.from.email.domain()
            )));
        if let Some(url) = &envelope.unsubscribe {
            check_unsubscribe(url)?;
            builder = builder
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe"),
                    format!("<{url}>"),
                ))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let built = match &envelope.html {
            None => builder.singlepart(SinglePart::plain(envelope.text.clone())),
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                envelope.text.clone(),
                html.clone(),
            )),
        };
        built.map_err(|e| SendError::Refused(format!("the message cannot be built: {e}")))
    }
}

/// An internationalised domain in its ASCII (xn--) form, which every server
/// takes; only a non-ASCII local part still needs SMTPUTF8.
pub(super) fn ascii_domain(address: Address) -> Result<Address, String> {
    if address.domain().is_ascii() {
        return Ok(address);
    }
    let domain = idna::domain_to_ascii(address.domain()).map_err(|e| e.to_string())?;
    Address::new(address.user(), domain).map_err(|e| e.to_string())
}

/// RFC 5322's dot-atom-text, so the id goes into Message-ID as it is.
fn check_id(id: &str) -> Result<(), SendError> {
    let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let ok = !id.is_empty()
        && id.len() <= MESSAGE_ID_MAX
        && id
            .split('.')
            .all(|atom| !atom.is_empty() && atom.chars().all(atext));
    if ok {
        Ok(())
    } else {
        Err(SendError::Refused(format!(
            "the message id {id:?} cannot be a Message-ID: no spaces, no non-ASCII, no empty dot-parts"
        )))
    }
}

/// An HTTP(S) URL of visible ASCII without angle brackets, so it can stand
/// between `<` and `>` in the header untouched.
fn check_unsubscribe(url: &str) -> Result<(), SendError> {
    let scheme = url.starts_with("https://") || url.starts_with("http://");
    let visible = url
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    if scheme && visible && url.len() <= UNSUBSCRIBE_MAX {
        Ok(())
    } else {
        Err(SendError::Refused(format!(
            "the unsubscribe link {url:?} is not an http(s) URL fit for List-Unsubscribe"
        )))
    }
}
