//! `/api/v1/customer-groups`, `/api/v1/stores`, `/api/v1/properties`.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::{AppError, StoreChanges};
use clientele_domain::property::PropertyInput;
use clientele_domain::store::StoreInput;
use clientele_domain::{
    CustomerGroup, CustomerGroupId, CustomerGroupInput, FieldError, PropertyDefinition, PropertyId,
    Store, StoreId,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupBody {
    pub id: i64,
    pub name: String,
    /// New customers without a group land here.
    pub is_default: bool,
    pub created_at: String,
}

impl From<CustomerGroup> for GroupBody {
    fn from(g: CustomerGroup) -> GroupBody {
        GroupBody {
            id: g.id.0,
            name: g.name,
            is_default: g.is_default,
            created_at: g.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroupFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// `true` makes this the default group (the old default steps down).
    pub is_default: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// `true` makes this the default group (the old default steps down);
    /// `false` on the default group is a conflict: make another the default.
    pub is_default: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// List customer groups.
#[utoipa::path(get, path = "/api/v1/customer-groups", tag = "customer groups", responses((status = 200, body = Items<GroupBody>)))]
pub async fn list_groups(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<GroupBody>>, ApiError> {
    let items = state
        .app
        .customer_groups()
        .await?
        .into_iter()
        .map(GroupBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a customer group.
#[utoipa::path(post, path = "/api/v1/customer-groups", tag = "customer groups", request_body = NewGroupFields,
    responses((status = 201, body = GroupBody), (status = 409, description = "Another group has this name.")))]
pub async fn create_group(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<NewGroupFields>,
) -> Result<(StatusCode, axum::Json<GroupBody>), ApiError> {
    let group = state
        .app
        .create_customer_group(
            CustomerGroupInput { name: fields.name },
            &caller.changed_by(),
        )
        .await?;
    let group = if fields.is_default == Some(true) {
        state
            .app
            .update_customer_group(group.id, None, Some(true), &caller.changed_by())
            .await?
    } else {
        group
    };
    Ok((StatusCode::CREATED, axum::Json(group.into())))
}

/// Read a customer group.
#[utoipa::path(get, path = "/api/v1/customer-groups/{id}", tag = "customer groups", params(("id" = i64, Path)),
    responses((status = 200, body = GroupBody)))]
pub async fn read_group(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<GroupBody>, ApiError> {
    Ok(axum::Json(
        state.app.customer_group(CustomerGroupId(id)).await?.into(),
    ))
}

/// Rename a customer group or make it the default.
#[utoipa::path(patch, path = "/api/v1/customer-groups/{id}", tag = "customer groups", params(("id" = i64, Path)), request_body = GroupFields,
    responses((status = 200, body = GroupBody),
        (status = 409, description = "Another group has this name, or `is_default: false` asks the default group to step down.")))]
pub async fn update_group(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<GroupFields>,
) -> Result<axum::Json<GroupBody>, ApiError> {
    let group = state
        .app
        .update_customer_group(
            CustomerGroupId(id),
            fields.name,
            fields.is_default,
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(group.into()))
}

/// Delete an empty customer group that is not the default.
#[utoipa::path(delete, path = "/api/v1/customer-groups/{id}", tag = "customer groups", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted."), (status = 409, description = "The group is the default or still has customers.")))]
pub async fn delete_group(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_customer_group(CustomerGroupId(id), &caller.changed_by())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StoreBody {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `region`, `city`, `district` or `store`.
    pub kind: String,
    pub parent_id: Option<i64>,
    pub address: Option<String>,
    /// Its own IANA time zone; none: its parent's, else the shop's.
    pub time_zone: Option<String>,
    pub created_at: String,
}

impl From<Store> for StoreBody {
    fn from(s: Store) -> StoreBody {
        StoreBody {
            id: s.id.0,
            code: s.code,
            name: s.name,
            kind: s.kind.as_str().to_owned(),
            parent_id: s.parent_id.map(|id| id.0),
            address: s.address,
            time_zone: s.time_zone,
            created_at: s.created_at.to_string(),
        }
    }
}

/// A region sits at the top of the hierarchy: it takes no `parent_id`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStoreBody {
    /// 1–32 characters of A–Z, a–z, 0–9, `-`, `_`, `.`; unique.
    #[schema(pattern = r"^[A-Za-z0-9._-]{1,32}$")]
    pub code: String,
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// `store` when absent.
    #[schema(schema_with = super::shapes::store_kind)]
    pub kind: Option<String>,
    /// A node of a wider kind.
    #[schema(minimum = 1)]
    pub parent_id: Option<i64>,
    pub address: Option<String>,
    /// An IANA time zone (`Asia/Yekaterinburg`) its customers' quiet hours
    /// and caps count in; absent: its parent's, else the shop's.
    pub time_zone: Option<String>,
}

/// The time zones a store may take: the IANA names the server knows.
const TIME_ZONE: &str = "TimeZone";

/// What the derive cannot say of these operations.
pub(super) fn contracts() -> Vec<Contract> {
    let zones: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .collect();
    let zone_or_null = json!({"oneOf": [
        {"$ref": format!("#/components/schemas/{TIME_ZONE}")}, {"type": "null"}]});
    vec![
        Contract::Schema(TIME_ZONE, json!({"type": "string", "enum": zones})),
        Contract::Body(
            "NewStoreBody",
            json!({"properties": {"time_zone": zone_or_null.clone()}}),
        ),
        Contract::Body(
            "StoreFields",
            json!({"properties": {"time_zone": zone_or_null}}),
        ),
        Contract::Body(
            "NewStoreBody",
            json!({"anyOf": [
                {"properties": {"kind": {"enum": ["city", "district", "store", null]}}},
                {"properties": {"parent_id": {"type": "null"}}},
            ]}),
        ),
        Contract::Body(
            "NewPropertyBody",
            json!({"oneOf": [
                {"properties": {"kind": {"const": "choice"},
                    "choices": {"contains": {"pattern": "\\S"}}}, "required": ["choices"]},
                {"properties": {"kind": {"enum": ["string", "number", "date", "bool"]},
                    "choices": {"items": {"pattern": "^\\s*$"}}}},
            ]}),
        ),
    ]
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// A node of a wider kind; `null` takes the store out of the hierarchy.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<i64>, minimum = 1)]
    pub parent_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    /// An IANA time zone; `null`: its parent's, else the shop's.
    #[serde(default, deserialize_with = "super::present")]
    #[schema(value_type = Option<String>)]
    pub time_zone: Option<Option<String>>,
}

/// A time zone as the API takes it: a zone's name (`null` clears it); a
/// blank one is refused rather than read as `null`, as the document says.
fn named_zone(zone: String) -> Result<String, ApiError> {
    if zone.trim().is_empty() {
        return Err(AppError::from_field(FieldError::new(
            "time_zone",
            "invalid",
            "a time zone is named, as Europe/Moscow; null clears it",
        ))
        .into());
    }
    Ok(zone)
}

/// List the store hierarchy (regions, cities, districts, stores).
#[utoipa::path(get, path = "/api/v1/stores", tag = "stores", responses((status = 200, body = Items<StoreBody>)))]
pub async fn list_stores(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<StoreBody>>, ApiError> {
    let items = state
        .app
        .stores()
        .await?
        .into_iter()
        .map(StoreBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a region, city, district or store.
#[utoipa::path(post, path = "/api/v1/stores", tag = "stores", request_body = NewStoreBody,
    responses((status = 201, body = StoreBody),
        (status = 409, description = "The code is taken, or the parent is missing or not of a wider kind.")))]
pub async fn create_store(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<NewStoreBody>,
) -> Result<(StatusCode, axum::Json<StoreBody>), ApiError> {
    let input = StoreInput {
        code: body.code,
        name: body.name,
        kind: body.kind,
        parent_id: body.parent_id.map(StoreId),
        address: body.address,
        time_zone: body.time_zone.map(named_zone).transpose()?,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(
            state
                .app
                .create_store(input, &caller.changed_by())
                .await?
                .into(),
        ),
    ))
}

/// Read a store.
#[utoipa::path(get, path = "/api/v1/stores/{id}", tag = "stores", params(("id" = i64, Path)),
    responses((status = 200, body = StoreBody)))]
