//! An offer's single-use codes to hand out: a printable list, a thousand
//! to a page, and a workbook of them all, read a chunk at a time with the
//! customers of each chunk read together.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_app::{AppError, Coupon, CouponHolder};
use clientele_domain::offer::CouponCode;
use clientele_domain::{CustomerId, Module, OfferId, Right};
use rust_xlsxwriter::XlsxError;

use super::sheet::CodeSheet;
use super::view::{Paged, codes_page};
use crate::console::kit::{
    Console, PageError, PageResult, Path, Query, Words, render, workbook as download,
};
use crate::state::AppState;

/// Codes on one printed page.
const PRINTED: u32 = 1_000;
/// Codes read from the store at once for the workbook.
const CHUNK: u32 = 10_000;

#[derive(Template)]
#[template(path = "offers/print.html")]
struct PrintPage<'a> {
    w: &'a Words,
    id: i64,
    name: String,
    /// How many codes this page holds.
    heading: String,
    codes: Vec<String>,
    next: Option<String>,
}

pub async fn print(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(paged): Query<Paged>,
) -> PageResult {
    let w = &console.words;
    let kept = state.app.offer(OfferId(id)).await?;
    let after = CouponCode::parse(paged.after()).ok();
    let (coupons, next) = codes_page(&state, kept.offer.id, after.as_ref(), PRINTED).await?;
    Ok(render(
        StatusCode::OK,
        &PrintPage {
            w,
            id,
            heading: w.n(
                "offer-print-heading",
                i64::try_from(coupons.len()).unwrap_or(0),
            ),
            codes: coupons.into_iter().map(|c| String::from(c.code)).collect(),
            next,
            name: kept.offer.terms.name,
        },
    ))
}

pub async fn workbook(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> PageResult {
    let w = &console.words;
    let kept = state.app.offer(OfferId(id)).await?;
    let headers = [
        "offer-code",
        "offer-issued-to",
        "offer-issued-contact",
        "offer-issued-to-number",
        "offer-issued-at",
    ]
    .map(|k| w.t(k));
    let mut sheet = CodeSheet::new(&w.t("offer-coupons"), headers).map_err(failed)?;
    let mut after: Option<CouponCode> = None;
    loop {
        let chunk = (state.app)
            .coupons_of(kept.offer.id, after.as_ref(), CHUNK)
            .await?;
        let holders = holders(&state, &console, &chunk).await?;
        for coupon in &chunk {
            let holder = coupon.customer_id.and_then(|id| holders.get(&id));
            let row = [
                coupon.code.as_str().to_owned(),
                holder.map(|h| h.name.clone()).unwrap_or_default(),
                holder.map(|h| contact(w, h)).unwrap_or_default(),
                (coupon.customer_id)
                    .map(|id| id.0.to_string())
                    .unwrap_or_default(),
                w.time(coupon.issued_at),
            ];
            if !sheet.add(row).map_err(failed)? {
                return Err(PageError::Refused {
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                    text: w.t("offer-codes-too-many"),
                });
            }
        }
        if chunk.len() < CHUNK as usize {
            break;
        }
        after = chunk.last().map(|c| c.code.clone());
    }
    let bytes = sheet.finish().map_err(failed)?;
    let name = w.with("offer-codes-file", "name", kept.offer.terms.name.into());
    Ok(download(bytes, &format!("{name}.xlsx")))
}

/// The customers a chunk's codes went to, read at once: those the user may
/// see by name (none without the right to view customers).
async fn holders(
    state: &AppState,
    console: &Console,
    chunk: &[Coupon],
) -> Result<HashMap<CustomerId, CouponHolder>, AppError> {
    if !console.may(Module::Customers, Right::View) {
        return Ok(HashMap::new());
    }
    let by = console.caller.changed_by();
    state.app.coupon_holders(chunk, &by).await
}

/// How a clerk finds the customer: their phone, else their card.
fn contact(w: &Words, holder: &CouponHolder) -> String {
    match (&holder.phone, &holder.card) {
        (Some(phone), _) => w.phone(phone),
        (None, Some(card)) => card.clone(),
        (None, None) => String::new(),
    }
}

fn failed(error: XlsxError) -> PageError {
    tracing::error!(%error, "an offer's codes were not written");
    PageError::Internal
}
