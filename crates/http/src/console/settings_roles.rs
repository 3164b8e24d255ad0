//! Roles: a new role named and given its rights, module by module (view,
//! or edit, which includes view), a role of staff's own renamed or given
//! other rights, and how a role is shown on the lists.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use clientele_app::AppError;
use clientele_domain::{Module, Permissions, Right, RoleId};
use clientele_store::Role;

use super::action_form::{Posted, receive};
use super::settings_form::{Field, FormPage, PermissionRow, done, refused, show, text, ticked};
use super::{Console, Words};
use crate::extract::Path;
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings/staff/roles/new", get(new).post(create))
        .route("/settings/staff/roles/{id}/edit", get(edit).post(update))
}

/// A built-in role in the reader's language; a role made here as named.
pub fn role_label(w: &Words, role: &Role) -> String {
    if role.built_in {
        w.find(&format!("settings-role-{}", role.name))
            .unwrap_or_else(|| role.name.clone())
    } else {
        role.name.clone()
    }
}

fn module_label(w: &Words, module: Module) -> String {
    w.t(&format!("settings-module-{}", module.as_str()))
}

/// «Customers: edit · Reports: view», or that the role may do nothing.
pub fn permissions_summary(w: &Words, role: &Role) -> String {
    let granted: Vec<String> = role
        .permissions
        .0
        .iter()
        .map(|(module, right)| {
            format!(
                "{}: {}",
                module_label(w, *module),
                w.t(&format!("settings-right-{}", right.as_str()))
            )
        })
        .collect();
    if granted.is_empty() {
        w.t("settings-role-nothing")
    } else {
        granted.join(" · ")
    }
}

/// The rights ticked: edit where its box is ticked, else view where that one is.
fn permissions(values: &BTreeMap<String, String>) -> Permissions {
    Permissions(
        Module::ALL
            .into_iter()
            .filter_map(|module| {
                let right = if ticked(values, &format!("edit_{}", module.as_str())) {
                    Right::Edit
                } else if ticked(values, &format!("view_{}", module.as_str())) {
                    Right::View
                } else {
                    return None;
                };
                Some((module, right))
            })
            .collect(),
    )
}

/// The form's fields as a stored role fills them.
fn values_of(role: &Role) -> BTreeMap<String, String> {
    let mut values = BTreeMap::from([("name".to_owned(), role.name.clone())]);
    for (module, right) in &role.permissions.0 {
        values.insert(format!("view_{}", module.as_str()), "on".to_owned());
        if *right == Right::Edit {
            values.insert(format!("edit_{}", module.as_str()), "on".to_owned());
        }
    }
    values
}

/// The role form: a new role, or the role of id `editing`.
fn form<'a>(
    console: &'a Console,
    values: BTreeMap<String, String>,
    editing: Option<i64>,
) -> FormPage<'a> {
    let w = &console.words;
    let ticked_in = permissions(&values);
    let (title, action) = match editing {
        None => (w.t("settings-role-new"), "/settings/staff/roles/new".into()),
        Some(id) => (
            w.t("settings-role-edit"),
            format!("/settings/staff/roles/{id}/edit"),
        ),
    };
    let mut page = FormPage::new(
        console,
        title,
        action,
        "/settings/staff",
        vec![Field::text("name", w.t("settings-role-name")).required()],
        values,
    );
    page.matrix = Module::ALL
        .into_iter()
        .map(|module| PermissionRow {
            module: module.as_str(),
            label: module_label(w, module),
            view: ticked_in.allows(module, Right::View),
            edit: ticked_in.allows(module, Right::Edit),
        })
        .collect();
    page
}

pub async fn new(console: Console) -> Response {
    show(&console.words, Ok(form(&console, BTreeMap::new(), None)))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> Response {
    let role = match state.app.roles().await {
        Ok(roles) => roles
            .into_iter()
            .find(|r| r.id.0 == id && !r.built_in)
            .ok_or(AppError::NotFound("role")),
        Err(error) => Err(error),
    };
    let page = role.map(|role| form(&console, values_of(&role), Some(id)));
    show(&console.words, page)
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
    match state
        .app
        .update_role(
            RoleId(id),
            &text(&values, "name"),
            permissions(&values),
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => done(&state, &token, "/settings/staff?done=role-updated"),
        Err(error) => {
            let page = form(&console, values, Some(id));
            refused(&state, &console.words, token, error, Ok(page))
        }
    }
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
    match state
        .app
        .create_role(
            &text(&values, "name"),
            permissions(&values),
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => done(&state, &token, "/settings/staff?done=role-created"),
        Err(error) => {
            let page = form(&console, values, None);
            refused(&state, &console.words, token, error, Ok(page))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_ticked_grants_edit_and_view_alone_grants_view() {
        let values = BTreeMap::from([
            ("edit_customers".to_owned(), "on".to_owned()),
            ("view_customers".to_owned(), "on".to_owned()),
            ("view_reports".to_owned(), "on".to_owned()),
            ("edit_points".to_owned(), "on".to_owned()),
        ]);
        assert_eq!(
            permissions(&values),
            Permissions::of(&[
                (Module::Customers, Right::Edit),
                (Module::Reports, Right::View),
                (Module::Points, Right::Edit),
            ])
        );
    }
}
