//! Staff and access: roles, users, API tokens, tills and their keys,
//! console sessions and form tokens, the audit log, and each user's
//! starred customers.

use async_trait::async_trait;
use clientele_domain::{CustomerId, Login, Permissions, RoleId, StoreId, TillId, TokenId, UserId};
use jiff::Timestamp;

use crate::{
    ApiToken, AuditEntry, AuditQuery, DbResult, FormClaim, NewAuditEntry, NewStaffUser, Principal,
    Role, Session, StaffChanges, StaffUser, Till,
};

#[async_trait]
pub trait Staff: Send + Sync {
    async fn roles(&self) -> DbResult<Vec<Role>>;
    async fn role_by_name(&self, name: &str) -> DbResult<Option<Role>>;
    /// Creates a role, or with `built_in` replaces the permissions of the
    /// built-in role of that name (the binary's definition wins).
    async fn save_role(
        &self,
        name: &str,
        permissions: &Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> DbResult<Role>;
    /// Renames a role made by staff and sets its rights; built-in roles are
    /// left as they are (`None`, as for an unknown id).
    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &Permissions,
    ) -> DbResult<Option<Role>>;
    async fn create_staff_user(&self, user: &NewStaffUser, at: Timestamp) -> DbResult<StaffUser>;
    async fn staff_users(&self) -> DbResult<Vec<StaffUser>>;
    /// The user and their password hash, for a sign-in.
    async fn staff_user_by_login(&self, login: &Login) -> DbResult<Option<(StaffUser, String)>>;
    async fn staff_user(&self, id: UserId) -> DbResult<Option<(StaffUser, String)>>;
    /// `None` if there is no such user.
    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> DbResult<Option<StaffUser>>;
    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<ApiToken>;
    async fn api_tokens(&self, user_id: UserId) -> DbResult<Vec<ApiToken>>;
    /// `false` if there was no such token of that user.
    async fn revoke_api_token(&self, user_id: UserId, id: TokenId, at: Timestamp)
    -> DbResult<bool>;
    async fn create_till(
        &self,
        store_id: StoreId,
        name: &str,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Till>;
    async fn tills(&self) -> DbResult<Vec<Till>>;
    /// Replaces a live till's key; `None` if there is none such.
    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Option<Till>>;
    async fn revoke_till(&self, id: TillId, at: Timestamp) -> DbResult<Option<Till>>;
    /// Whose live token or till key has this SHA-256.
    async fn principal_by_secret(&self, secret_hash: &[u8]) -> DbResult<Option<Principal>>;
    async fn create_session(
        &self,
        secret_hash: &[u8],
        user_id: UserId,
        csrf: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<()>;
    /// The live session of an active user with this SHA-256, at `now`.
    async fn session(&self, secret_hash: &[u8], now: Timestamp) -> DbResult<Option<Session>>;
    async fn delete_session(&self, secret_hash: &[u8]) -> DbResult<()>;
    /// Removes sessions that expired before `now`; answers how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> DbResult<u64>;
    /// Claims a console form's one-time token at `now`, kept until
    /// `expires_at`: first if nobody had it, or if its earlier claim expired,
    /// or was still working when `stale_before` came (its server is gone).
    async fn claim_form_token(
        &self,
        token: &str,
        now: Timestamp,
        stale_before: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<FormClaim>;
    /// The token's work is done and led to `target`.
    async fn finish_form_token(&self, token: &str, target: &str) -> DbResult<()>;
    /// The token's work was not done: it may be sent again.
    async fn release_form_token(&self, token: &str) -> DbResult<()>;
    /// Removes tokens that expired before `now`; answers how many.
    async fn delete_expired_form_tokens(&self, now: Timestamp) -> DbResult<u64>;
    async fn append_audit(&self, entry: &NewAuditEntry) -> DbResult<()>;
    /// Newest first.
    async fn audit_entries(&self, query: &AuditQuery) -> DbResult<Vec<AuditEntry>>;
    /// Stars a customer for a staff user, or takes the star away.
    async fn set_favourite(
        &self,
        user: UserId,
        customer: CustomerId,
        starred: bool,
        at: Timestamp,
    ) -> DbResult<()>;
    /// Which of these customers the user starred.
    async fn favourites_among(
        &self,
        user: UserId,
        customers: &[CustomerId],
    ) -> DbResult<Vec<CustomerId>>;
}
