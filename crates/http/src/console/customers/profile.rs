//! A customer's page as it renders, for its own handler and for each of its
//! action forms refused: the profile at a glance first, then the totals
//! (spent, purchases, average receipt, last purchase, balance and next
//! expiry, tier), then purchases (each opens its receipt), returns, points
//! entries, cards, certificates, referrals, consents, notes, the chat (for
//! a role that reads messages) and the audit trail, and the actions the
//! role may take. A customer merged into another
//! says where they went and offers no action.

use askama::Template;
use axum::http::StatusCode;
use clientele_app::NewAuditEntry;
use clientele_domain::posting::CustomerLoyalty;
use clientele_domain::{ConsentKind, CustomerId, Module, Right};

use super::conversation::{Conversation, conversation};
use super::returns::{ReturnRow, return_rows};
use super::summary::{Known, entry_comment, profile_rows};
use crate::console::kit::{ActionForm, Chrome, Console, Once, PageResult, Words, render};
use crate::state::AppState;

struct PurchaseRow {
    /// The receipt's own page.
    href: String,
    number: String,
    date: String,
    total: String,
    discount: String,
    paid_points: String,
    accrued: String,
}

struct EntryRow {
    date: String,
    kind: String,
    points: String,
    positive: bool,
    comment: String,
}

struct CardRow {
    id: i64,
    barcode: String,
    state: String,
    since: String,
    /// Not withdrawn: it may be replaced.
    current: bool,
}

struct CertificateRow {
    code: String,
    balance: String,
    valid_to: String,
}

struct AuditRow {
    date: String,
    who: String,
    action: String,
    fields: String,
}

/// The star, as `star.html` reads a row.
struct StarRow {
    href: String,
    name: String,
    starred: bool,
}

struct NoteRow {
    date: String,
    author: String,
    text: String,
}

struct ConsentRow {
    channel: String,
    given: String,
    when: String,
}

/// A device or messenger chat the shop's app or bot connected.
struct AddressRow {
    channel: String,
    label: String,
    when: String,
}

pub(super) struct Figure {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "customers/profile.html")]
struct CustomerPage<'a> {
    c: Chrome,
    w: &'a Words,
    id: i64,
    edit_href: Option<String>,
    /// What the last action did, said once after it.
    notice: Option<String>,
    /// The survivor this customer was merged into: its page and name.
    merged_into: Option<(String, String)>,
    /// The compact profile: birth date and age, gender, city, group, …
    profile: Vec<(String, String)>,
    /// A card given at the desk, for a role that may edit customers.
    give_form: Option<ActionForm>,
    /// Card groups to give from: id, "group · program".
    card_groups: Vec<(i64, String)>,
    /// A dated note, for a role that may edit customers.
    note_form: Option<ActionForm>,
    notes_list: Vec<NoteRow>,
    /// The chat, for a role that reads messages; `None` inside: the
    /// customer has not written.
    chat: Option<Option<Conversation>>,
    /// An answer in the chat, for a role that may send messages.
    chat_form: Option<ActionForm>,
    /// The chat's close button's one-time token.
    close_token: String,
    /// Points by hand, for a role that may give them.
    points_form: Option<ActionForm>,
    /// Card replacement, for a role that may edit customers.
    may_replace: bool,
    card_form: ActionForm,
    /// Block or unblock, for a role that may edit customers.
    block_form: Option<ActionForm>,
    blocked_reason: String,
    /// Setting the tier by hand, for a role that may edit customers.
    tier_form: Option<ActionForm>,
    /// Every program's tiers: id, "program · tier".
    tiers: Vec<(i64, String)>,
    /// A certificate from a template, for a role that may edit customers.
    certificate_form: Option<ActionForm>,
    templates: Vec<(i64, String)>,
    /// A duplicate merged into this customer, for a role that may edit.
    merge_form: Option<ActionForm>,
    /// This page's address, for the star to come back to.
    here: String,
    row: StarRow,
    audit: Vec<AuditRow>,
    /// The tier the form shows chosen (0: none).
    tier_id: i64,
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
    addresses: Vec<AddressRow>,
}

