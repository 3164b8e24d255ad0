//! The store hierarchy (region → city → district → store) as a tree: a new
//! node placed under a wider one, and a node renamed, moved, readdressed or
//! given its time zone.

use std::collections::{BTreeMap, HashSet};

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use clientele_app::{AppError, StoreChanges};
use clientele_domain::store::StoreInput;
use clientele_domain::{Module, Right, Store, StoreId, StoreKind};
use serde::Deserialize;

use super::form::{Done, Field, FormPage, invalid, refused};
use super::zones::{zone_label, zone_options};
use crate::console::kit::{Chrome, Console, PageResult, Path, Query, Submission, Words, render};
use crate::state::AppState;

const LIST: &str = "/settings/stores";
const KINDS: [StoreKind; 4] = [
    StoreKind::Region,
    StoreKind::City,
    StoreKind::District,
    StoreKind::Store,
];

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(LIST, get(list))
        .route("/settings/stores/new", get(new).post(create))
        .route("/settings/stores/{id}/edit", get(edit).post(update))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StoreForm {
    code: String,
    name: String,
    kind: String,
    /// A node's id; empty: a root.
    parent_id: String,
    address: String,
    /// An IANA name; empty: the parent's, else the shop's.
    time_zone: String,
}

struct NodeRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    address: String,
    /// Its own time zone, in words; empty: its parent's.
    time_zone: String,
    /// How far below a root: 0 to 3.
    depth: usize,
    /// A store has nothing under it; a wider node may.
    may_have_children: bool,
}

#[derive(Template)]
#[template(path = "settings/stores.html")]
struct StoresPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    notice: Option<String>,
    rows: Vec<NodeRow>,
}

/// The nodes in tree order, each with its depth: every root (or a node
/// whose parent is gone) followed by what is under it, by name.
fn tree(mut stores: Vec<Store>) -> Vec<(usize, Store)> {
    stores.sort_by(|a, b| a.name.cmp(&b.name).then(a.code.cmp(&b.code)));
    let known: HashSet<StoreId> = stores.iter().map(|s| s.id).collect();
    let mut children: BTreeMap<Option<StoreId>, Vec<Store>> = BTreeMap::new();
    for store in stores {
        let parent = store.parent_id.filter(|p| known.contains(p));
        children.entry(parent).or_default().push(store);
    }
    let mut ordered = Vec::new();
    let mut stack: Vec<(usize, Store)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|s| (0, s))
        .collect();
    while let Some((depth, store)) = stack.pop() {
        if let Some(below) = children.remove(&Some(store.id)) {
            stack.extend(below.into_iter().rev().map(|s| (depth + 1, s)));
        }
        ordered.push((depth, store));
    }
    ordered
}

fn kind_label(w: &Words, kind: StoreKind) -> String {
    w.t(&format!("settings-store-kind-{}", kind.as_str()))
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let stores = state.app.stores().await?;
    let now = state.app.clock().now();
    let rows = tree(stores)
        .into_iter()
        .map(|(depth, s)| NodeRow {
            id: s.id.0,
            kind: kind_label(w, s.kind),
            may_have_children: s.kind != StoreKind::Store,
            code: s.code,
            name: s.name,
            address: s.address.unwrap_or_default(),
            time_zone: s
                .time_zone
                .map(|z| zone_label(w, &z, now))
                .unwrap_or_default(),
            depth: depth.min(3),
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &StoresPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Settings, Right::Edit),
            notice: done.notice(w),
            rows,
        },
    ))
}

/// The form for a new node, or for node `editing` (its code and kind stay).
async fn form<'a>(
    state: &AppState,
    console: &'a Console,
    editing: Option<&Store>,
    values: BTreeMap<String, String>,
) -> Result<FormPage<'a>, AppError> {
    let w = &console.words;
    let stores = state.app.stores().await?;
    // Only a wider node may hold others; a node never sits under itself.
    let mut parents = vec![(String::new(), w.t("settings-store-no-parent"))];
    parents.extend(
        tree(stores)
            .into_iter()
            .filter(|(_, s)| s.kind != StoreKind::Store && Some(s.id) != editing.map(|e| e.id))
            .map(|(depth, s)| {
                let indent = "· ".repeat(depth);
                (
                    s.id.0.to_string(),
                    format!("{indent}{} {} ({})", s.code, s.name, kind_label(w, s.kind)),
                )
            }),
    );
    let parent = Field::select("parent_id", w.t("settings-store-parent"), parents)
        .hint(w.t("settings-store-parent-hint"));
    let name = Field::text("name", w.t("settings-store-name")).required();
    let address = Field::text("address", w.t("settings-store-address"));
    let own_zone = editing.and_then(|s| s.time_zone.as_deref());
    let zones = zone_options(
        w,
        state.app.clock().zone(),
        own_zone,
        state.app.clock().now(),
    );
    let zone = Field::select("time_zone", w.t("settings-store-zone"), zones)
        .hint(w.t("settings-store-zone-hint"));
    Ok(match editing {
        Some(store) => FormPage::new(
            console,
            w.with("settings-store-edit", "code", store.code.clone().into()),
            format!("/settings/stores/{}/edit", store.id.0),
            LIST,
            vec![name, parent, address, zone],
            values,
        ),
        None => {
            let kinds = KINDS
                .into_iter()
                .map(|k| (k.as_str().to_owned(), kind_label(w, k)))
                .collect();
            FormPage::new(
                console,
                w.t("settings-store-new"),
                "/settings/stores/new".into(),
                LIST,
                vec![
                    Field::text("code", w.t("settings-store-code"))
                        .required()
                        .hint(w.t("settings-store-code-hint")),
                    name,
                    Field::select("kind", w.t("settings-store-kind"), kinds),
                    parent,
                    address,
                    zone,
                ],
                values,
            )
        }
    })
}

