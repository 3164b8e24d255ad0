//! A receipt opened from a customer's purchases: its lines (what was bought,
//! at what price, the discount and the points each line paid and earned),
//! the store and till, the totals, and the returns made against it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use clientele_domain::{CustomerId, Quantity, ReceiptKey};

use super::returns::{ReturnRow, return_rows};
use crate::console::kit::{Chrome, Console, Lang, PageResult, Path, Words, render};
use crate::state::AppState;

struct LineRow {
    sku: String,
    name: String,
    category: String,
    quantity: String,
    price: String,
    amount: String,
    discount: String,
    points_paid: String,
    points_accrued: String,
}

#[derive(Template)]
#[template(path = "customers/receipt.html")]
struct ReceiptPage<'a> {
    c: Chrome,
    w: &'a Words,
    title: String,
    back: String,
    customer: String,
    /// What the receipt says at a glance: store, till, date, totals.
    facts: Vec<(String, String)>,
    lines: Vec<LineRow>,
    returns: Vec<ReturnRow>,
}

/// A quantity as the reader writes numbers: `0,532` in Russian.
fn quantity(w: &Words, q: Quantity) -> String {
    match w.lang {
        Lang::Ru => q.to_string().replace('.', ","),
        Lang::En => q.to_string(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path((id, key)): Path<(i64, i64)>,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let customer = state.app.customer_for(CustomerId(id), &by).await?;
    let opened = state
        .app
        .receipt_of(customer.id, ReceiptKey(key), &by)
        .await?;
    let receipt = &opened.receipt.purchase;
    let fact = |key: &str, value: String| (w.t(key), value);
    let page = ReceiptPage {
        c: console.chrome(),
        w,
        title: w.with("receipt-title", "number", receipt.receipt_id.clone().into()),
        back: format!("/customers/{id}#purchases"),
        customer: customer.profile.name.clone(),
        facts: vec![
            fact(
                "receipt-store",
                format!("{} · {}", opened.store.code, opened.store.name),
            ),
            fact("receipt-till", opened.till.clone()),
            fact("receipt-date", w.time(receipt.created_at)),
            fact("receipt-total", w.money(receipt.total_minor)),
            fact("receipt-discount", w.money(receipt.discount_minor)),
            fact("receipt-to-pay", w.money(receipt.to_pay_minor)),
            fact("receipt-paid-points", w.points(receipt.points_paid)),
            fact("receipt-accrued", w.points(receipt.points_accrued)),
        ],
        lines: opened
            .receipt
            .lines
            .iter()
            .map(|l| LineRow {
                sku: l.sku.clone(),
                name: l.name.clone(),
                category: l
                    .category
                    .as_deref()
                    .map(|c| w.category(c))
                    .unwrap_or_default(),
                quantity: quantity(w, l.quantity),
                price: w.money(l.price_minor),
                amount: w.money(l.amount_minor),
                discount: w.money(l.discount_minor),
                points_paid: w.points(l.points_paid),
                points_accrued: w.points(l.points_accrued),
            })
            .collect(),
        returns: return_rows(w, &opened.receipt.returns),
    };
    Ok(render(StatusCode::OK, &page))
}
