//! The marketer's custom properties of a customer (string, number, date,
//! yes/no, or a choice among values): a new one, and one relabelled or
//! given more choices (a choice in use is never taken away).

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use clientele_app::AppError;
use clientele_domain::property::PropertyInput;
use clientele_domain::{Module, PropertyDefinition, PropertyId, PropertyKind, Right};

use super::action_form::{Posted, receive};
use super::settings::Done;
use super::settings_form::{Field, FormPage, done, refused, show, text};
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::Path;
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

struct PropertyRow {
    id: i64,
    label: String,
    name: String,
    kind: String,
    choices: String,
}

#[derive(Template)]
#[template(path = "settings_properties.html")]
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
) -> Response {
    let w = &console.words;
    let definitions = match state.app.property_definitions().await {
        Ok(definitions) => definitions,
        Err(error) => return error_page(w, error),
    };
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
    render(
        StatusCode::OK,
        &PropertiesPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Settings, Right::Edit),
            notice: done.notice(w),
            rows,
        },
    )
}

/// A textarea's values, one a line.
fn lines(values: &BTreeMap<String, String>, field: &str) -> Vec<String> {
    text(values, field)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
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
                    property.name.to_string().into(),
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

pub async fn new(console: Console) -> Response {
    let values = BTreeMap::from([("kind".to_owned(), "string".to_owned())]);
    show(&console.words, Ok(form(&console, None, values)))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let input = PropertyInput {
        name: text(&values, "name"),
        label: text(&values, "label"),
        kind: text(&values, "kind"),
        choices: lines(&values, "choices"),
    };
    match state
        .app
        .create_property_definition(input, &console.caller.changed_by())
        .await
    {
        Ok(_) => done(&state, &token, "/settings/properties?done=created"),
        Err(error) => {
            let page = form(&console, None, values);
            refused(&state, &console.words, token, error, Ok(page))
        }
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
) -> Response {
    let property = match definition(&state, id).await {
        Ok(property) => property,
        Err(error) => return error_page(&console.words, error),
    };
    let values = BTreeMap::from([
        ("label".to_owned(), property.label.clone()),
        ("choices".to_owned(), property.choices.join("\n")),
    ]);
    show(&console.words, Ok(form(&console, Some(&property), values)))
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let property = match definition(&state, id).await {
        Ok(property) => property,
        Err(error) => {
            state.submitted.failed(&token);
            return error_page(w, error);
        }
    };
    let choices = (property.kind == PropertyKind::Choice).then(|| lines(&values, "choices"));
    match state
        .app
        .update_property_definition(
            property.id,
            Some(text(&values, "label")),
            choices,
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => done(&state, &token, "/settings/properties?done=saved"),
        Err(error) => {
            let page = form(&console, Some(&property), values);
            refused(&state, w, token, error, Ok(page))
        }
    }
}
