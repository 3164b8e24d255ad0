//! `/api/v1/offers` and `/api/v1/coupons/{code}`: personal offers, their
//! pausing, and their single-use coupons.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::offers::{MOST_COUPONS, OfferChanges};
use clientele_app::{Coupon, KeptOffer};
use clientele_domain::offer::{Budget, Caps, CouponRule, GroupFigures, OfferInput, Reward};
use clientele_domain::{CustomerId, OfferId, SegmentId, StoreId};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapsBody {
    #[schema(minimum = 1, maximum = 1000000000000000_i64)]
    pub total: Option<i64>,
    #[schema(minimum = 1, maximum = 1000000000000000_i64)]
    pub per_customer: Option<i64>,
    /// All customers together, per local day.
    #[schema(minimum = 1, maximum = 1000000000000000_i64)]
    pub per_day: Option<i64>,
    /// All customers together, per calendar month.
    #[schema(minimum = 1, maximum = 1000000000000000_i64)]
    pub per_month: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetBody {
    /// Caps on the points an offer gives (hundredths of a point).
    #[serde(default)]
    pub points: CapsBody,
    /// Caps on the money an offer takes off (minor units).
    #[serde(default)]
    pub money: CapsBody,
}

impl From<CapsBody> for Caps {
    fn from(c: CapsBody) -> Caps {
        Caps {
            total: c.total,
            per_customer: c.per_customer,
            per_day: c.per_day,
            per_month: c.per_month,
        }
    }
}

impl From<Caps> for CapsBody {
    fn from(c: Caps) -> CapsBody {
        CapsBody {
            total: c.total,
            per_customer: c.per_customer,
            per_day: c.per_day,
            per_month: c.per_month,
        }
    }
}

/// An offer as sent: who gets what, when, where and how it stacks.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOfferBody {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// The segment it is for; none: everyone.
    #[schema(minimum = 1)]
    pub segment_id: Option<i64>,
    /// `false` keeps it paused (default `true`).
    pub active: Option<bool>,
    /// First and last day, inclusive (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub valid_from: Option<String>,
    #[schema(format = Date)]
    pub valid_to: Option<String>,
    /// Nodes of the store hierarchy it runs in; none: every store.
    #[serde(default)]
    #[schema(max_items = 1000)]
    pub store_ids: Vec<i64>,
    /// `monday` … `sunday`; none: every day.
    #[serde(default)]
    #[schema(schema_with = days)]
    pub days: Vec<String>,
    /// Local `HH:MM`, both or neither; the end may be past midnight.
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub hours_from: Option<String>,
    #[schema(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub hours_to: Option<String>,
    /// Higher first (default 0).
    #[schema(minimum = -1000000, maximum = 1000000)]
    pub priority: Option<i64>,
    /// `stack` (default), `exclusive` or `best`.
    #[schema(schema_with = stacking)]
    pub stacking: Option<String>,
    /// `extra_points` (`reward_value`: the accrual's multiplier in basis
    /// points, 10001–100000), `bonus_points` (hundredths of a point),
    /// `percent_off` (basis points, 1–10000) or `amount_off` (minor units).
    #[schema(schema_with = reward)]
    pub reward: String,
    pub reward_value: i64,
    /// The lines it is about, by SKU or category; none: the whole basket.
    /// Lines of the program's excluded categories never get anything.
    #[serde(default)]
    #[schema(max_items = 1000, value_type = Vec<String>)]
    pub skus: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 1000, value_type = Vec<String>)]
    pub categories: Vec<String>,
    /// The target's lines must come to this before loyalty.
    #[schema(minimum = 1, maximum = 1000000000000_i64)]
    pub min_total_minor: Option<i64>,
    /// The customer's n-th purchase (with `every_nth`: every n-th).
    #[schema(minimum = 1, maximum = 10000)]
    pub nth_purchase: Option<i64>,
    #[serde(default)]
    pub every_nth: bool,
    /// `shared` (one `coupon_code` for all) or `unique` (single-use codes
    /// made by `POST /offers/{id}/coupons`); none: no coupon asked.
    #[schema(schema_with = coupon)]
    pub coupon: Option<String>,
    #[schema(pattern = r"^[ \t\n\f\r]*[A-Za-z0-9-]{4,32}[ \t\n\f\r]*$")]
    pub coupon_code: Option<String>,
    #[serde(default)]
    pub budget: BudgetBody,
    /// The share of the audience kept as a control group, in basis points
    /// (0–5000); not with a coupon.
    #[schema(minimum = 0, maximum = 5000)]
    pub holdout_bp: Option<i64>,
}

