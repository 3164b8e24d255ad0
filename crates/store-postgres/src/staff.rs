//! Staff users, roles, API tokens, tills and the audit log.

use clientele_domain::{CustomerId, Login, Permissions, RoleId, StoreId, TillId, TokenId, UserId};
use clientele_store::{
    Actor, ApiToken, AuditEntry, AuditQuery, DbError, DbResult, FormClaim, NewAuditEntry,
    NewStaffUser, Principal, Role, Session, StaffChanges, StaffUser, Till,
};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::types::{Json, JsonValue};
use sqlx::{Postgres, QueryBuilder};

use crate::PostgresDatabase;
use crate::errors::{backend, constraint};
use crate::filter::EARLIEST_MICROS;
use crate::rows::micro_time;
use async_trait::async_trait;
use clientele_store::area::Staff;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> DbError {
    DbError::Backend(format!("staff record with an unreadable {what}: {detail}").into())
}

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: i64,
    name: String,
    permissions: Json<Permissions>,
    built_in: bool,
    created_at: jiff_sqlx::Timestamp,
}

impl RoleRow {
    fn into_role(self) -> Role {
        Role {
            id: RoleId(self.id),
            name: self.name,
            permissions: self.permissions.0,
            built_in: self.built_in,
            created_at: self.created_at.to_jiff(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    login: String,
    name: String,
    role_id: i64,
    stores: Vec<i64>,
    active: bool,
    created_at: jiff_sqlx::Timestamp,
    password_hash: String,
}

impl UserRow {
    fn into_user(self) -> (StaffUser, String) {
        (
            StaffUser {
                id: UserId(self.id),
                login: Login::from_stored(self.login),
                name: self.name,
                role_id: RoleId(self.role_id),
                stores: self.stores.into_iter().map(StoreId).collect(),
                active: self.active,
                created_at: self.created_at.to_jiff(),
            },
            self.password_hash,
        )
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    label: String,
    created_at: jiff_sqlx::Timestamp,
    revoked_at: Option<jiff_sqlx::Timestamp>,
}

impl TokenRow {
    fn into_token(self) -> ApiToken {
        ApiToken {
            id: TokenId(self.id),
            user_id: UserId(self.user_id),
            label: self.label,
            created_at: self.created_at.to_jiff(),
            revoked_at: self.revoked_at.map(jiff_sqlx::Timestamp::to_jiff),
        }
    }
}

#[derive(sqlx::FromRow)]
struct TillRow {
    id: i64,
    store_id: i64,
    name: String,
    created_at: jiff_sqlx::Timestamp,
    key_issued_at: jiff_sqlx::Timestamp,
    revoked_at: Option<jiff_sqlx::Timestamp>,
}

impl TillRow {
    fn into_till(self) -> Till {
        Till {
            id: TillId(self.id),
            store_id: StoreId(self.store_id),
            name: self.name,
            created_at: self.created_at.to_jiff(),
            key_issued_at: self.key_issued_at.to_jiff(),
            revoked_at: self.revoked_at.map(jiff_sqlx::Timestamp::to_jiff),
        }
    }
}

/// A live token's active user with their role, or a live till: the columns
/// of the other kind are NULL.
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    kind: String,
    id: i64,
    name: String,
    created_at: jiff_sqlx::Timestamp,
    login: Option<String>,
    role_id: Option<i64>,
    stores: Option<Vec<i64>>,
    active: Option<bool>,
    role_name: Option<String>,
    permissions: Option<Json<Permissions>>,
    role_built_in: Option<bool>,
    role_created_at: Option<jiff_sqlx::Timestamp>,
    store_id: Option<i64>,
    key_issued_at: Option<jiff_sqlx::Timestamp>,
}

impl PrincipalRow {
    fn into_principal(self) -> DbResult<Principal> {
        let missing = |what| corrupt(what, "missing");
        if self.kind == "till" {
            return Ok(Principal::Till(Till {
                id: TillId(self.id),
                store_id: StoreId(self.store_id.ok_or_else(|| missing("store"))?),
                name: self.name,
                created_at: self.created_at.to_jiff(),
                key_issued_at: self
                    .key_issued_at
                    .ok_or_else(|| missing("key time"))?
                    .to_jiff(),
                revoked_at: None,
            }));
        }
        let role_id = RoleId(self.role_id.ok_or_else(|| missing("role"))?);
        let user = StaffUser {
            id: UserId(self.id),
            login: Login::from_stored(self.login.ok_or_else(|| missing("login"))?),
            name: self.name,
            role_id,
            stores: self
                .stores
                .ok_or_else(|| missing("stores"))?
                .into_iter()
                .map(StoreId)
                .collect(),
            active: self.active.ok_or_else(|| missing("active flag"))?,
            created_at: self.created_at.to_jiff(),
        };
        let role = Role {
            id: role_id,
            name: self.role_name.ok_or_else(|| missing("role"))?,
            permissions: self.permissions.ok_or_else(|| missing("permissions"))?.0,
            built_in: self.role_built_in.ok_or_else(|| missing("built-in flag"))?,
            created_at: self
                .role_created_at
                .ok_or_else(|| missing("role time"))?
                .to_jiff(),
        };
        Ok(Principal::User { user, role })
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    csrf: String,
    expires_at: jiff_sqlx::Timestamp,
    id: i64,
    login: String,
    name: String,
    role_id: i64,
    stores: Vec<i64>,
    active: bool,
    created_at: jiff_sqlx::Timestamp,
    role_name: String,
    permissions: Json<Permissions>,
    role_built_in: bool,
    role_created_at: jiff_sqlx::Timestamp,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: jiff_sqlx::Timestamp,
    actor: Json<Actor>,
    ip: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    customer_id: Option<i64>,
    before: Option<JsonValue>,
    after: Option<JsonValue>,
}

impl AuditRow {
    fn into_entry(self) -> AuditEntry {
        AuditEntry {
            id: self.id,
            entry: NewAuditEntry {
                at: self.at.to_jiff(),
                actor: self.actor.0,
                ip: self.ip,
                action: self.action,
                entity: self.entity,
                entity_id: self.entity_id,
                customer_id: self.customer_id.map(CustomerId),
                before: self.before,
                after: self.after,
            },
        }
    }
}

/// A time to compare with; one before PostgreSQL's earliest is `-infinity`.
fn push_time(sql: &mut QueryBuilder<Postgres>, at: Timestamp) {
    if at.as_microsecond() >= EARLIEST_MICROS {
        sql.push_bind(at.to_sqlx());
    } else {
        sql.push("'-infinity'::timestamptz");
    }
}

#[async_trait]
impl Staff for PostgresDatabase {
    async fn roles(&self) -> DbResult<Vec<Role>> {
        let rows: Vec<RoleRow> = sqlx::query_as(
            "SELECT id, name, permissions, built_in, created_at FROM roles ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(RoleRow::into_role).collect())
    }

    async fn role_by_name(&self, name: &str) -> DbResult<Option<Role>> {
        let row: Option<RoleRow> = sqlx::query_as(
            "SELECT id, name, permissions, built_in, created_at FROM roles WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(RoleRow::into_role))
    }

    /// A new role; with `built_in`, the role of that name takes these
    /// permissions whether or not it exists already, and keeps its id.
    async fn save_role(
        &self,
        name: &str,
        permissions: &Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> DbResult<Role> {
        let row: RoleRow = if built_in {
            sqlx::query_as(
                "INSERT INTO roles (name, permissions, built_in, created_at) VALUES ($1, $2, true, $3)
                 ON CONFLICT ON CONSTRAINT roles_name_key
                 DO UPDATE SET permissions = excluded.permissions, built_in = true
                 RETURNING id, name, permissions, built_in, created_at",
            )
        } else {
            sqlx::query_as(
                "INSERT INTO roles (name, permissions, built_in, created_at) VALUES ($1, $2, false, $3)
                 RETURNING id, name, permissions, built_in, created_at",
            )
        }
        .bind(name)
        .bind(Json(permissions))
        .bind(micro_time(at).to_sqlx())
        .fetch_one(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.into_role())
    }

    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &Permissions,
    ) -> DbResult<Option<Role>> {
        let row: Option<RoleRow> = sqlx::query_as(
            "UPDATE roles SET name = $2, permissions = $3 WHERE id = $1 AND NOT built_in
             RETURNING id, name, permissions, built_in, created_at",
        )
        .bind(id.0)
        .bind(name)
        .bind(Json(permissions))
        .fetch_optional(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.map(RoleRow::into_role))
    }

    async fn create_staff_user(&self, user: &NewStaffUser, at: Timestamp) -> DbResult<StaffUser> {
        let stores: Vec<i64> = user.stores.iter().map(|s| s.0).collect();
        let row: UserRow = sqlx::query_as(
            "INSERT INTO staff_users (login, name, role_id, stores, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING id, login, name, role_id, stores, active, created_at, password_hash",
        )
        .bind(user.login.as_str())
        .bind(&user.name)
        .bind(user.role_id.0)
        .bind(stores)
        .bind(&user.password_hash)
        .bind(micro_time(at).to_sqlx())
        .fetch_one(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.into_user().0)
    }

    async fn staff_users(&self) -> DbResult<Vec<StaffUser>> {
        let rows: Vec<UserRow> = sqlx::query_as(
            "SELECT id, login, name, role_id, stores, active, created_at, password_hash
             FROM staff_users ORDER BY login",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(|row| row.into_user().0).collect())
    }

    async fn staff_user_by_login(&self, login: &Login) -> DbResult<Option<(StaffUser, String)>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT id, login, name, role_id, stores, active, created_at, password_hash
             FROM staff_users WHERE login = $1",
        )
        .bind(login.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(UserRow::into_user))
    }

    async fn staff_user(&self, id: UserId) -> DbResult<Option<(StaffUser, String)>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT id, login, name, role_id, stores, active, created_at, password_hash
             FROM staff_users WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(UserRow::into_user))
    }

    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> DbResult<Option<StaffUser>> {
        let stores: Option<Vec<i64>> = changes
            .stores
            .as_ref()
            .map(|stores| stores.iter().map(|s| s.0).collect());
        let row: Option<UserRow> = sqlx::query_as(
            "UPDATE staff_users SET
                 name = COALESCE($2, name),
                 role_id = COALESCE($3, role_id),
                 stores = COALESCE($4, stores),
                 active = COALESCE($5, active),
                 password_hash = COALESCE($6, password_hash)
             WHERE id = $1
             RETURNING id, login, name, role_id, stores, active, created_at, password_hash",
        )
        .bind(id.0)
        .bind(changes.name.as_deref())
        .bind(changes.role_id.map(|r| r.0))
        .bind(stores)
        .bind(changes.active)
        .bind(changes.password_hash.as_deref())
        .fetch_optional(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.map(|row| row.into_user().0))
    }

    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<ApiToken> {
        let row: TokenRow = sqlx::query_as(
            "INSERT INTO api_tokens (user_id, label, secret_hash, created_at) VALUES ($1, $2, $3, $4)
             RETURNING id, user_id, label, created_at, revoked_at",
        )
        .bind(user_id.0)
        .bind(label)
        .bind(secret_hash)
        .bind(micro_time(at).to_sqlx())
        .fetch_one(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.into_token())
    }

    async fn api_tokens(&self, user_id: UserId) -> DbResult<Vec<ApiToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT id, user_id, label, created_at, revoked_at FROM api_tokens
             WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(TokenRow::into_token).collect())
    }

    /// Revoking twice keeps the first time; `false` if the user has no such token.
    async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        at: Timestamp,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3)
             WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user_id.0)
        .bind(micro_time(at).to_sqlx())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn create_till(
        &self,
        store_id: StoreId,
        name: &str,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Till> {
        let row: TillRow = sqlx::query_as(
            "INSERT INTO tills (store_id, name, key_hash, created_at, key_issued_at)
             VALUES ($1, $2, $3, $4, $4)
             RETURNING id, store_id, name, created_at, key_issued_at, revoked_at",
        )
        .bind(store_id.0)
        .bind(name)
        .bind(key_hash)
        .bind(micro_time(at).to_sqlx())
        .fetch_one(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.into_till())
    }

    async fn tills(&self) -> DbResult<Vec<Till>> {
        let rows: Vec<TillRow> = sqlx::query_as(
            "SELECT id, store_id, name, created_at, key_issued_at, revoked_at FROM tills ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(TillRow::into_till).collect())
    }

    /// A new key for a till that is not revoked.
    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Option<Till>> {
        let row: Option<TillRow> = sqlx::query_as(
            "UPDATE tills SET key_hash = $2, key_issued_at = $3
             WHERE id = $1 AND revoked_at IS NULL
             RETURNING id, store_id, name, created_at, key_issued_at, revoked_at",
        )
        .bind(id.0)
        .bind(key_hash)
        .bind(micro_time(at).to_sqlx())
        .fetch_optional(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.map(TillRow::into_till))
    }

    /// Revoking twice keeps the first time.
    async fn revoke_till(&self, id: TillId, at: Timestamp) -> DbResult<Option<Till>> {
        let row: Option<TillRow> = sqlx::query_as(
            "UPDATE tills SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1
             RETURNING id, store_id, name, created_at, key_issued_at, revoked_at",
        )
        .bind(id.0)
        .bind(micro_time(at).to_sqlx())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(TillRow::into_till))
    }

    /// Whose live credential has this hash, in one statement: this runs on
    /// every request.
    async fn principal_by_secret(&self, secret_hash: &[u8]) -> DbResult<Option<Principal>> {
        let row: Option<PrincipalRow> = sqlx::query_as(
            "SELECT 'user' AS kind, u.id, u.name, u.created_at,
                    u.login, u.role_id, u.stores, u.active,
                    r.name AS role_name, r.permissions, r.built_in AS role_built_in,
                    r.created_at AS role_created_at,
                    NULL::bigint AS store_id, NULL::timestamptz AS key_issued_at
             FROM api_tokens t
             JOIN staff_users u ON u.id = t.user_id
             JOIN roles r ON r.id = u.role_id
             WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND u.active
             UNION ALL
             SELECT 'till', id, name, created_at,
                    NULL, NULL, NULL, NULL,
                    NULL, NULL, NULL,
                    NULL,
                    store_id, key_issued_at
             FROM tills
             WHERE key_hash = $1 AND revoked_at IS NULL
             LIMIT 1",
        )
        .bind(secret_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(PrincipalRow::into_principal).transpose()
    }

    async fn create_session(
        &self,
        secret_hash: &[u8],
        user_id: UserId,
        csrf: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (secret_hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(secret_hash)
        .bind(user_id.0)
        .bind(csrf)
        .bind(micro_time(at).to_sqlx())
        .bind(micro_time(expires_at).to_sqlx())
        .execute(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(())
    }

    async fn session(&self, secret_hash: &[u8], now: Timestamp) -> DbResult<Option<Session>> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.csrf, s.expires_at, u.id, u.login, u.name, u.role_id, u.stores, u.active,
                    u.created_at, r.name AS role_name, r.permissions, r.built_in AS role_built_in,
                    r.created_at AS role_created_at
             FROM sessions s
             JOIN staff_users u ON u.id = s.user_id
             JOIN roles r ON r.id = u.role_id
             WHERE s.secret_hash = $1 AND s.expires_at > $2 AND u.active",
        )
        .bind(secret_hash)
        .bind(micro_time(now).to_sqlx())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|row| {
            let (user, _) = UserRow {
                id: row.id,
                login: row.login,
                name: row.name,
                role_id: row.role_id,
                stores: row.stores,
                active: row.active,
                created_at: row.created_at,
                password_hash: String::new(),
            }
            .into_user();
            let role = RoleRow {
                id: row.role_id,
                name: row.role_name,
                permissions: row.permissions,
                built_in: row.role_built_in,
                created_at: row.role_created_at,
            }
            .into_role();
            Session {
                user,
                role,
                csrf: row.csrf,
                expires_at: row.expires_at.to_jiff(),
            }
        }))
    }

    async fn delete_session(&self, secret_hash: &[u8]) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE secret_hash = $1")
            .bind(secret_hash)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(micro_time(now).to_sqlx())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn claim_form_token(
        &self,
        token: &str,
        now: Timestamp,
        stale_before: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<FormClaim> {
        let claimed: Option<String> = sqlx::query_scalar(
            "INSERT INTO form_tokens (token, target, claimed_at, expires_at)
             VALUES ($1, NULL, $2, $4)
             ON CONFLICT (token) DO UPDATE
                SET target = NULL, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                WHERE form_tokens.expires_at <= $2
                   OR (form_tokens.target IS NULL AND form_tokens.claimed_at < $3)
             RETURNING token",
        )
        .bind(token)
        .bind(micro_time(now).to_sqlx())
        .bind(micro_time(stale_before).to_sqlx())
        .bind(micro_time(expires_at).to_sqlx())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        if claimed.is_some() {
            return Ok(FormClaim::First);
        }
        let target: Option<Option<String>> =
            sqlx::query_scalar("SELECT target FROM form_tokens WHERE token = $1")
                .bind(token)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        Ok(match target.flatten() {
            Some(target) => FormClaim::Done(target),
            None => FormClaim::Working,
        })
    }

    async fn finish_form_token(&self, token: &str, target: &str) -> DbResult<()> {
        sqlx::query("UPDATE form_tokens SET target = $2 WHERE token = $1")
            .bind(token)
            .bind(target)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn release_form_token(&self, token: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM form_tokens WHERE token = $1 AND target IS NULL")
            .bind(token)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_expired_form_tokens(&self, now: Timestamp) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM form_tokens WHERE expires_at <= $1")
            .bind(micro_time(now).to_sqlx())
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> DbResult<()> {
        let login = match &entry.actor {
            Actor::User { login, .. } => Some(login.as_str()),
            Actor::Till { .. } | Actor::System { .. } => None,
        };
        sqlx::query(
            "INSERT INTO audit_log (at, actor, actor_login, ip, action, entity, entity_id,
                                    customer_id, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(micro_time(entry.at).to_sqlx())
        .bind(Json(&entry.actor))
        .bind(login)
        .bind(entry.ip.as_deref())
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(entry.entity_id.as_deref())
        .bind(entry.customer_id.map(|c| c.0))
        .bind(entry.before.as_ref())
        .bind(entry.after.as_ref())
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    /// Newest first. Only the conditions asked for are in the statement, so the
    /// planner sees each and picks its index.
    async fn audit_entries(&self, query: &AuditQuery) -> DbResult<Vec<AuditEntry>> {
        let mut sql = QueryBuilder::<Postgres>::new(
            "SELECT id, at, actor, ip, action, entity, entity_id, customer_id, before, after
             FROM audit_log WHERE true",
        );
        if let Some(customer) = query.customer_id {
            sql.push(" AND customer_id = ").push_bind(customer.0);
        }
        if let Some(login) = &query.user {
            sql.push(" AND actor_login = ").push_bind(login.clone());
        }
        if let Some(action) = &query.action {
            sql.push(" AND action = ").push_bind(action.clone());
        }
        if let Some(from) = query.from {
            sql.push(" AND at >= ");
            push_time(&mut sql, from);
        }
        if let Some(to) = query.to {
            sql.push(" AND at <= ");
            push_time(&mut sql, to);
        }
        if let Some(before) = query.before_id {
            sql.push(" AND id < ").push_bind(before);
        }
        sql.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows: Vec<AuditRow> = sql
            .build_query_as()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        Ok(rows.into_iter().map(AuditRow::into_entry).collect())
    }
}
