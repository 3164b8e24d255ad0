//! A segment's page: its size and the size over its recomputes on a chart,
//! its share of the base and of revenue, the average receipt of its
//! members, who entered and left at the last recompute, its rules in
//! words, the offers aimed at it, and what may be done with it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::offer::Audience;
use clientele_domain::segment::SegmentKind;
use clientele_domain::{Module, Right, SegmentId};
use serde::Serialize;

use super::catalogue::Catalogue;
use super::said::{Done, Said, said, schedule};
use crate::console::kit::{
    Chrome, Console, Once, PageResult, Path, Query, Words, percent, render, script_json,
};
use crate::state::AppState;

struct Figure {
    id: &'static str,
    label: String,
    value: String,
}

struct SizeRow {
    at: String,
    size: String,
    entered: String,
    left: String,
    took: String,
}

/// What `assets/segment.js` draws: the size at each recompute, oldest first.
#[derive(Serialize)]
struct Chart {
    labels: Vec<String>,
    sizes: Vec<i64>,
    label: String,
}

#[derive(Template)]
#[template(path = "segments/segment.html")]
struct SegmentPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: i64,
    name: String,
    kind: String,
    fixed: bool,
    notice: Option<String>,
    figures: Vec<Figure>,
    /// When a dynamic segment is recomputed, in words.
    schedule: Option<String>,
    /// Who entered and left at the last recompute, and when.
    last: Option<String>,
    chart: Option<String>,
    sizes: Vec<SizeRow>,
    rules: Vec<Said>,
    /// The offers aimed at the segment (campaigns join them when they
    /// exist); a segment in use is not deleted.
    uses: Vec<String>,
    may_edit: bool,
    may_list: bool,
    may_export: bool,
    delete_confirm: String,
    /// The one-time token of the recompute and delete buttons.
    token: String,
}

/// A part of a whole as a rate: `12,5 %`; `—` of nothing.
fn share(w: &Words, part: i64, whole: i64) -> String {
    if whole <= 0 {
        return w.t("segment-no-figure");
    }
    let bp = (i128::from(part) * 10_000 + i128::from(whole) / 2) / i128::from(whole);
    percent(w, i64::try_from(bp).unwrap_or(i64::MAX))
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let segment = state.app.segment(SegmentId(id)).await?;
    let sizes = state.app.segment_sizes(segment.id).await?;
    let base = state.app.segment_figures(segment.id).await?;
    let catalogue = Catalogue::load(&state).await?;
    let uses = state
        .app
        .offers()
        .await?
        .into_iter()
        .filter(|kept| kept.offer.terms.audience == Audience::Segment(segment.id))
        .map(|kept| w.with("segment-used-offer", "name", kept.offer.terms.name.into()))
        .collect();
    let figures = vec![
        Figure {
            id: "size",
            label: w.t("segment-size"),
            value: w.count(segment.size.unsigned_abs()),
        },
        Figure {
            id: "share-base",
            label: w.t("segment-share-base"),
            value: share(w, base.members, base.customers),
        },
        Figure {
            id: "share-revenue",
            label: w.t("segment-share-revenue"),
            value: share(w, base.members_spent_minor, base.spent_minor),
        },
        Figure {
            id: "average-receipt",
            label: w.t("segment-average-receipt"),
            value: match base.members_purchases {
                0 => w.t("segment-no-figure"),
                n => w.money(base.members_spent_minor / n),
            },
        },
    ];
    let fixed = segment.kind == SegmentKind::Static;
    let last = sizes.first().map(|size| {
        w.with_all(
            if fixed {
                "segment-made"
            } else {
                "segment-last-recompute"
            },
            vec![
                ("time", w.time(size.computed_at).into()),
                ("entered", size.entered.into()),
                ("left", size.left.into()),
                ("took", w.n("segment-took", size.took_ms).into()),
            ],
        )
    });
    // A static segment's size never moves: no chart to draw.
    let chart = (!fixed && !sizes.is_empty()).then(|| {
        let oldest_first = sizes.iter().rev();
        script_json(&Chart {
            labels: oldest_first
                .clone()
                .map(|s| w.short_time(s.computed_at))
                .collect(),
            sizes: oldest_first.map(|s| s.size).collect(),
            label: w.t("segment-chart-size"),
        })
    });
    Ok(render(
        StatusCode::OK,
        &SegmentPage {
            c: console.chrome(),
            w,
            id,
            kind: w.t(&format!("segment-kind-{}", segment.kind.as_str())),
            fixed,
            notice: done.notice(w),
            figures,
            schedule: segment.schedule.map(|every| {
                w.with(
                    "segment-schedule-said",
                    "schedule",
                    schedule(w, Some(every)).into(),
                )
            }),
            last,
            chart,
            sizes: sizes
                .iter()
                .map(|s| SizeRow {
                    at: w.time(s.computed_at),
                    size: w.count(s.size.unsigned_abs()),
                    entered: w.count(s.entered.unsigned_abs()),
                    left: w.count(s.left.unsigned_abs()),
                    took: w.n("segment-took", s.took_ms),
                })
                .collect(),
            rules: segment
                .rules
                .as_ref()
                .map_or_else(Vec::new, |rule| said(w, &catalogue, rule)),
            uses,
            may_edit: console.may(Module::Segments, Right::Edit),
            may_list: console.may(Module::Customers, Right::View),
            may_export: console.may(Module::Customers, Right::Edit),
            token: Once::fresh(),
            delete_confirm: w.with(
                "segment-delete-confirm",
                "name",
                segment.name.clone().into(),
            ),
            name: segment.name,
        },
    ))
}
