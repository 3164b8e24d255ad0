//! Customer groups: the list (each with a link to its customers), a new
//! group, a renamed one or a new default, and an empty group deleted.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use clientele_domain::{CustomerGroupId, CustomerGroupInput, Module, Right};
use serde::Deserialize;

use super::form::{Done, Field, FormPage, refusal, refused};
use crate::console::kit::{
    Button, Chrome, Console, Once, PageResult, Path, Query, Submission, Words, render,
};
use crate::state::AppState;

const LIST: &str = "/settings/groups";

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(LIST, get(list))
        .route("/settings/groups/new", get(new).post(create))
        .route("/settings/groups/{id}/edit", get(edit).post(update))
        .route("/settings/groups/{id}/delete", post(delete))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    name: String,
    /// Ticked: the group becomes the default.
    is_default: Option<String>,
}

struct GroupRow {
    id: i64,
    name: String,
    is_default: bool,
    customers_href: String,
}

#[derive(Template)]
#[template(path = "settings/groups.html")]
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
) -> PageResult {
    let groups = state.app.customer_groups().await?;
    let rows = groups
        .into_iter()
        .map(|g| GroupRow {
            customers_href: format!("/customers?group_id={}", g.id.0),
            id: g.id.0,
            name: g.name,
            is_default: g.is_default,
        })
        .collect();
    Ok(render(
        status,
        &GroupsPage {
            c: console.chrome(),
            w: &console.words,
            may_edit: console.may(Module::Settings, Right::Edit),
            token: Once::fresh(),
            notice,
            alert,
            rows,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
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

pub async fn new(console: Console) -> PageResult {
    Ok(render(
        StatusCode::OK,
        &form(&console, None, BTreeMap::new()),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<GroupForm>,
) -> PageResult {
    let input = CustomerGroupInput {
        name: sent.name.trim().to_owned(),
    };
    match state
        .app
        .create_customer_group(input, &console.caller.changed_by())
        .await
    {
        Ok(_) => Ok(once.done("/settings/groups?done=created").await),
        Err(error) => refused(&once, error, form(&console, None, typed)),
    }
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let group = state.app.customer_group(CustomerGroupId(id)).await?;
    let values = BTreeMap::from([("name".to_owned(), group.name)]);
    let page = form(&console, Some((id, group.is_default)), values);
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<GroupForm>,
) -> PageResult {
    let saved = state
        .app
        .update_customer_group(
            CustomerGroupId(id),
            Some(sent.name.trim().to_owned()),
            sent.is_default.is_some().then_some(true),
            &console.caller.changed_by(),
        )
        .await;
    match saved {
        Ok(_) => Ok(once.done("/settings/groups?done=saved").await),
        Err(error) => {
            let is_default = state
                .app
                .customer_group(CustomerGroupId(id))
                .await
                .is_ok_and(|g| g.is_default);
            refused(&once, error, form(&console, Some((id, is_default)), typed))
        }
    }
}

/// Deletes an empty group that is not the default; otherwise the list
/// again, saying why not.
pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    let w = &console.words;
    let error = match state
        .app
        .delete_customer_group(CustomerGroupId(id), &console.caller.changed_by())
        .await
    {
        Ok(()) => return Ok(once.done("/settings/groups?done=deleted").await),
        Err(error) => error,
    };
    refusal(w, error)?;
    let alert = Some(w.t("settings-group-in-use"));
    list_page(&state, &console, None, alert, StatusCode::CONFLICT).await
}
