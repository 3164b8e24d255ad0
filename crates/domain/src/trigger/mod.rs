//! Triggers: messages that send themselves on an occasion in a customer's
//! life (joining, a first purchase, a birthday, staying away, points about
//! to expire, a tier gained or lost), each occasion once per customer.

#[cfg(test)]
mod tests;

use jiff::Timestamp;
use jiff::civil::Date;

use crate::ids::{TemplateId, TierId};
use crate::message::{Channel, channel_order};
use crate::validation::{FieldError, ValidationErrors};

/// The occasions a trigger may send on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerKind {
    /// A new customer, once.
    Welcome,
    /// Thanks after the first purchase, once.
    FirstPurchase,
    /// The birthday greeting, with the program's birthday points, once a year.
    Birthday,
    /// No purchase for `days`, once for each time they stay away.
    WinBack,
    /// Points expire within `days`, once for each expiry date.
    PointsExpiring,
    TierRaised,
    TierLowered,
}

impl TriggerKind {
    pub const ALL: [TriggerKind; 7] = [
        TriggerKind::Welcome,
        TriggerKind::FirstPurchase,
        TriggerKind::Birthday,
        TriggerKind::WinBack,
        TriggerKind::PointsExpiring,
        TriggerKind::TierRaised,
        TriggerKind::TierLowered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TriggerKind::Welcome => "welcome",
            TriggerKind::FirstPurchase => "first_purchase",
            TriggerKind::Birthday => "birthday",
            TriggerKind::WinBack => "win_back",
            TriggerKind::PointsExpiring => "points_expiring",
            TriggerKind::TierRaised => "tier_raised",
            TriggerKind::TierLowered => "tier_lowered",
        }
    }

    pub fn parse(raw: &str) -> Result<TriggerKind, FieldError> {
        TriggerKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw)
            .ok_or_else(|| {
                FieldError::new(
                    "kind",
                    "unknown_trigger",
                    format!(
                        "unknown trigger «{raw}»; known: welcome, first_purchase, birthday, \
                         win_back, points_expiring, tier_raised, tier_lowered"
                    ),
                )
            })
    }

    /// Whether the trigger counts days (and what its days mean).
    pub fn counts_days(self) -> bool {
        matches!(self, TriggerKind::WinBack | TriggerKind::PointsExpiring)
    }
}

/// The most days a trigger may count: a year.
pub const MAX_DAYS: i64 = 366;

#[derive(Debug, Clone, Default)]
pub struct TriggerInput {
    pub kind: String,
    pub template_id: Option<TemplateId>,
    /// In the order they are tried; none: the shop's usual order.
    pub channels: Vec<String>,
    pub days: Option<i64>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerTerms {
    pub kind: TriggerKind,
    pub template: TemplateId,
    pub channels: Vec<Channel>,
    /// Only for the kinds that count days.
    pub days: Option<i64>,
    pub active: bool,
}

impl TriggerInput {
    pub fn validate(&self) -> Result<TriggerTerms, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let kind = errors.take(TriggerKind::parse(self.kind.trim()));
        if self.template_id.is_none() {
            errors.push(FieldError::new(
                "template_id",
                "required",
                "a trigger needs a template: what it says",
            ));
        }
        let channels = channel_order(&self.channels, &mut errors);
        let days = match (kind, self.days) {
            (Some(kind), Some(days)) if kind.counts_days() => {
                if (1..=MAX_DAYS).contains(&days) {
                    Some(days)
                } else {
                    errors.push(FieldError::new(
                        "days",
                        "out_of_range",
                        format!("days must be from 1 to {MAX_DAYS}"),
                    ));
                    None
                }
            }
            (Some(kind), None) if kind.counts_days() => {
                errors.push(FieldError::new(
                    "days",
                    "required",
                    "this trigger counts days: say how many",
                ));
                None
            }
            _ => None,
        };
        errors.finish(|| TriggerTerms {
            kind: kind.unwrap_or(TriggerKind::Welcome),
            template: self.template_id.unwrap_or(TemplateId(0)),
            channels,
            days,
            active: self.active,
        })
    }
}

/// What a trigger's message is sent on, one message per customer each:
/// the key the outbox keeps it unique by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occasion {
    Welcome,
    FirstPurchase,
    Birthday {
        year: i16,
    },
    /// Away since this purchase.
    WinBack {
        last_purchase: Timestamp,
    },
    /// The next points expire on this day.
    PointsExpiring {
        on: Date,
    },
    /// Moved to this tier (or to none).
    Tier {
        to: Option<TierId>,
        at: Date,
    },
}

impl Occasion {
    pub fn key(&self) -> String {
        match self {
            Occasion::Welcome => "welcome".into(),
            Occasion::FirstPurchase => "first_purchase".into(),
            Occasion::Birthday { year } => format!("birthday:{year}"),
            Occasion::WinBack { last_purchase } => {
                format!("win_back:{}", last_purchase.as_second())
            }
            Occasion::PointsExpiring { on } => format!("points_expiring:{on}"),
            Occasion::Tier { to, at } => format!(
                "tier:{}:{at}",
                to.map_or_else(|| "none".to_owned(), |t| t.0.to_string())
            ),
        }
    }
}

/// Whether a move between tiers (each by its threshold, none lowest) is a
/// raise, a fall, or neither.
pub fn tier_move(from: Option<i64>, to: Option<i64>) -> Option<TriggerKind> {
    match (from, to) {
        (a, b) if a == b => None,
        (None, Some(_)) => Some(TriggerKind::TierRaised),
        (Some(_), None) => Some(TriggerKind::TierLowered),
        (Some(a), Some(b)) if b > a => Some(TriggerKind::TierRaised),
        _ => Some(TriggerKind::TierLowered),
    }
}
