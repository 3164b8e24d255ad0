//! Registering a customer and editing one: a form in steps (contacts, about
//! the customer, group and store, consents, the marketer's own properties),
//! with hints, the required field marked, and each error next to the field
//! that caused it, the typed values kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use clientele_app::AppError;
use clientele_domain::customer::ConsentInput;
use clientele_domain::property::PropertyKind;
use clientele_domain::{
    ConsentKind, Customer, CustomerChanges, CustomerGroupId, CustomerId, StoreId,
};

use super::action_form::{Posted, receive};
use super::once::Submitted;
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::Path;
use crate::state::AppState;

/// A property's field on the form.
struct PropertyField {
    name: String,
    label: String,
    /// The input's type: text, number, date, checkbox or a choice.
    input: &'static str,
    choices: Vec<String>,
    value: String,
}

struct Choice {
    value: String,
    label: String,
}

struct ConsentField {
    kind: &'static str,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "customer_form.html")]
struct FormPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    action: String,
    token: String,
    /// Field name → what was typed.
    values: BTreeMap<String, String>,
    /// Field name → what is wrong with it.
    errors: BTreeMap<String, String>,
    /// An error of no one field (a stale edit).
    general: Option<String>,
    groups: Vec<Choice>,
    stores: Vec<Choice>,
    consents: Vec<ConsentField>,
    properties: Vec<PropertyField>,
}

impl FormPage<'_> {
    fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