fn words(values: &[&str]) -> utoipa::openapi::Object {
    let mut values: Vec<serde_json::Value> = values.iter().map(|v| json!(v)).collect();
    values.push(json!(null));
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([
            utoipa::openapi::Type::String,
            utoipa::openapi::Type::Null,
        ]))
        .enum_values(Some(values))
        .build()
}

fn stacking() -> utoipa::openapi::Object {
    words(clientele_domain::offer::Stacking::NAMES)
}

fn coupon() -> utoipa::openapi::Object {
    words(&["shared", "unique"])
}

fn reward() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(Reward::NAMES.iter().copied()))
        .build()
}

fn days() -> utoipa::openapi::Array {
    utoipa::openapi::ArrayBuilder::new()
        .items(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::Type::String)
                .enum_values(Some(clientele_domain::offer::Day::NAMES.iter().copied())),
        )
        .max_items(Some(7))
        .build()
}

/// An offer as kept: what was sent, checked, with its version.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferBody {
    pub id: i64,
    pub name: String,
    pub segment_id: Option<i64>,
    pub active: bool,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub store_ids: Vec<i64>,
    pub days: Vec<String>,
    pub hours_from: Option<String>,
    pub hours_to: Option<String>,
    pub priority: i64,
    pub stacking: String,
    pub reward: String,
    pub reward_value: i64,
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    pub min_total_minor: Option<i64>,
    pub nth_purchase: Option<i64>,
    pub every_nth: bool,
    pub coupon: Option<String>,
    pub coupon_code: Option<String>,
    pub budget: BudgetBody,
    pub holdout_bp: i64,
    pub created_at: String,
    pub updated_at: String,
    /// Send it back with a change.
    pub version: i64,
}

fn word<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A reward as the API writes it: its kind and its one value.
pub(super) fn reward_of(reward: Reward) -> (&'static str, i64) {
    match reward {
        Reward::ExtraPoints { multiplier_bp } => ("extra_points", multiplier_bp),
        Reward::BonusPoints { points } => ("bonus_points", points),
        Reward::PercentOff { rate_bp } => ("percent_off", rate_bp),
        Reward::AmountOff { amount_minor } => ("amount_off", amount_minor),
    }
}

