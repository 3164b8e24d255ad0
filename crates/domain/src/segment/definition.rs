//! A segment as the marketer saves it: its name, whether its members follow
//! its rules (dynamic, recomputed on a schedule) or were frozen once
//! (static), and when a dynamic one is recomputed.

use jiff::Timestamp;
use jiff::civil::{DateTime, Weekday};

use super::raw::RawRule;
use super::rule::Rule;
use crate::ids::SegmentId;
use crate::property::PropertyDefinition;
use crate::validation::{FieldError, ValidationErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SegmentKind {
    /// Members are whoever the rules hold for at the last recompute.
    Dynamic,
    /// Members were fixed once: by the rules at a moment, ticked on the
    /// list, or uploaded.
    Static,
}

impl SegmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SegmentKind::Dynamic => "dynamic",
            SegmentKind::Static => "static",
        }
    }

    pub fn parse(raw: &str) -> Result<SegmentKind, FieldError> {
        match raw {
            "dynamic" => Ok(SegmentKind::Dynamic),
            "static" => Ok(SegmentKind::Static),
            _ => Err(FieldError::new(
                "kind",
                "invalid_value",
                "kind must be dynamic or static",
            )),
        }
    }
}

/// When a dynamic segment is recomputed, in the shop's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Hourly,
    /// Every day at this hour (0-23).
    Daily {
        hour: u8,
    },
    /// Every week on this day (1 Monday … 7 Sunday) at this hour.
    Weekly {
        weekday: u8,
        hour: u8,
    },
}

impl Schedule {
    pub fn name(self) -> &'static str {
        match self {
            Schedule::Hourly => "hourly",
            Schedule::Daily { .. } => "daily",
            Schedule::Weekly { .. } => "weekly",
        }
    }

    pub fn hour(self) -> Option<u8> {
        match self {
            Schedule::Hourly => None,
            Schedule::Daily { hour } | Schedule::Weekly { hour, .. } => Some(hour),
        }
    }

    pub fn weekday(self) -> Option<u8> {
        match self {
            Schedule::Weekly { weekday, .. } => Some(weekday),
            _ => None,
        }
    }

    /// The schedule as stored: its name, hour and weekday.
    pub fn from_parts(name: &str, hour: Option<u8>, weekday: Option<u8>) -> Option<Schedule> {
        match (name, hour, weekday) {
            ("hourly", ..) => Some(Schedule::Hourly),
            ("daily", Some(hour), _) if hour < 24 => Some(Schedule::Daily { hour }),
            ("weekly", Some(hour), Some(weekday)) if hour < 24 && (1..=7).contains(&weekday) => {
                Some(Schedule::Weekly { weekday, hour })
            }
            _ => None,
        }
    }

    /// The slot a recompute at local time `now` belongs to, once it is due:
    /// each slot is recomputed once, whichever server sees it first.
    /// `None` before the day's (or week's) hour.
    pub fn slot(self, now: DateTime) -> Option<String> {
        match self {
            Schedule::Hourly => Some(now.strftime("%Y-%m-%dT%H").to_string()),
            Schedule::Daily { hour } => (now.hour() >= hour as i8).then(|| now.date().to_string()),
            Schedule::Weekly { weekday, hour } => {
                let monday = now.date() - jiff::Span::new().days(days_since_monday(now.weekday()));
                let day = monday + jiff::Span::new().days(i64::from(weekday) - 1);
                (now.date() > day || now.date() == day && now.hour() >= hour as i8)
                    .then(|| format!("{monday}W"))
            }
        }
    }
}

fn days_since_monday(day: Weekday) -> i64 {
    i64::from(day.to_monday_zero_offset())
}

/// A segment as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub id: SegmentId,
    pub name: String,
    pub kind: SegmentKind,
    /// A static segment made by ticking or uploading has none.
    pub rules: Option<Rule>,
    pub schedule: Option<Schedule>,
    pub size: i64,
    pub computed_at: Option<Timestamp>,
    /// How long the last recompute took.
    pub took_ms: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// One recompute of a segment: its size, who entered and who left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SegmentSize {
    pub computed_at: Timestamp,
    pub size: i64,
    pub entered: i64,
    pub left: i64,
    pub took_ms: i64,
}

/// A segment as the API or the console's editor sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SegmentInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub rules: Option<RawRule>,
    pub schedule: Option<String>,
    /// The local hour of a daily or weekly recompute (default 3).
    pub hour: Option<u8>,
    /// The day of a weekly recompute, 1 Monday … 7 Sunday (default 1).
    pub weekday: Option<u8>,
}

/// A checked segment, ready to be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSegment {
    pub name: String,
    pub kind: SegmentKind,
    pub rules: Option<Rule>,
    pub schedule: Option<Schedule>,
}

/// The hour a daily or weekly recompute runs at unless told: the night.
const DEFAULT_HOUR: u8 = 3;

