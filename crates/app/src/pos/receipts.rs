//! Calculate and commit: a basket priced for its customer, and a receipt
//! written once per till and receipt id.

use clientele_domain::certificate::{Certificate, apply_certificates, normalize_code};
use clientele_domain::offer::Applied;
use clientele_domain::points::Shortfall;
use clientele_domain::posting::LotTerms;
use clientele_domain::pricing::{self, Basket, BasketLine, Pricing, PricingError};
use clientele_domain::{FieldError, StoreId, ValidationErrors};
use clientele_store::{
    CertificateDebit, CommitOutcome, OfferGiven, ReceiptCommit, ReceiptCustomer,
};
use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::TillRef;
use super::customer::{CustomerRef, Shopper};
use super::messages::{
    CalculationAnswer, ReceiptFrame, bytes, kept_receipt_answer, receipt_answer,
};
use super::offers::Offered;
use crate::{App, AppError, AppResult};

/// A basket as a till sends it to `calculate`.
#[derive(Debug, Clone, Serialize)]
pub struct BasketRequest {
    pub customer: CustomerRef,
    pub lines: Vec<BasketLine>,
    pub points_to_pay: i64,
    pub certificates: Vec<String>,
    /// Coupon codes presented: single-use coupons or offers' shared codes.
    /// Left out of the request's hash when there are none, so a receipt
    /// committed before coupons existed replays as the same receipt.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coupons: Vec<String>,
}

/// A receipt as a till commits it.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptRequest {
    pub receipt_id: String,
    /// The till's time of the sale (an offline till's original time).
    pub created_at: Timestamp,
    /// The store the till says it is in; refused when it is not the till's.
    pub store_id: Option<StoreId>,
    /// The hold made for this payment, if the till made one.
    pub hold_id: Option<String>,
    pub basket: BasketRequest,
}

/// What `commit` answers: the stored bytes, and whether this was a replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitAnswer {
    pub body: Vec<u8>,
    pub replayed: bool,
}

/// The most a receipt id may be: what tills use are far shorter.
const MAX_RECEIPT_ID: usize = 100;

pub(crate) fn points_problem(error: PricingError) -> AppError {
    let message = match error {
        PricingError::TooManyPoints { max, .. } => format!("{error}; at most {max} can be paid"),
        PricingError::NegativePoints => error.to_string(),
    };
    AppError::from_field(FieldError::new("points_to_pay", "too_many_points", message))
}

impl App {
    /// Prices a basket at a till (`None`: elsewhere, where offers bound to
    /// stores do not apply); changes nothing.
    pub async fn calculate(
        &self,
        till: Option<TillRef>,
        request: &BasketRequest,
    ) -> AppResult<CalculationAnswer> {
        Ok(self.priced(till, request).await?.0)
    }

    /// A basket priced as `calculate` answers it, with what each offer
    /// gives it.
    pub(crate) async fn priced(
        &self,
        till: Option<TillRef>,
        request: &BasketRequest,
    ) -> AppResult<(CalculationAnswer, Vec<OfferGiven>)> {
        let now = self.clock().now();
        let basket = Basket::parse(request.lines.clone())?;
        let shopper = self.shopper(&request.customer, now).await?;
        let certificates = self.certificates_for(&request.certificates, now).await?;
        let sale = Sale {
            basket: &basket,
            points_to_pay: request.points_to_pay,
            coupons: &request.coupons,
            store: till.map(|t| t.store_id),
            check_balance: true,
        };
        let offered = self.price(&sale, shopper.as_ref(), now).await?;
        let calc = &offered.calculation;
        let uses = apply_certificates(calc.to_pay_minor, &certificates);
        let offers = given(&offered.applied);
        let answer = CalculationAnswer::new(shopper.map(|s| s.customer.id.0), basket.lines(), calc)
            .with_offers(offered.applied)
            .paid_with(&certificates, &uses);
        Ok((answer, offers))
    }

    /// Commits a receipt, or answers its first answer again. `offline`: the
    /// sale already happened, so points no longer there become a debt
    /// rather than a refusal.
    pub async fn commit_receipt(
        &self,
        till: TillRef,
        request: &ReceiptRequest,
        offline: bool,
    ) -> AppResult<CommitAnswer> {
        let started = std::time::Instant::now();
        let answer = self.commit_once(till, request, offline).await;
        let outcome = match &answer {
            Ok(CommitAnswer { replayed: true, .. }) => "replayed",
            Ok(_) => "committed",
            Err(AppError::Store(_) | AppError::Unavailable(_)) => "failed",
            Err(_) => "refused",
        };
        crate::measure::commit(started, outcome);
        answer
    }

