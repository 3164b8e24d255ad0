//! `/api/v1/segments`: segments, their live count, members and recomputes.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::segment::{Field, RawRule, Segment, SegmentInput, SegmentSize};
use clientele_domain::{CustomerId, SegmentId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::customers::{CustomerPage, page_of};
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path, QueryPairs};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentSizeBody {
    pub computed_at: String,
    pub size: i64,
    /// Customers who came in with this recompute.
    pub entered: i64,
    /// Customers who went out with it.
    pub left: i64,
    /// How long the recompute took.
    pub took_ms: i64,
}

impl From<SegmentSize> for SegmentSizeBody {
    fn from(s: SegmentSize) -> SegmentSizeBody {
        SegmentSizeBody {
            computed_at: s.computed_at.to_string(),
            size: s.size,
            entered: s.entered,
            left: s.left,
            took_ms: s.took_ms,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SegmentBody {
    pub id: i64,
    pub name: String,
    /// `dynamic` (members follow the rules, recomputed on the schedule) or
    /// `static` (members fixed when it was made).
    #[schema(schema_with = kind)]
    pub kind: String,
    /// The rule tree (a static segment made from a list has none).
    #[schema(value_type = Option<Object>)]
    pub rules: Option<serde_json::Value>,
    /// `hourly`, `daily` or `weekly`; dynamic segments only.
    pub schedule: Option<String>,
    /// The local hour of a daily or weekly recompute.
    pub hour: Option<u8>,
    /// The day of a weekly recompute: 1 Monday … 7 Sunday.
    pub weekday: Option<u8>,
    /// Members at the last recompute.
    pub size: i64,
    pub computed_at: Option<String>,
    /// How long the last recompute took.
    pub took_ms: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    /// Send it back with a change: a change made meanwhile is a conflict.
    pub version: i64,
    /// The latest recomputes, newest first (a single segment's answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_history: Option<Vec<SegmentSizeBody>>,
}

fn kind() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["dynamic", "static"]))
        .build()
}

/// `dynamic`, `static`, or `null` for the default.
fn kind_or_default() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some([json!("dynamic"), json!("static"), json!(null)]))
        .build()
}

fn schedule_words() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some([
            json!("hourly"),
            json!("daily"),
            json!("weekly"),
            json!(null),
        ]))
        .build()
}

