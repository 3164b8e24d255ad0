//! The state of a page's action form: blank with a fresh one-time token,
//! or refused with what was typed (never a password) and an error beside
//! each field. A page with one such form per row (a card) names the row.

use std::collections::BTreeMap;

use axum::response::{IntoResponse, Redirect, Response};

use super::Console;
use super::once::{Submitted, Turn};
use crate::state::AppState;

/// A posted form's fields, and its one-time token, now claimed.
pub struct Posted {
    pub token: String,
    pub values: BTreeMap<String, String>,
}

/// Takes a posted form: refused unless it carries the session's CSRF token;
/// sent where the first one went when its one-time token was used already.
pub async fn receive(
    state: &AppState,
    console: &Console,
    pairs: Vec<(String, String)>,
) -> Result<Posted, Response> {
    let mut values: BTreeMap<String, String> = pairs.into_iter().collect();
    if values.remove("csrf").unwrap_or_default() != console.session.csrf {
        return Err(super::sign_in::refused());
    }
    let token = values.remove("token").unwrap_or_default();
    match state.submitted.turn(&token).await {
        Turn::Again(target) => Err(Redirect::to(&target).into_response()),
        Turn::First => Ok(Posted { token, values }),
    }
}

pub struct ActionForm {
    /// Shown open: it was just refused.
    pub open: bool,
    /// The row the refused form belongs to; 0 for a page's single form.
    pub subject: i64,
    pub token: String,
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
}

impl ActionForm {
    pub fn blank() -> ActionForm {
        ActionForm {
            open: false,
            subject: 0,
            token: Submitted::token(),
            values: BTreeMap::new(),
            errors: BTreeMap::new(),
        }
    }

    /// Refused: shown again, open, with its errors and the same token.
    pub fn refused(
        subject: i64,
        token: String,
        values: BTreeMap<String, String>,
        errors: BTreeMap<String, String>,
    ) -> ActionForm {
        ActionForm {
            open: true,
            subject,
            token,
            values,
            errors,
        }
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    /// A field of the form of row `subject`: empty unless that row's form
    /// was the one refused.
    pub fn value_of(&self, subject: &i64, field: &str) -> &str {
        if *subject == self.subject {
            self.value(field)
        } else {
            ""
        }
    }

    pub fn error_of(&self, subject: &i64, field: &str) -> Option<&str> {
        if *subject == self.subject {
            self.error(field)
        } else {
            None
        }
    }
}
