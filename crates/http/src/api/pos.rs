//! `/api/v1/pos/…`: the till's protocol. Quantities are read from their
//! JSON text, so 0.532 kg is 532 thousandths exactly; a committed receipt's
//! answer is stored and returned byte for byte to every replay.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use clientele_app::AppError;
use clientele_app::pos::{
    BasketRequest, CommitAnswer, CustomerRef, Identified, IdentifyRequest, MAX_BATCH,
    PersonalOffer, ReceiptRequest, ReturnRequestBody, messages,
};
use clientele_domain::offer::CouponRule;
use clientele_domain::pricing::BasketLine;
use clientele_domain::{CustomerId, FieldError, Quantity, StoreId, ValidationErrors};
use serde::{Deserialize, Serialize};
use serde_json::json;
use serde_json::value::RawValue;
use utoipa::ToSchema;

use super::answers::Contract;
use crate::access::Caller;
use crate::extract::{Json, Path};
use crate::problem::ApiError;
use crate::state::AppState;

/// A card, a phone, or both: a blank card is activated by binding it to the
/// phone's customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifyBody {
    /// The card's barcode as scanned.
    #[schema(schema_with = super::shapes::scanned)]
    pub card: Option<String>,
    #[schema(schema_with = super::shapes::phone)]
    pub phone: Option<String>,
    /// Registers an unknown phone at the till under this name (up to 200
    /// characters, not blank).
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub register_name: Option<String>,
    /// SKUs already in the basket, not offered as preferred products.
    #[serde(default)]
    pub basket_skus: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdentifiedCustomer {
    pub id: i64,
    pub name: String,
    /// The phone with its middle digits hidden, e.g. `+7912***89`.
    #[schema(format = "masked-phone")]
    pub phone: Option<String>,
    pub blocked: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdentifiedCard {
    pub id: i64,
    pub barcode: String,
    pub symbology: String,
    pub active: bool,
    pub blocked: bool,
    pub valid_to: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExpiryBody {
    pub at: String,
    pub points: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductBody {
    pub sku: String,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateBrief {
    pub code: String,
    pub balance_minor: i64,
    pub valid_to: String,
}

/// An offer the customer has, as the cashier tells them of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalOfferBody {
    pub offer_id: i64,
    pub name: String,
    /// `extra_points`, `bonus_points`, `percent_off` or `amount_off`, with
    /// its value as `/api/v1/offers` writes it.
    pub reward: String,
    pub reward_value: i64,
    /// What it is on; both empty: the whole basket.
    pub skus: Vec<String>,
    pub categories: Vec<String>,
    /// Its last day; none: until paused.
    pub valid_to: Option<String>,
    /// It asks for a coupon: `unique` (one of `coupons`) or `shared`.
    pub coupon: Option<String>,
    /// The customer's own unused coupons for it.
    pub coupons: Vec<String>,
}

impl From<PersonalOffer> for PersonalOfferBody {
    fn from(personal: PersonalOffer) -> PersonalOfferBody {
        let terms = personal.offer.terms;
        let (reward, reward_value) = super::offers::reward_of(terms.reward);
        PersonalOfferBody {
            offer_id: personal.offer.id.0,
            name: terms.name,
            reward: reward.to_owned(),
            reward_value,
            skus: terms.target.skus,
            categories: terms.target.categories,
            valid_to: terms.schedule.valid_to.map(|d| d.to_string()),
            coupon: terms.coupon.map(|rule| {
                match rule {
                    CouponRule::Unique => "unique",
                    CouponRule::Shared(_) => "shared",
                }
                .to_owned()
            }),
            coupons: personal
                .coupons
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IdentifyAnswer {
    pub customer: IdentifiedCustomer,
    pub card: Option<IdentifiedCard>,
    pub program: Option<NamedRef>,
    pub tier: Option<NamedRef>,
    pub points_available: i64,
    pub next_expiry: Option<ExpiryBody>,
    /// Gift certificates the customer holds that can pay now.
    pub certificates: Vec<CertificateBrief>,
    pub preferred_products: Vec<ProductBody>,
    /// The offers the customer has now, with their unused coupons.
    pub personal_offers: Vec<PersonalOfferBody>,
    /// The customer was registered by this request.
    pub registered: bool,
    /// `card_blocked`, `card_expired`, `card_withdrawn`, `card_not_yet_valid`,
    /// `card_blank`, `card_activated`, `customer_blocked`.
    pub warnings: Vec<&'static str>,
}

impl From<Identified> for IdentifyAnswer {
    fn from(found: Identified) -> IdentifyAnswer {
        IdentifyAnswer {
            customer: IdentifiedCustomer {
                id: found.customer.id.0,
                name: found.customer.profile.name.clone(),
                phone: found.customer.profile.phone.as_ref().map(|p| p.masked()),
                blocked: found.customer.profile.blocked,
            },
            card: found.card.map(|card| IdentifiedCard {
                id: card.id.0,
                barcode: card.barcode.as_str().to_owned(),
                symbology: card.symbology.as_str().to_owned(),
                active: card.active,
                blocked: card.blocked,
                valid_to: card.valid_to.map(|t| t.to_string()),
            }),
            program: found.program.map(|p| NamedRef {
                id: p.id.0,
                name: p.name,
            }),
            tier: found.tier.map(|t| NamedRef {
                id: t.id.0,
                name: t.name,
            }),
            points_available: found.points_available,
            next_expiry: found.next_expiry.map(|e| ExpiryBody {
                at: e.at.to_string(),
                points: e.points,
            }),
            certificates: found
                .certificates
                .into_iter()
                .map(|c| CertificateBrief {
                    code: c.code,
                    balance_minor: c.balance_minor,
                    valid_to: c.valid_to.to_string(),
                })
                .collect(),
            preferred_products: found
                .preferred_products
                .into_iter()
                .map(|(sku, name)| ProductBody { sku, name })
                .collect(),
            personal_offers: found
                .personal_offers
                .into_iter()
                .map(PersonalOfferBody::from)
                .collect(),
            registered: found.registered,
            warnings: found.warnings,
        }
    }
}

/// Identify a customer by card or phone.
#[utoipa::path(post, path = "/api/v1/pos/identify", tag = "pos", request_body = IdentifyBody,
    responses((status = 200, body = IdentifyAnswer),
        (status = 404, description = "No such card, or no customer with this phone (and no `register_name`)."),
        (status = 409, description = "The card is blank and no phone came with it, or it is bound already, \
            or the phone is another customer's.")))]
pub async fn identify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<IdentifyBody>,
) -> Result<axum::Json<IdentifyAnswer>, ApiError> {
    let request = IdentifyRequest {
        card: body.card,
        phone: body.phone,
        register: body.register_name,
        basket_skus: body.basket_skus,
    };
    let found = state
        .app
        .identify(caller.till(), &request, &caller.changed_by())
        .await?;
    Ok(axum::Json(found.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LineBody {
    /// Not blank.
    #[schema(min_length = 1, pattern = r"\S")]
    pub sku: String,
    #[serde(default)]
    pub name: String,
    pub category: Option<String>,
    /// A number above 0 and at most a million, with at most three decimals
    /// (1, or 0.532 kg); read from its text, exactly.
    #[schema(value_type = f64, exclusive_minimum = 0, maximum = 1000000, multiple_of = 0.001)]
    pub quantity: Box<RawValue>,
    #[schema(minimum = 0, maximum = 1000000000000_i64)]
    pub price_minor: i64,
    /// What the line costs before loyalty.
    #[schema(minimum = 0, maximum = 1000000000000_i64)]
    pub amount_minor: i64,
}

/// The basket fields `calculate`, `commit` and the batch share. The customer
/// is named by one of `card`, `phone` and `customer_id`, or by none for an
/// anonymous receipt.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculateBody {
    /// The card's barcode as scanned.
    #[schema(schema_with = super::shapes::scanned)]
    pub card: Option<String>,
    #[schema(schema_with = super::shapes::phone)]
    pub phone: Option<String>,
    pub customer_id: Option<i64>,
    /// 1 to 1000 lines.
    #[schema(min_items = 1, max_items = 1000)]
    pub lines: Vec<LineBody>,
    /// What the customer asks to pay with points; above 0 only for a
    /// customer of a bonus program.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub points_to_pay: i64,
    /// Gift certificate codes, each once.
    #[serde(default)]
    pub certificates: Vec<String>,
    /// Coupon codes, each once: single-use coupons or an offer's shared
    /// code (case does not matter).
    #[serde(default)]
    #[schema(max_items = 20, inline, value_type = Vec<CouponCodeShape>)]
    pub coupons: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptBody {
    /// The till's own id of the receipt: the idempotency key, with the till;
    /// 1 to 100 characters, no white space around them.
    #[schema(max_length = 100, pattern = r"^\S(?:[\s\S]*\S)?$")]
    pub receipt_id: String,
    /// When the sale happened (RFC 3339), at most 10 minutes ahead of the
    /// server's clock; an offline till sends the original time.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The till's store, if the till says; another store is a conflict.
    pub store_id: Option<i64>,
    /// The hold made for this payment: its points are this receipt's.
    pub hold_id: Option<String>,
    #[schema(schema_with = super::shapes::scanned)]
    pub card: Option<String>,
    #[schema(schema_with = super::shapes::phone)]
    pub phone: Option<String>,
    pub customer_id: Option<i64>,
    #[schema(min_items = 1, max_items = 1000)]
    pub lines: Vec<LineBody>,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub points_to_pay: i64,
    #[serde(default)]
    pub certificates: Vec<String>,
    #[serde(default)]
    #[schema(max_items = 20, inline, value_type = Vec<CouponCodeShape>)]
    pub coupons: Vec<String>,
}

/// A coupon code as a cashier types or scans it.
#[derive(ToSchema)]
#[schema(as = CouponCodeShape, pattern = r"^[ \t\n\r]*[A-Za-z0-9-]{4,32}[ \t\n\r]*$")]
#[allow(dead_code)]
pub struct CouponCodeShape(String);

/// What the derive cannot say of these operations.
pub(super) fn contracts() -> Vec<Contract> {
    // At most one of card, phone and customer id names the customer, and a
    // certificate is named once.
    let one_customer = || {
        let only = |field: &str| {
            let mut properties = json!({"card": {"type": "null"}, "phone": {"type": "null"},
                "customer_id": {"type": "null"}});
            properties[field] = json!({});
            json!({"properties": properties, "required": [field]})
        };
        json!({"anyOf": [
            only("card"),
            only("phone"),
            only("customer_id"),
            {"properties": {"card": {"type": "null"}, "phone": {"type": "null"},
                "customer_id": {"type": "null"}}},
        ], "properties": {"certificates": {"uniqueItems": true}, "coupons": {"uniqueItems": true}}})
    };
    vec![
        Contract::Body(
            "IdentifyBody",
            json!({"anyOf": [
                {"properties": {"card": {"type": "string"}}, "required": ["card"]},
                {"properties": {"phone": {"type": "string"}}, "required": ["phone"]},
            ]}),
        ),
        Contract::Body("CalculateBody", one_customer()),
        Contract::Body("ReceiptBody", one_customer()),
        // A hold is of a customer's points: somebody, and some points.
        Contract::Request(
            "POST /api/v1/pos/holds",
            json!({"anyOf": [
                {"properties": {"card": {"type": "string"}}, "required": ["card"]},
                {"properties": {"phone": {"type": "string"}}, "required": ["phone"]},
                {"properties": {"customer_id": {"type": "integer"}}, "required": ["customer_id"]},
            ], "properties": {"points_to_pay": {"minimum": 1}}, "required": ["points_to_pay"]}),
        ),
    ]
}

fn customer_ref(
    card: Option<String>,
    phone: Option<String>,
    customer_id: Option<i64>,
) -> Result<CustomerRef, ValidationErrors> {
    match (card, phone, customer_id) {
        (None, None, None) => Ok(CustomerRef::Anonymous),
        (Some(card), None, None) => Ok(CustomerRef::Card(card)),
        (None, Some(phone), None) => Ok(CustomerRef::Phone(phone)),
        (None, None, Some(id)) => Ok(CustomerRef::Id(CustomerId(id))),
        _ => Err(ValidationErrors::one(
            "card",
            "ambiguous",
            "name the customer by one of card, phone or customer_id",
        )),
    }
}

fn basket(
    customer: CustomerRef,
    lines: Vec<LineBody>,
    points_to_pay: i64,
    certificates: Vec<String>,
    coupons: Vec<String>,
) -> Result<BasketRequest, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let lines = lines
        .into_iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let quantity = errors.take(
                line.quantity
                    .get()
                    .parse::<Quantity>()
                    .map_err(|e| e.at(format!("lines[{i}].quantity"))),
            )?;
            Some(BasketLine {
                sku: line.sku,
                name: line.name,
                category: line.category,
                quantity,
                price_minor: line.price_minor,
                amount_minor: line.amount_minor,
            })
        })
        .collect();
    if points_to_pay < 0 {
        errors.push(FieldError::new(
            "points_to_pay",
            "negative",
            "must not be negative",
        ));
    }
    errors.finish(|| BasketRequest {
        customer,
        lines,
        points_to_pay,
        certificates,
        coupons,
    })
}

impl CalculateBody {
    fn parse(self) -> Result<BasketRequest, ValidationErrors> {
        let customer = customer_ref(self.card, self.phone, self.customer_id)?;
        basket(
            customer,
            self.lines,
            self.points_to_pay,
            self.certificates,
            self.coupons,
        )
    }
}

impl ReceiptBody {
    fn parse(self) -> Result<ReceiptRequest, ValidationErrors> {
        let created_at = self.created_at.parse::<jiff::Timestamp>().map_err(|_| {
            ValidationErrors::one(
                "created_at",
                "invalid",
                "an RFC 3339 time with its offset, e.g. 2026-11-23T10:15:00+03:00",
            )
        })?;
        let customer = customer_ref(self.card, self.phone, self.customer_id)?;
        Ok(ReceiptRequest {
            receipt_id: self.receipt_id,
            created_at,
            store_id: self.store_id.map(StoreId),
            hold_id: self.hold_id,
            basket: basket(
                customer,
                self.lines,
                self.points_to_pay,
                self.certificates,
                self.coupons,
            )?,
        })
    }
}

/// Price a basket without changing anything.
#[utoipa::path(post, path = "/api/v1/pos/calculate", tag = "pos", request_body = CalculateBody,
    responses((status = 200, description = "Lines and totals.", body = CalculationAnswer),
        (status = 404, description = "No such card, customer, gift certificate or coupon."),
        (status = 409, description = "The card or the customer is blocked or the card not valid now, points cannot \
            pay this receipt or not this many, a certificate cannot pay now, or a coupon was used, is another \
            customer's, is of an offer not running, or came without a customer.")))]
pub async fn calculate(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<CalculateBody>,
) -> Result<axum::Json<CalculationAnswer>, ApiError> {
    let request = body.parse()?;
    Ok(axum::Json(
        state.app.calculate(caller.till(), &request).await?.into(),
    ))
}

/// The stored answer as JSON, marked when it is a replay.
fn stored(answer: CommitAnswer, status: StatusCode) -> Response {
    let mut response = (status, answer.body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if answer.replayed {
        headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    response
}

/// Commit a receipt (idempotent per till and `receipt_id`).
#[utoipa::path(post, path = "/api/v1/pos/receipts", tag = "pos", request_body = ReceiptBody,
    responses((status = 201, description = "Committed, or the first answer again (header `Idempotent-Replayed: true`).",
            body = ReceiptAnswer, headers(("Idempotent-Replayed" = String, description = "`true` on a replay"))),
        (status = 404, description = "No such card, customer, gift certificate, coupon or live hold."),
        (status = 409, description = "Another receipt under this id, another store than the till's, points no \
            longer cover the payment, the card or the customer is blocked, a certificate cannot pay, a \
            single-use coupon was used meanwhile, or an offer's budget ran out since the basket was priced.")))]
pub async fn commit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<ReceiptBody>,
) -> Result<Response, ApiError> {
    let till = caller.require_till()?;
    let request = body.parse()?;
    let answer = state.app.commit_receipt(till, &request, false).await?;
    Ok(stored(answer, StatusCode::CREATED))
}

