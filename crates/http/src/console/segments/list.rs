//! The segments: each with its kind, size, last recompute and schedule.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{Module, Right};

use super::said::{Done, schedule};
use crate::console::kit::{Chrome, Console, PageResult, Query, Words, render};
use crate::state::AppState;

struct SegmentRow {
    href: String,
    name: String,
    kind: String,
    size: String,
    computed: String,
    took: String,
    schedule: String,
}

#[derive(Template)]
#[template(path = "segments/list.html")]
struct SegmentsPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    notice: Option<String>,
    rows: Vec<SegmentRow>,
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let rows = state
        .app
        .segments()
        .await?
        .into_iter()
        .map(|s| SegmentRow {
            href: format!("/segments/{}", s.id.0),
            kind: w.t(&format!("segment-kind-{}", s.kind.as_str())),
            size: w.count(s.size.unsigned_abs()),
            computed: s
                .computed_at
                .map_or_else(|| w.t("segment-never-computed"), |at| w.time(at)),
            took: s
                .took_ms
                .map_or_else(String::new, |ms| w.n("segment-took", ms)),
            schedule: schedule(w, s.schedule),
            name: s.name,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &SegmentsPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Segments, Right::Edit),
            notice: done.notice(w),
            rows,
        },
    ))
}