/// The fields of a customer as the form shows them.
fn values_of(customer: &Customer) -> BTreeMap<String, String> {
    let p = &customer.profile;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut values = BTreeMap::from([
        ("name".to_owned(), p.name.clone()),
        (
            "phone".to_owned(),
            p.phone.as_ref().map(|ph| ph.display()).unwrap_or_default(),
        ),
        (
            "email".to_owned(),
            p.email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        ),
        (
            "gender".to_owned(),
            p.gender.map(|g| g.as_str().to_owned()).unwrap_or_default(),
        ),
        (
            "birth_date".to_owned(),
            p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("city".to_owned(), text(&p.city)),
        ("address".to_owned(), text(&p.address)),
        ("notes".to_owned(), text(&p.notes)),
        ("group_id".to_owned(), p.group_id.0.to_string()),
        (
            "store_id".to_owned(),
            p.store_id.map(|s| s.0.to_string()).unwrap_or_default(),
        ),
    ]);
    for kind in ConsentKind::ALL {
        if p.consents.is_granted(kind) {
            values.insert(format!("consent_{}", kind.as_str()), "on".into());
        }
    }
    for (name, value) in &p.properties {
        values.insert(format!("property_{}", name.as_str()), value.clone());
    }
    values
}

async fn page<'a>(
    state: &AppState,
    console: &'a Console,
    editing: Option<CustomerId>,
    values: BTreeMap<String, String>,
    token: String,
) -> Result<FormPage<'a>, AppError> {
    let w = &console.words;
    let groups = state.app.customer_groups().await?;
    let stores = state.app.stores().await?;
    let definitions = state.app.property_definitions().await?;
    let consents = ConsentKind::ALL
        .iter()
        .map(|kind| ConsentField {
            kind: kind.as_str(),
            label: w.t(&format!("consent-{}", kind.as_str())),
            checked: values.contains_key(&format!("consent_{}", kind.as_str())),
        })
        .collect();
    let properties = definitions
        .iter()
        .map(|d| PropertyField {
            name: format!("property_{}", d.name.as_str()),
            label: d.label.clone(),
            input: match d.kind {
                PropertyKind::String => "text",
                PropertyKind::Number => "number",
                PropertyKind::Date => "date",
                PropertyKind::Bool => "checkbox",
                PropertyKind::Choice => "choice",
            },
            choices: d.choices.clone(),
            value: values
                .get(&format!("property_{}", d.name.as_str()))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    Ok(FormPage {
        c: console.chrome(),
        w,
        title: w.t(if editing.is_some() {
            "customer-edit"
        } else {
            "customers-new"
        }),
        action: match editing {
            Some(id) => format!("/customers/{}/edit", id.0),
            None => "/customers/new".into(),
        },
        token,
        values,
        errors: BTreeMap::new(),
        general: None,
        groups: groups
            .into_iter()
            .map(|g| Choice {
                value: g.id.0.to_string(),
                label: g.name,
            })
            .collect(),
        stores: stores
            .into_iter()
            .map(|s| Choice {
                value: s.id.0.to_string(),
                label: format!("{} · {}", s.code, s.name),
            })
            .collect(),
        consents,
        properties,
    })
}

pub async fn new(State(state): State<AppState>, console: Console) -> Response {
    match page(&state, &console, None, BTreeMap::new(), Submitted::token()).await {
        Ok(form) => render(StatusCode::OK, &form),
        Err(error) => error_page(&console.words, error),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> Response {
    let by = console.caller.changed_by();
    let customer = match state.app.customer_for(CustomerId(id), &by).await {
        Ok(customer) => customer,
        Err(error) => return error_page(&console.words, error),
    };
    let values = values_of(&customer);
    match page(
        &state,
        &console,
        Some(customer.id),
        values,
        Submitted::token(),
    )
    .await
    {
        Ok(form) => render(StatusCode::OK, &form),
        Err(error) => error_page(&console.words, error),
    }
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    submit(state, console, None, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    submit(state, console, Some(CustomerId(id)), pairs).await
}

/// The form's fields as a change: an empty field clears its value (and a
/// new customer simply has none); a box not ticked withdraws its consent.
fn changes(values: &BTreeMap<String, String>, before: Option<&Customer>) -> CustomerChanges {
    let text = |field: &str| {
        Some(
            values
                .get(field)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(str::to_owned),
        )
    };
    let consents = ConsentKind::ALL
        .iter()
        .filter_map(|kind| {
            let ticked = values.contains_key(&format!("consent_{}", kind.as_str()));
            let was = before.is_some_and(|c| c.profile.consents.is_granted(*kind));
            (ticked != was).then(|| ConsentInput {
                kind: kind.as_str().to_owned(),
                granted: ticked,
                source: Some("console".into()),
            })
        })
        .collect();
    let properties = values
        .iter()
        .filter_map(|(key, value)| {
            let name = key.strip_prefix("property_")?;
            let value = value.trim();
            Some((
                name.to_owned(),
                (!value.is_empty()).then(|| value.to_owned()),
            ))
        })
        .collect();
    CustomerChanges {
        name: Some(
            values
                .get("name")
                .map(|v| v.trim().to_owned())
                .unwrap_or_default(),
        ),
        phone: text("phone"),
        email: text("email"),
        gender: text("gender"),
        birth_date: text("birth_date"),
        city: text("city"),
        address: text("address"),
        notes: text("notes"),
        group_id: values
            .get("group_id")
            .and_then(|v| v.parse().ok())
            .map(CustomerGroupId),
        store_id: Some(
            values
                .get("store_id")
                .and_then(|v| v.parse().ok())
                .map(StoreId),
        ),
        channel: before.is_none().then(|| "console".to_owned()),
        consents,
        properties,
        ..CustomerChanges::default()
    }
}

async fn submit(
    state: AppState,
    console: Console,
    editing: Option<CustomerId>,
    pairs: Vec<(String, String)>,
) -> Response {
    let w = &console.words;
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let by = console.caller.changed_by();
    let saved = match editing {
        None => {
            state
                .app
                .register_customer(changes(&values, None), "console", &by)
                .await
        }
        Some(id) => match state.app.customer_for(id, &by).await {
            Ok(before) => {
                state
                    .app
                    .update_customer(id, changes(&values, Some(&before)), "console", &by)
                    .await
            }
            Err(error) => Err(error),
        },
    };
    let (errors, general) = match saved {
        Ok(customer) => {
            let target = format!("/customers/{}", customer.id.0);
            state.submitted.done(&token, &target);
            return Redirect::to(&target).into_response();
        }
        Err(AppError::Validation(errors)) => (
            errors
                .0
                .into_iter()
                .map(|e| {
                    let field = e.field.replace("properties.", "property_");
                    (field, field_message(w, e.code, &e.message))
                })
                .collect(),
            None,
        ),
        Err(AppError::Conflict {
            field: Some(field),
            existing_customer,
            ..
        }) => {
            let message = match existing_customer {
                Some(holder) => w.with("error-taken-by", "id", holder.0.into()),
                None => w.t("error-taken"),
            };
            (BTreeMap::from([(field.to_owned(), message)]), None)
        }
        Err(AppError::Conflict { message, .. }) => (BTreeMap::new(), Some(message)),
        Err(error) => {
            state.submitted.failed(&token);
            return error_page(w, error);
        }
    };
    state.submitted.failed(&token);
    match page(&state, &console, editing, values, token).await {
        Ok(mut form) => {
            form.errors = errors;
            form.general = general;
            render(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
        Err(error) => error_page(w, error),
    }
}

/// A field's error in the reader's language where the table has its code.
fn field_message(w: &Words, code: &str, message: &str) -> String {
    w.find(&format!("error-{code}"))
        .unwrap_or_else(|| message.to_owned())
}