impl SegmentBody {
    fn of(segment: Segment, history: Option<Vec<SegmentSize>>) -> SegmentBody {
        SegmentBody {
            id: segment.id.0,
            name: segment.name,
            kind: segment.kind.as_str().into(),
            rules: segment
                .rules
                .map(|rule| serde_json::to_value(rule).expect("a rule serialises")),
            schedule: segment.schedule.map(|s| s.name().into()),
            hour: segment.schedule.and_then(|s| s.hour()),
            weekday: segment.schedule.and_then(|s| s.weekday()),
            size: segment.size,
            computed_at: segment.computed_at.map(|t| t.to_string()),
            took_ms: segment.took_ms,
            created_at: segment.created_at.to_string(),
            updated_at: segment.updated_at.to_string(),
            version: segment.version,
            size_history: history.map(|h| h.into_iter().map(Into::into).collect()),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSegmentBody {
    /// Up to 200 characters, not blank; unique.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// `dynamic` (the default) or `static`.
    #[schema(schema_with = kind_or_default)]
    pub kind: Option<String>,
    /// The rule tree (`SegmentRule`): required for a dynamic segment; a
    /// static one made from rules keeps whoever they hold for now.
    #[schema(value_type = Option<Object>)]
    pub rules: Option<RawRule>,
    /// A dynamic segment's schedule (default `daily`).
    #[schema(schema_with = schedule_words)]
    pub schedule: Option<String>,
    /// The local hour of a daily or weekly recompute (default 3).
    #[schema(minimum = 0, maximum = 23)]
    pub hour: Option<u8>,
    /// The day of a weekly recompute, 1 Monday … 7 Sunday (default 1).
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: Option<u8>,
    /// A static segment's members (customers who do not exist are left out).
    #[schema(max_items = 100000, inline, value_type = Option<Vec<i64>>)]
    pub customer_ids: Option<Vec<i64>>,
    /// A static segment's members by phone, as people write them (phones
    /// that name nobody are left out).
    #[schema(max_items = 100000, inline, value_type = Option<Vec<String>>)]
    pub phones: Option<Vec<String>>,
    /// A static segment's members by card number (likewise).
    #[schema(max_items = 100000, inline, value_type = Option<Vec<String>>)]
    pub cards: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentChangesBody {
    /// The version read: a change made meanwhile is a conflict.
    #[schema(minimum = 1)]
    pub version: i64,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// New rules for a dynamic segment, which is recomputed at once.
    #[schema(value_type = Option<Object>)]
    pub rules: Option<RawRule>,
    #[schema(schema_with = schedule_words)]
    pub schedule: Option<String>,
    #[schema(minimum = 0, maximum = 23)]
    pub hour: Option<u8>,
    #[schema(minimum = 1, maximum = 7)]
    pub weekday: Option<u8>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CountBody {
    #[schema(value_type = Object)]
    pub rules: RawRule,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountAnswer {
    /// Customers (not merged into another) the rules hold for now.
    pub count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldBody {
    /// As a condition names it: `age`, `consent_sms`, `property_vision`.
    pub name: String,
    /// `number`, `id`, `store`, `choice`, `text`, `decimal`, `bool` or `date`.
    pub kind: String,
    pub ops: Vec<String>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    /// Whether `period_days` may limit it.
    pub takes_period: bool,
    /// Whether it needs `skus` or `categories`.
    pub needs_goods: bool,
    /// The values a choice takes.
    pub values: Vec<String>,
    /// A custom property's label.
    pub label: Option<String>,
}

/// List segments.
#[utoipa::path(get, path = "/api/v1/segments", tag = "segments",
    responses((status = 200, body = Items<SegmentBody>)))]
pub async fn list_segments(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<SegmentBody>>, ApiError> {
    let items = state
        .app
        .segments()
        .await?
        .into_iter()
        .map(|segment| SegmentBody::of(segment, None))
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a segment; a dynamic one, or a static one from rules or a list,
/// is computed at once.
#[utoipa::path(post, path = "/api/v1/segments", tag = "segments", request_body = NewSegmentBody,
    responses((status = 201, body = SegmentBody), (status = 409, description = "Another segment has this name.")))]
pub async fn create_segment(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<NewSegmentBody>,
) -> Result<(StatusCode, axum::Json<SegmentBody>), ApiError> {
    let input = SegmentInput {
        name: Some(body.name),
        kind: body.kind,
        rules: body.rules,
        schedule: body.schedule,
        hour: body.hour,
        weekday: body.weekday,
    };
    let mut ids: Option<Vec<CustomerId>> = body
        .customer_ids
        .map(|ids| ids.into_iter().map(CustomerId).collect());
    if body.phones.is_some() || body.cards.is_some() {
        let found = state
            .app
            .customers_by_phones_and_cards(
                body.phones.as_deref().unwrap_or_default(),
                body.cards.as_deref().unwrap_or_default(),
            )
            .await?;
        ids.get_or_insert_with(Vec::new).extend(found);
    }
    let segment = state
        .app
        .create_segment(input, ids, &caller.changed_by())
        .await?;
    let history = state.app.segment_sizes(segment.id).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(SegmentBody::of(segment, Some(history))),
    ))
}

/// Read a segment with its size history.
#[utoipa::path(get, path = "/api/v1/segments/{id}", tag = "segments", params(("id" = i64, Path)),
    responses((status = 200, body = SegmentBody)))]
pub async fn read_segment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<SegmentBody>, ApiError> {
    let segment = state.app.segment(SegmentId(id)).await?;
    let history = state.app.segment_sizes(segment.id).await?;
    Ok(axum::Json(SegmentBody::of(segment, Some(history))))
}

/// Change a segment: fields left out stay as they are.
#[utoipa::path(patch, path = "/api/v1/segments/{id}", tag = "segments", params(("id" = i64, Path)),
    request_body = SegmentChangesBody,
    responses((status = 200, body = SegmentBody),
        (status = 409, description = "The segment changed since `version`, another has this name, or it is static and was sent rules or a schedule.")))]
pub async fn update_segment(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<SegmentChangesBody>,
) -> Result<axum::Json<SegmentBody>, ApiError> {
    let id = SegmentId(id);
    let now = state.app.segment(id).await?;
    let recomputed = body.rules.is_some()
        || body.schedule.is_some()
        || body.hour.is_some()
        || body.weekday.is_some();
    if now.kind == clientele_domain::segment::SegmentKind::Static && recomputed {
        return Err(clientele_app::AppError::Conflict {
            message: "a static segment keeps the members it was made with: it takes no new \
                      rules or schedule"
                .into(),
            field: Some("kind"),
            existing_customer: None,
        }
        .into());
    }
    let schedule = now.schedule;
    let input = SegmentInput {
        name: Some(body.name.unwrap_or(now.name)),
        kind: Some(now.kind.as_str().into()),
        rules: match body.rules {
            Some(rules) => Some(rules),
            None => now.rules.map(|rule| {
                serde_json::from_value(serde_json::to_value(rule).expect("a rule serialises"))
                    .expect("a rule reads back")
            }),
        },
        schedule: body
            .schedule
            .or_else(|| schedule.map(|s| s.name().to_owned())),
        hour: body.hour.or_else(|| schedule.and_then(|s| s.hour())),
        weekday: body.weekday.or_else(|| schedule.and_then(|s| s.weekday())),
    };
    let segment = state
        .app
        .update_segment(id, input, body.version, &caller.changed_by())
        .await?;
    let history = state.app.segment_sizes(id).await?;
    Ok(axum::Json(SegmentBody::of(segment, Some(history))))
}

