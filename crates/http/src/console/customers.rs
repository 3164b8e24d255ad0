//! The customers list (quick search, the API's filters, sorting, pages by
//! cursor) and a customer's page (totals, then purchases, returns, points,
//! cards, certificates, referrals, consents and notes).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use clientele_app::customers::ListParams;
use clientele_domain::{ConsentKind, Customer, CustomerId, Module, Right};

use super::{Chrome, Console, Words, encode, error_page, render};
use crate::extract::{Path, QueryPairs};
use crate::state::AppState;

/// The filter form's fields, as typed, so the form shows them again.
#[derive(Debug, Default)]
struct Filters {
    q: String,
    gender: String,
    status: String,
    age_min: String,
    age_max: String,
    birthday_from: String,
    birthday_to: String,
    created_from: String,
    created_to: String,
    sort: String,
}

impl Filters {
    fn read(pairs: &[(String, String)]) -> Filters {
        let mut filters = Filters::default();
        for (key, value) in pairs {
            let field = match key.as_str() {
                "q" => &mut filters.q,
                "gender" => &mut filters.gender,
                "status" => &mut filters.status,
                "age_min" => &mut filters.age_min,
                "age_max" => &mut filters.age_max,
                "birthday_from" => &mut filters.birthday_from,
                "birthday_to" => &mut filters.birthday_to,
                "created_from" => &mut filters.created_from,
                "created_to" => &mut filters.created_to,
                "sort" => &mut filters.sort,
                _ => continue,
            };
            value.clone_into(field);
        }
        filters
    }

    /// Whether anything narrows the list (then it is counted).
    fn narrows(&self) -> bool {
        [
            &self.q,
            &self.gender,
            &self.status,
            &self.age_min,
            &self.age_max,
            &self.birthday_from,
            &self.birthday_to,
            &self.created_from,
            &self.created_to,
        ]
        .iter()
        .any(|value| !value.is_empty())
    }
}

struct CustomerRow {
    href: String,
    name: String,
    phone: String,
    email: String,
    birth_date: String,
    created: String,
    blocked: bool,
}

impl CustomerRow {
    fn of(customer: &Customer, w: &Words) -> CustomerRow {
        let profile = &customer.profile;
        CustomerRow {
            href: format!("/customers/{}", customer.id.0),
            name: profile.name.clone(),
            phone: profile
                .phone
                .as_ref()
                .map(|p| w.phone(p))
                .unwrap_or_default(),
            email: profile
                .email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
            birth_date: w.optional_date(profile.birth_date),
            created: w.day(customer.created_at),
            blocked: profile.blocked,
        }
    }
}

#[derive(Template)]
#[template(path = "customers.html")]
struct ListPage<'a> {
    c: Chrome,
    w: &'a Words,
    may_edit: bool,
    f: Filters,
    rows: Vec<CustomerRow>,
    found: Option<String>,
    errors: Vec<String>,
    next_href: Option<String>,
    first_href: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    console: Console,
    QueryPairs(pairs): QueryPairs,
) -> Response {
    let w = &console.words;
    let filters = Filters::read(&pairs);
    // The form sends every field; an empty one filters nothing.
    let asked: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(key, value)| !value.trim().is_empty() && key != "lang")
        .collect();
    let params = ListParams {
        scope: console.caller.scope.clone(),
        ..crate::api::customers::list_params(asked.clone())
    };
    let listed = state.app.list_customers(&params).await;
    let counted = match (&listed, filters.narrows()) {
        (Ok(_), true) => state.app.count_customers(&params).await.ok(),
        _ => None,
    };
    let mut page = ListPage {
        c: console.chrome(),
        w,
        may_edit: console.may(Module::Customers, Right::Edit),
        f: filters,
        rows: Vec::new(),
        found: counted.map(|n| w.n("customers-found", i64::try_from(n).unwrap_or(i64::MAX))),
        errors: Vec::new(),
        next_href: None,
        first_href: None,
    };
    let status = match listed {
        Ok((listed, order)) => {
            page.rows = listed.items.iter().map(|c| CustomerRow::of(c, w)).collect();
            let kept: Vec<&(String, String)> =
                asked.iter().filter(|(key, _)| key != "cursor").collect();
            let query = |extra: Option<String>| {
                kept.iter()
                    .map(|(key, value)| format!("{key}={}", encode(value)))
                    .chain(extra.map(|cursor| format!("cursor={}", encode(&cursor))))
                    .collect::<Vec<_>>()
                    .join("&")
            };
            page.next_href = listed
                .next
                .map(|cursor| format!("/customers?{}", query(Some(cursor.encode(order)))));
            if asked.iter().any(|(key, _)| key == "cursor") {
                page.first_href = Some(format!("/customers?{}", query(None)));
            }
            StatusCode::OK
        }
        Err(clientele_app::AppError::Validation(errors)) => {
            page.errors = errors.0.into_iter().map(|e| e.message).collect();
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(error) => return error_page(w, error),
    };
    render(status, &page)
}

struct PurchaseRow {
    number: String,
    date: String,
    total: String,
    discount: String,
    paid_points: String,
    accrued: String,
}

struct ReturnRow {
    number: String,
    date: String,
    refund: String,
    points: String,
}

struct EntryRow {
    date: String,
    kind: String,
    points: String,
    positive: bool,
    comment: String,
}

struct CardRow {
    barcode: String,
    state: String,
    since: String,
}

struct CertificateRow {
    code: String,
    balance: String,
    valid_to: String,
}