impl SegmentInput {
    /// Checks every field; `properties` are the custom properties a rule
    /// may name. A dynamic segment needs rules and a schedule; a static one
    /// takes no schedule, and its rules (if any) only fill it once.
    pub fn validate(
        self,
        properties: &[PropertyDefinition],
    ) -> Result<NewSegment, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = crate::text::clean_name(self.name.as_deref().unwrap_or(""), 200);
        if name.is_none() {
            errors.push(FieldError::new(
                "name",
                "required",
                "a segment needs a name (up to 200 characters)",
            ));
        }
        let kind = match self.kind.as_deref() {
            None => Some(SegmentKind::Dynamic),
            Some(raw) => errors.take(SegmentKind::parse(raw)),
        };
        let rules = match self.rules {
            None => None,
            Some(raw) => match Rule::parse(&raw, properties) {
                Ok(rule) => Some(rule),
                Err(found) => {
                    found.0.into_iter().for_each(|e| errors.push(e));
                    None
                }
            },
        };
        // The hour and day are checked whenever given, used only by a
        // daily or weekly schedule.
        if self.hour.is_some_and(|hour| hour > 23) {
            errors.push(FieldError::new(
                "hour",
                "invalid_value",
                "the hour is 0 to 23",
            ));
        }
        if self.weekday.is_some_and(|day| !(1..=7).contains(&day)) {
            errors.push(FieldError::new(
                "weekday",
                "invalid_value",
                "the weekday is 1 (Monday) to 7 (Sunday)",
            ));
        }
        let schedule = match (kind, self.schedule.as_deref()) {
            (Some(SegmentKind::Dynamic), raw) => {
                let name = raw.unwrap_or("daily");
                let hour = self.hour.unwrap_or(DEFAULT_HOUR);
                let weekday = self.weekday.unwrap_or(1);
                if !["hourly", "daily", "weekly"].contains(&name) {
                    errors.push(FieldError::new(
                        "schedule",
                        "invalid_value",
                        "schedule must be hourly, daily or weekly",
                    ));
                }
                Schedule::from_parts(name, Some(hour), Some(weekday))
            }
            (Some(SegmentKind::Static), Some(_)) => {
                errors.push(FieldError::new(
                    "schedule",
                    "not_allowed",
                    "a static segment is not recomputed: it has no schedule",
                ));
                None
            }
            _ => None,
        };
        if kind == Some(SegmentKind::Dynamic)
            && rules.is_none()
            && !errors.0.iter().any(|e| e.field.starts_with("rules"))
        {
            errors.push(FieldError::new(
                "rules",
                "required",
                "a dynamic segment needs rules",
            ));
        }
        errors.finish(|| NewSegment {
            name: name.unwrap_or_default(),
            kind: kind.unwrap_or(SegmentKind::Dynamic),
            rules,
            schedule,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn a_slot_is_due_from_its_hour_and_named_once_per_period() {
        let at = |d: jiff::civil::Date, h: i8| d.at(h, 30, 0, 0);
        let wednesday = date(2026, 12, 2);
        assert_eq!(
            Schedule::Hourly.slot(at(wednesday, 7)).as_deref(),
            Some("2026-12-02T07")
        );
        let daily = Schedule::Daily { hour: 3 };
        assert_eq!(daily.slot(at(wednesday, 2)), None);
        assert_eq!(daily.slot(at(wednesday, 3)).as_deref(), Some("2026-12-02"));
        assert_eq!(daily.slot(at(wednesday, 23)).as_deref(), Some("2026-12-02"));
        let friday_at_6 = Schedule::Weekly {
            weekday: 5,
            hour: 6,
        };
        assert_eq!(friday_at_6.slot(at(wednesday, 12)), None);
        assert_eq!(friday_at_6.slot(at(date(2026, 12, 4), 5)), None);
        let due = Some("2026-11-30W".to_owned());
        assert_eq!(friday_at_6.slot(at(date(2026, 12, 4), 6)), due);
        assert_eq!(friday_at_6.slot(at(date(2026, 12, 6), 0)), due);
        assert_eq!(friday_at_6.slot(at(date(2026, 12, 7), 0)), None);
    }

    #[test]
    fn a_dynamic_segment_needs_rules_and_a_static_one_no_schedule() {
        let errors = SegmentInput {
            name: Some("  ".into()),
            kind: Some("dynamic".into()),
            ..SegmentInput::default()
        }
        .validate(&[])
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "rules"]);
        let errors = SegmentInput {
            name: Some("Ticked".into()),
            kind: Some("static".into()),
            schedule: Some("daily".into()),
            ..SegmentInput::default()
        }
        .validate(&[])
        .unwrap_err();
        assert_eq!(errors.0[0].field, "schedule");
        let errors = SegmentInput {
            name: Some("Weekly".into()),
            schedule: Some("monthly".into()),
            hour: Some(24),
            ..SegmentInput::default()
        }
        .validate(&[])
        .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["hour", "schedule", "rules"]);
    }
}