impl From<KeptOffer> for OfferBody {
    fn from(kept: KeptOffer) -> OfferBody {
        let t = kept.offer.terms;
        let (reward, reward_value) = reward_of(t.reward);
        let (coupon, coupon_code) = match &t.coupon {
            None => (None, None),
            Some(CouponRule::Unique) => (Some("unique".to_owned()), None),
            Some(CouponRule::Shared(code)) => {
                (Some("shared".to_owned()), Some(code.as_str().to_owned()))
            }
        };
        let hours = t.schedule.hours;
        OfferBody {
            id: kept.offer.id.0,
            name: t.name,
            segment_id: t.audience.segment().map(|s| s.0),
            active: t.active,
            valid_from: t.schedule.valid_from.map(|d| d.to_string()),
            valid_to: t.schedule.valid_to.map(|d| d.to_string()),
            store_ids: t.stores.iter().map(|s| s.0).collect(),
            days: t.schedule.days.iter().map(word).collect(),
            hours_from: hours.map(|h| h.from.strftime("%H:%M").to_string()),
            hours_to: hours.map(|h| h.to.strftime("%H:%M").to_string()),
            priority: i64::from(t.priority),
            stacking: word(t.stacking),
            reward: reward.to_owned(),
            reward_value,
            skus: t.target.skus,
            categories: t.target.categories,
            min_total_minor: t.condition.min_total_minor,
            nth_purchase: t.condition.nth_purchase.map(|n| n.n),
            every_nth: t.condition.nth_purchase.is_some_and(|n| n.repeat),
            coupon,
            coupon_code,
            budget: BudgetBody {
                points: t.budget.points.into(),
                money: t.budget.money.into(),
            },
            holdout_bp: t.holdout_bp,
            created_at: kept.created_at.to_string(),
            updated_at: kept.updated_at.to_string(),
            version: kept.version,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferChangesBody {
    #[schema(minimum = 1)]
    pub version: i64,
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    /// `false` pauses it, `true` resumes it.
    pub active: Option<bool>,
    #[schema(minimum = -1000000, maximum = 1000000)]
    pub priority: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CouponsRequest {
    /// Codes to hand out.
    #[schema(minimum = 0, maximum = 100000)]
    pub count: Option<u32>,
    /// Customers to issue one code each.
    #[serde(default)]
    #[schema(max_items = 100000, value_type = Vec<i64>)]
    pub customer_ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CouponsAnswer {
    /// The new codes, those issued to customers first, in their order.
    pub codes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CouponBody {
    pub code: String,
    pub offer_id: i64,
    /// Whom it was issued to; none: handed out.
    pub customer_id: Option<i64>,
    pub issued_at: String,
    /// When a receipt redeemed it; a return of that whole receipt frees it.
    pub used_at: Option<String>,
}

impl From<Coupon> for CouponBody {
    fn from(c: Coupon) -> CouponBody {
        CouponBody {
            code: c.code.as_str().to_owned(),
            offer_id: c.offer_id.0,
            customer_id: c.customer_id.map(|c| c.0),
            issued_at: c.issued_at.to_string(),
            used_at: c.used_at.map(|t| t.to_string()),
        }
    }
}

/// List offers.
#[utoipa::path(get, path = "/api/v1/offers", tag = "offers",
    responses((status = 200, body = Items<OfferBody>)))]
pub async fn list_offers(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<OfferBody>>, ApiError> {
    let items = state
        .app
        .offers()
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create an offer.
#[utoipa::path(post, path = "/api/v1/offers", tag = "offers", request_body = NewOfferBody,
    responses((status = 201, body = OfferBody),
        (status = 404, description = "There is no such segment."),
        (status = 409, description = "Another offer has this name.")))]
pub async fn create_offer(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<NewOfferBody>,
) -> Result<(StatusCode, axum::Json<OfferBody>), ApiError> {
    let input = OfferInput {
        name: body.name,
        segment_id: body.segment_id.map(SegmentId),
        active: body.active.unwrap_or(true),
        valid_from: body.valid_from,
        valid_to: body.valid_to,
        store_ids: body.store_ids.into_iter().map(StoreId).collect(),
        days: body.days,
        hours_from: body.hours_from,
        hours_to: body.hours_to,
        priority: body.priority.unwrap_or(0),
        stacking: body.stacking,
        reward: body.reward,
        reward_value: body.reward_value,
        skus: body.skus,
        categories: body.categories,
        min_total_minor: body.min_total_minor,
        nth_purchase: body.nth_purchase,
        every_nth: body.every_nth,
        coupon: body.coupon,
        coupon_code: body.coupon_code,
        budget: Budget {
            points: body.budget.points.into(),
            money: body.budget.money.into(),
        },
        holdout_bp: body.holdout_bp.unwrap_or(0),
    };
    let kept = state.app.create_offer(input, &caller.changed_by()).await?;
    Ok((StatusCode::CREATED, axum::Json(kept.into())))
}

/// Read an offer.
#[utoipa::path(get, path = "/api/v1/offers/{id}", tag = "offers", params(("id" = i64, Path)),
    responses((status = 200, body = OfferBody)))]
pub async fn read_offer(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<OfferBody>, ApiError> {
    Ok(axum::Json(state.app.offer(OfferId(id)).await?.into()))
}

/// What one group of an offer's audience did over the offer's period.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferGroupBody {
    pub customers: i64,
    /// Of them, those who bought.
    pub buyers: i64,
    pub receipts: i64,
    /// What they paid, after discounts.
    pub revenue_minor: i64,
    pub average_receipt_minor: Option<i64>,
    pub revenue_per_customer_minor: Option<i64>,
}

impl From<GroupFigures> for OfferGroupBody {
    fn from(g: GroupFigures) -> OfferGroupBody {
        OfferGroupBody {
            customers: g.customers,
            buyers: g.buyers,
            receipts: g.receipts,
            revenue_minor: g.revenue_minor,
            average_receipt_minor: g.average_receipt_minor(),
            revenue_per_customer_minor: g.revenue_per_customer_minor(),
        }
    }
}

/// Those who got an offer beside its control group.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferResultsBody {
    /// The period measured, the shop's dates, both inclusive.
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub holdout_bp: i64,
    pub offered: OfferGroupBody,
    pub control: OfferGroupBody,
}

/// How the offer's audience did over its period so far, those who got it
/// beside its control group.
#[utoipa::path(get, path = "/api/v1/offers/{id}/results", tag = "offers", params(("id" = i64, Path)),
    responses((status = 200, body = OfferResultsBody)))]
pub async fn offer_results(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<OfferResultsBody>, ApiError> {
    let results = state.app.offer_results(OfferId(id)).await?;
    Ok(axum::Json(OfferResultsBody {
        from: results.from.to_string(),
        to: results.to.to_string(),
        holdout_bp: results.holdout_bp,
        offered: results.comparison.offered.into(),
        control: results.comparison.control.into(),
    }))
}

/// Rename, pause, resume or reorder an offer.
#[utoipa::path(patch, path = "/api/v1/offers/{id}", tag = "offers", params(("id" = i64, Path)),
    request_body = OfferChangesBody,
    responses((status = 200, body = OfferBody),
        (status = 409, description = "The offer changed since `version`, or another has this name.")))]
