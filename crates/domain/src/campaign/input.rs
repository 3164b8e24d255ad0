//! A campaign as the marketer sends it, checked field by field into
//! [`CampaignTerms`].

use jiff::{SignedDuration, Timestamp};

use crate::ids::{OfferId, SegmentId, TemplateId};
use crate::message::{Channel, channel_order};
use crate::offer::MAX_HOLDOUT_BP;
use crate::validation::{FieldError, ValidationErrors};

pub const DEFAULT_CANCEL_WINDOW_MINS: i64 = 10;
/// A day: a longer wait is a schedule, not a window.
pub const MAX_CANCEL_WINDOW_MINS: i64 = 24 * 60;
pub const DEFAULT_REPORT_DAYS: i64 = 14;
pub const MAX_REPORT_DAYS: i64 = 90;
const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, Default)]
pub struct CampaignInput {
    pub name: String,
    pub template_id: Option<TemplateId>,
    /// In the order they are tried; none: the shop's usual order.
    pub channels: Vec<String>,
    /// `None`: every customer.
    pub segment_id: Option<SegmentId>,
    pub offer_id: Option<OfferId>,
    pub holdout_bp: Option<i64>,
    pub cancel_window_mins: Option<i64>,
    pub report_days: Option<i64>,
    /// `None`: now.
    pub starts_at: Option<Timestamp>,
}

/// A campaign's checked terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTerms {
    pub name: String,
    pub template: TemplateId,
    pub channels: Vec<Channel>,
    pub segment: Option<SegmentId>,
    pub offer: Option<OfferId>,
    pub holdout_bp: i64,
    pub cancel_window_mins: i64,
    pub report_days: i64,
    pub starts_at: Timestamp,
}

impl CampaignTerms {
    /// When its messages may first leave: the start plus the cancel window.
    pub fn sends_from(&self, started: Timestamp) -> Timestamp {
        sends_from(started, self.cancel_window_mins)
    }
}

/// When a campaign started at `starts_at` lets its messages leave: once its
/// cancel window has passed.
pub fn sends_from(starts_at: Timestamp, cancel_window_mins: i64) -> Timestamp {
    starts_at
        .checked_add(SignedDuration::from_mins(cancel_window_mins))
        .unwrap_or(starts_at)
}

fn within(field: &str, value: i64, min: i64, max: i64) -> Result<i64, FieldError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(FieldError::new(
            field,
            "out_of_range",
            format!("{field} must be from {min} to {max}"),
        ))
    }
}

impl CampaignInput {
    /// Checks every field against `now`; a start in the past means now.
    pub fn validate(&self, now: Timestamp) -> Result<CampaignTerms, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = self.name.trim().to_owned();
        if name.is_empty() {
            errors.push(FieldError::new(
                "name",
                "required",
                "a campaign needs a name",
            ));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "name",
                "too_long",
                format!("a name has at most {MAX_NAME_CHARS} characters"),
            ));
        }
        if self.template_id.is_none() {
            errors.push(FieldError::new(
                "template_id",
                "required",
                "a campaign needs a template: what it says",
            ));
        }
        let channels = channel_order(&self.channels, &mut errors);
        let holdout_bp = errors.take(within(
            "holdout_bp",
            self.holdout_bp.unwrap_or(0),
            0,
            MAX_HOLDOUT_BP,
        ));
        let cancel_window_mins = errors.take(within(
            "cancel_window_mins",
            self.cancel_window_mins
                .unwrap_or(DEFAULT_CANCEL_WINDOW_MINS),
            0,
            MAX_CANCEL_WINDOW_MINS,
        ));
        let report_days = errors.take(within(
            "report_days",
            self.report_days.unwrap_or(DEFAULT_REPORT_DAYS),
            1,
            MAX_REPORT_DAYS,
        ));
        let starts_at = self.starts_at.map_or(now, |at| at.max(now));
        errors.finish(|| CampaignTerms {
            name,
            template: self.template_id.unwrap_or(TemplateId(0)),
            channels,
            segment: self.segment_id,
            offer: self.offer_id,
            holdout_bp: holdout_bp.unwrap_or(0),
            cancel_window_mins: cancel_window_mins.unwrap_or(0),
            report_days: report_days.unwrap_or(1),
            starts_at,
        })
    }
}