/// The page's action forms as they stand: blank, or one refused with its
/// errors, and what the last action did.
pub(super) struct Actions {
    pub notice: Option<String>,
    pub points: ActionForm,
    pub card: ActionForm,
    pub block: ActionForm,
    pub tier: ActionForm,
    pub certificate: ActionForm,
    pub merge: ActionForm,
    pub give: ActionForm,
    pub note: ActionForm,
    pub chat: ActionForm,
}

impl Actions {
    pub fn blank() -> Actions {
        Actions {
            notice: None,
            points: ActionForm::blank(),
            card: ActionForm::blank(),
            block: ActionForm::blank(),
            tier: ActionForm::blank(),
            certificate: ActionForm::blank(),
            merge: ActionForm::blank(),
            give: ActionForm::blank(),
            note: ActionForm::blank(),
            chat: ActionForm::blank(),
        }
    }
}

/// The page with its action forms as given: blank, or one refused (open,
/// with its errors; then the page answers 422).
pub(super) async fn page(
    state: &AppState,
    console: &Console,
    id: i64,
    actions: Actions,
) -> PageResult {
    let w = &console.words;
    let by = console.caller.changed_by();
    let customer = state.app.customer_for(CustomerId(id), &by).await?;
    let history = state.app.history(customer.id, &by).await?;
    let now = state.app.clock().now();
    let loyalty = &history.loyalty;
    let programs = state.app.cached_programs().await?;
    let tiers: Vec<(i64, String)> = programs
        .iter()
        .flat_map(|p| {
            p.tiers
                .iter()
                .map(move |t| (t.id.0, format!("{} · {}", p.name, t.name)))
        })
        .collect();
    let figures = figures(w, loyalty, &programs, now);
    // A customer merged into another is read, never changed: the survivor is.
    let live = customer.merged_into.is_none();
    let may_edit = live && console.may(Module::Customers, Right::Edit);
    let templates = if may_edit {
        state
            .app
            .certificate_templates()
            .await?
            .into_iter()
            .map(|t| {
                (
                    t.id.0,
                    format!("{} · {}", t.name, w.money(t.face_value_minor)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let card_groups = if may_edit {
        state
            .app
            .card_groups()
            .await?
            .into_iter()
            .map(|g| {
                let program = programs.iter().find(|p| p.id == g.program_id);
                let label = match program {
                    Some(p) => format!("{} · {}", g.name, p.name),
                    None => g.name,
                };
                (g.id.0, label)
            })
            .collect()
    } else {
        Vec::new()
    };
    let audit = state
        .app
        .customer_audit(customer.id, AUDIT_ROWS, &by)
        .await?;
    let starred = state
        .app
        .favourites_among(&[customer.id], &by)
        .await?
        .contains(&customer.id);
    let notes = state.app.notes(customer.id, &by).await?;
    let addresses = state.app.customer_addresses(customer.id, &by).await?;
    let chat = match console.may(Module::Campaigns, Right::View) {
        true => Some(conversation(state, console, customer.id).await?),
        false => None,
    };
    // Only a customer who wrote may be answered (as in UDS).
    let may_answer = live
        && console.may(Module::Campaigns, Right::Edit)
        && chat.as_ref().is_some_and(Option::is_some);
    let groups = state.app.customer_groups().await?;
    let store = match customer.profile.store_id {
        Some(store) => Some(state.app.store(store).await?),
        None => None,
    };
    let known = Known {
        groups: &groups,
        store: store.as_ref(),
        cards: &history.cards,
        today: state.app.clock().today(),
    };
    let profile = &customer.profile;
    let (phone, email) = w.contacts(profile);
    // A refused form keeps the tier chosen in it.
    let tier_id = if actions.tier.open {
        actions.tier.value("tier_id").parse().unwrap_or(0)
    } else {
        loyalty.tier_id.map_or(0, |t| t.0)
    };
    let refused = [
        &actions.points,
        &actions.card,
        &actions.block,
        &actions.tier,
        &actions.certificate,
        &actions.merge,
        &actions.give,
        &actions.note,
        &actions.chat,
    ]
    .iter()
    .any(|form| form.open);
    let page = CustomerPage {
        c: console.chrome(),
        w,
        id,
        notice: actions.notice,
        merged_into: customer
            .merged_into
            .as_ref()
            .map(|into| (format!("/customers/{}", into.id.0), into.name.clone())),
        profile: profile_rows(w, &customer, &known),
        points_form: (live && console.may(Module::Points, Right::Edit)).then_some(actions.points),
        may_replace: may_edit,
        card_form: actions.card,
        block_form: may_edit.then_some(actions.block),
        blocked_reason: profile.blocked_reason.clone().unwrap_or_default(),
        tier_form: may_edit.then_some(actions.tier),
        tiers,
        tier_id,
        certificate_form: may_edit.then_some(actions.certificate),
        templates,
        merge_form: may_edit.then_some(actions.merge),
        give_form: may_edit.then_some(actions.give),
        card_groups,
        note_form: may_edit.then_some(actions.note),
        chat,
        chat_form: may_answer.then_some(actions.chat),
        close_token: Once::fresh(),
        notes_list: notes
            .iter()
            .map(|n| NoteRow {
                date: w.time(n.created_at),
                author: n.author.clone(),
                text: n.text.clone(),
            })
            .collect(),
        here: format!("/customers/{id}"),
        row: StarRow {
            href: format!("/customers/{id}"),
            name: profile.name.clone(),
            starred,
        },
        audit: audit.iter().map(|e| audit_row(w, &e.entry)).collect(),
        edit_href: may_edit.then(|| format!("/customers/{}/edit", customer.id.0)),
        name: profile.name.clone(),
        phone,
        email,
        blocked: profile.blocked,
        figures,
        purchases: history
            .purchases
            .iter()
            .map(|p| PurchaseRow {
                href: format!("/customers/{id}/receipts/{}", p.key.0),
                number: p.receipt_id.clone(),
                date: w.time(p.created_at),
                total: w.money(p.total_minor),
                discount: w.money(p.discount_minor),
                paid_points: w.points(p.points_paid),
                accrued: w.points(p.points_accrued),
            })
            .collect(),
        returns: return_rows(w, &history.returns),
        entries: history
            .entries
            .iter()
            .map(|e| EntryRow {
                date: w.time(e.created_at),
                kind: w.t(&format!("kind-{}", e.kind.as_str())),
                points: w.points(e.points),
                positive: e.points > 0,
                comment: entry_comment(w, &customer, e),
            })
            .collect(),
        cards: history
            .cards
            .iter()
            .map(|card| CardRow {
                id: card.id.0,
                current: card.withdrawn_at.is_none(),
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
        addresses: addresses
            .iter()
            .map(|a| AddressRow {
                channel: w.t(&format!("address-channel-{}", a.channel.as_str())),
                label: a.label.clone().unwrap_or_default(),
                when: w.time(a.added_at),
            })
            .collect(),
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

/// The totals at the top of a customer's page (and in the list's quick
/// look): spent, purchases, average receipt, last purchase, balance, next
/// expiry, tier.
pub(super) fn figures(
    w: &Words,
    loyalty: &CustomerLoyalty,
    programs: &[clientele_domain::Program],
    now: jiff::Timestamp,
) -> Vec<Figure> {
    let tier = loyalty
        .tier_id
        .and_then(|id| {
            programs
                .iter()
                .flat_map(|p| p.tiers.iter())
                .find(|t| t.id == id)
        })
        .map_or_else(|| w.t("customer-no-tier"), |t| t.name.clone());
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
    vec![
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
    ]
}

/// The newest audit entries a customer's page shows.
const AUDIT_ROWS: u32 = 50;

/// An audit entry as the page writes it: when, who, what, which fields
/// (the log keeps no personal values, only which fields changed).
fn audit_row(w: &Words, entry: &NewAuditEntry) -> AuditRow {
    let fields: Vec<String> = entry
        .after
        .as_ref()
        .or(entry.before.as_ref())
        .and_then(|v| v.as_object())
        .map(|fields| fields.keys().map(|key| w.audit_field(key)).collect())
        .unwrap_or_default();
    AuditRow {
        date: w.time(entry.at),
        who: w.actor(&entry.actor),
        action: w
            .find(&format!("audit-{}", entry.action.replace('.', "-")))
            .unwrap_or_else(|| entry.action.clone()),
        fields: fields.join(", "),
    }
}
