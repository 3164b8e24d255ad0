//! The trigger's form as typed, read into what the use case checks; each
//! field that cannot be read is refused beside it, and the domain's
//! refusals are put beside the fields they name.

use std::collections::BTreeMap;

use clientele_app::KeptTrigger;
use clientele_domain::trigger::{TriggerInput, TriggerKind};
use clientele_domain::{FieldError, TemplateId};
use serde::Deserialize;

use crate::console::kit::{Reader, Words, order_value};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub template_id: String,
    /// Channels in order, comma-separated; empty: the shop's usual order.
    pub channels: String,
    pub days: String,
    /// Ticked: it sends.
    pub active: Option<String>,
    /// The version the form was read at; empty for a trigger not set up.
    pub version: String,
}

impl Draft {
    /// The days a new trigger of `kind` starts from.
    pub fn blank(kind: TriggerKind) -> Draft {
        let days = match kind {
            TriggerKind::WinBack => "60",
            TriggerKind::PointsExpiring => "7",
            _ => "",
        };
        Draft {
            days: days.into(),
            ..Draft::default()
        }
    }

    /// A trigger kept, as it goes back into the form.
    pub fn of(kept: &KeptTrigger) -> Draft {
        Draft {
            template_id: kept.template_id.0.to_string(),
            channels: order_value(&kept.channels),
            days: kept.days.map(|d| d.to_string()).unwrap_or_default(),
            active: kept.active.then(|| "on".to_owned()),
            version: kept.version.to_string(),
        }
    }

    /// The trigger of `kind` as typed, and the fields that cannot be read,
    /// each with its error.
    pub fn input(&self, kind: TriggerKind, w: &Words) -> (TriggerInput, BTreeMap<String, String>) {
        let mut read = Reader::new(w);
        let template_id = match self.template_id.trim() {
            "" => None,
            raw => raw.parse().ok().map(TemplateId).or_else(|| {
                read.refuse("template_id", "trigger-error-pick");
                None
            }),
        };
        let days = match kind.counts_days() {
            true => read.whole("days", &self.days),
            false => None,
        };
        let input = TriggerInput {
            kind: kind.as_str().to_owned(),
            template_id,
            channels: (self.channels.split(','))
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            days,
            active: self.active.is_some(),
        };
        (input, read.errors)
    }
}

/// The domain's refusals beside the form's fields, in the reader's words:
/// the trigger's own words for a field and code first, then the console's
/// for the code.
pub fn beside(w: &Words, refused: &[FieldError]) -> BTreeMap<String, String> {
    let mut errors = BTreeMap::new();
    for error in refused {
        let text = w
            .find(&format!("trigger-error-{}-{}", error.field, error.code))
            .unwrap_or_else(|| w.field_error(error));
        errors.entry(error.field.clone()).or_insert(text);
    }
    errors
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    #[test]
    fn days_are_read_only_where_the_kind_counts_them() {
        let w = Words::new(Lang::Ru, TimeZone::UTC);
        let draft = Draft {
            template_id: "3".into(),
            channels: "sms,email".into(),
            days: "45".into(),
            active: Some("on".into()),
            version: "2".into(),
        };
        let (input, errors) = draft.input(TriggerKind::WinBack, &w);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(input.days, Some(45));
        assert_eq!(input.channels, ["sms", "email"]);
        assert!(input.active);
        let (input, _) = draft.input(TriggerKind::Welcome, &w);
        assert_eq!(input.days, None);
        let wrong = Draft {
            days: "месяц".into(),
            template_id: "шаблон".into(),
            ..draft
        };
        let (_, errors) = wrong.input(TriggerKind::PointsExpiring, &w);
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["days", "template_id"]);
    }
}
