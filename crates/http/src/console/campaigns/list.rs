//! The campaigns, newest first: each with where it is in words, whom it
//! is for, what became of its messages and when it starts.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{Module, Right};

use super::said::{Segments, state as said_state};
use crate::console::kit::{Chrome, Console, PageResult, Words, render};
use crate::state::AppState;

struct CampaignRow {
    href: String,
    name: String,
    state_code: &'static str,
    state: String,
    audience: String,
    /// Those it was queued for and its control group; empty before it is.
    reached: String,
    sent: String,
    delivered: String,
    failed: String,
    starts: String,
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct CampaignsPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    rows: Vec<CampaignRow>,
}

pub async fn list(State(state): State<AppState>, console: Console) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let segments = Segments::load(&state).await?;
    let mut rows = Vec::new();
    for view in state.app.campaign_views(&by).await? {
        let (campaign, counts) = (view.campaign, view.counts);
        let (state_code, state) = said_state(w, campaign.state, counts.waiting);
        let reached = match campaign.queued_at {
            None => String::new(),
            Some(_) if campaign.held_out > 0 => w.with_all(
                "campaign-reached-held",
                vec![
                    (
                        "recipients",
                        w.count(campaign.recipients.unsigned_abs()).into(),
                    ),
                    ("held", w.count(campaign.held_out.unsigned_abs()).into()),
                ],
            ),
            Some(_) => w.count(campaign.recipients.unsigned_abs()),
        };
        rows.push(CampaignRow {
            href: format!("/campaigns/{}", campaign.id.0),
            state_code,
            state,
            audience: segments.audience(w, campaign.segment_id),
            reached,
            sent: w.count(counts.sent.unsigned_abs()),
            delivered: w.count(counts.delivered.unsigned_abs()),
            failed: w.count(counts.failed.unsigned_abs()),
            starts: w.time(campaign.starts_at),
            name: campaign.name,
        });
    }
    Ok(render(
        StatusCode::OK,
        &CampaignsPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Campaigns, Right::Edit),
            rows,
        },
    ))
}
