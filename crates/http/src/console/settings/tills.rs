//! Till keys: the tills of each store, a new till whose key is shown once
//! (with a warning to copy it), a key replaced by a new one, and a till
//! revoked, each of the last two asked to be confirmed first.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use clientele_app::staff::Secret;
use clientele_app::{AppError, Till};
use clientele_domain::{Module, Right, StoreId, StoreKind, TillId};
use serde::Deserialize;

use super::form::{Done, Field, FormPage, invalid, refused};
use crate::console::kit::{
    Button, Chrome, Console, Once, PageResult, Path, Query, Submission, Words, render,
};
use crate::state::AppState;

const LIST: &str = "/settings/tills";

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(LIST, get(list))
        .route("/settings/tills/new", get(new).post(create))
        .route("/settings/tills/{id}/rotate", post(rotate))
        .route("/settings/tills/{id}/revoke", post(revoke))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TillForm {
    /// The store's id.
    store: String,
    name: String,
}

struct TillRow {
    id: i64,
    name: String,
    store: String,
    key_issued: String,
    /// When it was revoked; empty for a live till.
    revoked: String,
}

#[derive(Template)]
#[template(path = "settings/tills.html")]
struct TillsPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    /// The one-time token of the rows' confirmed actions.
    token: String,
    notice: Option<String>,
    rows: Vec<TillRow>,
}

#[derive(Template)]
#[template(path = "settings/till_key.html")]
struct KeyPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    key: String,
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(done): Query<Done>,
) -> PageResult {
    let w = &console.words;
    let tills = state.app.tills().await?;
    let stores = state.app.stores().await?;
    let stores: HashMap<StoreId, String> = stores
        .into_iter()
        .map(|s| (s.id, format!("{} · {}", s.code, s.name)))
        .collect();
    let rows = tills
        .into_iter()
        .map(|t| TillRow {
            id: t.id.0,
            store: stores.get(&t.store_id).cloned().unwrap_or_default(),
            key_issued: w.time(t.key_issued_at),
            revoked: t.revoked_at.map(|at| w.time(at)).unwrap_or_default(),
            name: t.name,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &TillsPage {
            c: console.chrome(),
            w,
            may_edit: console.may(Module::Staff, Right::Edit),
            token: Once::fresh(),
            notice: done.notice(w),
            rows,
        },
    ))
}

async fn form<'a>(
    state: &AppState,
    console: &'a Console,
    values: BTreeMap<String, String>,
) -> Result<FormPage<'a>, AppError> {
    let w = &console.words;
    let mut stores = vec![(String::new(), w.t("settings-till-choose-store"))];
    stores.extend(
        state
            .app
            .stores()
            .await?
            .into_iter()
            .filter(|s| s.kind == StoreKind::Store)
            .map(|s| (s.id.0.to_string(), format!("{} · {}", s.code, s.name))),
    );
    Ok(FormPage::new(
        console,
        w.t("settings-till-new"),
        "/settings/tills/new".into(),
        LIST,
        vec![
            Field::select("store", w.t("settings-till-store"), stores)
                .required()
                .hint(w.t("settings-till-store-hint")),
            Field::text("name", w.t("settings-till-name")).hint(w.t("settings-till-name-hint")),
        ],
        values,
    ))
}

pub async fn new(State(state): State<AppState>, console: Console) -> PageResult {
    let page = form(&state, &console, BTreeMap::new()).await?;
    Ok(render(StatusCode::OK, &page))
}

/// The key of `till`, shown this once and kept by no cache.
fn key_page(console: &Console, till: &Till, key: &Secret) -> Response {
    let w = &console.words;
    let mut response = render(
        StatusCode::OK,
        &KeyPage {
            c: console.chrome(),
            w,
            title: w.with("settings-till-key-title", "name", till.name.clone().into()),
            key: key.expose().to_owned(),
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Submission {
        form: sent,
        once,
        typed,
    }: Submission<TillForm>,
) -> PageResult {
    let added = match sent.store.trim().parse() {
        Ok(store) => {
            state
                .app
                .add_till(
                    StoreId(store),
                    sent.name.trim(),
                    &console.caller.changed_by(),
                )
                .await
        }
        Err(_) => Err(invalid("store", "required", "choose the till's store")),
    };
    match added {
        // Sent again, the form leads to the list: the key is never shown twice.
        Ok((till, key)) => {
            once.finish("/settings/tills?done=created").await;
            Ok(key_page(&console, &till, &key))
        }
        Err(error) => {
            let page = form(&state, &console, typed).await?;
            refused(&once, error, page)
        }
    }
}

pub async fn rotate(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    let (till, key) = state
        .app
        .rotate_till_key(TillId(id), &console.caller.changed_by())
        .await?;
    once.finish("/settings/tills?done=rotated").await;
    Ok(key_page(&console, &till, &key))
}

pub async fn revoke(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Submission { once, .. }: Submission<Button>,
) -> PageResult {
    state
        .app
        .revoke_till(TillId(id), &console.caller.changed_by())
        .await?;
    Ok(once.done("/settings/tills?done=revoked").await)
}
