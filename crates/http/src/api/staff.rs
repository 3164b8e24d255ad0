//! `/api/v1/staff`, `/api/v1/roles`, `/api/v1/tokens`, `/api/v1/tills` and
//! `GET /api/v1/audit`.

use std::collections::BTreeMap;

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::AppError;
use clientele_app::staff::{StaffUserChanges, StaffUserInput};
use clientele_app::{ApiToken, AuditEntry, AuditQuery, Role, StaffUser, Till};
use clientele_domain::{
    CustomerId, FieldError, Permissions, RoleId, StoreId, TillId, TokenId, UserId,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path, QueryPairs};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffBody {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role_id: i64,
    /// Regions, cities or stores the user is limited to; empty: all.
    pub stores: Vec<i64>,
    pub active: bool,
    pub created_at: String,
}

impl From<StaffUser> for StaffBody {
    fn from(u: StaffUser) -> StaffBody {
        StaffBody {
            id: u.id.0,
            login: u.login.to_string(),
            name: u.name,
            role_id: u.role_id.0,
            stores: u.stores.into_iter().map(|s| s.0).collect(),
            active: u.active,
            created_at: u.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffFields {
    /// 2 to 64 latin letters, digits, `.`, `_`, `-` or `@`; kept in lower case; unique.
    #[schema(pattern = r"^[A-Za-z0-9._@-]{2,64}$")]
    pub login: String,
    /// Absent: the login.
    pub name: Option<String>,
    /// A role's name: `owner`, `marketer`, `manager`, `registration_desk`, `support`, `cashier` or one made here.
    pub role: String,
    /// At least 10 characters, not containing the login.
    #[schema(min_length = 10)]
    pub password: String,
    /// Codes of the regions, cities or stores the user is limited to.
    #[serde(default)]
    pub stores: Vec<String>,
}

/// List staff users.
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff", responses((status = 200, body = Items<StaffBody>)))]
pub async fn list_staff(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<StaffBody>>, ApiError> {
    let items = state
        .app
        .staff_users()
        .await?
        .into_iter()
        .map(StaffBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Add a staff user.
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", request_body = StaffFields,
    responses((status = 201, body = StaffBody), (status = 404, description = "No such role, or no store with a code given."),
        (status = 409, description = "Another staff user has this login.")))]
pub async fn create_staff(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<StaffFields>,
) -> Result<(StatusCode, axum::Json<StaffBody>), ApiError> {
    let input = StaffUserInput {
        login: fields.login,
        name: fields.name,
        role: fields.role,
        password: fields.password,
        stores: fields.stores,
    };
    let user = state
        .app
        .add_staff_user(input, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(user.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffChangeFields {
    /// Not blank.
    #[schema(min_length = 1, pattern = r"\S")]
    pub name: Option<String>,
    pub role: Option<String>,
    /// Codes of the regions, cities or stores the user is limited to; `[]`: all.
    pub stores: Option<Vec<String>>,
    /// `false` stops the user and every token of theirs at once.
    pub active: Option<bool>,
    /// At least 10 characters, not containing the login.
    #[schema(min_length = 10)]
    pub password: Option<String>,
}

/// Change a staff user: name, role, stores, active, password.
#[utoipa::path(patch, path = "/api/v1/staff/{id}", tag = "staff", params(("id" = i64, Path)), request_body = StaffChangeFields,
    responses((status = 200, body = StaffBody),
        (status = 404, description = "No such staff user or role, or no store with a code given."),
        (status = 409, description = "The last active owner would stop being one.")))]
pub async fn update_staff(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<StaffChangeFields>,
) -> Result<axum::Json<StaffBody>, ApiError> {
    let changes = StaffUserChanges {
        name: fields.name,
        role: fields.role,
        stores: fields.stores,
        active: fields.active,
        password: fields.password,
    };
    let user = state
        .app
        .update_staff_user(UserId(id), changes, &caller.changed_by())
        .await?;
    Ok(axum::Json(user.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleBody {
    pub id: i64,
    pub name: String,
    /// Module → `view` or `edit`.
    #[schema(value_type = BTreeMap<String, String>)]
    pub permissions: Permissions,
    pub built_in: bool,
}

impl From<Role> for RoleBody {
    fn from(r: Role) -> RoleBody {
        RoleBody {
            id: r.id.0,
            name: r.name,
            permissions: r.permissions,
            built_in: r.built_in,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleFields {
    /// Up to 64 characters, not blank; unique.
    #[schema(min_length = 1, max_length = 64, pattern = r"\S")]
    pub name: String,
    /// Module (`customers`, `programs`, `points`, `segments`, `campaigns`, `reports`, `settings`, `staff`, `pos`) → `view` or `edit`.
    #[schema(schema_with = super::shapes::permissions)]
    pub permissions: BTreeMap<String, String>,
}

/// List roles.
#[utoipa::path(get, path = "/api/v1/roles", tag = "staff", responses((status = 200, body = Items<RoleBody>)))]
pub async fn list_roles(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<RoleBody>>, ApiError> {
    let items = state
        .app
        .roles()
        .await?
        .into_iter()
        .map(RoleBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Make a role.
#[utoipa::path(post, path = "/api/v1/roles", tag = "staff", request_body = RoleFields,
    responses((status = 201, body = RoleBody), (status = 409, description = "Another role has this name.")))]
pub async fn create_role(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<RoleFields>,
) -> Result<(StatusCode, axum::Json<RoleBody>), ApiError> {
    let permissions = Permissions::parse(&fields.permissions).map_err(AppError::from_field)?;
    let role = state
        .app
        .create_role(&fields.name, permissions, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(role.into())))
}

/// Rename a role made by staff and set its rights (built-in roles keep theirs).
#[utoipa::path(patch, path = "/api/v1/roles/{id}", tag = "staff", params(("id" = i64, Path)), request_body = RoleFields,
    responses((status = 200, body = RoleBody),
        (status = 409, description = "Another role has this name, or the role is built in and keeps its rights.")))]
pub async fn update_role(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<RoleFields>,
) -> Result<axum::Json<RoleBody>, ApiError> {
    let permissions = Permissions::parse(&fields.permissions).map_err(AppError::from_field)?;
    let role = state
        .app
        .update_role(RoleId(id), &fields.name, permissions, &caller.changed_by())
        .await?;
    Ok(axum::Json(role.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenBody {
    pub id: i64,
    pub label: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// The token itself: in the answer that creates it, and never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<ApiToken> for TokenBody {
    fn from(t: ApiToken) -> TokenBody {
        TokenBody {
            id: t.id.0,
            label: t.label,
            created_at: t.created_at.to_string(),
            revoked_at: t.revoked_at.map(|at| at.to_string()),
            token: None,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenFields {
    /// What the token is for, e.g. «1C».
    #[serde(default)]
    pub label: String,
}

/// The caller's own API tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "staff", responses((status = 200, body = Items<TokenBody>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<axum::Json<Items<TokenBody>>, ApiError> {
    let items = state
        .app
        .api_tokens(caller.user_id()?)
        .await?
        .into_iter()
        .map(TokenBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Issue an API token for the caller; it carries the caller's rights.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "staff", request_body = TokenFields,
    responses((status = 201, body = TokenBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<TokenFields>,
) -> Result<(StatusCode, axum::Json<TokenBody>), ApiError> {
    let (token, secret) = state
        .app
        .create_api_token(caller.user_id()?, &fields.label, &caller.changed_by())
        .await?;
    let mut body = TokenBody::from(token);
    body.token = Some(secret.expose().to_owned());
    Ok((StatusCode::CREATED, axum::Json(body)))
}

/// Revoke one of the caller's tokens; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "staff", params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked.")))]
pub async fn revoke_token(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .revoke_api_token(caller.user_id()?, TokenId(id), &caller.changed_by())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TillBody {
    pub id: i64,
    pub store_id: i64,
    pub name: String,
    pub created_at: String,
    pub key_issued_at: String,
    pub revoked_at: Option<String>,
    /// The till's key: in the answer that issues it, and never again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

impl From<Till> for TillBody {
    fn from(t: Till) -> TillBody {
        TillBody {
            id: t.id.0,
            store_id: t.store_id.0,
            name: t.name,
            created_at: t.created_at.to_string(),
            key_issued_at: t.key_issued_at.to_string(),
            revoked_at: t.revoked_at.map(|at| at.to_string()),
            key: None,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TillFields {
    pub store_id: i64,
    #[serde(default)]
    pub name: String,
}

/// List tills.
#[utoipa::path(get, path = "/api/v1/tills", tag = "staff", responses((status = 200, body = Items<TillBody>)))]
pub async fn list_tills(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<TillBody>>, ApiError> {
    let items = state
        .app
        .tills()
        .await?
        .into_iter()
        .map(TillBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Register a till of a store; the answer holds its key, shown once.
#[utoipa::path(post, path = "/api/v1/tills", tag = "staff", request_body = TillFields,
    responses((status = 201, body = TillBody), (status = 404, description = "No such store.")))]
pub async fn create_till(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<TillFields>,
) -> Result<(StatusCode, axum::Json<TillBody>), ApiError> {
    let (till, key) = state
        .app
        .add_till(StoreId(fields.store_id), &fields.name, &caller.changed_by())
        .await?;
    let mut body = TillBody::from(till);
    body.key = Some(key.expose().to_owned());
    Ok((StatusCode::CREATED, axum::Json(body)))
}

/// Give a till a new key; the old one stops working at once.
#[utoipa::path(post, path = "/api/v1/tills/{id}/rotate", tag = "staff", params(("id" = i64, Path)),
    responses((status = 200, body = TillBody)))]
pub async fn rotate_till(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<TillBody>, ApiError> {
    let (till, key) = state
        .app
        .rotate_till_key(TillId(id), &caller.changed_by())
        .await?;
    let mut body = TillBody::from(till);
    body.key = Some(key.expose().to_owned());
    Ok(axum::Json(body))
}

/// Revoke a till's key; it stops working at once.
#[utoipa::path(post, path = "/api/v1/tills/{id}/revoke", tag = "staff", params(("id" = i64, Path)),
    responses((status = 200, body = TillBody)))]
pub async fn revoke_till(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<TillBody>, ApiError> {
    let till = state
        .app
        .revoke_till(TillId(id), &caller.changed_by())
        .await?;
    Ok(axum::Json(till.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditBody {
    pub id: i64,
    pub at: String,
    /// `{"kind": "user", "id", "login"}`, `{"kind": "till", "id", "store_id"}` or `{"kind": "system", "name"}`.
    #[schema(value_type = Object)]
    pub actor: serde_json::Value,
    pub ip: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub customer_id: Option<i64>,
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntry> for AuditBody {
    fn from(e: AuditEntry) -> AuditBody {
        AuditBody {
            id: e.id,
            at: e.entry.at.to_string(),
            actor: serde_json::to_value(&e.entry.actor).unwrap_or_default(),
            ip: e.entry.ip,
            action: e.entry.action,
            entity: e.entry.entity,
            entity_id: e.entry.entity_id,
            customer_id: e.entry.customer_id.map(|c| c.0),
            before: e.entry.before,
            after: e.entry.after,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditBody>,
    /// Pass as `cursor` for older entries; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Search the audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "staff",
    params(
        ("customer_id" = Option<i64>, Query), ("user" = Option<String>, Query, description = "A staff user's login."),
        ("action" = Option<String>, Query, description = "What was done, e.g. `card.print_run`, `customer.update`."),
        ("from" = Option<String>, Query, format = DateTime, description = "RFC 3339"),
        ("to" = Option<String>, Query, format = DateTime, description = "RFC 3339"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size, 1–500 (default 50)."),
        ("cursor" = Option<String>, Query, description = "From the previous page's `next_cursor`."),
    ),
    responses((status = 200, body = AuditPage)))]
pub async fn audit(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<axum::Json<AuditPage>, ApiError> {
    let query = audit_query(&pairs).map_err(AppError::from_field)?;
    let limit = query.limit;
    let items: Vec<AuditBody> = state
        .app
        .audit_entries(&query)
        .await?
        .into_iter()
        .map(AuditBody::from)
        .collect();
    let next_cursor = (items.len() == limit as usize)
        .then(|| items.last().map(|e| e.id.to_string()))
        .flatten();
    Ok(axum::Json(AuditPage { items, next_cursor }))
}

fn audit_query(pairs: &[(String, String)]) -> Result<AuditQuery, FieldError> {
    let mut query = AuditQuery {
        limit: 50,
        ..Default::default()
    };
    for (key, value) in pairs {
        let bad = |what: &str| {
            FieldError::new(key.as_str(), "invalid", format!("«{value}» is not {what}"))
        };
        match key.as_str() {
            "customer_id" => {
                query.customer_id = Some(CustomerId(value.parse().map_err(|_| bad("an id"))?))
            }
            "user" => query.user = Some(value.trim().to_lowercase()),
            "action" => query.action = Some(value.trim().to_owned()),
            "from" => query.from = Some(value.parse().map_err(|_| bad("an RFC 3339 time"))?),
            "to" => query.to = Some(value.parse().map_err(|_| bad("an RFC 3339 time"))?),
            "limit" => query.limit = super::page_limit(value)?,
            "cursor" => query.before_id = Some(super::id_cursor(value)?),
            other => {
                return Err(FieldError::new(
                    other,
                    "unknown_parameter",
                    format!(
                        "unknown parameter «{other}»; known: customer_id, user, action, from, to, limit, cursor"
                    ),
                ));
            }
        }
    }
    Ok(query)
}
