//! Staff users and the roles they hold: the list of both, a new user with
//! a login, a role, a password and the stores they are limited to, and a
//! user given another role, other stores, a new password, or blocked.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clientele_app::staff::{StaffUserChanges, StaffUserInput};
use clientele_app::{AppError, Role, StaffUser};
use clientele_domain::{Module, Right, Store, StoreId, UserId};
use serde::Deserialize;

use super::form::{Done, Field, FormPage, refused};
use super::labels::permissions_summary;
use crate::console::kit::{Chrome, Console, PageResult, Path, Query, Submission, Words, render};
use crate::state::AppState;

const LIST: &str = "/settings/staff";

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(LIST, get(list))
        .route("/settings/staff/new", get(new).post(create))
        .route("/settings/staff/{id}/edit", get(edit).post(update))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    login: String,
    name: String,
    /// The role's name.
    role: String,
    /// Taken as typed: spaces may be part of it. Empty on an edit: kept.
    password: String,
    /// Store codes, separated by commas, semicolons or spaces.
    stores: String,
    /// Ticked: the user may sign in.
    active: Option<String>,
}

struct UserRow {
    id: i64,
    login: String,
    name: String,
    role: String,
    stores: String,
    active: bool,
}

struct RoleRow {
    id: i64,
    name: String,
    built_in: bool,
    rights: String,
}

#[derive(Template)]
#[template(path = "settings/staff.html")]
struct StaffPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    notice: Option<String>,
    users: Vec<UserRow>,
    roles: Vec<RoleRow>,
}

/// The codes of the stores a user is limited to, as the form shows them.
fn codes(ids: &[StoreId], stores: &[Store]) -> String {
    ids.iter()
        .filter_map(|id| stores.iter().find(|s| s.id == *id))
        .map(|s| s.code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Store codes as typed: separated by commas, semicolons or spaces.
fn typed_codes(typed: &str) -> Vec<String> {
    typed
        .trim()
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|code| !code.is_empty())
        .map(str::to_owned)
        .collect()
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let users = state.app.staff_users().await?;
    let roles = state.app.roles().await?;
    let stores = state.app.stores().await?;
    let users = users
        .into_iter()
        .map(|u| UserRow {
            id: u.id.0,
            role: roles
                .iter()
                .find(|r| r.id == u.role_id)
                .map(|r| w.role(r))
                .unwrap_or_default(),
            stores: match codes(&u.stores, &stores) {
                all if all.is_empty() => w.t("settings-staff-all-stores"),
                some => some,
            },
            login: u.login.to_string(),
            name: u.name,
            active: u.active,
        })
        .collect();
    let roles = roles
        .iter()
        .map(|r| RoleRow {
            id: r.id.0,
            name: w.role(r),
            built_in: r.built_in,
            rights: permissions_summary(w, r),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &StaffPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Staff, Right::Edit),
            notice: done.notice(w),
            users,
            roles,
        },
    ))
}

/// The form for a new user, or for user `editing` (their login stays).
async fn form<'a>(
    state: &AppState,
    console: &'a Console,
    editing: Option<&StaffUser>,
    values: BTreeMap<String, String>,
) -> Result<FormPage<'a>, AppError> {
    let w = &console.words;
    // A new user's role is chosen, never given by the list's first line.
    let mut roles: Vec<(String, String)> = match editing {
        Some(_) => Vec::new(),
        None => vec![(String::new(), w.t("settings-staff-choose-role"))],
    };
    roles.extend(
        state
            .app
            .roles()
            .await?
            .iter()
            .map(|r| (r.name.clone(), w.role(r))),
    );
    let name = Field::text("name", w.t("settings-staff-name"));
    let role = Field::select("role", w.t("settings-staff-role"), roles).required();
    let stores =
        Field::text("stores", w.t("settings-staff-stores")).hint(w.t("settings-staff-stores-hint"));
    Ok(match editing {
        Some(user) => FormPage::new(
            console,
            w.with(
                "settings-staff-edit",
                "login",
                user.login.to_string().into(),
            ),
            format!("/settings/staff/{}/edit", user.id.0),
            LIST,
            vec![
                name,
                role,
                stores,
                Field::check("active", w.t("settings-staff-active"))
                    .hint(w.t("settings-staff-active-hint")),
                Field::password("password", w.t("settings-staff-new-password"))
                    .hint(w.t("settings-staff-new-password-hint")),
            ],
            values,
        ),
        None => FormPage::new(
            console,
            w.t("settings-staff-new"),
            "/settings/staff/new".into(),
            LIST,
            vec![
                Field::text("login", w.t("settings-staff-login"))
                    .required()
                    .hint(w.t("settings-staff-login-hint")),
                name,
                role,
                Field::password("password", w.t("settings-staff-password"))
                    .required()
                    .hint(w.t("settings-staff-password-hint")),
                stores,
            ],
            values,
        ),
    })
}

pub async fn new(State(state): State<AppState>, console: Console) -> PageResult {
    let page = form(&state, &console, None, BTreeMap::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<StaffForm>,
) -> PageResult {
    let input = StaffUserInput {
        login: sent.login.trim().to_owned(),
        name: Some(sent.name.trim().to_owned()).filter(|n| !n.is_empty()),
        role: sent.role.trim().to_owned(),
        stores: typed_codes(&sent.stores),
        password: sent.password,
    };
    match state
        .app
        .add_staff_user(input, &console.caller.changed_by())
        .await
    {
        Ok(_) => Ok(once.done("/settings/staff?done=created").await),
        Err(error) => {
            let page = form(&state, &console, None, typed).await?;
            refused(&once, error, page)
        }
    }
}

async fn staff_user(state: &AppState, id: i64) -> Result<StaffUser, AppError> {
    state
        .app
        .staff_users()
        .await?
        .into_iter()
        .find(|u| u.id == UserId(id))
        .ok_or(AppError::NotFound("staff user"))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let user = staff_user(&state, id).await?;
    let roles: Vec<Role> = state.app.roles().await?;
    let stores = state.app.stores().await?;
    let mut values = BTreeMap::from([
        ("name".to_owned(), user.name.clone()),
        (
            "role".to_owned(),
            roles
                .iter()
                .find(|r| r.id == user.role_id)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
        ),
        ("stores".to_owned(), codes(&user.stores, &stores)),
    ]);
    if user.active {
        values.insert("active".into(), "on".into());
    }
    let page = form(&state, &console, Some(&user), values).await?;
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
    }: Submission<StaffForm>,
) -> PageResult {
    let user = staff_user(&state, id).await?;
    let changes = StaffUserChanges {
        name: Some(sent.name.trim().to_owned()),
        role: Some(sent.role.trim().to_owned()),
        stores: Some(typed_codes(&sent.stores)),
        active: Some(sent.active.is_some()),
        password: Some(sent.password).filter(|p| !p.is_empty()),
    };
    match state
        .app
        .update_staff_user(user.id, changes, &console.caller.changed_by())
        .await
    {
        Ok(_) => Ok(once.done("/settings/staff?done=saved").await),
        Err(error) => {
            let page = form(&state, &console, Some(&user), typed).await?;
            refused(&once, error, page)
        }
    }
}
