//! A campaign in words: where it is (sending and sent told apart by what
//! still waits), until when it may be withdrawn whole, whom it is for; and
//! what a page was sent back to say.

use std::collections::HashMap;

use clientele_app::AppError;
use clientele_app::campaigns::CampaignView;
use clientele_domain::SegmentId;
use clientele_domain::campaign::CampaignState;
use jiff::Timestamp;
use serde::Deserialize;

use crate::console::kit::Words;
use crate::state::AppState;

/// Where a campaign is: the code its tag is styled by, and the words.
pub fn state(w: &Words, state: CampaignState, waiting: i64) -> (&'static str, String) {
    let code = match state {
        CampaignState::Queued if waiting > 0 => "sending",
        CampaignState::Queued => "sent",
        other => other.as_str(),
    };
    (code, w.t(&format!("campaign-state-{code}")))
}

/// Until when nothing leaves, while the campaign may be withdrawn whole.
pub fn window(w: &Words, view: &CampaignView, now: Timestamp) -> Option<String> {
    let campaign = &view.campaign;
    view.in_cancel_window(now).then(|| {
        let until = campaign.sends_from();
        w.with("campaign-window-open", "until", w.time(until).into())
    })
}

/// The segments' names by id.
pub struct Segments(HashMap<i64, String>);

impl Segments {
    pub(super) async fn load(state: &AppState) -> Result<Segments, AppError> {
        let segments = state.app.segments().await?;
        Ok(Segments(
            segments.into_iter().map(|s| (s.id.0, s.name)).collect(),
        ))
    }

    /// Everyone, or the segment by name.
    pub fn audience(&self, w: &Words, segment: Option<SegmentId>) -> String {
        match segment {
            None => w.t("campaign-audience-everyone"),
            Some(id) => w.with(
                "campaign-audience-segment",
                "name",
                (self.0.get(&id.0).cloned())
                    .unwrap_or_else(|| id.0.to_string())
                    .into(),
            ),
        }
    }
}

/// What a page was sent back to say: the campaign made, or cancelled with
/// so many messages withdrawn.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Done {
    done: String,
    withdrawn: Option<u64>,
}

impl Done {
    pub fn notice(&self, w: &Words) -> Option<String> {
        match self.done.as_str() {
            "created" => Some(w.t("campaign-done-created")),
            "cancelled" => {
                let withdrawn = self.withdrawn.unwrap_or(0);
                Some(w.with_all(
                    "campaign-done-cancelled",
                    vec![
                        ("count", i64::try_from(withdrawn).unwrap_or(0).into()),
                        ("shown", w.count(withdrawn).into()),
                    ],
                ))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    #[test]
    fn a_queued_campaign_is_sending_while_messages_wait_and_sent_after() {
        let ru = Words::new(Lang::Ru, TimeZone::UTC);
        assert_eq!(state(&ru, CampaignState::Queued, 3).1, "Отправляется");
        assert_eq!(state(&ru, CampaignState::Queued, 0).1, "Отправлена");
        assert_eq!(state(&ru, CampaignState::Scheduled, 0).1, "Запланирована");
    }
}