struct ConsentRow {
    channel: String,
    given: String,
    when: String,
}

struct Figure {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "customer.html")]
struct CustomerPage<'a> {
    c: Chrome,
    w: &'a Words,
    edit_href: Option<String>,
    name: String,
    phone: String,
    email: String,
    blocked: bool,
    figures: Vec<Figure>,
    purchases: Vec<PurchaseRow>,
    returns: Vec<ReturnRow>,
    entries: Vec<EntryRow>,
    cards: Vec<CardRow>,
    certificates: Vec<CertificateRow>,
    referrals: Vec<(String, String, String)>,
    consents: Vec<ConsentRow>,
    notes: String,
}

pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
) -> Response {
    let w = &console.words;
    let by = console.caller.changed_by();
    let customer = match state.app.customer_for(CustomerId(id), &by).await {
        Ok(customer) => customer,
        Err(error) => return error_page(w, error),
    };
    let history = match state.app.history(customer.id, &by).await {
        Ok(history) => history,
        Err(error) => return error_page(w, error),
    };
    let now = state.app.clock().now();
    let loyalty = &history.loyalty;
    let tier = match loyalty.tier_id {
        Some(tier_id) => state
            .app
            .cached_programs()
            .await
            .ok()
            .and_then(|programs| {
                programs
                    .iter()
                    .flat_map(|p| p.tiers.iter())
                    .find(|t| t.id == tier_id)
                    .map(|t| t.name.clone())
            })
            .unwrap_or_default(),
        None => w.t("customer-no-tier"),
    };
    let average = match loyalty.purchases {
        0 => w.t("customer-never"),
        n => w.money(loyalty.spent_minor / n),
    };
    let expiry = loyalty.account.next_expiry(now).map_or_else(
        || "—".to_owned(),
        |e| format!("{} · {}", w.points(e.points), w.time(e.at)),
    );
    let figure = |key: &str, value: String| Figure {
        label: w.t(key),
        value,
    };
    let figures = vec![
        figure("customer-spent", w.money(loyalty.spent_minor)),
        figure("customer-purchases", loyalty.purchases.to_string()),
        figure("customer-average", average),
        figure(
            "customer-last-purchase",
            loyalty
                .last_purchase_at
                .map_or_else(|| w.t("customer-never"), |t| w.time(t)),
        ),
        figure("customer-balance", w.points(loyalty.account.available(now))),
        figure("customer-next-expiry", expiry),
        figure("customer-tier", tier),
    ];
    let profile = &customer.profile;
    let page = CustomerPage {
        c: console.chrome(),
        w,
        edit_href: console
            .may(Module::Customers, Right::Edit)
            .then(|| format!("/customers/{}/edit", customer.id.0)),
        name: profile.name.clone(),
        phone: profile
            .phone
            .as_ref()
            .map(|p| w.phone(p))
            .unwrap_or_default(),
        email: profile
            .email
            .as_ref()
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default(),
        blocked: profile.blocked,
        figures,
        purchases: history
            .purchases
            .iter()
            .map(|p| PurchaseRow {
                number: p.receipt_id.clone(),
                date: w.time(p.created_at),
                total: w.money(p.total_minor),
                discount: w.money(p.discount_minor),
                paid_points: w.points(p.points_paid),
                accrued: w.points(p.points_accrued),
            })
            .collect(),
        returns: history
            .returns
            .iter()
            .map(|r| ReturnRow {
                number: r.return_id.clone(),
                date: w.time(r.created_at),
                refund: w.money(r.refund_minor),
                points: w.points(r.points_returned - r.points_taken_back),
            })
            .collect(),
        entries: history
            .entries
            .iter()
            .map(|e| EntryRow {
                date: w.time(e.created_at),
                kind: w.t(&format!("kind-{}", e.kind.as_str())),
                points: w.points(e.points),
                positive: e.points > 0,
                comment: e.comment.clone().unwrap_or_default(),
            })
            .collect(),
        cards: history
            .cards
            .iter()
            .map(|card| CardRow {
                barcode: card.barcode.as_str().to_owned(),
                state: match &card.withdrawn_at {
                    Some(_) => format!(
                        "{} {}",
                        w.t("card-withdrawn"),
                        card.withdrawn_reason.clone().unwrap_or_default()
                    ),
                    None if card.blocked => w.t("blocked"),
                    None => w.t("card-active"),
                },
                since: w.time(card.created_at),
            })
            .collect(),
        certificates: history
            .certificates
            .iter()
            .map(|c| CertificateRow {
                code: c.code.clone(),
                balance: w.money(c.balance_minor),
                valid_to: w.time(c.valid_to),
            })
            .collect(),
        referrals: history
            .referrals
            .iter()
            .map(|(id, name, at)| (format!("/customers/{}", id.0), name.clone(), w.time(*at)))
            .collect(),
        consents: ConsentKind::ALL
            .iter()
            .map(|kind| {
                let consent = profile.consents.0.get(kind);
                ConsentRow {
                    channel: w.t(&format!("consent-{}", kind.as_str())),
                    given: w.t(if consent.is_some_and(|c| c.granted) {
                        "consent-yes"
                    } else {
                        "consent-no"
                    }),
                    when: consent
                        .and_then(|c| c.granted_at.or(c.withdrawn_at))
                        .map(|t| w.time(t))
                        .unwrap_or_default(),
                }
            })
            .collect(),
        notes: profile.notes.clone().unwrap_or_default(),
    };
    render(StatusCode::OK, &page)
}