pub async fn update_offer(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<OfferChangesBody>,
) -> Result<axum::Json<OfferBody>, ApiError> {
    let changes = OfferChanges {
        name: body.name,
        active: body.active,
        priority: body.priority,
    };
    let kept = state
        .app
        .change_offer(OfferId(id), changes, body.version, &caller.changed_by())
        .await?;
    Ok(axum::Json(kept.into()))
}

/// Make single-use coupons: `count` to hand out and one for each of
/// `customer_ids`, 1 to 100,000 in all.
#[utoipa::path(post, path = "/api/v1/offers/{id}/coupons", tag = "offers", params(("id" = i64, Path)),
    request_body = CouponsRequest,
    responses((status = 201, body = CouponsAnswer),
        (status = 409, description = "The offer does not ask for single-use coupons.")))]
pub async fn make_coupons(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(body): Json<CouponsRequest>,
) -> Result<(StatusCode, axum::Json<CouponsAnswer>), ApiError> {
    let customers = body.customer_ids.into_iter().map(CustomerId).collect();
    let count = body.count.map_or(0, |n| n as usize).min(MOST_COUPONS + 1);
    let codes = state
        .app
        .issue_coupons(OfferId(id), count, customers, &caller.changed_by())
        .await?;
    let codes = codes.into_iter().map(String::from).collect();
    Ok((StatusCode::CREATED, axum::Json(CouponsAnswer { codes })))
}

/// Read a coupon by its code.
#[utoipa::path(get, path = "/api/v1/coupons/{code}", tag = "offers", params(("code" = String, Path)),
    responses((status = 200, body = CouponBody)))]
pub async fn read_coupon(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<axum::Json<CouponBody>, ApiError> {
    Ok(axum::Json(state.app.coupon(&code).await?.into()))
}

pub(super) fn contracts() -> Vec<Contract> {
    let caps_of = |kind: &str| {
        json!({"properties": {"budget": {"properties": {kind: {"properties": {
            "total": {"type": "null"}, "per_customer": {"type": "null"},
            "per_day": {"type": "null"}, "per_month": {"type": "null"}}}}}}})
    };
    let reward = |name: &str, min: i64, max: i64, unused: &str| {
        json!({"allOf": [
            {"properties": {"reward": {"const": name},
                            "reward_value": {"type": "integer", "minimum": min, "maximum": max}}},
            caps_of(unused),
        ]})
    };
    let listed = json!({"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S"});
    vec![
        Contract::Body(
            "NewOfferBody",
            json!({"allOf": [
                {"oneOf": [
                    reward("extra_points", 10_001, 100_000, "money"),
                    reward("bonus_points", 1, 100_000_000, "money"),
                    reward("percent_off", 1, 10_000, "points"),
                    reward("amount_off", 1, 1_000_000_000_000_i64, "points"),
                ]},
                // A shared coupon has its code; nothing else has one.
                {"oneOf": [
                    {"properties": {"coupon": {"const": "shared"}}, "required": ["coupon", "coupon_code"],
                     "not": {"properties": {"coupon_code": {"type": "null"}}}},
                    {"properties": {"coupon": {"enum": ["unique", null]}, "coupon_code": {"type": "null"}}},
                ]},
                // A coupon keeps no control group.
                {"anyOf": [
                    {"properties": {"coupon": {"type": "null"}}},
                    {"not": {"required": ["coupon"]}},
                    {"properties": {"holdout_bp": {"enum": [0, null]}}},
                ]},
                // Hours come both or neither.
                {"anyOf": [
                    {"properties": {"hours_from": {"type": "string"}, "hours_to": {"type": "string"}},
                     "required": ["hours_from", "hours_to"]},
                    {"properties": {"hours_from": {"type": "null"}, "hours_to": {"type": "null"}}},
                ]},
                // Every n-th needs the n.
                {"anyOf": [
                    {"properties": {"every_nth": {"const": false}}},
                    {"properties": {"nth_purchase": {"type": "integer"}}, "required": ["nth_purchase"]},
                ]},
            ]}),
        ),
        Contract::Body(
            "NewOfferBody",
            json!({"properties": {
                "skus": {"items": listed.clone()},
                "categories": {"items": listed},
            }}),
        ),
        // Something to make: a count or customers.
        Contract::Body(
            "CouponsRequest",
            json!({"anyOf": [
                {"properties": {"count": {"type": "integer", "minimum": 1}}, "required": ["count"]},
                {"properties": {"customer_ids": {"minItems": 1}}, "required": ["customer_ids"]},
            ]}),
        ),
    ]
}
