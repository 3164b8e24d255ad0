//! The template's form as it renders, for its handlers: new, kept (read
//! only for a role that may not change it), refused with each error beside
//! its field and what was typed kept; the placeholders in words beside the
//! texts, and the preview under them.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_app::AppError;
use clientele_domain::template::{Locale, Placeholder};
use clientele_domain::{Module, Right};

use super::draft::{Draft, beside, written};
use super::panel::Panel;
use crate::console::kit::{Chrome, Console, Words, render};

#[derive(Template)]
#[template(path = "templates/editor.html")]
struct EditorPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    action: String,
    /// A kept template: a campaign may be made from it.
    kept: Option<i64>,
    may_edit: bool,
    may_search: bool,
    token: String,
    notice: Option<String>,
    alert: Option<String>,
    draft: Draft,
    locales: Vec<(&'static str, String)>,
    /// Each placeholder as written, and what it gives.
    placeholders: Vec<(String, String)>,
    errors: BTreeMap<String, String>,
    panel: Panel,
}

impl EditorPage<'_> {
    /// The error beside a field: the save's, else the preview's.
    fn error(&self, field: &str) -> Option<&str> {
        (self.errors.get(field))
            .or_else(|| self.panel.errors.get(field))
            .map(String::as_str)
    }
}

/// What the form makes: a new template, or changes a kept one.
pub enum Editing {
    New,
    Kept { id: i64, name: String },
}

/// The form's state beside what was typed.
pub struct Shown {
    pub token: String,
    pub notice: Option<String>,
    pub errors: BTreeMap<String, String>,
    /// Above the form: the template changed meanwhile.
    pub alert: Option<String>,
}

impl Shown {
    pub fn fresh(token: String) -> Shown {
        Shown {
            token,
            notice: None,
            errors: BTreeMap::new(),
            alert: None,
        }
    }

    /// A use case's refusal beside the fields; `Err` when it is not the
    /// user's to correct.
    pub fn refused(&mut self, w: &Words, error: AppError) -> Result<(), AppError> {
        match error {
            AppError::Validation(refused) => self.errors = beside(w, &refused.0),
            AppError::Conflict {
                field: Some("name"),
                ..
            } => {
                self.errors
                    .insert("name".into(), w.t("template-name-taken"));
            }
            AppError::Conflict { field: None, .. } => self.alert = Some(w.t("template-stale")),
            other => return Err(other),
        }
        Ok(())
    }
}

/// The form with `draft` as typed, what was refused beside it, and its
/// preview.
pub fn editor(
    console: &Console,
    editing: Editing,
    draft: Draft,
    shown: Shown,
    panel: Panel,
) -> Response {
    let w = &console.words;
    let status = match (&shown.alert, shown.errors.is_empty()) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, true) => StatusCode::OK,
    };
    let (title, action, kept) = match editing {
        Editing::New => (w.t("template-new-title"), "/templates/new".to_owned(), None),
        Editing::Kept { id, name } => (
            w.with("template-title", "name", name.into()),
            format!("/templates/{id}"),
            Some(id),
        ),
    };
    let page = EditorPage {
        c: console.chrome(),
        w,
        title,
        action,
        kept,
        may_edit: console.may(Module::Campaigns, Right::Edit),
        may_search: console.may(Module::Customers, Right::View),
        token: shown.token,
        notice: shown.notice,
        alert: shown.alert,
        locales: (Locale::ALL.into_iter())
            .map(|l| (l.as_str(), w.t(&format!("template-locale-{}", l.as_str()))))
            .collect(),
        placeholders: (Placeholder::ALL.into_iter())
            .map(|p| {
                (
                    written(p),
                    w.t(&format!("template-placeholder-{}", p.as_str())),
                )
            })
            .collect(),
        draft,
        errors: shown.errors,
        panel,
    };
    render(status, &page)
}
