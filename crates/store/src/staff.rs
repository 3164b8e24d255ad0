//! Staff users, roles, API tokens, tills and the audit log as the store
//! keeps them. Secrets are never stored: only their SHA-256, which is what a
//! request's credential is looked up by.

use clientele_domain::{CustomerId, Login, Permissions, RoleId, StoreId, TillId, TokenId, UserId};
use jiff::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub permissions: Permissions,
    pub built_in: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: UserId,
    pub login: Login,
    pub name: String,
    pub role_id: RoleId,
    /// The regions, cities or stores the user is limited to; empty: all.
    pub stores: Vec<StoreId>,
    pub active: bool,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone)]
pub struct NewStaffUser {
    pub login: Login,
    pub name: String,
    pub role_id: RoleId,
    pub stores: Vec<StoreId>,
    /// argon2 PHC string.
    pub password_hash: String,
}

/// What to change of a staff user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct StaffChanges {
    pub name: Option<String>,
    pub role_id: Option<RoleId>,
    pub stores: Option<Vec<StoreId>>,
    pub active: Option<bool>,
    /// A new argon2 PHC string.
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Till {
    pub id: TillId,
    pub store_id: StoreId,
    pub name: String,
    pub created_at: Timestamp,
    /// When the current key was issued.
    pub key_issued_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// Whom a request's credential belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// A staff user, through an API token or a console session.
    User {
        user: StaffUser,
        role: Role,
    },
    Till(Till),
}

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    User {
        id: UserId,
        login: String,
    },
    Till {
        id: TillId,
        store_id: StoreId,
    },
    /// The command line or a background job.
    System {
        name: String,
    },
}

/// One change as the audit log keeps it, append-only.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    pub at: Timestamp,
    pub actor: Actor,
    /// The client's address, when the change came over the network.
    pub ip: Option<String>,
    /// `customer.update`, `staff.sign_in_failed`, …
    pub action: String,
    /// `customer`, `till`, `user`, …, and the record's id.
    pub entity: String,
    pub entity_id: Option<String>,
    pub customer_id: Option<CustomerId>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub entry: NewAuditEntry,
}

/// What the audit log is searched by; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub customer_id: Option<CustomerId>,
    /// A staff user's login.
    pub user: Option<String>,
    /// What was done: `card.print_run`, `customer.update`, …
    pub action: Option<String>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    /// Entries older than this id (the previous page's last).
    pub before_id: Option<i64>,
    pub limit: u32,
}

/// What a claim of a one-time form token found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormClaim {
    /// Nobody had sent it: the claimant does the work.
    First,
    /// Another sending is doing the work now.
    Working,
    /// Its work is done and led here.
    Done(String),
}

/// A signed-in console session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: StaffUser,
    pub role: Role,
    /// The token the session's forms carry.
    pub csrf: String,
    pub expires_at: Timestamp,
}