    async fn commit_once(
        &self,
        till: TillRef,
        request: &ReceiptRequest,
        offline: bool,
    ) -> AppResult<CommitAnswer> {
        let hash = request_hash(request);
        let receipt = match self.prepare(till, request, hash.clone(), offline).await {
            Ok(receipt) => receipt,
            // A replay gets its first answer even when the receipt would be
            // refused now (a card blocked since); the store finds the other
            // replays by their receipt id as it writes.
            Err(refused) => {
                return match self.db().receipt(till.id, &request.receipt_id).await? {
                    Some(first) => replay(
                        first.request_hash == hash,
                        kept_receipt_answer(first.answer),
                    ),
                    None => Err(refused),
                };
            }
        };
        let frame = receipt.frame.clone();
        let capped = receipt.offers.iter().any(|o| o.budget.caps_everyone());
        let outcome = self.db().commit_receipt(receipt).await?;
        if capped {
            self.forget_budgets_given();
        }
        match outcome {
            CommitOutcome::Committed(done) => Ok(CommitAnswer {
                body: receipt_answer(&frame, done),
                replayed: false,
            }),
            CommitOutcome::Replayed(kept) => Ok(CommitAnswer {
                body: kept_receipt_answer(kept),
                replayed: true,
            }),
            CommitOutcome::Conflict => replay(false, Vec::new()),
            CommitOutcome::CertificateRefused { code } => Err(AppError::Conflict {
                message: format!(
                    "the gift certificate {code} no longer covers its part; calculate again"
                ),
                field: Some("certificates"),
                existing_customer: None,
            }),
            CommitOutcome::Insufficient { available } => {
                Err(AppError::InsufficientPoints { available })
            }
            CommitOutcome::OfferRefused {
                coupon: Some(code), ..
            } => Err(AppError::Conflict {
                message: format!("the coupon {code} was used meanwhile; calculate again"),
                field: Some("coupons"),
                existing_customer: None,
            }),
            CommitOutcome::OfferRefused {
                offer_id,
                coupon: None,
            } => Err(AppError::Conflict {
                message: format!(
                    "offer {offer_id} has no budget left for this receipt; calculate again"
                ),
                field: None,
                existing_customer: None,
            }),
        }
    }

    pub(crate) async fn prepare(
        &self,
        till: TillRef,
        request: &ReceiptRequest,
        hash: Vec<u8>,
        offline: bool,
    ) -> AppResult<ReceiptCommit> {
        let now = self.clock().now();
        let mut errors = ValidationErrors::default();
        let receipt_id = request.receipt_id.trim();
        if receipt_id.is_empty()
            || receipt_id.len() > MAX_RECEIPT_ID
            || receipt_id != request.receipt_id
        {
            errors.push(FieldError::new(
                "receipt_id",
                "invalid",
                format!(
                    "the till's receipt id: 1 to {MAX_RECEIPT_ID} characters, no surrounding spaces"
                ),
            ));
        }
        if request.store_id.is_some_and(|store| store != till.store_id) {
            errors.push(FieldError::new(
                "store_id",
                "other_store",
                format!("this till belongs to store {}", till.store_id),
            ));
        }
        if request.created_at > now + jiff::SignedDuration::from_mins(10) {
            errors.push(FieldError::new(
                "created_at",
                "in_future",
                "the sale's time is ahead of the server's clock",
            ));
        }
        let basket = errors.take(Basket::parse(request.basket.lines.clone()).map_err(first_error));
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let basket = basket.expect("parsed when no errors");
        let shopper = self.shopper(&request.basket.customer, now).await?;
        let certificates = self
            .certificates_for(&request.basket.certificates, now)
            .await?;
        let sale = Sale {
            basket: &basket,
            points_to_pay: request.basket.points_to_pay,
            coupons: &request.basket.coupons,
            store: Some(till.store_id),
            check_balance: false,
        };
        let Offered {
            calculation: calc,
            applied,
        } = self
            .price(&sale, shopper.as_ref(), request.created_at)
            .await?;
        let customer = shopper.as_ref().map(|s| {
            let (usable_from, expires_at) =
                s.program.as_ref().map_or((request.created_at, None), |p| {
                    p.lot_times(request.created_at)
                });
            ReceiptCustomer {
                customer_id: s.customer.id,
                card_id: s.card.as_ref().map(|c| c.id),
                accrual: LotTerms {
                    usable_from,
                    expires_at,
                },
                tier_ladder: s
                    .program
                    .as_ref()
                    .map(|p| p.tiers.iter().map(|t| (t.threshold_minor, t.id)).collect())
                    .unwrap_or_default(),
                tier_since: s
                    .program
                    .as_ref()
                    .filter(|p| p.rules.tier_period_days > 0)
                    .map(|p| now - jiff::SignedDuration::from_hours(24 * p.rules.tier_period_days)),
            }
        });
        let uses = apply_certificates(calc.to_pay_minor, &certificates);
        let offers = given(&applied);
        let answer = CalculationAnswer::new(
            shopper.as_ref().map(|s| s.customer.id.0),
            basket.lines(),
            &calc,
        )
        .with_offers(applied)
        .paid_with(&certificates, &uses);
        let debits = certificates
            .iter()
            .zip(&uses)
            .filter(|(_, used)| used.taken_minor > 0)
            .map(|(certificate, used)| CertificateDebit {
                id: certificate.id,
                code: certificate.code.clone(),
                taken_minor: used.taken_minor,
            })
            .collect();
        let frame = bytes(&ReceiptFrame {
            receipt_id: request.receipt_id.clone(),
            created_at: request.created_at.to_string(),
            calculation: answer,
        });
        Ok(ReceiptCommit {
            till_id: till.id,
            store_id: till.store_id,
            receipt_id: request.receipt_id.clone(),
            request_hash: hash,
            created_at: request.created_at,
            committed_at: now,
            customer,
            lines: basket.lines().to_vec(),
            calculation: calc,
            shortfall: if offline {
                Shortfall::Owe
            } else {
                Shortfall::Refuse
            },
            hold_id: request.hold_id.clone(),
            certificates: debits,
            frame,
            offers,
            local_date: request
                .created_at
                .to_zoned(self.clock().zone().clone())
                .date(),
        })
    }

