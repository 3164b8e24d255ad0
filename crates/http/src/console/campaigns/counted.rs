//! A campaign's messages counted, for its page: how far it has gone, its
//! figures, and its messages by state and by reason, in words (the
//! outbox's words for states and reasons).

use clientele_app::campaigns::CampaignView;
use clientele_domain::campaign::CampaignState;
use clientele_domain::message::MessageState;

use crate::console::kit::Words;

pub struct Counted {
    /// How far it has gone, in a sentence.
    pub progress: String,
    /// Messages done with, of all meant to leave: for the bar.
    pub bar: Option<(i64, i64)>,
    /// An id, a name and a figure each.
    pub figures: Vec<(&'static str, String, String)>,
    pub states: Vec<(String, String)>,
    pub reasons: Vec<(String, String)>,
}

pub fn counted(w: &Words, view: &CampaignView) -> Counted {
    let (campaign, counts) = (&view.campaign, &view.counts);
    let count = |n: i64| w.count(n.unsigned_abs());
    let all: i64 = counts.by_state.values().sum();
    let done = all - counts.waiting;
    let (progress, bar) = match (campaign.state, campaign.queued_at) {
        (CampaignState::Scheduled, _) => {
            let at = w.time(campaign.starts_at);
            (w.with("campaign-progress-scheduled", "at", at.into()), None)
        }
        (CampaignState::Queueing, _) => (w.n("campaign-progress-queueing", all), None),
        (_, None) => (w.t("campaign-progress-none"), None),
        (_, Some(_)) => {
            let said = vec![("done", count(done).into()), ("all", count(all).into())];
            (w.with_all("campaign-progress", said), Some((done, all)))
        }
    };
    let mut figures = Vec::new();
    // Its audience is known once it is queued.
    if campaign.queued_at.is_some() {
        figures.push(("audience", campaign.recipients + campaign.held_out));
        figures.push(("recipients", campaign.recipients));
        if campaign.holdout_bp > 0 {
            figures.push(("held-out", campaign.held_out));
        }
    }
    figures.extend([
        ("waiting", counts.waiting),
        ("sent", counts.sent),
        ("delivered", counts.delivered),
        ("failed", counts.failed),
        ("unsubscribed", view.unsubscribed),
    ]);
    Counted {
        progress,
        bar,
        figures: (figures.into_iter())
            .map(|(key, n)| (key, w.t(&format!("campaign-figure-{key}")), count(n)))
            .collect(),
        states: (MessageState::ALL.into_iter())
            .filter_map(|s| {
                let n = counts.by_state.get(s.as_str())?;
                Some((w.t(&format!("message-state-{}", s.as_str())), count(*n)))
            })
            .collect(),
        reasons: (counts.by_reason.iter())
            .map(|(reason, n)| {
                let said = w.find(&format!("message-reason-{reason}"));
                (said.unwrap_or_else(|| reason.clone()), count(*n))
            })
            .collect(),
    }
}
