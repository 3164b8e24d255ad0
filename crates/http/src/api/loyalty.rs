//! `/api/v1/programs`, `/tiers`, `/card-groups`, `/cards`, points by hand
//! and a customer's ledger.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use clientele_app::points::AdjustmentInput;
use clientele_app::programs::CardInput;
use clientele_app::{CardGroup, CardQuery, LedgerEntry, NewTier};
use clientele_domain::card::Card;
use clientele_domain::{
    CardGroupId, CardId, CustomerId, LedgerEntryId, Program, ProgramId, ProgramKind, ProgramRules,
    Tier, TierId, ValidationErrors,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::answers::Contract;
use super::directory::Items;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// The most rows one page of cards or ledger entries holds.
const MAX_PAGE: u32 = 500;

/// What the derive cannot say of these operations.
pub(super) fn contracts() -> Vec<Contract> {
    // A barcode follows its symbology; no symbology is EAN-13, and an
    // EAN-13 may be left out (the next in-store one is given).
    let barcode = || {
        json!({"oneOf": [
            {"properties": {"symbology": {"enum": ["ean13", null]},
                "barcode": {"anyOf": [{"type": "string", "format": "ean13"}, {"type": "null"}]}}},
            {"properties": {"symbology": {"const": "code128"},
                "barcode": {"type": "string", "format": "code128", "minLength": 1, "maxLength": 48}},
                "required": ["symbology", "barcode"]},
            {"properties": {"symbology": {"const": "qr"},
                "barcode": {"type": "string", "format": "barcode", "minLength": 1, "maxLength": 256}},
                "required": ["symbology", "barcode"]},
        ]})
    };
    vec![
        Contract::Body("CardFields", barcode()),
        Contract::Body("ReplaceFields", barcode()),
        Contract::Body(
            "AdjustmentFields",
            json!({"properties": {"points": {"not": {"const": 0}}}}),
        ),
        Contract::Request(
            "POST /api/v1/programs",
            json!({"required": ["name", "rules"],
                "properties": {"name": {"type": "string"}, "rules": {"type": "object"}}}),
        ),
    ]
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierBody {
    pub id: i64,
    pub name: String,
    pub threshold_minor: i64,
    pub earn_rate_bp: Option<i64>,
    pub discount_bp: Option<i64>,
}

impl From<Tier> for TierBody {
    fn from(t: Tier) -> TierBody {
        TierBody {
            id: t.id.0,
            name: t.name,
            threshold_minor: t.threshold_minor,
            earn_rate_bp: t.earn_rate_bp,
            discount_bp: t.discount_bp,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramBody {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    pub rules: RulesBody,
    pub tiers: Vec<TierBody>,
}

impl From<Program> for ProgramBody {
    fn from(p: Program) -> ProgramBody {
        ProgramBody {
            id: p.id.0,
            name: p.name,
            is_default: p.is_default,
            rules: p.rules.into(),
            tiers: p.tiers.into_iter().map(TierBody::from).collect(),
        }
    }
}

/// What a program gives, and on which lines. Rates and shares are in basis
/// points (500 = 5 %); days count from the purchase; absent numbers are 0.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesBody {
    /// `bonus`, `cumulative_discount` or `fixed_discount`.
    pub kind: ProgramKindBody,
    /// Bonus points: points per 100 % of the money paid (500 = 5 % back).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    pub earn_rate_bp: i64,
    /// Bonus points: the largest share of a receipt payable with points.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    pub max_payable_share_bp: i64,
    /// Fixed discount: the card's one percent.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10000)]
    pub discount_bp: i64,
    /// Lines of these categories neither earn, nor are paid with points, nor are discounted.
    #[serde(default)]
    pub excluded_categories: Vec<String>,
    #[serde(default)]
    pub excluded_skus: Vec<String>,
    /// A line whose unit price is below this is not discounted nor paid with points.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub min_price_minor: i64,
    /// Points become usable this many days after the purchase.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 36600)]
    pub accrual_delay_days: i64,
    /// Points expire this many days after they become usable; 0: never.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 36600)]
    pub expiry_days: i64,
    /// Tiers count the spend of the last this many days; 0: lifetime.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 36600)]
    pub tier_period_days: i64,
    /// Points given once a year for the birthday; 0: none.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub birthday_points: i64,
    /// Given this many days before the birthday (0: on the day).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 31)]
    pub birthday_days_before: i64,
    /// The message that goes with them.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub birthday_message: String,
    /// Points the referrer gets when the customer they referred first buys.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub referral_points: i64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgramKindBody {
    Bonus,
    CumulativeDiscount,
    FixedDiscount,
}

impl From<ProgramRules> for RulesBody {
    fn from(r: ProgramRules) -> RulesBody {
        RulesBody {
            kind: match r.kind {
                ProgramKind::Bonus => ProgramKindBody::Bonus,
                ProgramKind::CumulativeDiscount => ProgramKindBody::CumulativeDiscount,
                ProgramKind::FixedDiscount => ProgramKindBody::FixedDiscount,
            },
            earn_rate_bp: r.earn_rate_bp,
            max_payable_share_bp: r.max_payable_share_bp,
            discount_bp: r.discount_bp,
            excluded_categories: r.excluded_categories,
            excluded_skus: r.excluded_skus,
            min_price_minor: r.min_price_minor,
            accrual_delay_days: r.accrual_delay_days,
            expiry_days: r.expiry_days,
            tier_period_days: r.tier_period_days,
            birthday_points: r.birthday_points,
            birthday_days_before: r.birthday_days_before,
            birthday_message: r.birthday_message,
            referral_points: r.referral_points,
        }
    }
}

impl From<RulesBody> for ProgramRules {
    fn from(r: RulesBody) -> ProgramRules {
        ProgramRules {
            kind: match r.kind {
                ProgramKindBody::Bonus => ProgramKind::Bonus,
                ProgramKindBody::CumulativeDiscount => ProgramKind::CumulativeDiscount,
                ProgramKindBody::FixedDiscount => ProgramKind::FixedDiscount,
            },
            earn_rate_bp: r.earn_rate_bp,
            max_payable_share_bp: r.max_payable_share_bp,
            discount_bp: r.discount_bp,
            excluded_categories: r.excluded_categories,
            excluded_skus: r.excluded_skus,
            min_price_minor: r.min_price_minor,
            accrual_delay_days: r.accrual_delay_days,
            expiry_days: r.expiry_days,
            tier_period_days: r.tier_period_days,
            birthday_points: r.birthday_points,
            birthday_days_before: r.birthday_days_before,
            birthday_message: r.birthday_message,
            referral_points: r.referral_points,
        }
    }
}

/// A program's fields; `name` and `rules` are required on `POST`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: Option<String>,
    pub rules: Option<RulesBody>,
    pub is_default: Option<bool>,
}

/// List loyalty programs with their tiers.
#[utoipa::path(get, path = "/api/v1/programs", tag = "programs", responses((status = 200, body = Items<ProgramBody>)))]
pub async fn list_programs(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<ProgramBody>>, ApiError> {
    let items = state
        .app
        .programs()
        .await?
        .into_iter()
        .map(ProgramBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a loyalty program.
#[utoipa::path(post, path = "/api/v1/programs", tag = "programs", request_body = ProgramFields,
    responses((status = 201, body = ProgramBody), (status = 409, description = "Another program has this name.")))]
pub async fn create_program(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<ProgramFields>,
) -> Result<(StatusCode, axum::Json<ProgramBody>), ApiError> {
    let rules = fields.rules.ok_or_else(|| {
        ApiError::validation(clientele_domain::ValidationErrors::one(
            "rules",
            "required",
            "a program needs its rules",
        ))
    })?;
    let program = state
        .app
        .create_program(
            fields.name.as_deref().unwrap_or_default(),
            rules.into(),
            fields.is_default.unwrap_or(false),
            &caller.changed_by(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(program.into())))
}

/// Read a loyalty program.
#[utoipa::path(get, path = "/api/v1/programs/{id}", tag = "programs", params(("id" = i64, Path)),
    responses((status = 200, body = ProgramBody)))]
pub async fn read_program(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<axum::Json<ProgramBody>, ApiError> {
    Ok(axum::Json(state.app.program(ProgramId(id)).await?.into()))
}

/// Change a program's name, rules or default flag.
#[utoipa::path(patch, path = "/api/v1/programs/{id}", tag = "programs", params(("id" = i64, Path)), request_body = ProgramFields,
    responses((status = 200, body = ProgramBody), (status = 409, description = "Another program has this name.")))]
pub async fn update_program(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<ProgramFields>,
) -> Result<axum::Json<ProgramBody>, ApiError> {
    let program = state
        .app
        .update_program(
            ProgramId(id),
            fields.name.as_deref(),
            fields.rules.map(ProgramRules::from),
            fields.is_default,
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(program.into()))
}

/// A program's tiers start at different spends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierFields {
    pub program_id: i64,
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// The spend (minor units) from which the tier applies.
    #[schema(minimum = 0)]
    pub threshold_minor: i64,
    /// Bonus programs: the tier's own earn rate.
    #[schema(minimum = 0, maximum = 10000)]
    pub earn_rate_bp: Option<i64>,
    /// Discount programs: the tier's discount.
    #[schema(minimum = 0, maximum = 10000)]
    pub discount_bp: Option<i64>,
}

