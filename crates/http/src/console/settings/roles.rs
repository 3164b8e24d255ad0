//! Roles: a new role named and given its rights, module by module (view,
//! or edit, which includes view), a role of staff's own renamed or given
//! other rights, and how a role is shown on the lists.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clientele_app::{AppError, Role};
use clientele_domain::{Module, Permissions, Right, RoleId};
use serde::Deserialize;

use super::form::{Field, FormPage, PermissionRow, refused};
use super::labels::module_label;
use crate::console::kit::{Console, PageResult, Path, Submission, render};
use crate::state::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/settings/staff/roles/new", get(new).post(create))
        .route("/settings/staff/roles/{id}/edit", get(edit).post(update))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    name: String,
    /// `view_<module>` and `edit_<module>` when ticked.
    #[serde(flatten)]
    rights: BTreeMap<String, String>,
}

/// The rights ticked: edit where its box is ticked, else view where that one is.
fn permissions(values: &BTreeMap<String, String>) -> Permissions {
    let ticked = |field: &str| values.contains_key(field);
    Permissions(
        Module::ALL
            .into_iter()
            .filter_map(|module| {
                let right = if ticked(&format!("edit_{}", module.as_str())) {
                    Right::Edit
                } else if ticked(&format!("view_{}", module.as_str())) {
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

pub async fn new(console: Console) -> PageResult {
    Ok(render(
        StatusCode::OK,
        &form(&console, BTreeMap::new(), None),
    ))
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let role = state
        .app
        .roles()
        .await?
        .into_iter()
        .find(|r| r.id.0 == id && !r.built_in)
        .ok_or(AppError::NotFound("role"))?;
    let page = form(&console, values_of(&role), Some(id));
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
    }: Submission<RoleForm>,
) -> PageResult {
    match state
        .app
        .update_role(
            RoleId(id),
            sent.name.trim(),
            permissions(&sent.rights),
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => Ok(once.done("/settings/staff?done=role-updated").await),
        Err(error) => refused(&once, error, form(&console, typed, Some(id))),
    }
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<RoleForm>,
) -> PageResult {
    match state
        .app
        .create_role(
            sent.name.trim(),
            permissions(&sent.rights),
            &console.caller.changed_by(),
        )
        .await
    {
        Ok(_) => Ok(once.done("/settings/staff?done=role-created").await),
        Err(error) => refused(&once, error, form(&console, typed, None)),
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
