//! A campaign's page: where it is and how far its messages have gone,
//! counted by state and by reason in words, the cancel button while it may
//! still be stopped (in its cancel window, until when nothing leaves), what
//! its recipients bought against its control group, and the words it sends.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_app::campaigns::CampaignView;
use clientele_domain::{CampaignId, Module, Right};

use super::counted::{Counted, counted};
use super::report::{Report, report};
use super::said::{Done, Segments, state as said_state, window};
use crate::console::kit::{
    Chrome, Console, Once, PageResult, Path, Query, Words, in_order, percent, render,
};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "campaigns/campaign.html")]
struct CampaignPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: i64,
    name: String,
    state_code: &'static str,
    state: String,
    notice: Option<String>,
    /// Until when nothing leaves, while the campaign may be withdrawn whole.
    window: Option<String>,
    /// Its terms: a name and a value each.
    facts: Vec<(String, String)>,
    counted: Counted,
    may_cancel: bool,
    token: String,
    report: Option<Report>,
    template_href: String,
    subject: Option<String>,
    body: String,
    html: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let found = state.app.campaign_report(CampaignId(id), &by).await?;
    let facts = facts(&state, w, &found.view).await?;
    let view = &found.view;
    let campaign = &view.campaign;
    let counts = &view.counts;
    let (state_code, state_said) = said_state(w, campaign.state, counts.waiting);
    let page = CampaignPage {
        c: console.chrome(),
        w,
        id,
        name: campaign.name.clone(),
        state_code,
        state: state_said,
        notice: done.notice(w),
        window: window(w, view, state.app.clock().now()),
        facts,
        counted: counted(w, view),
        // Sent whole, nothing is left to withdraw.
        may_cancel: console.may(Module::Campaigns, Right::Edit)
            && campaign.state.can_cancel()
            && state_code != "sent",
        token: Once::fresh(),
        // Before its first message may leave, there is nothing to count.
        report: (found.to > found.from).then(|| report(w, &found)),
        template_href: format!("/templates/{}", campaign.template_id.0),
        subject: campaign.words.subject.clone(),
        body: campaign.words.body.clone(),
        html: campaign.words.html.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// The campaign's terms, a name and a value each.
async fn facts(
    state: &AppState,
    w: &Words,
    view: &CampaignView,
) -> Result<Vec<(String, String)>, AppError> {
    let campaign = &view.campaign;
    let mut audience = Segments::load(state)
        .await?
        .audience(w, campaign.segment_id);
    if let Some(only) = &campaign.stores {
        let stores = state.app.stores().await?;
        let names: Vec<String> = (stores.into_iter())
            .filter(|s| only.contains(&s.id))
            .map(|s| s.name)
            .collect();
        let within = w.with("campaign-stores", "names", names.join(", ").into());
        audience = format!("{audience}. {within}");
    }
    let mut facts = vec![
        ("starts", w.time(campaign.starts_at)),
        ("audience", audience),
        (
            "template",
            state.app.template(campaign.template_id).await?.record.name,
        ),
        ("channels", in_order(w, &campaign.channels)),
        (
            "window",
            w.n("campaign-window-mins", campaign.cancel_window_mins),
        ),
    ];
    if campaign.holdout_bp > 0 {
        facts.push(("holdout", percent(w, campaign.holdout_bp)));
    }
    if let Some(offer) = campaign.offer_id {
        let kept = state.app.offer(offer).await?;
        facts.push(("offer", kept.offer.terms.name));
    }
    facts.push(("report", w.n("campaign-report-days", campaign.report_days)));
    Ok(facts
        .into_iter()
        .map(|(key, value)| (w.t(&format!("campaign-fact-{key}")), value))
        .collect())
}