/// Add a tier to a program.
#[utoipa::path(post, path = "/api/v1/tiers", tag = "programs", request_body = TierFields,
    responses((status = 201, body = TierBody), (status = 404, description = "No such program."),
        (status = 409, description = "Another tier of the program starts at this spend.")))]
pub async fn create_tier(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<TierFields>,
) -> Result<(StatusCode, axum::Json<TierBody>), ApiError> {
    let tier = NewTier {
        name: fields.name,
        threshold_minor: fields.threshold_minor,
        earn_rate_bp: fields.earn_rate_bp,
        discount_bp: fields.discount_bp,
    };
    let tier = state
        .app
        .create_tier(ProgramId(fields.program_id), tier, &caller.changed_by())
        .await?;
    Ok((StatusCode::CREATED, axum::Json(tier.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierChangeFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    /// The spend (minor units) from which the tier applies.
    #[schema(minimum = 0)]
    pub threshold_minor: i64,
    #[schema(minimum = 0, maximum = 10000)]
    pub earn_rate_bp: Option<i64>,
    #[schema(minimum = 0, maximum = 10000)]
    pub discount_bp: Option<i64>,
}

/// Change a tier: its name, threshold and rate. The program's tiers must
/// still start at different spends.
#[utoipa::path(patch, path = "/api/v1/tiers/{id}", tag = "programs", params(("id" = i64, Path)), request_body = TierChangeFields,
    responses((status = 200, body = TierBody), (status = 409, description = "Another tier of the program starts at this spend.")))]
pub async fn update_tier(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<TierChangeFields>,
) -> Result<axum::Json<TierBody>, ApiError> {
    let tier = NewTier {
        name: fields.name,
        threshold_minor: fields.threshold_minor,
        earn_rate_bp: fields.earn_rate_bp,
        discount_bp: fields.discount_bp,
    };
    let tier = state
        .app
        .update_tier(TierId(id), tier, &caller.changed_by())
        .await?;
    Ok(axum::Json(tier.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardGroupBody {
    pub id: i64,
    pub name: String,
    pub program_id: i64,
    pub created_at: String,
}

impl From<CardGroup> for CardGroupBody {
    fn from(g: CardGroup) -> CardGroupBody {
        CardGroupBody {
            id: g.id.0,
            name: g.name,
            program_id: g.program_id.0,
            created_at: g.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardGroupFields {
    /// Up to 200 characters, not blank.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    pub program_id: i64,
}

/// List card groups.
#[utoipa::path(get, path = "/api/v1/card-groups", tag = "cards", responses((status = 200, body = Items<CardGroupBody>)))]
pub async fn list_card_groups(
    State(state): State<AppState>,
) -> Result<axum::Json<Items<CardGroupBody>>, ApiError> {
    let items = state
        .app
        .card_groups()
        .await?
        .into_iter()
        .map(CardGroupBody::from)
        .collect();
    Ok(axum::Json(Items { items }))
}

/// Create a card group bound to a program.
#[utoipa::path(post, path = "/api/v1/card-groups", tag = "cards", request_body = CardGroupFields,
    responses((status = 201, body = CardGroupBody), (status = 404, description = "No such program."),
        (status = 409, description = "Another card group has this name.")))]
pub async fn create_card_group(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<CardGroupFields>,
) -> Result<(StatusCode, axum::Json<CardGroupBody>), ApiError> {
    let group = state
        .app
        .create_card_group(
            &fields.name,
            ProgramId(fields.program_id),
            &caller.changed_by(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(group.into())))
}

/// Rename a card group or move it to another program.
#[utoipa::path(patch, path = "/api/v1/card-groups/{id}", tag = "cards", params(("id" = i64, Path)), request_body = CardGroupFields,
    responses((status = 200, body = CardGroupBody), (status = 404, description = "No such card group, or no such program."),
        (status = 409, description = "Another card group has this name.")))]
pub async fn update_card_group(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<CardGroupFields>,
) -> Result<axum::Json<CardGroupBody>, ApiError> {
    let group = state
        .app
        .update_card_group(
            CardGroupId(id),
            &fields.name,
            ProgramId(fields.program_id),
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(group.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrintRunFields {
    /// How many blank cards to make.
    #[schema(minimum = 1, maximum = 100000)]
    pub count: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PrintRunBody {
    pub count: usize,
    pub first_barcode: Option<String>,
    pub last_barcode: Option<String>,
}

/// Issue a print run of blank EAN-13 cards for a group.
#[utoipa::path(post, path = "/api/v1/card-groups/{id}/print-runs", tag = "cards", params(("id" = i64, Path)), request_body = PrintRunFields,
    responses((status = 201, body = PrintRunBody)))]
pub async fn print_run(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<PrintRunFields>,
) -> Result<(StatusCode, axum::Json<PrintRunBody>), ApiError> {
    let cards = state
        .app
        .print_run(CardGroupId(id), fields.count, &caller.changed_by())
        .await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(PrintRunBody {
            count: cards.len(),
            first_barcode: cards.first().map(|c| c.barcode.as_str().to_owned()),
            last_barcode: cards.last().map(|c| c.barcode.as_str().to_owned()),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardBody {
    pub id: i64,
    pub barcode: String,
    pub symbology: String,
    pub customer_id: Option<i64>,
    pub group_id: i64,
    pub program_id: i64,
    pub active: bool,
    pub blocked: bool,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub withdrawn_at: Option<String>,
    pub withdrawn_reason: Option<String>,
    pub replaced_by: Option<i64>,
    pub created_at: String,
}

impl From<Card> for CardBody {
    fn from(c: Card) -> CardBody {
        CardBody {
            id: c.id.0,
            barcode: c.barcode.as_str().to_owned(),
            symbology: c.symbology.as_str().to_owned(),
            customer_id: c.customer_id.map(|id| id.0),
            group_id: c.group_id.0,
            program_id: c.program_id.0,
            active: c.active,
            blocked: c.blocked,
            valid_from: c.valid_from.map(|t| t.to_string()),
            valid_to: c.valid_to.map(|t| t.to_string()),
            withdrawn_at: c.withdrawn_at.map(|t| t.to_string()),
            withdrawn_reason: c.withdrawn_reason,
            replaced_by: c.replaced_by.map(|id| id.0),
            created_at: c.created_at.to_string(),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CardFilter {
    pub customer_id: Option<i64>,
    pub barcode: Option<String>,
    pub active: Option<bool>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CardPage {
    pub items: Vec<CardBody>,
    pub next_cursor: Option<String>,
}

/// A cursor of these lists: the id of the last row of the page before.
pub(super) fn cursor(raw: Option<&str>) -> Result<Option<i64>, ApiError> {
    raw.map(|c| {
        c.parse::<i64>().map_err(|_| {
            ValidationErrors::one(
                "cursor",
                "invalid_cursor",
                "the cursor is not one this list gave out",
            )
            .into()
        })
    })
    .transpose()
}

/// A page's size: 1 to 500 rows, 50 unless asked.
pub(super) fn page_size(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit {
        None => Ok(50),
        Some(limit @ 1..=MAX_PAGE) => Ok(limit),
        Some(_) => Err(ValidationErrors::one(
            "limit",
            "invalid_limit",
            format!("limit is a whole number from 1 to {MAX_PAGE}"),
        )
        .into()),
    }
}

/// List cards (by customer, barcode, active).
#[utoipa::path(get, path = "/api/v1/cards", tag = "cards", params(CardFilter),
    responses((status = 200, body = CardPage), (status = 404, description = "No such customer, or a cursor this list did not give out.")))]
pub async fn list_cards(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(filter): Query<CardFilter>,
) -> Result<axum::Json<CardPage>, ApiError> {
    if let Some(customer) = filter.customer_id {
        state
            .app
            .customer_for(CustomerId(customer), &caller.changed_by())
            .await?;
    }
    let limit = page_size(filter.limit)?;
    let query = CardQuery {
        customer_id: filter.customer_id.map(CustomerId),
        barcode: filter.barcode,
        active: filter.active,
        after: cursor(filter.cursor.as_deref())?.map(CardId),
        limit,
    };
    let cards = state.app.cards(&query).await?;
    let next_cursor = (cards.len() == limit as usize)
        .then(|| cards.last().map(|c| c.id.0.to_string()))
        .flatten();
    Ok(axum::Json(CardPage {
        items: cards.into_iter().map(CardBody::from).collect(),
        next_cursor,
    }))
}

/// The barcode follows its symbology: an EAN-13 with its check digit (absent:
/// the next in-store one), Code 128 of 1–48 printable ASCII characters, or a
/// QR code of 1–256 characters; `valid_to` comes after `valid_from`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CardFields {
    pub barcode: Option<String>,
    /// `ean13` (default), `code128` or `qr`.
    #[schema(schema_with = super::shapes::symbology)]
    pub symbology: Option<String>,
    pub group_id: i64,
    /// Absent: a blank card, activated later at the till.
    pub customer_id: Option<i64>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub valid_from: Option<jiff::Timestamp>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub valid_to: Option<jiff::Timestamp>,
}

/// Issue one card, to a customer or blank.
#[utoipa::path(post, path = "/api/v1/cards", tag = "cards", request_body = CardFields,
    responses((status = 201, body = CardBody), (status = 404, description = "No such card group or customer."),
        (status = 409, description = "Another card has this barcode.")))]
pub async fn create_card(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<CardFields>,
) -> Result<(StatusCode, axum::Json<CardBody>), ApiError> {
    let input = CardInput {
        barcode: fields.barcode,
        symbology: fields.symbology,
        group_id: CardGroupId(fields.group_id),
        customer_id: fields.customer_id.map(CustomerId),
        valid_from: fields.valid_from,
        valid_to: fields.valid_to,
    };
    let card = state.app.issue_card(input, &caller.changed_by()).await?;
    Ok((StatusCode::CREATED, axum::Json(card.into())))
}

/// Read a card.
#[utoipa::path(get, path = "/api/v1/cards/{id}", tag = "cards", params(("id" = i64, Path)),
    responses((status = 200, body = CardBody)))]
pub async fn read_card(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CardBody>, ApiError> {
    Ok(axum::Json(
        state
            .app
            .card(CardId(id), &caller.changed_by())
            .await?
            .into(),
    ))
}

/// Block a card: the till refuses it until it is unblocked.
#[utoipa::path(post, path = "/api/v1/cards/{id}/block", tag = "cards", params(("id" = i64, Path)),
    responses((status = 200, body = CardBody)))]
pub async fn block_card(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CardBody>, ApiError> {
    Ok(axum::Json(
        state
            .app
            .set_card_blocked(CardId(id), true, &caller.changed_by())
            .await?
            .into(),
    ))
}

/// Unblock a card.
#[utoipa::path(post, path = "/api/v1/cards/{id}/unblock", tag = "cards", params(("id" = i64, Path)),
    responses((status = 200, body = CardBody)))]
pub async fn unblock_card(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<CardBody>, ApiError> {
    Ok(axum::Json(
        state
            .app
            .set_card_blocked(CardId(id), false, &caller.changed_by())
            .await?
            .into(),
    ))
}

/// The new barcode follows its symbology, as a new card's does.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceFields {
    /// Why the old card is withdrawn (lost, damaged…); kept in the history.
    #[schema(min_length = 1, pattern = r"\S")]
    pub reason: String,
    /// The new card's barcode; absent: the next in-store EAN-13.
    pub barcode: Option<String>,
    #[schema(schema_with = super::shapes::symbology)]
    pub symbology: Option<String>,
}

/// Replace a card: the old one is withdrawn, the balance stays with the customer.
#[utoipa::path(post, path = "/api/v1/cards/{id}/replace", tag = "cards", params(("id" = i64, Path)), request_body = ReplaceFields,
    responses((status = 201, body = CardBody),
        (status = 409, description = "The card was withdrawn already or is blank, or another card has the new barcode.")))]
pub async fn replace_card(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Json(fields): Json<ReplaceFields>,
) -> Result<(StatusCode, axum::Json<CardBody>), ApiError> {
    let card = state
        .app
        .replace_card(
            CardId(id),
            &fields.reason,
            fields.barcode,
            fields.symbology,
            &caller.changed_by(),
        )
        .await?;
    Ok((StatusCode::CREATED, axum::Json(card.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustmentFields {
    /// 1 to 10,000 customers.
    #[schema(min_items = 1, max_items = 10000)]
    pub customer_ids: Vec<i64>,
    /// Hundredths of a point, not 0, at most 100,000,000 either way: positive
    /// accrues, negative writes off.
    #[schema(minimum = -100000000, maximum = 100000000)]
    pub points: i64,
    /// Why (kept in the ledger and the audit log); up to 500 characters, not blank.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub comment: String,
    /// A message to each customer, stored for delivery; up to 1000 characters.
    #[schema(max_length = 1000)]
    pub message: Option<String>,
    /// The acting user's password again.
    #[schema(min_length = 1)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdjustedBody {
    pub customer_id: i64,
    pub points_available: i64,
}

/// Points by hand for one or many customers, all or nothing.
#[utoipa::path(post, path = "/api/v1/points/adjustments", tag = "points", request_body = AdjustmentFields,
    responses((status = 201, body = Items<AdjustedBody>),
        (status = 401, description = "The password is not the acting user's."),
        (status = 404, description = "A customer named does not exist."),
        (status = 409, description = "A write-off is more than a customer's usable points."),
        (status = 429, description = "Too many wrong passwords for this login (or unknown credentials from this address); \
            `Retry-After` says when to try again.")))]
pub async fn adjust_points(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<AdjustmentFields>,
) -> Result<(StatusCode, axum::Json<Items<AdjustedBody>>), ApiError> {
    let input = AdjustmentInput {
        customer_ids: fields.customer_ids.into_iter().map(CustomerId).collect(),
        points: fields.points,
        comment: fields.comment,
        message: fields.message,
        password: fields.password,
    };
    let adjusted = state.app.adjust_points(input, &caller.changed_by()).await?;
    let items = adjusted
        .into_iter()
        .map(|(customer, available)| AdjustedBody {
            customer_id: customer.0,
            points_available: available,
        })
        .collect();
    Ok((StatusCode::CREATED, axum::Json(Items { items })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerEntryBody {
    pub id: i64,
    /// `accrual`, `payment`, `manual`, `birthday`, `referral`, `expiry`,
    /// `return_reversal`, `return_refund`, `merge`, `opening_balance`.
    pub kind: String,
    pub points: i64,
    pub receipt_key: Option<i64>,
    pub till_id: Option<i64>,
    pub user_id: Option<i64>,
    pub comment: Option<String>,
    /// A merge's other customer: whom the points came from or went to.
    pub counterpart: Option<super::customers::NamedCustomerBody>,
    pub usable_from: Option<String>,
    pub expires_at: Option<String>,
    pub created_at: String,
}

impl From<LedgerEntry> for LedgerEntryBody {
    fn from(e: LedgerEntry) -> LedgerEntryBody {
        LedgerEntryBody {
            id: e.id.0,
            kind: e.kind.as_str().to_owned(),
            points: e.points,
            receipt_key: e.receipt_key.map(|k| k.0),
            till_id: e.till_id.map(|t| t.0),
            user_id: e.user_id.map(|u| u.0),
            comment: e.comment,
            counterpart: e.counterpart.map(Into::into),
            usable_from: e.usable_from.map(|t| t.to_string()),
            expires_at: e.expires_at.map(|t| t.to_string()),
            created_at: e.created_at.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerPage {
    pub points_available: i64,
    /// The sum of every entry (negative while a debt is owed).
    pub balance: i64,
    pub next_expiry: Option<super::pos::ExpiryBody>,
    pub items: Vec<LedgerEntryBody>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LedgerFilter {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

/// A customer's points ledger, newest first, with the balance.
#[utoipa::path(get, path = "/api/v1/customers/{id}/ledger", tag = "points", params(("id" = i64, Path), LedgerFilter),
    responses((status = 200, body = LedgerPage)))]
pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(filter): Query<LedgerFilter>,
) -> Result<axum::Json<LedgerPage>, ApiError> {
    let limit = page_size(filter.limit)?;
    let before = cursor(filter.cursor.as_deref())?.map(LedgerEntryId);
    let (loyalty, entries) = state
        .app
        .ledger(CustomerId(id), before, limit, &caller.changed_by())
        .await?;
    let now = state.app.clock().now();
    let next_cursor = (entries.len() == limit as usize)
        .then(|| entries.last().map(|e| e.id.0.to_string()))
        .flatten();
    Ok(axum::Json(LedgerPage {
        points_available: loyalty.account.available(now),
        balance: loyalty.account.balance(),
        next_expiry: loyalty
            .account
            .next_expiry(now)
            .map(|e| super::pos::ExpiryBody {
                at: e.at.to_string(),
                points: e.points,
            }),
        items: entries.into_iter().map(LedgerEntryBody::from).collect(),
        next_cursor,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PurchaseBody {
    /// The receipt's key: `GET /api/v1/customers/{id}/receipts/{receipt_key}`.
    pub receipt_key: i64,
    /// Whose receipt it was: this customer or one merged into them.
    pub customer_id: i64,
    /// The till's own receipt id.
    pub receipt_id: String,
    pub till_id: i64,
    pub store_id: i64,
    pub created_at: String,
    pub total_minor: i64,
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
    pub lines: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnBody {
    pub receipt_key: i64,
    /// Whose return it was: this customer or one merged into them.
    pub customer_id: i64,
    pub return_id: String,
    pub created_at: String,
    pub refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsBody {
    /// Spent after discounts, returns deducted (minor units).
    pub spent_minor: i64,
    pub purchases: i64,
    pub average_receipt_minor: Option<i64>,
    pub first_purchase_at: Option<String>,
    pub last_purchase_at: Option<String>,
    pub points_available: i64,
    /// The sum of the ledger (negative while a debt is owed).
    pub balance: i64,
    pub next_expiry: Option<super::pos::ExpiryBody>,
    pub tier_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryBody {
    pub totals: TotalsBody,
    /// The latest 50 of each, newest first, with those of the customers
    /// merged into this one (none for a customer merged into another).
    pub purchases: Vec<PurchaseBody>,
    pub returns: Vec<ReturnBody>,
    pub points_entries: Vec<LedgerEntryBody>,
    /// Current and withdrawn cards.
    pub cards: Vec<CardBody>,
    pub certificates: Vec<super::certificates::CertificateBody>,
    /// The customers this one referred.
    pub referrals: Vec<ReferralBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralBody {
    pub customer_id: i64,
    pub name: String,
    pub created_at: String,
}

/// A customer's purchases, returns, points entries, cards and totals.
#[utoipa::path(get, path = "/api/v1/customers/{id}/history", tag = "points", params(("id" = i64, Path)),
    responses((status = 200, body = HistoryBody)))]
pub async fn history(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<axum::Json<HistoryBody>, ApiError> {
    let history = state
        .app
        .history(CustomerId(id), &caller.changed_by())
        .await?;
    let now = state.app.clock().now();
    let loyalty = &history.loyalty;
    let totals = TotalsBody {
        spent_minor: loyalty.spent_minor,
        purchases: loyalty.purchases,
        average_receipt_minor: (loyalty.purchases > 0)
            .then(|| loyalty.spent_minor / loyalty.purchases),
        first_purchase_at: loyalty.first_purchase_at.map(|t| t.to_string()),
        last_purchase_at: loyalty.last_purchase_at.map(|t| t.to_string()),
        points_available: loyalty.account.available(now),
        balance: loyalty.account.balance(),
        next_expiry: loyalty
            .account
            .next_expiry(now)
            .map(|e| super::pos::ExpiryBody {
                at: e.at.to_string(),
                points: e.points,
            }),
        tier_id: loyalty.tier_id.map(|t| t.0),
    };
    Ok(axum::Json(HistoryBody {
        totals,
        purchases: history
            .purchases
            .into_iter()
            .map(|p| PurchaseBody {
                receipt_key: p.key.0,
                customer_id: p.customer_id.0,
                receipt_id: p.receipt_id,
                till_id: p.till_id.0,
                store_id: p.store_id.0,
                created_at: p.created_at.to_string(),
                total_minor: p.total_minor,
                discount_minor: p.discount_minor,
                points_paid: p.points_paid,
                points_accrued: p.points_accrued,
                to_pay_minor: p.to_pay_minor,
                lines: p.lines,
            })
            .collect(),
        returns: history
            .returns
            .into_iter()
            .map(|r| ReturnBody {
                receipt_key: r.receipt_key.0,
                customer_id: r.customer_id.0,
                return_id: r.return_id,
                created_at: r.created_at.to_string(),
                refund_minor: r.refund_minor,
                points_returned: r.points_returned,
                points_taken_back: r.points_taken_back,
            })
            .collect(),
        points_entries: history
            .entries
            .into_iter()
            .map(LedgerEntryBody::from)
            .collect(),
        cards: history.cards.into_iter().map(CardBody::from).collect(),
        certificates: history
            .certificates
            .into_iter()
            .map(super::certificates::CertificateBody::from)
            .collect(),
        referrals: history
            .referrals
            .into_iter()
            .map(|(id, name, created_at)| ReferralBody {
                customer_id: id.0,
                name,
                created_at: created_at.to_string(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierAssignmentFields {
    /// 1 to 10,000 customers.
    #[schema(min_items = 1, max_items = 10000)]
    pub customer_ids: Vec<i64>,
    /// `null` clears the tier set by hand.
    pub tier_id: Option<i64>,
    /// The tier holds until then, a time still to come; absent: for good.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub until: Option<jiff::Timestamp>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TierAssignedBody {
    pub customers: usize,
}

/// Set the tier of one or many customers by hand, optionally until a date.
#[utoipa::path(post, path = "/api/v1/tiers/assignments", tag = "programs", request_body = TierAssignmentFields,
    responses((status = 200, body = TierAssignedBody), (status = 404, description = "No such tier or customer.")))]
pub async fn assign_tier(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(fields): Json<TierAssignmentFields>,
) -> Result<axum::Json<TierAssignedBody>, ApiError> {
    let customers: Vec<CustomerId> = fields.customer_ids.into_iter().map(CustomerId).collect();
    let customers = state
        .app
        .set_tier(
            &customers,
            fields.tier_id.map(clientele_domain::TierId),
            fields.until,
            &caller.changed_by(),
        )
        .await?;
    Ok(axum::Json(TierAssignedBody { customers }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OwedFilter {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OwingCustomer {
    pub customer_id: i64,
    pub name: String,
    pub points_owed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PointsOwedReport {
    /// Owed by everyone, in hundredths of a point.
    pub total_points_owed: i64,
    pub customers_owing: i64,
    /// The customers who owe, by id.
    pub items: Vec<OwingCustomer>,
    pub next_cursor: Option<String>,
}

/// Points owed: offline receipts that paid with points no longer there, and
/// returns of points already spent; the next accruals settle them.
#[utoipa::path(get, path = "/api/v1/reports/points-owed", tag = "reports", params(OwedFilter),
    responses((status = 200, body = PointsOwedReport)))]
pub async fn points_owed(
    State(state): State<AppState>,
    Query(filter): Query<OwedFilter>,
) -> Result<axum::Json<PointsOwedReport>, ApiError> {
    let limit = page_size(filter.limit)?;
    let after = CustomerId(cursor(filter.cursor.as_deref())?.unwrap_or(0));
    let owed = state.app.points_owed(after, limit).await?;
    let next_cursor = (owed.items.len() == limit as usize)
        .then(|| owed.items.last().map(|(id, ..)| id.0.to_string()))
        .flatten();
    Ok(axum::Json(PointsOwedReport {
        total_points_owed: owed.total,
        customers_owing: owed.customers,
        items: owed
            .items
            .into_iter()
            .map(|(id, name, points)| OwingCustomer {
                customer_id: id.0,
                name,
                points_owed: points,
            })
            .collect(),
        next_cursor,
    }))
}