/// A committed receipt's answer, by the till's receipt id.
#[utoipa::path(get, path = "/api/v1/pos/receipts/{receipt_id}", tag = "pos", params(("receipt_id" = String, Path)),
    responses((status = 200, description = "The answer the commit gave.", body = ReceiptAnswer)))]
pub async fn read_receipt(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt_id): Path<String>,
) -> Result<Response, ApiError> {
    let till = caller.require_till()?;
    let body = state.app.receipt_answer(till, &receipt_id).await?;
    Ok(stored(
        CommitAnswer {
            body,
            replayed: false,
        },
        StatusCode::OK,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnLineBody {
    /// Counted from 1.
    #[schema(minimum = 1)]
    pub line: u32,
    /// As a line's quantity is written: above 0, at most three decimals.
    #[schema(value_type = f64, exclusive_minimum = 0, maximum = 1000000, multiple_of = 0.001)]
    pub quantity: Box<RawValue>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// The till's own id of the return: the idempotency key, with the
    /// receipt; 1 to 100 characters, not blank.
    #[schema(max_length = 100, pattern = r"\S")]
    pub return_id: String,
    /// Some lines, each named once; none returns whatever is left of the receipt.
    pub lines: Option<Vec<ReturnLineBody>>,
}

/// Return some lines of a receipt, or the whole (idempotent per `return_id`).
#[utoipa::path(post, path = "/api/v1/pos/receipts/{receipt_id}/returns", tag = "pos", params(("receipt_id" = String, Path)), request_body = ReturnBody,
    responses((status = 201, description = "What was given back and taken back.", body = ReturnAnswer,
            headers(("Idempotent-Replayed" = String, description = "`true` on a replay"))),
        (status = 409, description = "Another return under this id, a line the receipt does not have or more \
            than is left of it, or nothing left to return.")))]
pub async fn return_receipt(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(receipt_id): Path<String>,
    Json(body): Json<ReturnBody>,
) -> Result<Response, ApiError> {
    let till = caller.require_till()?;
    let mut errors = ValidationErrors::default();
    let lines = body.lines.map(|lines| {
        lines
            .into_iter()
            .enumerate()
            .filter_map(|(i, l)| {
                let quantity = errors.take(
                    l.quantity
                        .get()
                        .parse::<Quantity>()
                        .map_err(|e| e.at(format!("lines[{i}].quantity"))),
                )?;
                Some((l.line, quantity))
            })
            .collect()
    });
    let request = errors.finish(|| ReturnRequestBody {
        return_id: body.return_id,
        lines,
    })?;
    let answer = state
        .app
        .return_receipt(till, &receipt_id, &request)
        .await?;
    Ok(stored(answer, StatusCode::CREATED))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchBody {
    /// Up to 1000 receipts as `commit` takes them, with their original
    /// `created_at`; each refused one is answered in its own result.
    #[schema(value_type = Vec<serde_json::Value>, max_items = 1000)]
    pub receipts: Vec<Box<RawValue>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchResult {
    pub receipt_id: Option<String>,
    /// The status `commit` would have answered.
    pub status: u16,
    /// The answer `commit` would have given (a problem when refused).
    #[schema(value_type = Object)]
    pub body: Box<RawValue>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BatchAnswer {
    pub results: Vec<BatchResult>,
}

/// The largest offline upload: the most receipts a batch takes, each with
/// a long basket.
pub const BATCH_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// Upload receipts an offline till committed, each answered on its own.
#[utoipa::path(post, path = "/api/v1/pos/receipts:batch", tag = "pos", request_body = BatchBody,
    responses((status = 200, body = BatchAnswer)))]
pub async fn batch(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<BatchBody>,
) -> Result<axum::Json<BatchAnswer>, ApiError> {
    let till = caller.require_till()?;
    if body.receipts.len() > MAX_BATCH {
        return Err(ValidationErrors::one(
            "receipts",
            "too_many",
            format!("upload at most {MAX_BATCH} receipts at a time"),
        )
        .into());
    }
    let app = &state.app;
    let one = |raw: Box<RawValue>| async move {
        let parsed: Result<ReceiptBody, _> = serde_json::from_str(raw.get());
        let receipt_id = parsed.as_ref().ok().map(|r| r.receipt_id.clone());
        let outcome = match parsed {
            Err(e) => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-body",
                e.to_string(),
            )),
            Ok(body) => match body.parse() {
                Err(errors) => Err(ApiError::from(AppError::Validation(errors))),
                Ok(request) => app
                    .commit_receipt(till, &request, true)
                    .await
                    .map_err(ApiError::from),
            },
        };
        let (status, bytes) = match outcome {
            Ok(answer) => (StatusCode::CREATED.as_u16(), answer.body),
            Err(problem) => (problem.status(), problem.body()),
        };
        let body = RawValue::from_string(String::from_utf8(bytes).expect("answers are UTF-8"))
            .expect("answers are JSON");
        BatchResult {
            receipt_id,
            status,
            body,
        }
    };
    // Receipts of one till, in order: a later one may spend what an earlier one earned.
    let mut results = Vec::with_capacity(body.receipts.len());
    for raw in body.receipts {
        results.push(one(raw).await);
    }
    Ok(axum::Json(BatchAnswer { results }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoldAnswer {
    #[serde(flatten)]
    pub calculation: CalculationAnswer,
    /// Send it with the commit; or DELETE it to free the points.
    pub hold_id: String,
    pub expires_at: String,
}

/// Hold the points a customer asks to pay with, until the commit (or at most 10 minutes).
#[utoipa::path(post, path = "/api/v1/pos/holds", tag = "pos", request_body = CalculateBody,
    responses((status = 201, body = HoldAnswer),
        (status = 404, description = "No such card, customer, gift certificate or coupon."),
        (status = 409, description = "The points are not available, points cannot pay this receipt, the card \
            or the customer is blocked, a coupon cannot be taken, or an offer's budget has no room left for \
            the basket (live holds keep their offers' part until their receipt comes).")))]
pub async fn place_hold(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(body): Json<CalculateBody>,
) -> Result<(StatusCode, axum::Json<HoldAnswer>), ApiError> {
    let till = caller.require_till()?;
    let request = body.parse()?;
    let hold = state.app.place_hold(till, &request).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(HoldAnswer {
            calculation: hold.calculation.into(),
            hold_id: hold.hold_id,
            expires_at: hold.expires_at.to_string(),
        }),
    ))
}