    /// A committed receipt's answer, as the till first got it.
    pub async fn receipt_answer(&self, till: TillRef, receipt_id: &str) -> AppResult<Vec<u8>> {
        let receipt = self
            .db()
            .receipt(till.id, receipt_id)
            .await?
            .ok_or(AppError::NotFound("receipt"))?;
        Ok(kept_receipt_answer(receipt.answer))
    }
}

fn replay(same: bool, body: Vec<u8>) -> AppResult<CommitAnswer> {
    if same {
        Ok(CommitAnswer {
            body,
            replayed: true,
        })
    } else {
        Err(AppError::Conflict {
            message: "this till already committed another receipt under this receipt_id".into(),
            field: Some("receipt_id"),
            existing_customer: None,
        })
    }
}

/// A basket too long says so once, not once per line.
fn first_error(errors: ValidationErrors) -> FieldError {
    errors
        .0
        .into_iter()
        .next()
        .unwrap_or_else(|| FieldError::new("lines", "invalid", "the basket is invalid"))
}

/// What a basket is priced for: where, with which coupons and points.
pub(crate) struct Sale<'a> {
    pub basket: &'a Basket,
    pub points_to_pay: i64,
    pub coupons: &'a [String],
    pub store: Option<StoreId>,
    /// Bound the points payable by the usable balance now (calculate); a
    /// commit checks the balance in its transaction instead.
    pub check_balance: bool,
}

impl App {
    /// Prices a basket for a shopper, or for nobody, with their offers.
    /// `at`: when the sale is (an offline till's receipt keeps its time).
    pub(crate) async fn price(
        &self,
        sale: &Sale<'_>,
        shopper: Option<&Shopper>,
        at: Timestamp,
    ) -> AppResult<Offered> {
        let program = shopper.and_then(|s| s.program.as_ref().map(|p| (s, p)));
        let Some((shopper, program)) = program else {
            if sale.points_to_pay != 0 {
                return Err(AppError::from_field(FieldError::new(
                    "points_to_pay",
                    "no_points",
                    "points can pay only a receipt of a customer in a bonus program",
                )));
            }
            if !sale.coupons.is_empty() {
                return Err(AppError::from_field(FieldError::new(
                    "coupons",
                    "customer_required",
                    "coupons are for a customer in a loyalty program: name the customer",
                )));
            }
            return Ok(Offered {
                calculation: pricing::anonymous(sale.basket),
                applied: Applied::default(),
            });
        };
        let pricing = Pricing {
            program,
            tier: shopper.tier.as_ref(),
            points_available: sale
                .check_balance
                .then(|| shopper.loyalty.account.available(at)),
        };
        self.price_offered(sale, shopper, pricing, at).await
    }
}

/// What each applied offer gave, for the commit to check and count (a
/// receipt of nobody in particular got none).
fn given(applied: &Applied) -> Vec<OfferGiven> {
    applied
        .offers
        .iter()
        .map(|o| OfferGiven {
            offer_id: o.offer_id,
            discount_minor: o.discount_minor,
            points_accrued: o.points_accrued,
            coupon: o.coupon.clone(),
            budget: o.budget,
        })
        .collect()
}

impl App {
    /// The certificates a basket names, each able to pay now, in order.
    async fn certificates_for(
        &self,
        codes: &[String],
        now: Timestamp,
    ) -> AppResult<Vec<Certificate>> {
        let mut errors = ValidationErrors::default();
        let mut found: Vec<Certificate> = Vec::with_capacity(codes.len());
        for (i, raw) in codes.iter().enumerate() {
            let field = format!("certificates[{i}]");
            let code = normalize_code(raw);
            match self.db().card_reads().certificate_by_code(&code).await? {
                None => errors.push(FieldError::new(
                    field,
                    "unknown",
                    format!("no gift certificate «{raw}»"),
                )),
                Some(certificate) => match certificate.refusal(now) {
                    Some(refusal) => errors.push(FieldError::new(field, "refused", refusal)),
                    None if found.iter().any(|c| c.id == certificate.id) => errors.push(
                        FieldError::new(field, "repeated", "the certificate is named twice"),
                    ),
                    None => found.push(certificate),
                },
            }
        }
        errors.finish(|| found).map_err(AppError::from)
    }
}

/// The request as parsed, hashed: the same receipt sent with other spacing
/// or field order is the same receipt.
pub(crate) fn request_hash(request: &ReceiptRequest) -> Vec<u8> {
    Sha256::digest(bytes(request)).to_vec()
}
