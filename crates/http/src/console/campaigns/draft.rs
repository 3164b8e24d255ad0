//! The campaign's form as typed, read into what the use case checks: the
//! start as a day and a time in the shop's time zone, the control group
//! in percent; each field that cannot be read is refused beside it, and
//! the domain's refusals are put beside the fields they name.

use std::collections::BTreeMap;

use clientele_domain::campaign::{CampaignInput, DEFAULT_CANCEL_WINDOW_MINS, DEFAULT_REPORT_DAYS};
use clientele_domain::{FieldError, OfferId, SegmentId, TemplateId};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;

use crate::console::kit::{Reader, Words};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub name: String,
    pub template_id: String,
    /// Empty: every customer.
    pub segment_id: String,
    /// Channels in order, comma-separated; empty: the shop's usual order.
    pub channels: String,
    /// `now`, or `at` the day and time below.
    pub when: String,
    pub starts_on: String,
    pub starts_time: String,
    pub cancel_window_mins: String,
    /// A percent of the audience.
    pub holdout_bp: String,
    /// Empty: none.
    pub offer_id: String,
    pub report_days: String,
}

impl Draft {
    pub fn blank() -> Draft {
        Draft {
            when: "now".into(),
            cancel_window_mins: DEFAULT_CANCEL_WINDOW_MINS.to_string(),
            report_days: DEFAULT_REPORT_DAYS.to_string(),
            ..Draft::default()
        }
    }

    /// The campaign as typed, and the fields that cannot be read, each
    /// with its error; with any such error, the domain's own refusals of
    /// the other fields too, so that every mistake shows at once.
    pub fn input(
        &self,
        w: &Words,
        zone: &TimeZone,
        now: Timestamp,
    ) -> (CampaignInput, BTreeMap<String, String>) {
        let mut read = Reader::new(w);
        let mut id = |field: &str, raw: &str| match raw.trim() {
            "" => None,
            raw => raw.parse::<i64>().ok().or_else(|| {
                read.refuse(field, "campaign-error-pick");
                None
            }),
        };
        let template_id = id("template_id", &self.template_id).map(TemplateId);
        let segment_id = id("segment_id", &self.segment_id).map(SegmentId);
        let offer_id = id("offer_id", &self.offer_id).map(OfferId);
        let starts_at = match self.when.as_str() {
            "at" => self.starts_at(&mut read, zone, now),
            _ => None,
        };
        let input = CampaignInput {
            name: self.name.clone(),
            template_id,
            channels: (self.channels.split(','))
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            segment_id,
            offer_id,
            holdout_bp: read.hundredths("holdout_bp", &self.holdout_bp),
            cancel_window_mins: read.whole("cancel_window_mins", &self.cancel_window_mins),
            report_days: read.whole("report_days", &self.report_days),
            starts_at,
        };
        let mut errors = read.errors;
        if !errors.is_empty()
            && let Err(refused) = input.validate(now)
        {
            for (field, text) in beside(w, &refused.0) {
                errors.entry(field).or_insert(text);
            }
        }
        (input, errors)
    }

    /// The start typed as a day and a time of the shop's; one already
    /// past is refused rather than taken for now, which it would mean.
    fn starts_at(&self, read: &mut Reader, zone: &TimeZone, now: Timestamp) -> Option<Timestamp> {
        let day = self.starts_on.trim().parse::<Date>().ok();
        let time = self.starts_time.trim().parse::<Time>().ok();
        let (Some(day), Some(time)) = (day, time) else {
            read.refuse("starts_at", "campaign-error-starts_at");
            return None;
        };
        let at = day
            .to_datetime(time)
            .to_zoned(zone.clone())
            .ok()?
            .timestamp();
        // The minute under way is still now.
        let under_way = now.checked_sub(SignedDuration::from_mins(1)).unwrap_or(now);
        if at < under_way {
            read.refuse("starts_at", "campaign-error-starts_at-in_past");
            return None;
        }
        Some(at)
    }
}

/// The domain's refusals beside the form's fields, in the reader's words:
/// the campaign's own words for a field and code first, then the
/// console's for the code.
pub fn beside(w: &Words, refused: &[FieldError]) -> BTreeMap<String, String> {
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    for error in refused {
        let text = w
            .find(&format!("campaign-error-{}-{}", error.field, error.code))
            .unwrap_or_else(|| w.field_error(error));
        errors
            .entry(error.field.clone())
            .and_modify(|kept| {
                if !kept.contains(&text) {
                    kept.push(' ');
                    kept.push_str(&text);
                }
            })
            .or_insert(text);
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::kit::Lang;

    fn moscow() -> TimeZone {
        TimeZone::get("Europe/Moscow").unwrap()
    }

    #[test]
    fn the_start_is_read_in_the_shops_time_and_a_past_one_refused() {
        let w = Words::new(Lang::Ru, moscow());
        let now: Timestamp = "2026-11-23T09:00:00Z".parse().unwrap();
        let draft = Draft {
            name: "Весна".into(),
            template_id: "1".into(),
            when: "at".into(),
            starts_on: "2026-11-24".into(),
            starts_time: "10:30".into(),
            holdout_bp: "10".into(),
            ..Draft::blank()
        };
        let (input, errors) = draft.input(&w, &moscow(), now);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            input.starts_at,
            Some("2026-11-24T07:30:00Z".parse().unwrap())
        );
        assert_eq!(input.holdout_bp, Some(1_000));
        assert_eq!(input.cancel_window_mins, Some(10));
        assert!(input.channels.is_empty());
        let past = Draft {
            starts_on: "2026-11-22".into(),
            cancel_window_mins: "много".into(),
            ..draft.clone()
        };
        let (_, errors) = past.input(&w, &moscow(), now);
        assert!(errors.contains_key("starts_at"), "{errors:?}");
        assert!(errors.contains_key("cancel_window_mins"), "{errors:?}");
        let now_draft = Draft {
            when: "now".into(),
            channels: "email,sms".into(),
            ..draft
        };
        let (input, _) = now_draft.input(&w, &moscow(), now);
        assert_eq!(input.starts_at, None);
        assert_eq!(input.channels, ["email", "sms"]);
    }
}
