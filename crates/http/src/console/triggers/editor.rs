//! The trigger's form as it renders, for its handlers: its occasion
//! explained, its template among those written, its channels in order,
//! its days where it counts them, on or off; read only for a role that may
//! not change it, refused with each error beside its field and what was
//! typed kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use clientele_app::KeptTrigger;
use clientele_domain::trigger::TriggerKind;
use clientele_domain::{Module, Right};

use super::draft::Draft;
use super::said::{state as said_state, title};
use crate::console::kit::{Choice, Chrome, Console, Once, PageResult, Words, orders, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "triggers/editor.html")]
struct EditorPage<'a> {
    c: Chrome,
    w: &'a Words,
    kind: &'static str,
    title: String,
    about: String,
    state_code: &'static str,
    state: String,
    notice: Option<String>,
    alert: Option<String>,
    may_edit: bool,
    token: String,
    draft: Draft,
    templates: Vec<Choice>,
    orders: Vec<Choice>,
    /// What the days count, for a kind that counts them.
    days_label: Option<String>,
    errors: BTreeMap<String, String>,
}

impl EditorPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

/// The form's state beside what was typed.
pub struct Shown {
    pub token: String,
    pub notice: Option<String>,
    /// Above the form: the trigger changed meanwhile.
    pub alert: Option<String>,
    pub errors: BTreeMap<String, String>,
}

impl Shown {
    pub fn fresh() -> Shown {
        Shown {
            token: Once::fresh(),
            notice: None,
            alert: None,
            errors: BTreeMap::new(),
        }
    }
}

/// The form of the trigger of `kind` (`kept`, when it is set up) with
/// `draft` as typed.
pub(super) async fn editor(
    state: &AppState,
    console: &Console,
    kind: TriggerKind,
    kept: Option<&KeptTrigger>,
    draft: Draft,
    shown: Shown,
) -> PageResult {
    let w = &console.words;
    let status = match (&shown.alert, shown.errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let written = state.app.templates().await?;
    let mut templates = vec![Choice {
        value: String::new(),
        label: w.t("trigger-template-pick"),
        chosen: draft.template_id.is_empty(),
    }];
    templates.extend(written.into_iter().map(|t| {
        let value = t.id.0.to_string();
        Choice {
            chosen: value == draft.template_id,
            value,
            label: t.record.name,
        }
    }));
    let (state_code, state_said) = said_state(w, kept);
    let code = kind.as_str();
    let page = EditorPage {
        c: console.chrome(),
        w,
        kind: code,
        title: title(w, kind),
        about: w.t(&format!("trigger-about-{code}")),
        state_code,
        state: state_said,
        notice: shown.notice,
        alert: shown.alert,
        may_edit: console.may(Module::Campaigns, Right::Edit),
        token: shown.token,
        templates,
        orders: orders(w, &draft.channels),
        days_label: kind
            .counts_days()
            .then(|| w.t(&format!("trigger-days-{code}"))),
        draft,
        errors: shown.errors,
    };
    Ok(render(status, &page))
}
