//! The marketer's custom properties of a customer (string, number, date,
//! yes/no, or a choice among values): a new one, and one relabelled or
//! given more choices (a choice in use is never taken away).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clientele_app::AppError;
use clientele_domain::property::PropertyInput;
use clientele_domain::{Module, PropertyDefinition, PropertyId, PropertyKind, Right};
use serde::Deserialize;

use super::form::{Done, Field, FormPage, refused};
use crate::console::kit::{Chrome, Console, PageResult, Path, Query, Submission, Words, render};
use crate::state::AppState;

const LIST: &str = "/settings/properties";
const KINDS: [PropertyKind; 5] = [
    PropertyKind::String,
    PropertyKind::Number,
    PropertyKind::Date,
    PropertyKind::Bool,
    PropertyKind::Choice,
];

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(LIST, get(list))
        .route("/settings/properties/new", get(new).post(create))
        .route("/settings/properties/{id}/edit", get(edit).post(update))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PropertyForm {
    name: String,
    label: String,
    kind: String,
    /// A choice's values, one a line.
    choices: String,
}

impl PropertyForm {
    fn choices(&self) -> Vec<String> {
        self.choices
            .trim()
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

struct PropertyRow {
    id: i64,
    label: String,
    name: String,
    kind: String,
    choices: String,
}

#[derive(Template)]
#[template(path = "settings/properties.html")]
struct PropertiesPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    notice: Option<String>,
    rows: Vec<PropertyRow>,
}

fn kind_label(w: &Words, kind: PropertyKind) -> String {
    w.t(&format!("settings-property-kind-{}", kind.as_str()))
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let definitions = state.app.property_definitions().await?;
    let rows = definitions
        .into_iter()
        .map(|d| PropertyRow {
            id: d.id.0,
            kind: kind_label(w, d.kind),
            name: d.name.to_string(),
            choices: d.choices.join(", "),
            label: d.label,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &PropertiesPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Settings, Right::Edit),
            notice: done.notice(w),
            rows,
        },
    ))
}

/// The form for a new property, or for `editing` (its name and type stay).
fn form<'a>(
    console: &'a Console,
    editing: Option<&PropertyDefinition>,
    values: BTreeMap<String, String>,
) -> FormPage<'a> {
    let w = &console.words;
    let label = Field::text("label", w.t("settings-property-label"))
        .required()
        .hint(w.t("settings-property-label-hint"));
    match editing {
        Some(property) => {
            let mut fields = vec![label];
            if property.kind == PropertyKind::Choice {
                fields.push(
                    Field::lines("choices", w.t("settings-property-choices"))
                        .hint(w.t("settings-property-choices-kept")),
                );
            }
            FormPage::new(
                console,
                w.with(
                    "settings-property-edit",
                    "name",
                    property.label.clone().into(),
                ),
                format!("/settings/properties/{}/edit", property.id.0),
                LIST,
                fields,
                values,
            )
        }
        None => {
            let kinds = KINDS
                .into_iter()
                .map(|k| (k.as_str().to_owned(), kind_label(w, k)))
                .collect();
            FormPage::new(
                console,
                w.t("settings-property-new"),
                "/settings/properties/new".into(),
                LIST,
                vec![
                    Field::text("name", w.t("settings-property-name"))
                        .required()
                        .hint(w.t("settings-property-name-hint")),
                    label,
                    Field::select("kind", w.t("settings-property-kind"), kinds),
                    Field::lines("choices", w.t("settings-property-choices"))
                        .hint(w.t("settings-property-choices-hint")),
                ],
                values,
            )
        }
    }
}

pub async fn new(console: Console) -> PageResult {
    let values = BTreeMap::from([("kind".to_owned(), "string".to_owned())]);
    Ok(render(StatusCode::OK, &form(&console, None, values)))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<PropertyForm>,
) -> PageResult {
    let input = PropertyInput {
        choices: sent.choices(),
        name: sent.name.trim().to_owned(),
        label: sent.label.trim().to_owned(),
        kind: sent.kind.trim().to_owned(),
    };
    match state
        .app
        .create_property_definition(input, &console.caller.changed_by())
        .await
    {
        Ok(_) => Ok(once.done("/settings/properties?done=created").await),
        Err(error) => refused(&once, error, form(&console, None, typed)),
    }
}

async fn definition(state: &AppState, id: i64) -> Result<PropertyDefinition, AppError> {
    state
        .app
        .property_definitions()
        .await?
        .into_iter()
        .find(|d| d.id == PropertyId(id))
        .ok_or(AppError::NotFound("property"))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let property = definition(&state, id).await?;
    let values = BTreeMap::from([
        ("label".to_owned(), property.label.clone()),
        ("choices".to_owned(), property.choices.join("\n")),
    ]);
    Ok(render(
        StatusCode::OK,
        &form(&console, Some(&property), values),
    ))
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<PropertyForm>,
) -> PageResult {
    let property = definition(&state, id).await?;
    let choices = (property.kind == PropertyKind::Choice).then(|| sent.choices());
    match state
        .app
        .update_property_definition(
            property.id,
            Some(sent.label.trim().to_owned()),
            choices,
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => Ok(once.done("/settings/properties?done=saved").await),
        Err(error) => refused(&once, error, form(&console, Some(&property), typed)),
    }
}
