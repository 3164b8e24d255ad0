//! An offer's page as it renders, for the handlers that answer with it:
//! its terms in sentences, the pause or resume button, and its coupons —
//! the shared code, or the single-use codes made, listed a page at a time
//! with whom each was issued to, the form to make more (shown again with
//! its error when refused), the printable list and the workbook; and,
//! for an offer with a control group, how the two groups did.

use askama::Template;
use axum::http::StatusCode;
use clientele_app::{AppError, Coupon, KeptOffer};
use clientele_domain::offer::{CouponCode, CouponRule};
use clientele_domain::{CustomerId, Module, OfferId, Right};
use serde::Deserialize;

use super::said::{Names, sentences, state as said_state};
use crate::console::kit::{ActionForm, Chrome, Console, Once, PageResult, Words, render};
use crate::state::AppState;

/// Codes on one page of the offer's list.
const CODES_PER_PAGE: u32 = 50;

pub struct CodeRow {
    pub code: String,
    /// The customer's page and name; none: handed out, not issued.
    pub issued_to: Option<(String, String)>,
    pub issued_at: String,
}

#[derive(Template)]
#[template(path = "offers/offer.html")]
struct OfferPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: i64,
    name: String,
    active: bool,
    state: String,
    version: i64,
    notice: Option<String>,
    sentences: Vec<String>,
    may_edit: bool,
    /// The pause or resume button's one-time token.
    token: String,
    /// `none`, `shared` or `unique`.
    coupon: &'static str,
    shared_code: String,
    make: ActionForm,
    codes: Vec<CodeRow>,
    /// The next page of codes, after the last shown.
    next: Option<String>,
    /// A later page of codes is shown: the way back to the first.
    later: bool,
    /// Those who got the offer beside its control group, when it keeps one.
    results: Option<Results>,
}

/// The comparison with the control group, written out.
pub struct Results {
    pub period: String,
    /// A figure's name, then those who got the offer, then the control group.
    pub rows: Vec<(String, String, String)>,
}

async fn results(state: &AppState, w: &Words, id: OfferId) -> Result<Results, AppError> {
    let found = state.app.offer_results(id).await?;
    let (offered, control) = (found.comparison.offered, found.comparison.control);
    let money = |m: Option<i64>| m.map_or_else(|| "—".to_owned(), |m| w.money(m));
    let count = |n: i64| w.count(n.max(0) as u64);
    let rows = vec![
        (
            w.t("offer-results-customers"),
            count(offered.customers),
            count(control.customers),
        ),
        (
            w.t("offer-results-buyers"),
            count(offered.buyers),
            count(control.buyers),
        ),
        (
            w.t("offer-results-receipts"),
            count(offered.receipts),
            count(control.receipts),
        ),
        (
            w.t("offer-results-revenue"),
            w.money(offered.revenue_minor),
            w.money(control.revenue_minor),
        ),
        (
            w.t("offer-results-average"),
            money(offered.average_receipt_minor()),
            money(control.average_receipt_minor()),
        ),
        (
            w.t("offer-results-per-customer"),
            money(offered.revenue_per_customer_minor()),
            money(control.revenue_per_customer_minor()),
        ),
    ];
    Ok(Results {
        period: format!("{} — {}", w.date(found.from), w.date(found.to)),
        rows,
    })
}

/// Which page of codes: those after `after`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Paged {
    after: String,
}

impl Paged {
    pub fn after(&self) -> &str {
        &self.after
    }
}

/// What the page shows beside the offer: a notice, the coupons form as
/// sent, and which page of codes.
pub struct Shown {
    pub notice: Option<String>,
    pub make: ActionForm,
    pub after: Option<CouponCode>,
}

pub(super) async fn page(state: &AppState, console: &Console, id: i64, shown: Shown) -> PageResult {
    let w = &console.words;
    let kept: KeptOffer = state.app.offer(OfferId(id)).await?;
    let names = Names::load(state).await?;
    let terms = &kept.offer.terms;
    let (coupon, shared_code) = match &terms.coupon {
        None => ("none", String::new()),
        Some(CouponRule::Shared(code)) => ("shared", code.as_str().to_owned()),
        Some(CouponRule::Unique) => ("unique", String::new()),
    };
    let (codes, next) = match coupon {
        "unique" => codes(state, console, kept.offer.id, shown.after.as_ref()).await?,
        _ => (Vec::new(), None),
    };
    let results = match terms.holdout_bp > 0 {
        true => Some(results(state, w, kept.offer.id).await?),
        false => None,
    };
    let status = match shown.make.errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(render(
        status,
        &OfferPage {
            c: console.chrome(),
            w,
            id,
            active: terms.active,
            state: said_state(w, terms.active),
            version: kept.version,
            notice: shown.notice,
            sentences: sentences(w, &names, terms),
            may_edit: console.may(Module::Segments, Right::Edit),
            token: Once::fresh(),
            coupon,
            shared_code,
            make: shown.make,
            codes,
            next,
            later: shown.after.is_some(),
            results,
            name: terms.name.clone(),
        },
    ))
}

/// A page of the offer's codes after `after`, and the code the next page
/// starts after, if there is one.
async fn codes(
    state: &AppState,
    console: &Console,
    id: OfferId,
    after: Option<&CouponCode>,
) -> Result<(Vec<CodeRow>, Option<String>), AppError> {
    let w = &console.words;
    let (coupons, next) = codes_page(state, id, after, CODES_PER_PAGE).await?;
    // A user limited to some stores sees the others' numbers: reading a
    // customer beyond them is an attempt, and a list of codes is not one.
    let by = console.caller.changed_by();
    let holders = state.app.coupon_holders(&coupons, &by).await?;
    let name_of = |customer: CustomerId| {
        holders.get(&customer).map_or_else(
            || w.with("offer-customer-number", "id", customer.0.into()),
            |holder| holder.name.clone(),
        )
    };
    let rows = coupons
        .into_iter()
        .map(|coupon| CodeRow {
            code: coupon.code.as_str().to_owned(),
            issued_to: coupon
                .customer_id
                .map(|customer| (format!("/customers/{}", customer.0), name_of(customer))),
            issued_at: w.time(coupon.issued_at),
        })
        .collect();
    Ok((rows, next))
}

/// `per` of the offer's codes after `after`, and the code the next page
/// starts after, if there is one: one more is read to know.
pub(super) async fn codes_page(
    state: &AppState,
    id: OfferId,
    after: Option<&CouponCode>,
    per: u32,
) -> Result<(Vec<Coupon>, Option<String>), AppError> {
    let mut coupons = state.app.coupons_of(id, after, per + 1).await?;
    let more = coupons.len() > per as usize;
    coupons.truncate(per as usize);
    let next = more
        .then(|| coupons.last().map(|c| c.code.as_str().to_owned()))
        .flatten();
    Ok((coupons, next))
}
