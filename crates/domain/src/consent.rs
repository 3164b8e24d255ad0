//! Consents: the general one, one per message channel, and the paper-receipt
//! refusal, each with when it was given or withdrawn and through what.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::validation::FieldError;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Consent to the processing of personal data and to loyalty messages in general.
    General,
    Sms,
    Email,
    Viber,
    Push,
    Messenger,
    /// The customer does not want a paper receipt.
    PaperReceiptRefusal,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 7] = [
        ConsentKind::General,
        ConsentKind::Sms,
        ConsentKind::Email,
        ConsentKind::Viber,
        ConsentKind::Push,
        ConsentKind::Messenger,
        ConsentKind::PaperReceiptRefusal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentKind::General => "general",
            ConsentKind::Sms => "sms",
            ConsentKind::Email => "email",
            ConsentKind::Viber => "viber",
            ConsentKind::Push => "push",
            ConsentKind::Messenger => "messenger",
            ConsentKind::PaperReceiptRefusal => "paper_receipt_refusal",
        }
    }

    pub fn parse(raw: &str) -> Result<ConsentKind, FieldError> {
        ConsentKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "consents",
                    "unknown_consent",
                    format!(
                        "unknown consent «{raw}»; known: general, sms, email, viber, push, messenger, paper_receipt_refusal"
                    ),
                )
            })
    }

    /// The bit of this consent in [`Consents::granted_flags`].
    pub fn flag(self) -> i64 {
        1 << (self as u32)
    }
}

/// The state of one consent.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Consent {
    pub granted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub granted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<Timestamp>,
    /// Where it was given or withdrawn: `console`, `pos`, `web`, `import`, …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A consent given or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentChange {
    pub kind: ConsentKind,
    pub granted: bool,
    pub source: Option<String>,
    pub at: Timestamp,
}

/// Every consent a customer has answered; kinds never answered are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Consents(pub BTreeMap<ConsentKind, Consent>);

impl Consents {
    pub fn is_granted(&self, kind: ConsentKind) -> bool {
        self.0.get(&kind).is_some_and(|c| c.granted)
    }

    /// One bit per granted consent, so a database can filter on it cheaply.
    pub fn granted_flags(&self) -> i64 {
        self.0
            .iter()
            .filter(|(_, consent)| consent.granted)
            .fold(0, |flags, (kind, _)| flags | kind.flag())
    }

    /// Gives or withdraws one consent. Repeating the current answer keeps the
    /// original time, so a re-sent form does not rewrite history.
    pub fn apply(&mut self, change: ConsentChange) {
        let entry = self.0.entry(change.kind).or_insert(Consent {
            granted: !change.granted,
            granted_at: None,
            withdrawn_at: None,
            source: None,
        });
        if entry.granted == change.granted
            && (entry.granted_at.is_some() || entry.withdrawn_at.is_some())
        {
            return;
        }
        entry.granted = change.granted;
        entry.source = change.source;
        if change.granted {
            entry.granted_at = Some(change.at);
            entry.withdrawn_at = None;
        } else {
            entry.withdrawn_at = Some(change.at);
        }
    }

    /// Fills the kinds `self` never answered from `other` (used by merge).
    pub fn fill_from(&mut self, other: &Consents) {
        for (kind, consent) in &other.0 {
            self.0.entry(*kind).or_insert_with(|| consent.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_second(seconds).unwrap()
    }

    fn change(kind: ConsentKind, granted: bool, seconds: i64) -> ConsentChange {
        ConsentChange {
            kind,
            granted,
            source: Some("console".into()),
            at: at(seconds),
        }
    }

    #[test]
    fn grant_then_withdraw_keeps_both_times() {
        let mut consents = Consents::default();
        consents.apply(change(ConsentKind::Sms, true, 10));
        consents.apply(change(ConsentKind::Sms, false, 20));
        let sms = &consents.0[&ConsentKind::Sms];
        assert!(!sms.granted);
        assert_eq!(sms.granted_at, Some(at(10)));
        assert_eq!(sms.withdrawn_at, Some(at(20)));
    }

    #[test]
    fn repeating_an_answer_keeps_its_time() {
        let mut consents = Consents::default();
        consents.apply(change(ConsentKind::Email, true, 10));
        consents.apply(change(ConsentKind::Email, true, 30));
        assert_eq!(consents.0[&ConsentKind::Email].granted_at, Some(at(10)));
    }

    #[test]
    fn a_first_refusal_is_recorded() {
        let mut consents = Consents::default();
        consents.apply(change(ConsentKind::Viber, false, 5));
        assert_eq!(consents.0[&ConsentKind::Viber].withdrawn_at, Some(at(5)));
        assert!(!consents.is_granted(ConsentKind::Viber));
    }

    #[test]
    fn flags_have_one_bit_per_granted_kind() {
        let mut consents = Consents::default();
        consents.apply(change(ConsentKind::Sms, true, 1));
        consents.apply(change(ConsentKind::PaperReceiptRefusal, true, 1));
        consents.apply(change(ConsentKind::Email, false, 1));
        assert_eq!(
            consents.granted_flags(),
            ConsentKind::Sms.flag() | ConsentKind::PaperReceiptRefusal.flag()
        );
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in ConsentKind::ALL {
            assert_eq!(ConsentKind::parse(kind.as_str()).unwrap(), kind);
        }
        assert!(ConsentKind::parse("telegraph").is_err());
    }
}
