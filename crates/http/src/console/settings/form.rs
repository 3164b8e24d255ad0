//! One page shape for every settings form (a group, a store, a property, a
//! staff user, a role, a till): each field with its label, hint and the
//! error beside it, what was typed kept (never a password), and a one-time
//! token so that a form sent twice does its work once.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use clientele_app::AppError;
use serde::Deserialize;

use crate::console::kit::{Chrome, Console, Once, PageResult, Words, render};

/// One field of a settings form.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    /// `text`, `password` (never shown back), `secret` (shown as dots,
    /// kept masked), `select`, `radio`, `lines` (one value a line), `code`
    /// or `check`.
    pub input: &'static str,
    /// A select's choices: value, label.
    pub options: Vec<(String, String)>,
}

impl Field {
    fn of(name: &'static str, label: String, input: &'static str) -> Field {
        Field {
            name,
            label,
            hint: None,
            required: false,
            input,
            options: Vec::new(),
        }
    }

    pub fn text(name: &'static str, label: String) -> Field {
        Field::of(name, label, "text")
    }

    pub fn password(name: &'static str, label: String) -> Field {
        Field::of(name, label, "password")
    }

    pub fn lines(name: &'static str, label: String) -> Field {
        Field::of(name, label, "lines")
    }

    pub fn check(name: &'static str, label: String) -> Field {
        Field::of(name, label, "check")
    }

    pub fn select(name: &'static str, label: String, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..Field::of(name, label, "select")
        }
    }

    /// A secret: shown as dots, with its value (masked when kept).
    pub fn secret(name: &'static str, label: String) -> Field {
        Field::of(name, label, "secret")
    }

    /// Text written as code, in lines: a request's body, a key.
    pub fn code(name: &'static str, label: String) -> Field {
        Field::of(name, label, "code")
    }

    /// A few choices side by side: value, label.
    pub fn radio(name: &'static str, label: String, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..Field::of(name, label, "radio")
        }
    }

    pub fn required(self) -> Field {
        Field {
            required: true,
            ..self
        }
    }

    pub fn hint(self, hint: String) -> Field {
        Field {
            hint: Some(hint),
            ..self
        }
    }

    /// The ids of its hint and of its error, when it has one, that it is
    /// described by.
    pub fn described(&self, has_error: bool) -> String {
        let hint = self.hint.as_ref().map(|_| format!("{}-hint", self.name));
        let error = has_error.then(|| format!("{}-error", self.name));
        [hint, error]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A role's right on one module, as two tick-boxes.
pub struct PermissionRow {
    pub module: &'static str,
    pub label: String,
    pub view: bool,
    pub edit: bool,
}

#[derive(Template)]
#[template(path = "settings/form.html")]
pub struct FormPage<'a> {
    pub c: Chrome,
    pub w: &'a Words,
    pub title: String,
    pub action: String,
    /// Where «cancel» leads: the section's list.
    pub back: &'static str,
    pub token: String,
    pub fields: Vec<Field>,
    /// A role's permissions; empty for every other form.
    pub matrix: Vec<PermissionRow>,
    /// Field name → what was typed.
    pub values: BTreeMap<String, String>,
    /// Field name → what is wrong with it.
    pub errors: BTreeMap<String, String>,
    /// An error of no one field.
    pub general: Option<String>,
}

impl<'a> FormPage<'a> {
    pub fn new(
        console: &'a Console,
        title: String,
        action: String,
        back: &'static str,
        fields: Vec<Field>,
        values: BTreeMap<String, String>,
    ) -> FormPage<'a> {
        FormPage {
            c: console.chrome(),
            w: &console.words,
            title,
            action,
            back,
            token: Once::fresh(),
            fields,
            matrix: Vec::new(),
            values,
            errors: BTreeMap::new(),
            general: None,
        }
    }

    fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }

    /// Whether the form has a place for `field`'s error.
    fn shows(&self, field: &str) -> bool {
        self.fields.iter().any(|f| f.name == field)
            || (field == "permissions" && !self.matrix.is_empty())
    }
}

/// What a use case's refusal says beside each field, and above them all.
/// `Err` when it is not the user's to correct (a missing record, our fault).
pub fn refusal(
    w: &Words,
    error: AppError,
) -> Result<(BTreeMap<String, String>, Option<String>), AppError> {
    match error {
        AppError::Validation(errors) => Ok((
            errors
                .0
                .into_iter()
                .map(|e| {
                    let message = w
                        .find(&format!("settings-error-{}", e.code))
                        .unwrap_or_else(|| w.field_error(&e));
                    (e.field, message)
                })
                .collect(),
            None,
        )),
        // Only the last owner's role is refused this way: nobody may lock
        // the shop out of its own settings.
        AppError::Conflict {
            field: Some("role"),
            ..
        } => Ok((
            BTreeMap::from([("role".to_owned(), w.t("settings-error-last-owner"))]),
            None,
        )),
        AppError::Conflict {
            field: Some(field), ..
        } => Ok((
            BTreeMap::from([(field.to_owned(), w.t("error-taken"))]),
            None,
        )),
        AppError::Conflict { message, .. } => Ok((BTreeMap::new(), Some(message))),
        other => Err(other),
    }
}

/// The form again after its use case refused it: each error beside its
/// field, what was typed kept (never a password), the same token for the
/// corrected sending. A refusal that is not the user's to correct is the
/// error page.
pub fn refused(once: &Once, error: AppError, mut page: FormPage<'_>) -> PageResult {
    let (errors, general) = refusal(page.w, error)?;
    page.token = once.token().to_owned();
    page.values.remove("password");
    // An error of a field the form does not show is said above them all.
    let (beside, above): (BTreeMap<_, _>, BTreeMap<_, _>) =
        errors.into_iter().partition(|(field, _)| page.shows(field));
    let above = general.into_iter().chain(above.into_values());
    page.general = Some(above.collect::<Vec<_>>().join(" ")).filter(|g| !g.is_empty());
    page.errors = beside;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// A section's list after a change: `?done=created` and the like.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

impl Done {
    /// What the change did, said once on the list.
    pub fn notice(&self, w: &Words) -> Option<String> {
        self.done
            .as_deref()
            .and_then(|done| w.find(&format!("settings-done-{done}")))
    }
}

/// A refusal of the form's own making, before any use case: one field's error.
pub fn invalid(field: &str, code: &'static str, message: &str) -> AppError {
    AppError::from_field(clientele_domain::FieldError::new(field, code, message))
}