/// Delete a segment with its members and history.
#[utoipa::path(delete, path = "/api/v1/segments/{id}", tag = "segments", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted."),
        (status = 409, description = "An offer is aimed at this segment.")))]
pub async fn delete_segment(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    state
        .app
        .delete_segment(SegmentId(id), &caller.changed_by())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How many customers rules hold for now, saving nothing (the editor's live
/// count); a store-scoped caller counts their stores' customers only.
#[utoipa::path(post, path = "/api/v1/segments/count", tag = "segments", request_body = CountBody,
    responses((status = 200, body = CountAnswer)))]
pub async fn count_members(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<CountBody>,
) -> Result<axum::Json<CountAnswer>, ApiError> {
    let count = state
        .app
        .count_segment(body.rules, &caller.changed_by())
        .await?;
    Ok(axum::Json(CountAnswer { count }))
}

/// Recompute a dynamic segment now.
#[utoipa::path(post, path = "/api/v1/segments/{id}/recompute", tag = "segments", params(("id" = i64, Path)),
    responses((status = 200, body = SegmentSizeBody),
        (status = 409, description = "A static segment keeps the members it was made with.")))]
pub async fn recompute_segment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<SegmentSizeBody>, ApiError> {
    let size = state.app.recompute_segment(SegmentId(id)).await?;
    Ok(axum::Json(size.into()))
}

/// A segment's members as of its last recompute, as the customer list
/// gives them (a store-scoped caller sees their stores' only).
#[utoipa::path(get, path = "/api/v1/segments/{id}/customers", tag = "segments",
    params(("id" = i64, Path),
        ("limit" = Option<u32>, Query, description = "Page size, 1–500 (default 50)."),
        ("cursor" = Option<String>, Query, description = "From the previous page's `next_cursor`.")),
    responses((status = 200, body = CustomerPage)))]
pub async fn segment_customers(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    QueryPairs(pairs): QueryPairs,
) -> Result<axum::Json<CustomerPage>, ApiError> {
    state.app.segment(SegmentId(id)).await?;
    let mut pairs: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(key, _)| matches!(key.as_str(), "limit" | "cursor"))
        .collect();
    pairs.push(("segment_id".into(), id.to_string()));
    pairs.push(("sort".into(), "id".into()));
    page_of(&state, &caller, pairs).await
}

/// The fields a rule may test, with their ops and values: what an editor
/// offers (custom properties included).
#[utoipa::path(get, path = "/api/v1/segments/fields", tag = "segments",
    responses((status = 200, body = Items<FieldBody>)))]
pub async fn segment_fields(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<FieldBody>>, ApiError> {
    let properties = state.app.property_definitions().await?;
    let items = Field::catalogue(&properties)
        .into_iter()
        .map(|spec| FieldBody {
            name: spec.name,
            kind: serde_json::to_value(spec.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            ops: spec.ops.iter().map(|op| op.as_str().to_owned()).collect(),
            min: spec.min,
            max: spec.max,
            takes_period: spec.takes_period,
            needs_goods: spec.needs_goods,
            values: spec.values,
            label: spec.label,
        })
        .collect();
    Ok(axum::Json(Items { items }))
}

pub(super) fn contracts() -> Vec<Contract> {
    let rule = json!({"$ref": format!("#/components/schemas/{}", super::segment_rule::NAME)});
    // `null` is as good as leaving a field out.
    let rule_or_null = json!({"oneOf": [{"type": "null"}, rule]});
    let given = |field: &str, kind: &str| json!({"required": [field], "properties": {field: {"type": kind}}});
    vec![
        Contract::Schema(super::segment_rule::NAME, super::segment_rule::schema()),
        Contract::Body(
            "NewSegmentBody",
            json!({
                "properties": {"rules": rule_or_null},
                "oneOf": [
                    // dynamic: rules, no list
                    {"properties": {"kind": {"enum": ["dynamic", null]}},
                     "allOf": [given("rules", "object")],
                     "not": {"anyOf": [
                         given("customer_ids", "array"), given("phones", "array"),
                         given("cards", "array"),
                     ]}},
                    // static: no schedule; rules or a list, not both
                    {"properties": {"kind": {"const": "static"}}, "required": ["kind"],
                     "not": {"anyOf": [
                         given("schedule", "string"),
                         {"allOf": [given("rules", "object"), {"anyOf": [
                             given("customer_ids", "array"), given("phones", "array"),
                             given("cards", "array"),
                         ]}]},
                     ]}},
                ],
            }),
        ),
        Contract::Body(
            "SegmentChangesBody",
            json!({"properties": {"rules": rule_or_null}}),
        ),
        Contract::Body("CountBody", json!({"properties": {"rules": rule}})),
        Contract::Parameter(
            "GET /api/v1/segments/{id}/customers",
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 500}),
        ),
    ]
}
