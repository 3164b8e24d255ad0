//! Customer groups: the list (each with a link to its customers), a new
//! group, a renamed one or a new default, and an empty group deleted.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use clientele_domain::{CustomerGroupId, CustomerGroupInput, Module, Right};

use super::action_form::{Posted, receive};
use super::once::Submitted;
use super::settings::Done;
use super::settings_form::{Field, FormPage, done, refusal, refused, show, text, ticked};
use super::{Chrome, Console, Words, error_page, render};
use crate::extract::Path;
use crate::state::AppState;

const LIST: &str = "/settings/groups";

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(LIST, get(list))
        .route("/settings/groups/new", get(new).post(create))
        .route("/settings/groups/{id}/edit", get(edit).post(update))
        .route("/settings/groups/{id}/delete", post(delete))
}

struct GroupRow {
    id: i64,
    name: String,
    is_default: bool,
    customers_href: String,
}

#[derive(Template)]
#[template(path = "settings_groups.html")]
struct GroupsPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    /// The one-time token of the rows' delete buttons.
    token: String,
    notice: Option<String>,
    alert: Option<String>,
    rows: Vec<GroupRow>,
}

async fn list_page(
    state: &AppState,
    console: &Console,
    notice: Option<String>,
    alert: Option<String>,
    status: StatusCode,
) -> Response {
    let groups = match state.app.customer_groups().await {
        Ok(groups) => groups,
        Err(error) => return error_page(&console.words, error),
    };
    let rows = groups
        .into_iter()
        .map(|g| GroupRow {
            customers_href: format!("/customers?group_id={}", g.id.0),
            id: g.id.0,
            name: g.name,
            is_default: g.is_default,
        })
        .collect();
    render(
        status,
        &GroupsPage {
            c: console.chrome(),
            w: &console.words,
            may_edit: console.may(Module::Settings, Right::Edit),
            token: Submitted::token(),
            notice,
            alert,
            rows,
        },
    )
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> Response {
    let notice = done.notice(&console.words);
    list_page(&state, &console, notice, None, StatusCode::OK).await
}

/// The form for a new group, or for group `editing` (not the default yet:
/// it may become the default).
fn form<'a>(
    console: &'a Console,
    editing: Option<(i64, bool)>,
    values: BTreeMap<String, String>,
) -> FormPage<'a> {
    let w = &console.words;
    let mut fields = vec![Field::text("name", w.t("settings-group-name")).required()];
    if let Some((_, false)) = editing {
        fields.push(
            Field::check("is_default", w.t("settings-group-make-default"))
                .hint(w.t("settings-group-make-default-hint")),
        );
    }
    let (title, action) = match editing {
        Some((id, _)) => (
            w.t("settings-group-edit"),
            format!("/settings/groups/{id}/edit"),
        ),
        None => (w.t("settings-group-new"), "/settings/groups/new".to_owned()),
    };
    FormPage::new(console, title, action, LIST, fields, values)
}

pub async fn new(console: Console) -> Response {
    show(&console.words, Ok(form(&console, None, BTreeMap::new())))
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
    let input = CustomerGroupInput {
        name: text(&values, "name"),
    };
    match state
        .app
        .create_customer_group(input, &console.caller.changed_by())
        .await
    {
        Ok(_) => done(&state, &token, "/settings/groups?done=created"),
        Err(error) => {
            let page = form(&console, None, values);
            refused(&state, &console.words, token, error, Ok(page))
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> Response {
    let group = match state.app.customer_group(CustomerGroupId(id)).await {
        Ok(group) => group,
        Err(error) => return error_page(&console.words, error),
    };
    let values = BTreeMap::from([("name".to_owned(), group.name)]);
    show(
        &console.words,
        Ok(form(&console, Some((id, group.is_default)), values)),
    )
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let Posted { token, values } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let saved = state
        .app
        .update_customer_group(
            CustomerGroupId(id),
            Some(text(&values, "name")),
            ticked(&values, "is_default").then_some(true),
            &console.caller.changed_by(),
        )
        .await;
    match saved {
        Ok(_) => done(&state, &token, "/settings/groups?done=saved"),
        Err(error) => {
            let is_default = state
                .app
                .customer_group(CustomerGroupId(id))
                .await
                .is_ok_and(|g| g.is_default);
            let page = form(&console, Some((id, is_default)), values);
            refused(&state, &console.words, token, error, Ok(page))
        }
    }
}

/// Deletes an empty group that is not the default; otherwise the list
/// again, saying why not.
pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let w = &console.words;
    let Posted { token, .. } = match receive(&state, &console, pairs).await {
        Ok(posted) => posted,
        Err(response) => return response,
    };
    let error = match state
        .app
        .delete_customer_group(CustomerGroupId(id), &console.caller.changed_by())
        .await
    {
        Ok(()) => return done(&state, &token, "/settings/groups?done=deleted"),
        Err(error) => error,
    };
    state.submitted.failed(&token);
    match refusal(w, error) {
        Ok(_) => {
            let alert = Some(w.t("settings-group-in-use"));
            list_page(&state, &console, None, alert, StatusCode::CONFLICT).await
        }
        Err(error) => error_page(w, error),
    }
}