pub async fn read_store(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<StoreBody>, ApiError> {
    Ok(axum::Json(state.app.store(StoreId(id)).await?.into()))
}

/// Rename or move a store, or change its address or time zone.
#[utoipa::path(patch, path = "/api/v1/stores/{id}", tag = "stores", params(("id" = i64, Path)), request_body = StoreFields,
    responses((status = 200, body = StoreBody),
        (status = 409, description = "The parent is missing, not of a wider kind, or the store itself.")))]
pub async fn update_store(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<StoreFields>,
) -> Result<axum::Json<StoreBody>, ApiError> {
    let time_zone = match body.time_zone {
        Some(Some(zone)) => Some(Some(named_zone(zone)?)),
        other => other,
    };
    let changes = StoreChanges {
        name: body.name,
        parent_id: body.parent_id.map(|p| p.map(StoreId)),
        address: body.address,
        time_zone,
    };
    Ok(axum::Json(
        state
            .app
            .update_store(StoreId(id), changes, &caller.changed_by())
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PropertyBody {
    pub id: i64,
    /// Used in filters as `property_<name>`.
    pub name: String,
    pub label: String,
    /// `string`, `number`, `date`, `bool` or `choice`.
    pub kind: String,
    pub choices: Vec<String>,
    pub created_at: String,
}

impl From<PropertyDefinition> for PropertyBody {
    fn from(p: PropertyDefinition) -> PropertyBody {
        PropertyBody {
            id: p.id.0,
            name: p.name.as_str().to_owned(),
            label: p.label,
            kind: p.kind.as_str().to_owned(),
            choices: p.choices,
            created_at: p.created_at.to_string(),
        }
    }
}

/// A `choice` property needs at least one choice; the other kinds take none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPropertyBody {
    /// a–z, 0–9 and `_`, starting with a letter; unique.
    #[schema(pattern = r"^[a-z][a-z0-9_]{0,47}$")]
    pub name: String,
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: String,
    #[schema(schema_with = super::shapes::property_kind)]
    pub kind: String,
    /// The values a `choice` property offers; blank and repeated ones are dropped.
    #[serde(default)]
    pub choices: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: Option<String>,
    /// The full new list of a `choice` property; existing choices cannot be removed.
    pub choices: Option<Vec<String>>,
}

/// List custom property definitions.
#[utoipa::path(get, path = "/api/v1/properties", tag = "properties", responses((status = 200, body = Items<PropertyBody>)))]
pub async fn list_properties(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<PropertyBody>>, ApiError> {
    let items = state
        .app
        .property_definitions()
        .await?
        .into_iter()
        .map(PropertyBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Define a custom property.
#[utoipa::path(post, path = "/api/v1/properties", tag = "properties", request_body = NewPropertyBody,
    responses((status = 201, body = PropertyBody), (status = 409, description = "Another property has this name.")))]
pub async fn create_property(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<NewPropertyBody>,
) -> Result<(StatusCode, axum::Json<PropertyBody>), ApiError> {
    let input = PropertyInput {
        name: body.name,
        label: body.label,
        kind: body.kind,
        choices: body.choices,
    };
    Ok((
        StatusCode::CREATED,
        axum::Json(
            state
                .app
                .create_property_definition(input, &caller.changed_by())
                .await?
                .into(),
        ),
    ))
}

/// Relabel a property or add choices.
#[utoipa::path(patch, path = "/api/v1/properties/{id}", tag = "properties", params(("id" = i64, Path)), request_body = PropertyFields,
    responses((status = 200, body = PropertyBody),
        (status = 409, description = "Choices for a property that is not a `choice`, or a choice removed.")))]
pub async fn update_property(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<PropertyFields>,
) -> Result<axum::Json<PropertyBody>, ApiError> {
    Ok(axum::Json(
        state
            .app
            .update_property_definition(
                PropertyId(id),
                body.label,
                body.choices,
                &caller.changed_by(),
            )
            .await?
            .into(),
    ))
}