/// Free a hold's points (the customer changed their mind).
#[utoipa::path(delete, path = "/api/v1/pos/holds/{hold_id}", tag = "pos", params(("hold_id" = String, Path)),
    responses((status = 204, description = "Released.")))]
pub async fn release_hold(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(hold_id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let till = caller.require_till()?;
    state.app.release_hold(till, &hold_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What `calculate` answers; a commit's stored answer carries it too.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalculationAnswer {
    /// The customer priced for; `null`: an anonymous receipt.
    pub customer_id: Option<i64>,
    pub lines: Vec<LineAnswer>,
    pub total_minor: i64,
    pub discount_minor: i64,
    /// The most points this receipt may be paid with.
    pub points_payable_max: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
    /// Gift certificates paying part of `to_pay_minor`, in order.
    pub certificates: Vec<CertificatePaid>,
    pub certificates_paid_minor: i64,
    /// What is left to pay in money.
    pub money_to_pay_minor: i64,
    /// The offers that gave something, in the order applied; their
    /// discounts are in `discount_minor`, their points in `points_accrued`.
    pub offers_applied: Vec<OfferApplied>,
    /// The customer's offers that could have given something on this
    /// basket but did not, and why.
    pub offers_skipped: Vec<OfferSkipped>,
    /// The rounding rule the figures follow.
    pub rounding: String,
}

/// What one offer gave the receipt.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferApplied {
    pub offer_id: i64,
    pub name: String,
    pub discount_minor: i64,
    pub points_accrued: i64,
    /// The coupon it took, if it asks for one.
    pub coupon: Option<String>,
    /// It gave less than its terms say: its budget ran short.
    pub cut_by_budget: bool,
}

/// What one offer gave one line.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineOfferApplied {
    pub offer_id: i64,
    pub name: String,
    pub discount_minor: i64,
    pub points_accrued: i64,
}

