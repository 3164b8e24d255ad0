//! The editor's live count: how many customers the rule typed so far holds
//! for now, a few of them by name, saving nothing. Each complaint goes
//! beside its row: every row's place for errors is sent again out of band,
//! so one corrected clears.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::segment::Field;
use clientele_domain::{Module, Right};

use super::draft::{Draft, Row, beside, key};
use crate::console::kit::{Console, PageResult, Query, Words, render};
use crate::state::AppState;

/// The customers named beside the count.
const SAMPLE: usize = 10;

#[derive(Template)]
#[template(path = "segments/count.html")]
struct CountPart<'a> {
    w: &'a Words,
    count: Option<String>,
    /// Why there is no count.
    message: String,
    sample: Vec<(i64, String)>,
    /// Each row's key with its errors, empty for a row without.
    slots: Vec<(String, Vec<String>)>,
}

pub async fn count(
    State(state): State<AppState>,
    console: Console,
    Query(pairs): Query<Vec<(String, String)>>,
) -> PageResult {
    let w = &console.words;
    let draft = Draft::read(&pairs.into_iter().collect());
    let specs = Field::catalogue(&state.app.property_definitions().await?);
    let shaped = draft.tree.shape(&specs);
    let by = console.caller.changed_by();
    let mut errors = BTreeMap::new();
    let mut sample = Vec::new();
    let count = match &shaped.rule {
        None => None,
        Some(rule) => match state.app.count_segment(rule.clone(), &by).await {
            Ok(count) => {
                if count > 0 && console.may(Module::Customers, Right::View) {
                    sample = state.app.sample_segment(rule.clone(), &by, SAMPLE).await?;
                }
                Some(w.n("segment-count", count))
            }
            Err(AppError::Validation(refused)) => {
                errors = beside(w, refused.0, &shaped, &specs);
                None
            }
            Err(error) => return Err(error.into()),
        },
    };
    let mut keys = vec!["rules".to_owned()];
    for (at, row) in draft.tree.rows.iter().enumerate() {
        keys.push(key(at, None));
        if let Row::Group(_, lines) = row {
            keys.extend((0..lines.len()).map(|line| key(at, Some(line))));
        }
    }
    let part = CountPart {
        w,
        message: w.t(if shaped.rule.is_none() {
            "segment-count-empty"
        } else {
            "segment-count-refused"
        }),
        count,
        sample: sample
            .into_iter()
            .map(|customer| (customer.id.0, customer.profile.name))
            .collect(),
        slots: keys
            .into_iter()
            .map(|key| {
                let said = errors.remove(&key).unwrap_or_default();
                (key, said)
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &part))
}
