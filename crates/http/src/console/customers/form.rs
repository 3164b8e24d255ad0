//! Registering a customer and editing one: a form in steps (contacts, about
//! the customer, group and store, consents, the marketer's own properties),
//! with hints, the required field marked, and each error next to the field
//! that caused it, the typed values kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_domain::customer::ConsentInput;
use clientele_domain::property::PropertyKind;
use clientele_domain::{
    ConsentKind, Customer, CustomerChanges, CustomerGroupId, CustomerId, StoreId,
};
use serde::Deserialize;

use crate::console::kit::{Chrome, Console, Once, PageResult, Path, Submission, Words, render};
use crate::state::AppState;

/// The form's fields as sent.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CustomerForm {
    name: String,
    phone: String,
    email: String,
    gender: String,
    birth_date: String,
    city: String,
    address: String,
    notes: String,
    group_id: String,
    store_id: String,
    /// `consent_<kind>` when ticked, `property_<name>` as typed.
    #[serde(flatten)]
    more: BTreeMap<String, String>,
}

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
#[template(path = "customers/form.html")]
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

    /// Whether `field` is the first one, in the form's order, with an
    /// error: it takes the focus, and the browser scrolls to it.
    fn focused(&self, field: &str) -> bool {
        let properties = self.properties.iter().map(|p| p.name.as_str());
        FIELD_ORDER
            .iter()
            .copied()
            .chain(properties)
            .find(|f| self.errors.contains_key(*f))
            == Some(field)
    }
}

/// The form's own fields in the order it shows them (the marketer's
/// properties follow).
const FIELD_ORDER: [&str; 9] = [
    "name",
    "phone",
    "email",
    "gender",
    "birth_date",
    "city",
    "address",
    "group_id",
    "store_id",
];

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

pub async fn new(State(state): State<AppState>, console: Console) -> PageResult {
    // A new customer lands in the default group unless the clerk picks another.
    let default = state
        .app
        .customer_groups()
        .await?
        .into_iter()
        .find(|g| g.is_default);
    let values = default
        .map(|g| BTreeMap::from([("group_id".to_owned(), g.id.0.to_string())]))
        .unwrap_or_default();
    let form = page(&state, &console, None, values, Once::fresh()).await?;
    Ok(render(StatusCode::OK, &form))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let by = console.caller.changed_by();
    let customer = state.app.customer_for(CustomerId(id), &by).await?;
    let values = values_of(&customer);
    let form = page(&state, &console, Some(customer.id), values, Once::fresh()).await?;
    Ok(render(StatusCode::OK, &form))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    submission: Submission<CustomerForm>,
) -> PageResult {
    submit(state, console, None, submission).await
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    submission: Submission<CustomerForm>,
) -> PageResult {
    submit(state, console, Some(CustomerId(id)), submission).await
}

/// The form's fields as a change: an empty field clears its value (and a
/// new customer simply has none); a box not ticked withdraws its consent.
fn changes(form: &CustomerForm, before: Option<&Customer>) -> CustomerChanges {
    let text = |value: &str| Some(Some(value.trim().to_owned()).filter(|v| !v.is_empty()));
    let consents = ConsentKind::ALL
        .iter()
        .filter_map(|kind| {
            let ticked = form
                .more
                .contains_key(&format!("consent_{}", kind.as_str()));
            let was = before.is_some_and(|c| c.profile.consents.is_granted(*kind));
            (ticked != was).then(|| ConsentInput {
                kind: kind.as_str().to_owned(),
                granted: ticked,
                source: Some("console".into()),
            })
        })
        .collect();
    let properties = form
        .more
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
        name: Some(form.name.trim().to_owned()),
        phone: text(&form.phone),
        email: text(&form.email),
        gender: text(&form.gender),
        birth_date: text(&form.birth_date),
        city: text(&form.city),
        address: text(&form.address),
        notes: text(&form.notes),
        group_id: form.group_id.parse().ok().map(CustomerGroupId),
        store_id: Some(form.store_id.parse().ok().map(StoreId)),
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
    Submission { form, once, typed }: Submission<CustomerForm>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let saved = match editing {
        None => {
            state
                .app
                .register_customer(changes(&form, None), "console", &by)
                .await
        }
        Some(id) => {
            let before = state.app.customer_for(id, &by).await?;
            state
                .app
                .update_customer(id, changes(&form, Some(&before)), "console", &by)
                .await
        }
    };
    let (errors, general) = match saved {
        Ok(customer) => {
            let done = if editing.is_some() {
                "saved"
            } else {
                "created"
            };
            let target = format!("/customers/{}?done={done}#notice", customer.id.0);
            return Ok(once.done(&target).await);
        }
        Err(AppError::Validation(errors)) => (
            errors
                .0
                .into_iter()
                .map(|e| {
                    let field = e.field.replace("properties.", "property_");
                    (field, w.field_error(&e))
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
        Err(error) => return Err(error.into()),
    };
    let mut page = page(&state, &console, editing, typed, once.token().to_owned()).await?;
    page.errors = errors;
    page.general = general;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