/// An offer of the customer's that gave nothing here.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfferSkipped {
    pub offer_id: i64,
    pub name: String,
    /// `coupon_missing` (ask for it), `threshold_not_reached` (buy more),
    /// `excluded_category` (its goods are excluded by law or the program),
    /// `outranked` (another offer took its lines or was worth more; told
    /// only of an offer whose coupon was presented), `budget_exhausted`.
    pub reason: String,
}

/// One priced line; the lines add up to the totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineAnswer {
    /// Counted from 1.
    pub line: u32,
    pub sku: String,
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
    /// The offers that gave something on this line.
    pub offers_applied: Vec<LineOfferApplied>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificatePaid {
    pub code: String,
    pub paid_minor: i64,
    /// What leaves its balance (all of a certificate used at once).
    pub taken_minor: i64,
}

impl From<messages::CalculationAnswer> for CalculationAnswer {
    fn from(a: messages::CalculationAnswer) -> CalculationAnswer {
        CalculationAnswer {
            customer_id: a.customer_id,
            lines: a
                .lines
                .into_iter()
                .map(|l| LineAnswer {
                    line: l.line,
                    sku: l.sku,
                    discount_minor: l.discount_minor,
                    points_paid: l.points_paid,
                    points_accrued: l.points_accrued,
                    to_pay_minor: l.to_pay_minor,
                    offers_applied: l
                        .offers_applied
                        .into_iter()
                        .map(|o| LineOfferApplied {
                            offer_id: o.offer_id,
                            name: o.name,
                            discount_minor: o.discount_minor,
                            points_accrued: o.points_accrued,
                        })
                        .collect(),
                })
                .collect(),
            total_minor: a.total_minor,
            discount_minor: a.discount_minor,
            points_payable_max: a.points_payable_max,
            points_paid: a.points_paid,
            points_accrued: a.points_accrued,
            to_pay_minor: a.to_pay_minor,
            certificates: a
                .certificates
                .into_iter()
                .map(|c| CertificatePaid {
                    code: c.code,
                    paid_minor: c.paid_minor,
                    taken_minor: c.taken_minor,
                })
                .collect(),
            certificates_paid_minor: a.certificates_paid_minor,
            money_to_pay_minor: a.money_to_pay_minor,
            offers_applied: a
                .offers_applied
                .into_iter()
                .map(|o| OfferApplied {
                    offer_id: o.offer_id,
                    name: o.name,
                    discount_minor: o.discount_minor,
                    points_accrued: o.points_accrued,
                    coupon: o.coupon,
                    cut_by_budget: o.cut_by_budget,
                })
                .collect(),
            offers_skipped: a
                .offers_skipped
                .into_iter()
                .map(|o| OfferSkipped {
                    offer_id: o.offer_id,
                    name: o.name,
                    reason: o.reason.to_owned(),
                })
                .collect(),
            rounding: a.rounding.to_owned(),
        }
    }
}

