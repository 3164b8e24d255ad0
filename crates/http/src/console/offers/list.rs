//! The offers: each with its audience, reward, period, state, priority
//! and how it combines, in words.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{Module, Right};

use super::said::{Done, Names, audience, period, reward, stacking, state as said_state};
use crate::console::kit::{Chrome, Console, PageResult, Query, Words, render};
use crate::state::AppState;

struct OfferRow {
    href: String,
    name: String,
    audience: String,
    reward: String,
    period: String,
    active: bool,
    state: String,
    priority: i32,
    stacking: String,
}

#[derive(Template)]
#[template(path = "offers/list.html")]
struct OffersPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    notice: Option<String>,
    rows: Vec<OfferRow>,
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let names = Names::load(&state).await?;
    let mut offers = state.app.offers().await?;
    // As the till takes them: higher priority first, then the older.
    offers.sort_by_key(|kept| (-kept.offer.terms.priority, kept.offer.id.0));
    let rows = offers
        .into_iter()
        .map(|kept| {
            let t = kept.offer.terms;
            OfferRow {
                href: format!("/offers/{}", kept.offer.id.0),
                audience: audience(w, &names, t.audience),
                reward: reward(w, &t),
                period: period(w, &t),
                active: t.active,
                state: said_state(w, t.active),
                priority: t.priority,
                stacking: stacking(w, t.stacking),
                name: t.name,
            }
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &OffersPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Segments, Right::Edit),
            notice: done.notice(w),
            rows,
        },
    ))
}
