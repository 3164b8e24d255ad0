//! Who may call which route. Every route has a rule in [`RULES`]; a route
//! without one is refused to everybody (and the access matrix test fails),
//! so a new route cannot slip out unguarded.

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clientele_app::audit::{ChangedBy, entry};
use clientele_app::{Actor, AppError, NewAuditEntry, Principal, Role};
use clientele_domain::{Module, Right};

use crate::problem::ApiError;
use crate::state::AppState;

/// What a route asks of the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Anyone, signed in or not: health, metrics, the API description.
    Public,
    /// A staff user whose role has this right on this module.
    Staff(Module, Right),
    /// Any signed-in staff user (their own tokens).
    AnyStaff,
    /// A till key, or a staff user with the POS right (identify, calculate).
    Pos,
    /// A till key only: receipts and returns belong to a till.
    Till,
    /// A console page: a signed-in session whose role has this right on this
    /// module; without a session, the sign-in page and then back here.
    Console(Module, Right),
    /// A console page any signed-in staff user may open.
    ConsoleAny,
}

/// Every route: method, path as the router spells it, rule.
#[rustfmt::skip]
pub const RULES: &[(&str, &str, Rule)] = {
    use Right::{Edit, View};
    use Rule::{AnyStaff, ConsoleAny, Pos, Public, Till};
    const fn staff(module: Module, right: Right) -> Rule {
        Rule::Staff(module, right)
    }
    const fn console(module: Module, right: Right) -> Rule {
        Rule::Console(module, right)
    }
    &[
        ("GET", "/healthz", Public),
        ("GET", "/readyz", Public),
        ("GET", "/metrics", Public),
        ("GET", "/login", Public),
        ("POST", "/login", Public),
        // Sign-out checks its session and CSRF token itself.
        ("POST", "/logout", Public),
        ("GET", "/assets/{file}", Public),
        // A customer's way out of messages: the link is the proof.
        ("GET", "/unsubscribe/{token}", Public),
        ("POST", "/unsubscribe/{token}", Public),
        // A provider's delivery reports: the channel's key is the proof.
        ("POST", "/api/v1/channels/{channel}/reports", Public),
        ("POST", "/api/v1/channels/{channel}/inbound", Public),
        ("GET", "/", ConsoleAny),
        ("GET", "/customers", console(Module::Customers, View)),
        ("GET", "/customers/new", console(Module::Customers, Edit)),
        ("POST", "/customers/new", console(Module::Customers, Edit)),
        ("POST", "/customers/bulk", console(Module::Customers, Edit)),
        ("GET", "/customers/{id}", console(Module::Customers, View)),
        // A star is the user's own: viewing the customers is enough.
        ("POST", "/customers/{id}/favourite", console(Module::Customers, View)),
        ("GET", "/customers/{id}/quick", console(Module::Customers, View)),
        ("POST", "/customers/{id}/certificates", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/merge", console(Module::Customers, Edit)),
        ("GET", "/customers/{id}/edit", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/points", console(Module::Points, Edit)),
        ("POST", "/customers/{id}/block", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/tier", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/cards/{card_id}/replace", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/edit", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/notes", console(Module::Customers, Edit)),
        ("POST", "/customers/{id}/cards", console(Module::Customers, Edit)),
        ("GET", "/customers/{id}/receipts/{key}", console(Module::Customers, View)),
        // The list as an Excel file, as the ticked rows' export: editing customers.
        ("GET", "/customers/export.xlsx", console(Module::Customers, Edit)),
        ("GET", "/birthdays", console(Module::Customers, View)),
        ("GET", "/messages", console(Module::Campaigns, View)),
        ("GET", "/templates", console(Module::Campaigns, View)),
        ("GET", "/templates/new", console(Module::Campaigns, Edit)),
        ("POST", "/templates/new", console(Module::Campaigns, Edit)),
        // A preview keeps and sends nothing: viewing is enough.
        ("POST", "/templates/preview", console(Module::Campaigns, View)),
        ("GET", "/templates/{id}", console(Module::Campaigns, View)),
        ("POST", "/templates/{id}", console(Module::Campaigns, Edit)),
        ("GET", "/campaigns", console(Module::Campaigns, View)),
        ("GET", "/campaigns/new", console(Module::Campaigns, Edit)),
        ("POST", "/campaigns/new", console(Module::Campaigns, Edit)),
        ("GET", "/campaigns/{id}", console(Module::Campaigns, View)),
        ("POST", "/campaigns/{id}/cancel", console(Module::Campaigns, Edit)),
        ("GET", "/triggers", console(Module::Campaigns, View)),
        ("GET", "/triggers/{kind}", console(Module::Campaigns, View)),
        ("POST", "/triggers/{kind}", console(Module::Campaigns, Edit)),
        // Chats are the messages' business, as in the API.
        ("GET", "/chats", console(Module::Campaigns, View)),
        ("GET", "/reports", console(Module::Reports, View)),
        ("GET", "/reports/{name}", console(Module::Reports, View)),
        ("POST", "/customers/{id}/chat", console(Module::Campaigns, Edit)),
        ("POST", "/customers/{id}/chat/close", console(Module::Campaigns, Edit)),
        ("GET", "/segments", console(Module::Segments, View)),
        ("GET", "/segments/new", console(Module::Segments, Edit)),
        ("POST", "/segments/new", console(Module::Segments, Edit)),
        ("GET", "/segments/upload", console(Module::Segments, Edit)),
        ("POST", "/segments/upload", console(Module::Segments, Edit)),
        // The live count saves nothing: viewing segments is enough.
        ("GET", "/segments/count", console(Module::Segments, View)),
        ("GET", "/segments/{id}", console(Module::Segments, View)),
        ("GET", "/segments/{id}/edit", console(Module::Segments, Edit)),
        ("POST", "/segments/{id}/edit", console(Module::Segments, Edit)),
        ("POST", "/segments/{id}/recompute", console(Module::Segments, Edit)),
        ("POST", "/segments/{id}/delete", console(Module::Segments, Edit)),
        // Offers are the marketer's, as segments are.
        ("GET", "/offers", console(Module::Segments, View)),
        ("GET", "/offers/new", console(Module::Segments, Edit)),
        ("POST", "/offers/new", console(Module::Segments, Edit)),
        ("GET", "/offers/{id}", console(Module::Segments, View)),
        ("GET", "/offers/{id}/edit", console(Module::Segments, Edit)),
        ("POST", "/offers/{id}/edit", console(Module::Segments, Edit)),
        ("POST", "/offers/{id}/active", console(Module::Segments, Edit)),
        ("POST", "/offers/{id}/coupons", console(Module::Segments, Edit)),
        // The codes the page lists, printed or in a workbook.
        ("GET", "/offers/{id}/coupons/print", console(Module::Segments, View)),
        ("GET", "/offers/{id}/coupons.xlsx", console(Module::Segments, View)),
        ("POST", "/birthdays/points", console(Module::Points, Edit)),
        ("GET", "/settings", console(Module::Settings, View)),
        ("GET", "/settings/groups", console(Module::Settings, View)),
        ("GET", "/settings/groups/new", console(Module::Settings, Edit)),
        ("POST", "/settings/groups/new", console(Module::Settings, Edit)),
        ("GET", "/settings/groups/{id}/edit", console(Module::Settings, Edit)),
        ("POST", "/settings/groups/{id}/edit", console(Module::Settings, Edit)),
        ("POST", "/settings/groups/{id}/delete", console(Module::Settings, Edit)),
        ("GET", "/settings/stores", console(Module::Settings, View)),
        ("GET", "/settings/stores/new", console(Module::Settings, Edit)),
        ("POST", "/settings/stores/new", console(Module::Settings, Edit)),
        ("GET", "/settings/stores/{id}/edit", console(Module::Settings, Edit)),
        ("POST", "/settings/stores/{id}/edit", console(Module::Settings, Edit)),
        ("GET", "/settings/properties", console(Module::Settings, View)),
        ("GET", "/settings/properties/new", console(Module::Settings, Edit)),
        ("POST", "/settings/properties/new", console(Module::Settings, Edit)),
        ("GET", "/settings/properties/{id}/edit", console(Module::Settings, Edit)),
        ("POST", "/settings/properties/{id}/edit", console(Module::Settings, Edit)),
        ("GET", "/settings/staff", console(Module::Staff, View)),
        ("GET", "/settings/staff/new", console(Module::Staff, Edit)),
        ("POST", "/settings/staff/new", console(Module::Staff, Edit)),
        ("GET", "/settings/staff/{id}/edit", console(Module::Staff, Edit)),
        ("POST", "/settings/staff/{id}/edit", console(Module::Staff, Edit)),
        ("GET", "/settings/staff/roles/new", console(Module::Staff, Edit)),
        ("POST", "/settings/staff/roles/new", console(Module::Staff, Edit)),
        ("GET", "/settings/staff/roles/{id}/edit", console(Module::Staff, Edit)),
        ("POST", "/settings/staff/roles/{id}/edit", console(Module::Staff, Edit)),
        ("GET", "/settings/tills", console(Module::Staff, View)),
        ("GET", "/settings/tills/new", console(Module::Staff, Edit)),
        ("POST", "/settings/tills/new", console(Module::Staff, Edit)),
        ("POST", "/settings/tills/{id}/rotate", console(Module::Staff, Edit)),
        ("POST", "/settings/tills/{id}/revoke", console(Module::Staff, Edit)),
        // How messages leave is the shop's settings, as in the API.
        ("GET", "/settings/channels", console(Module::Settings, View)),
        ("GET", "/settings/channels/{channel}", console(Module::Settings, View)),
        ("POST", "/settings/channels/{channel}", console(Module::Settings, Edit)),
        ("POST", "/settings/channels/{channel}/test", console(Module::Settings, Edit)),
        // Programs settings
        ("GET", "/settings/programs", console(Module::Programs, View)),
        ("GET", "/settings/programs/new", console(Module::Programs, Edit)),
        ("POST", "/settings/programs/new", console(Module::Programs, Edit)),
        ("GET", "/settings/programs/{id}", console(Module::Programs, View)),
        ("GET", "/settings/programs/{id}/edit", console(Module::Programs, Edit)),
        ("POST", "/settings/programs/{id}/edit", console(Module::Programs, Edit)),
        ("POST", "/settings/programs/{id}/tiers", console(Module::Programs, Edit)),
        ("POST", "/settings/programs/{id}/tiers/{tier_id}", console(Module::Programs, Edit)),
        ("GET", "/settings/cards", console(Module::Programs, View)),
        ("POST", "/settings/cards", console(Module::Programs, Edit)),
        ("POST", "/settings/cards/{id}", console(Module::Programs, Edit)),
        ("POST", "/settings/cards/{id}/print-runs", console(Module::Programs, Edit)),
        ("GET", "/settings/certificates", console(Module::Programs, View)),
        ("POST", "/settings/certificates", console(Module::Programs, Edit)),
        ("POST", "/settings/certificates/{id}", console(Module::Programs, Edit)),
        // Import
        ("GET", "/import", console(Module::Customers, Edit)),
        ("POST", "/import", console(Module::Customers, Edit)),
        ("GET", "/import/template.xlsx", console(Module::Customers, Edit)),
        ("GET", "/import/{id}", console(Module::Customers, Edit)),
        ("GET", "/import/{id}/check", console(Module::Customers, Edit)),
        ("POST", "/import/{id}/check", console(Module::Customers, Edit)),
        ("GET", "/import/{id}/result", console(Module::Customers, Edit)),
        ("POST", "/import/{id}/result", console(Module::Customers, Edit)),
        ("GET", "/import/{id}/{step}/progress", console(Module::Customers, Edit)),
        ("GET", "/import/{id}/{step}/rejected.xlsx", console(Module::Customers, Edit)),
        ("GET", "/api/v1/openapi.json", Public),
        ("GET", "/api/v1/docs", Public),
        ("GET", "/api/v1/docs/", Public),
        ("GET", "/api/v1/docs/{*rest}", Public),
        ("GET", "/api/v1/customers", staff(Module::Customers, View)),
        ("POST", "/api/v1/customers", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/customers/{id}", staff(Module::Customers, View)),
        ("PATCH", "/api/v1/customers/{id}", staff(Module::Customers, Edit)),
        ("POST", "/api/v1/customers/{id}/archive", staff(Module::Customers, Edit)),
        ("POST", "/api/v1/customers/{id}/merge", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/customers/{id}/personal-data", staff(Module::Customers, Edit)),
        ("POST", "/api/v1/customers/{id}/erase", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/customers/{id}/notes", staff(Module::Customers, View)),
        ("POST", "/api/v1/customers/{id}/notes", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/customers/{id}/addresses", staff(Module::Customers, View)),
        ("POST", "/api/v1/customers/{id}/addresses", staff(Module::Customers, Edit)),
        ("DELETE", "/api/v1/customers/{id}/addresses", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/segments", staff(Module::Segments, View)),
        ("POST", "/api/v1/segments", staff(Module::Segments, Edit)),
        ("GET", "/api/v1/segments/fields", staff(Module::Segments, View)),
        // The live count saves nothing: viewing segments is enough.
        ("POST", "/api/v1/segments/count", staff(Module::Segments, View)),
        ("GET", "/api/v1/segments/{id}", staff(Module::Segments, View)),
        ("PATCH", "/api/v1/segments/{id}", staff(Module::Segments, Edit)),
        ("DELETE", "/api/v1/segments/{id}", staff(Module::Segments, Edit)),
        ("POST", "/api/v1/segments/{id}/recompute", staff(Module::Segments, Edit)),
        // A segment's members are customers: listing them is the customer list's right.
        ("GET", "/api/v1/segments/{id}/customers", staff(Module::Customers, View)),
        // Offers are the marketer's, as segments are.
        ("GET", "/api/v1/offers", staff(Module::Segments, View)),
        ("POST", "/api/v1/offers", staff(Module::Segments, Edit)),
        ("GET", "/api/v1/offers/{id}", staff(Module::Segments, View)),
        ("PATCH", "/api/v1/offers/{id}", staff(Module::Segments, Edit)),
        ("GET", "/api/v1/offers/{id}/results", staff(Module::Segments, View)),
        ("POST", "/api/v1/offers/{id}/coupons", staff(Module::Segments, Edit)),
        ("GET", "/api/v1/coupons/{code}", staff(Module::Segments, View)),
        ("GET", "/api/v1/messages", staff(Module::Campaigns, View)),
        ("GET", "/api/v1/templates", staff(Module::Campaigns, View)),
        ("POST", "/api/v1/templates", staff(Module::Campaigns, Edit)),
        ("POST", "/api/v1/templates/preview", staff(Module::Campaigns, View)),
        ("GET", "/api/v1/templates/{id}", staff(Module::Campaigns, View)),
        ("PUT", "/api/v1/templates/{id}", staff(Module::Campaigns, Edit)),
        ("GET", "/api/v1/campaigns", staff(Module::Campaigns, View)),
        ("POST", "/api/v1/campaigns", staff(Module::Campaigns, Edit)),
        ("GET", "/api/v1/campaigns/{id}", staff(Module::Campaigns, View)),
        ("POST", "/api/v1/campaigns/{id}/cancel", staff(Module::Campaigns, Edit)),
        ("GET", "/api/v1/campaigns/{id}/report", staff(Module::Campaigns, View)),
        ("GET", "/api/v1/triggers", staff(Module::Campaigns, View)),
        ("POST", "/api/v1/triggers", staff(Module::Campaigns, Edit)),
        ("GET", "/api/v1/triggers/{id}", staff(Module::Campaigns, View)),
        ("PUT", "/api/v1/triggers/{id}", staff(Module::Campaigns, Edit)),
        // How messages leave is the shop's settings.
        ("GET", "/api/v1/chats", staff(Module::Campaigns, View)),
        ("GET", "/api/v1/chats/{customer_id}", staff(Module::Campaigns, View)),
        ("POST", "/api/v1/chats/{customer_id}/messages", staff(Module::Campaigns, Edit)),
        ("POST", "/api/v1/chats/{customer_id}/close", staff(Module::Campaigns, Edit)),
        ("GET", "/api/v1/channels", staff(Module::Settings, View)),
        ("PUT", "/api/v1/channels/{channel}", staff(Module::Settings, Edit)),
        ("POST", "/api/v1/channels/{channel}/test", staff(Module::Settings, Edit)),
        ("GET", "/api/v1/customer-groups", staff(Module::Settings, View)),
        ("POST", "/api/v1/customer-groups", staff(Module::Settings, Edit)),
        ("GET", "/api/v1/customer-groups/{id}", staff(Module::Settings, View)),
        ("PATCH", "/api/v1/customer-groups/{id}", staff(Module::Settings, Edit)),
        ("DELETE", "/api/v1/customer-groups/{id}", staff(Module::Settings, Edit)),
        ("GET", "/api/v1/stores", staff(Module::Settings, View)),
        ("POST", "/api/v1/stores", staff(Module::Settings, Edit)),
        ("GET", "/api/v1/stores/{id}", staff(Module::Settings, View)),
        ("PATCH", "/api/v1/stores/{id}", staff(Module::Settings, Edit)),
        ("GET", "/api/v1/properties", staff(Module::Settings, View)),
        ("POST", "/api/v1/properties", staff(Module::Settings, Edit)),
        ("PATCH", "/api/v1/properties/{id}", staff(Module::Settings, Edit)),
        ("GET", "/api/v1/staff", staff(Module::Staff, View)),
        ("POST", "/api/v1/staff", staff(Module::Staff, Edit)),
        ("PATCH", "/api/v1/staff/{id}", staff(Module::Staff, Edit)),
        ("GET", "/api/v1/roles", staff(Module::Staff, View)),
        ("POST", "/api/v1/roles", staff(Module::Staff, Edit)),
        ("PATCH", "/api/v1/roles/{id}", staff(Module::Staff, Edit)),
        ("GET", "/api/v1/tokens", AnyStaff),
        ("POST", "/api/v1/tokens", AnyStaff),
        ("DELETE", "/api/v1/tokens/{id}", AnyStaff),
        ("GET", "/api/v1/tills", staff(Module::Staff, View)),
        ("POST", "/api/v1/tills", staff(Module::Staff, Edit)),
        ("POST", "/api/v1/tills/{id}/rotate", staff(Module::Staff, Edit)),
        ("POST", "/api/v1/tills/{id}/revoke", staff(Module::Staff, Edit)),
        ("GET", "/api/v1/audit", staff(Module::Staff, View)),
        ("GET", "/api/v1/customers/{id}/ledger", staff(Module::Customers, View)),
        ("GET", "/api/v1/customers/{id}/history", staff(Module::Customers, View)),
        ("GET", "/api/v1/programs", staff(Module::Programs, View)),
        ("POST", "/api/v1/programs", staff(Module::Programs, Edit)),
        ("GET", "/api/v1/programs/{id}", staff(Module::Programs, View)),
        ("PATCH", "/api/v1/programs/{id}", staff(Module::Programs, Edit)),
        ("POST", "/api/v1/tiers", staff(Module::Programs, Edit)),
        ("PATCH", "/api/v1/tiers/{id}", staff(Module::Programs, Edit)),
        ("POST", "/api/v1/tiers/assignments", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/card-groups", staff(Module::Programs, View)),
        ("POST", "/api/v1/card-groups", staff(Module::Programs, Edit)),
        ("PATCH", "/api/v1/card-groups/{id}", staff(Module::Programs, Edit)),
        ("POST", "/api/v1/card-groups/{id}/print-runs", staff(Module::Programs, Edit)),
        ("GET", "/api/v1/cards", staff(Module::Customers, View)),
        ("POST", "/api/v1/cards", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/cards/{id}", staff(Module::Customers, View)),
        ("POST", "/api/v1/cards/{id}/block", staff(Module::Customers, Edit)),
        ("POST", "/api/v1/cards/{id}/unblock", staff(Module::Customers, Edit)),
        ("POST", "/api/v1/cards/{id}/replace", staff(Module::Customers, Edit)),
        ("POST", "/api/v1/points/adjustments", staff(Module::Points, Edit)),
        ("GET", "/api/v1/reports/points-owed", staff(Module::Reports, View)),
        ("GET", "/api/v1/reports/{name}", staff(Module::Reports, View)),
        ("GET", "/api/v1/certificates/templates", staff(Module::Programs, View)),
        ("POST", "/api/v1/certificates/templates", staff(Module::Programs, Edit)),
        ("PATCH", "/api/v1/certificates/templates/{id}", staff(Module::Programs, Edit)),
        ("GET", "/api/v1/certificates", staff(Module::Customers, View)),
        ("POST", "/api/v1/certificates", staff(Module::Customers, Edit)),
        ("GET", "/api/v1/certificates/{code}", staff(Module::Customers, View)),
        ("POST", "/api/v1/pos/identify", Pos),
        ("POST", "/api/v1/pos/calculate", Pos),
        ("POST", "/api/v1/pos/receipts", Till),
        ("GET", "/api/v1/pos/receipts/{receipt_id}", Till),
        ("POST", "/api/v1/pos/receipts/{receipt_id}/returns", Till),
        ("POST", "/api/v1/pos/receipts:batch", Till),
        ("POST", "/api/v1/pos/holds", Till),
        ("DELETE", "/api/v1/pos/holds/{hold_id}", Till),
    ]
};

pub fn rule_for(method: &Method, path: &str) -> Option<Rule> {
    // HEAD is answered by GET routes.
    let method = if method == Method::HEAD {
        "GET"
    } else {
        method.as_str()
    };
    RULES
        .iter()
        .find(|(m, p, _)| *m == method && *p == path)
        .map(|(_, _, rule)| *rule)
}

/// The caller of a request that passed [`authorize`].
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The client's address as the connection reports it.
    pub ip: Option<String>,
    /// The stores whose customers the caller may reach; `None`: all.
    pub scope: Option<Vec<clientele_domain::StoreId>>,
}

impl Caller {
    pub fn changed_by(&self) -> ChangedBy {
        ChangedBy {
            actor: self.actor(),
            ip: self.ip.clone(),
            scope: self.scope.clone(),
        }
    }

    /// The signed-in staff user; a till has none.
    pub fn user_id(&self) -> Result<clientele_domain::UserId, AppError> {
        match &self.principal {
            Principal::User { user, .. } => Ok(user.id),
            Principal::Till(_) => Err(AppError::Forbidden("a till is not a staff user".into())),
        }
    }

    /// The till whose key made the request.
    pub fn till(&self) -> Option<clientele_app::pos::TillRef> {
        match &self.principal {
            Principal::Till(till) => Some(clientele_app::pos::TillRef {
                id: till.id,
                store_id: till.store_id,
            }),
            Principal::User { .. } => None,
        }
    }

    /// The till, for routes only a till key reaches ([`Rule::Till`]).
    pub fn require_till(&self) -> Result<clientele_app::pos::TillRef, AppError> {
        self.till().ok_or_else(|| {
            AppError::Forbidden("receipts and returns are committed with a till key".into())
        })
    }

    pub fn actor(&self) -> Actor {
        match &self.principal {
            Principal::User { user, .. } => Actor::User {
                id: user.id,
                login: user.login.as_str().to_owned(),
            },
            Principal::Till(till) => Actor::Till {
                id: till.id,
                store_id: till.store_id,
            },
        }
    }
}

/// Checks the route's rule against the request's bearer credential, and
/// hands the caller to the handler.
pub async fn authorize(
    State(state): State<AppState>,
    matched: Option<MatchedPath>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = matched.as_ref().map_or("", |m| m.as_str());
    let Some(rule) = rule_for(request.method(), path) else {
        let allowed: Vec<&str> = RULES
            .iter()
            .filter(|(_, p, _)| *p == path)
            .map(|(m, _, _)| *m)
            .collect();
        if !allowed.is_empty() {
            // Not a method of this route (or one without a rule, which is
            // refused all the same).
            let mut response = ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "http",
                "this route does not take that method",
            )
            .into_response();
            if let Ok(allow) = HeaderValue::from_str(&allowed.join(", ")) {
                response.headers_mut().insert(header::ALLOW, allow);
            }
            return response;
        }
        tracing::error!(method = %request.method(), path, "a route without an access rule");
        return ApiError::from(AppError::Forbidden(
            "this route has no access rule yet".into(),
        ))
        .into_response();
    };
    if rule == Rule::Public {
        return next.run(request).await;
    }
    if let Rule::Console(..) | Rule::ConsoleAny = rule {
        // A page is admitted by the console's own gate: a session, not a
        // bearer credential.
        return next.run(request).await;
    }
    let ip = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    let route = format!("{} {path}", request.method());
    let attempt =
        |by: &ChangedBy, action: &str| entry(by, state.app.clock().now(), action, "route", &route);
    let principal = match bearer(&request) {
        None => {
            return unauthenticated(AppError::Unauthenticated(
                "sign in: send «Authorization: Bearer <token>»",
            ));
        }
        Some(secret) => {
            let client = ip.as_deref().unwrap_or("unknown");
            state.app.authenticate_request(secret, client).await
        }
    };
    let principal = match principal {
        Ok(principal) => principal,
        Err(error) => {
            if matches!(error, AppError::Unauthenticated(_)) {
                let client = ip.as_deref().unwrap_or("unknown");
                let unknown = ChangedBy::unknown("unknown credential", client);
                record(&state, attempt(&unknown, "access.unauthenticated")).await;
                return unauthenticated(error);
            }
            return ApiError::from(error).into_response();
        }
    };
    if let Err(error) = allowed(rule, &principal) {
        let caller = Caller {
            principal,
            ip: ip.clone(),
            scope: None,
        };
        record(&state, attempt(&caller.changed_by(), "access.denied")).await;
        return ApiError::from(error).into_response();
    }
    let scope = match state.app.scope_of(&principal).await {
        Ok(scope) => scope,
        Err(error) => return ApiError::from(error).into_response(),
    };
    request.extensions_mut().insert(Caller {
        principal,
        ip,
        scope,
    });
    next.run(request).await
}

/// An attempt goes to the audit log; if the log cannot take it, the answer
/// is still the refusal.
pub(crate) async fn record(state: &AppState, entry: NewAuditEntry) {
    if let Err(error) = state.app.record(entry).await {
        tracing::error!(%error, "an access attempt could not be logged");
    }
}

fn bearer(request: &Request) -> Option<&str> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(secret.trim())
        .filter(|secret| !secret.is_empty())
}

fn unauthenticated(error: AppError) -> Response {
    let mut response = ApiError::from(error).into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

pub(crate) fn allowed(rule: Rule, principal: &Principal) -> Result<(), AppError> {
    match (rule, principal) {
        (Rule::Public, _) | (Rule::Pos | Rule::Till, Principal::Till(_)) => Ok(()),
        (_, Principal::Till(_)) => Err(AppError::Forbidden(
            "a till key may call the POS API only".into(),
        )),
        (Rule::Till, Principal::User { .. }) => Err(AppError::Forbidden(
            "receipts and returns are committed with a till key".into(),
        )),
        (Rule::AnyStaff | Rule::ConsoleAny, Principal::User { .. }) => Ok(()),
        (Rule::Pos, Principal::User { role, .. }) => permitted(role, Module::Pos, Right::View),
        (
            Rule::Staff(module, right) | Rule::Console(module, right),
            Principal::User { role, .. },
        ) => permitted(role, module, right),
    }
}

fn permitted(role: &Role, module: Module, right: Right) -> Result<(), AppError> {
    if role.permissions.allows(module, right) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "the role «{}» may not {} {}",
            role.name,
            right.as_str(),
            module.as_str()
        )))
    }
}