/// What `commit` answers, stored and replayed byte for byte. Never built
/// here (the app writes those bytes); it says what they hold, and a test
/// holds the two together.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ReceiptAnswer {
    pub receipt_id: String,
    pub created_at: String,
    #[serde(flatten)]
    pub calculation: CalculationAnswer,
    /// The customer's usable points after this receipt.
    pub points_available: i64,
    /// Points paid beyond what was left (an offline till), now owed.
    pub points_owed: i64,
}

/// What a return answers: what was given back and taken back. Stored and
/// replayed as the app wrote it, as a commit's answer is.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ReturnAnswer {
    pub return_id: String,
    pub receipt_id: String,
    pub lines: Vec<ReturnedLineAnswer>,
    /// Certificates and money together.
    pub refund_minor: i64,
    /// The refund's part given back to the gift certificates that paid.
    pub certificates: Vec<CertificateRefunded>,
    /// What is given back in money.
    pub money_refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
    /// Accrued points already spent, owed and settled from the next accruals.
    pub points_owed: i64,
    pub points_available: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ReturnedLineAnswer {
    pub line: u32,
    /// As the line's quantity is written, e.g. `0.5`.
    pub quantity: String,
    pub refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
}

#[allow(dead_code)]
#[derive(ToSchema)]
pub struct CertificateRefunded {
    pub code: String,
    pub refunded_minor: i64,
}