#[derive(Debug, Deserialize)]
pub struct NewQuery {
    /// The node the new one goes under, chosen from the tree.
    parent: Option<i64>,
}

pub async fn new(
    State(state): State<AppState>,
    console: Console,
    Query(query): Query<NewQuery>,
) -> PageResult {
    let mut values = BTreeMap::from([("kind".to_owned(), "store".to_owned())]);
    if let Some(parent) = query.parent {
        values.insert("parent_id".into(), parent.to_string());
    }
    let page = form(&state, &console, None, values).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The parent chosen: none, or a node's id.
fn parent_of(sent: &StoreForm) -> Result<Option<StoreId>, AppError> {
    match sent.parent_id.trim() {
        "" => Ok(None),
        raw => raw.parse().map(|id| Some(StoreId(id))).map_err(|_| {
            invalid(
                "parent_id",
                "invalid_parent",
                "choose the parent from the list",
            )
        }),
    }
}

fn optional(typed: &str) -> Option<String> {
    Some(typed.trim().to_owned()).filter(|v| !v.is_empty())
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<StoreForm>,
) -> PageResult {
    let created = match parent_of(&sent) {
        Ok(parent_id) => {
            let input = StoreInput {
                code: sent.code.trim().to_owned(),
                name: sent.name.trim().to_owned(),
                kind: optional(&sent.kind),
                parent_id,
                address: optional(&sent.address),
                time_zone: optional(&sent.time_zone),
            };
            state
                .app
                .create_store(input, &console.caller.changed_by())
                .await
        }
        Err(error) => Err(error),
    };
    match created {
        Ok(_) => Ok(once.done("/settings/stores?done=created").await),
        Err(error) => {
            let page = form(&state, &console, None, typed).await?;
            refused(&once, error, page)
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let store = state.app.store(StoreId(id)).await?;
    let values = BTreeMap::from([
        ("name".to_owned(), store.name.clone()),
        (
            "parent_id".to_owned(),
            store.parent_id.map(|p| p.0.to_string()).unwrap_or_default(),
        ),
        (
            "address".to_owned(),
            store.address.clone().unwrap_or_default(),
        ),
        (
            "time_zone".to_owned(),
            store.time_zone.clone().unwrap_or_default(),
        ),
    ]);
    let page = form(&state, &console, Some(&store), values).await?;
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
    }: Submission<StoreForm>,
) -> PageResult {
    let store = state.app.store(StoreId(id)).await?;
    let saved = match parent_of(&sent) {
        Ok(parent_id) => {
            let changes = StoreChanges {
                name: Some(sent.name.trim().to_owned()),
                parent_id: Some(parent_id),
                address: Some(optional(&sent.address)),
                time_zone: Some(optional(&sent.time_zone)),
            };
            state
                .app
                .update_store(store.id, changes, &console.caller.changed_by())
                .await
        }
        Err(error) => Err(error),
    };
    match saved {
        Ok(_) => Ok(once.done("/settings/stores?done=saved").await),
        Err(error) => {
            let page = form(&state, &console, Some(&store), typed).await?;
            refused(&once, error, page)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: i64, name: &str, kind: StoreKind, parent: Option<i64>) -> Store {
        Store {
            id: StoreId(id),
            code: format!("C{id}"),
            name: name.into(),
            kind,
            parent_id: parent.map(StoreId),
            address: None,
            time_zone: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    #[test]
    fn the_tree_puts_each_node_under_its_parent_by_name() {
        let stores = vec![
            node(4, "Тверская", StoreKind::Store, Some(2)),
            node(1, "Центр", StoreKind::Region, None),
            node(2, "Москва", StoreKind::City, Some(1)),
            node(3, "Арбат", StoreKind::Store, Some(2)),
            node(5, "Сирота", StoreKind::Store, Some(99)),
        ];
        let order: Vec<(usize, i64)> = tree(stores)
            .into_iter()
            .map(|(depth, s)| (depth, s.id.0))
            .collect();
        assert_eq!(order, [(0, 5), (0, 1), (1, 2), (2, 3), (2, 4)]);
    }
}