#[cfg(test)]
mod tests {
    //! The answers a till reads are written by the app and documented here:
    //! every field one writes, the other names, and no more.

    use std::collections::BTreeSet;

    use clientele_app::pos::messages;
    use serde_json::Value;

    /// The fields a schema of the document names, through `$ref` and `allOf`.
    fn documented(document: &Value, schema: &Value) -> BTreeSet<String> {
        if let Some(reference) = schema["$ref"].as_str() {
            let name = reference.rsplit('/').next().unwrap();
            return documented(document, &document["components"]["schemas"][name]);
        }
        let mut fields: BTreeSet<String> = schema["properties"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.keys().cloned())
            .collect();
        for part in schema["allOf"].as_array().into_iter().flatten() {
            fields.extend(documented(document, part));
        }
        fields
    }

    fn written(answer: &impl serde::Serialize) -> BTreeSet<String> {
        let value = serde_json::to_value(answer).unwrap();
        value.as_object().unwrap().keys().cloned().collect()
    }

    fn component<'a>(document: &'a Value, name: &str) -> &'a Value {
        &document["components"]["schemas"][name]
    }

    fn calculation() -> messages::CalculationAnswer {
        messages::CalculationAnswer {
            customer_id: Some(7),
            lines: vec![messages::LineAnswer {
                line: 1,
                sku: "A1".into(),
                discount_minor: 10,
                points_paid: 0,
                points_accrued: 5,
                to_pay_minor: 90,
                offers_applied: vec![messages::LineOfferAnswer {
                    offer_id: 3,
                    name: "Молочная неделя".into(),
                    discount_minor: 10,
                    points_accrued: 0,
                }],
            }],
            total_minor: 100,
            discount_minor: 10,
            points_payable_max: 50,
            points_paid: 0,
            points_accrued: 5,
            to_pay_minor: 90,
            certificates: vec![messages::CertificatePaid {
                code: "C1".into(),
                paid_minor: 40,
                taken_minor: 40,
            }],
            certificates_paid_minor: 40,
            money_to_pay_minor: 50,
            offers_applied: vec![messages::OfferAnswer {
                offer_id: 3,
                name: "Молочная неделя".into(),
                discount_minor: 10,
                points_accrued: 0,
                coupon: Some("AAAA-BBBB-CCCC".into()),
                cut_by_budget: false,
            }],
            offers_skipped: vec![messages::SkippedOfferAnswer {
                offer_id: 4,
                name: "Хлеб".into(),
                reason: "no_matching_lines",
            }],
            rounding: messages::ROUNDING,
        }
    }

    #[test]
    fn the_answers_of_the_till_are_documented_field_for_field() {
        let document = super::super::router().1;
        let calculation = calculation();
        assert_eq!(
            written(&calculation),
            documented(&document, component(&document, "CalculationAnswer"))
        );
        assert_eq!(
            written(&calculation.lines[0]),
            documented(&document, component(&document, "LineAnswer"))
        );
        assert_eq!(
            written(&calculation.certificates[0]),
            documented(&document, component(&document, "CertificatePaid"))
        );
        assert_eq!(
            written(&calculation.lines[0].offers_applied[0]),
            documented(&document, component(&document, "LineOfferApplied"))
        );
        assert_eq!(
            written(&calculation.offers_applied[0]),
            documented(&document, component(&document, "OfferApplied"))
        );
        assert_eq!(
            written(&calculation.offers_skipped[0]),
            documented(&document, component(&document, "OfferSkipped"))
        );
        let receipt = messages::ReceiptAnswer {
            frame: messages::ReceiptFrame {
                receipt_id: "R1".into(),
                created_at: "2026-11-23T10:15:00Z".into(),
                calculation,
            },
            points_available: 5,
            points_owed: 0,
        };
        assert_eq!(
            written(&receipt),
            documented(&document, component(&document, "ReceiptAnswer"))
        );
        let returned = messages::ReturnAnswer {
            return_id: "V1".into(),
            receipt_id: "R1".into(),
            lines: vec![messages::ReturnedLineAnswer {
                line: 1,
                quantity: "0.5".into(),
                refund_minor: 45,
                points_returned: 0,
                points_taken_back: 2,
            }],
            refund_minor: 45,
            certificates: vec![messages::CertificateRefunded {
                code: "C1".into(),
                refunded_minor: 20,
            }],
            money_refund_minor: 25,
            points_returned: 0,
            points_taken_back: 2,
            points_owed: 0,
            points_available: 3,
        };
        assert_eq!(
            written(&returned),
            documented(&document, component(&document, "ReturnAnswer"))
        );
        assert_eq!(
            written(&returned.lines[0]),
            documented(&document, component(&document, "ReturnedLineAnswer"))
        );
        assert_eq!(
            written(&returned.certificates[0]),
            documented(&document, component(&document, "CertificateRefunded"))
        );
    }
}
