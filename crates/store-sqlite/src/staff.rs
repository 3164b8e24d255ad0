//! Staff users, roles, API tokens, tills and the audit log.

use clientele_domain::{CustomerId, Login, Permissions, RoleId, StoreId, TillId, TokenId, UserId};
use clientele_store::{
    Actor, ApiToken, AuditEntry, AuditQuery, DbError, DbResult, FormClaim, NewAuditEntry,
    NewStaffUser, Principal, Role, Session, StaffChanges, StaffUser, Till,
};
use jiff::Timestamp;

use crate::SqliteDatabase;
use crate::errors::{backend, constraint};
use crate::rows::{corrupt, json, micros, timestamp};
use async_trait::async_trait;
use clientele_store::area::Staff;

#[derive(sqlx::FromRow)]
struct RoleRow {
    id: i64,
    name: String,
    permissions: String,
    built_in: bool,
    created_at: i64,
}

impl RoleRow {
    fn into_role(self) -> DbResult<Role> {
        Ok(Role {
            id: RoleId(self.id),
            name: self.name,
            permissions: serde_json::from_str::<Permissions>(&self.permissions)
                .map_err(|e| corrupt("permissions", e))?,
            built_in: self.built_in,
            created_at: timestamp(self.created_at)?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    login: String,
    name: String,
    role_id: i64,
    stores: String,
    active: bool,
    created_at: i64,
    password_hash: String,
}

impl UserRow {
    fn into_user(self) -> DbResult<(StaffUser, String)> {
        let stores: Vec<i64> =
            serde_json::from_str(&self.stores).map_err(|e| corrupt("stores", e))?;
        Ok((
            StaffUser {
                id: UserId(self.id),
                login: Login::from_stored(self.login),
                name: self.name,
                role_id: RoleId(self.role_id),
                stores: stores.into_iter().map(StoreId).collect(),
                active: self.active,
                created_at: timestamp(self.created_at)?,
            },
            self.password_hash,
        ))
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    label: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

impl TokenRow {
    fn into_token(self) -> DbResult<ApiToken> {
        Ok(ApiToken {
            id: TokenId(self.id),
            user_id: UserId(self.user_id),
            label: self.label,
            created_at: timestamp(self.created_at)?,
            revoked_at: self.revoked_at.map(timestamp).transpose()?,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TillRow {
    id: i64,
    store_id: i64,
    name: String,
    created_at: i64,
    key_issued_at: i64,
    revoked_at: Option<i64>,
}

impl TillRow {
    fn into_till(self) -> DbResult<Till> {
        Ok(Till {
            id: TillId(self.id),
            store_id: StoreId(self.store_id),
            name: self.name,
            created_at: timestamp(self.created_at)?,
            key_issued_at: timestamp(self.key_issued_at)?,
            revoked_at: self.revoked_at.map(timestamp).transpose()?,
        })
    }
}

/// A live token's user and role, or a live till, in one statement: this
/// runs on every request.
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    kind: String,
    id: i64,
    login: Option<String>,
    name: String,
    role_id: Option<i64>,
    stores: Option<String>,
    active: bool,
    created_at: i64,
    role_name: Option<String>,
    permissions: Option<String>,
    role_built_in: Option<bool>,
    role_created_at: Option<i64>,
    store_id: Option<i64>,
    key_issued_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    csrf: String,
    expires_at: i64,
    id: i64,
    login: String,
    name: String,
    role_id: i64,
    stores: String,
    active: bool,
    created_at: i64,
    role_name: String,
    permissions: String,
    role_built_in: bool,
    role_created_at: i64,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: i64,
    actor: String,
    ip: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    customer_id: Option<i64>,
    before: Option<String>,
    after: Option<String>,
}

impl AuditRow {
    fn into_entry(self) -> DbResult<AuditEntry> {
        let value = |raw: Option<String>| {
            raw.map(|raw| serde_json::from_str(&raw).map_err(|e| corrupt("change", e)))
                .transpose()
        };
        Ok(AuditEntry {
            id: self.id,
            entry: NewAuditEntry {
                at: timestamp(self.at)?,
                actor: serde_json::from_str(&self.actor).map_err(|e| corrupt("actor", e))?,
                ip: self.ip,
                action: self.action,
                entity: self.entity,
                entity_id: self.entity_id,
                customer_id: self.customer_id.map(CustomerId),
                before: value(self.before)?,
                after: value(self.after)?,
            },
        })
    }
}

#[async_trait]
impl Staff for SqliteDatabase {
    async fn roles(&self) -> DbResult<Vec<Role>> {
        let rows: Vec<RoleRow> = sqlx::query_as(
            "SELECT id, name, permissions, built_in, created_at FROM roles ORDER BY id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(RoleRow::into_role).collect()
    }

    async fn role_by_name(&self, name: &str) -> DbResult<Option<Role>> {
        let row: Option<RoleRow> = sqlx::query_as(
            "SELECT id, name, permissions, built_in, created_at FROM roles WHERE name = ?1",
        )
        .bind(name)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(RoleRow::into_role).transpose()
    }

    async fn save_role(
        &self,
        name: &str,
        permissions: &Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> DbResult<Role> {
        let row: RoleRow = if built_in {
            sqlx::query_as(
                "INSERT INTO roles (name, permissions, built_in, created_at) VALUES (?1, ?2, 1, ?3)
                 ON CONFLICT (name) DO UPDATE SET permissions = excluded.permissions, built_in = 1
                 RETURNING id, name, permissions, built_in, created_at",
            )
        } else {
            sqlx::query_as(
                "INSERT INTO roles (name, permissions, built_in, created_at) VALUES (?1, ?2, 0, ?3)
                 RETURNING id, name, permissions, built_in, created_at",
            )
        }
        .bind(name)
        .bind(json(permissions))
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| constraint(e, &[("roles.name", "name")]))?;
        row.into_role()
    }

    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &Permissions,
    ) -> DbResult<Option<Role>> {
        let row: Option<RoleRow> = sqlx::query_as(
            "UPDATE roles SET name = ?2, permissions = ?3 WHERE id = ?1 AND built_in = 0
             RETURNING id, name, permissions, built_in, created_at",
        )
        .bind(id.0)
        .bind(name)
        .bind(json(permissions))
        .fetch_optional(&self.write)
        .await
        .map_err(|e| constraint(e, &[("roles.name", "name")]))?;
        row.map(RoleRow::into_role).transpose()
    }

    async fn create_staff_user(&self, user: &NewStaffUser, at: Timestamp) -> DbResult<StaffUser> {
        let stores: Vec<i64> = user.stores.iter().map(|s| s.0).collect();
        let row: UserRow = sqlx::query_as(
            "INSERT INTO staff_users (login, name, role_id, stores, password_hash, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             RETURNING id, login, name, role_id, stores, active, created_at, password_hash",
        )
        .bind(user.login.as_str())
        .bind(&user.name)
        .bind(user.role_id.0)
        .bind(json(&stores))
        .bind(&user.password_hash)
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| constraint(e, &[("staff_users.login", "login")]))?;
        Ok(row.into_user()?.0)
    }

    async fn staff_users(&self) -> DbResult<Vec<StaffUser>> {
        let rows: Vec<UserRow> = sqlx::query_as(
            "SELECT id, login, name, role_id, stores, active, created_at, password_hash
             FROM staff_users ORDER BY login",
        )
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter()
            .map(|row| row.into_user().map(|(user, _)| user))
            .collect()
    }

    async fn staff_user_by_login(&self, login: &Login) -> DbResult<Option<(StaffUser, String)>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT id, login, name, role_id, stores, active, created_at, password_hash
             FROM staff_users WHERE login = ?1",
        )
        .bind(login.as_str())
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(UserRow::into_user).transpose()
    }

    async fn staff_user(&self, id: UserId) -> DbResult<Option<(StaffUser, String)>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT id, login, name, role_id, stores, active, created_at, password_hash
             FROM staff_users WHERE id = ?1",
        )
        .bind(id.0)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        row.map(UserRow::into_user).transpose()
    }

    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> DbResult<Option<StaffUser>> {
        let stores = changes
            .stores
            .as_ref()
            .map(|stores| json(&stores.iter().map(|s| s.0).collect::<Vec<_>>()));
        let row: Option<UserRow> = sqlx::query_as(
            "UPDATE staff_users SET
                 name = COALESCE(?2, name),
                 role_id = COALESCE(?3, role_id),
                 stores = COALESCE(?4, stores),
                 active = COALESCE(?5, active),
                 password_hash = COALESCE(?6, password_hash)
             WHERE id = ?1
             RETURNING id, login, name, role_id, stores, active, created_at, password_hash",
        )
        .bind(id.0)
        .bind(changes.name.as_deref())
        .bind(changes.role_id.map(|r| r.0))
        .bind(stores)
        .bind(changes.active)
        .bind(changes.password_hash.as_deref())
        .fetch_optional(&self.write)
        .await
        .map_err(|e| constraint(e, &[]))?;
        row.map(|row| row.into_user().map(|(user, _)| user))
            .transpose()
    }

    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<ApiToken> {
        let row: TokenRow = sqlx::query_as(
            "INSERT INTO api_tokens (user_id, label, secret_hash, created_at) VALUES (?1, ?2, ?3, ?4)
             RETURNING id, user_id, label, created_at, revoked_at",
        )
        .bind(user_id.0)
        .bind(label)
        .bind(secret_hash)
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| constraint(e, &[]))?;
        row.into_token()
    }

    async fn api_tokens(&self, user_id: UserId) -> DbResult<Vec<ApiToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT id, user_id, label, created_at, revoked_at FROM api_tokens
             WHERE user_id = ?1 ORDER BY id",
        )
        .bind(user_id.0)
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(TokenRow::into_token).collect()
    }

    async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        at: Timestamp,
    ) -> DbResult<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?3) WHERE id = ?1 AND user_id = ?2",
        )
        .bind(id.0)
        .bind(user_id.0)
        .bind(micros(at))
        .execute(&self.write)
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
             VALUES (?1, ?2, ?3, ?4, ?4)
             RETURNING id, store_id, name, created_at, key_issued_at, revoked_at",
        )
        .bind(store_id.0)
        .bind(name)
        .bind(key_hash)
        .bind(micros(at))
        .fetch_one(&self.write)
        .await
        .map_err(|e| match constraint(e, &[]) {
            DbError::MissingReference { .. } => DbError::MissingReference { field: "store" },
            other => other,
        })?;
        row.into_till()
    }

    async fn tills(&self) -> DbResult<Vec<Till>> {
        let rows: Vec<TillRow> = sqlx::query_as(
            "SELECT id, store_id, name, created_at, key_issued_at, revoked_at FROM tills ORDER BY id",
        )
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(TillRow::into_till).collect()
    }

    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Option<Till>> {
        let row: Option<TillRow> = sqlx::query_as(
            "UPDATE tills SET key_hash = ?2, key_issued_at = ?3
             WHERE id = ?1 AND revoked_at IS NULL
             RETURNING id, store_id, name, created_at, key_issued_at, revoked_at",
        )
        .bind(id.0)
        .bind(key_hash)
        .bind(micros(at))
        .fetch_optional(&self.write)
        .await
        .map_err(backend)?;
        row.map(TillRow::into_till).transpose()
    }

    async fn revoke_till(&self, id: TillId, at: Timestamp) -> DbResult<Option<Till>> {
        let row: Option<TillRow> = sqlx::query_as(
            "UPDATE tills SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1
             RETURNING id, store_id, name, created_at, key_issued_at, revoked_at",
        )
        .bind(id.0)
        .bind(micros(at))
        .fetch_optional(&self.write)
        .await
        .map_err(backend)?;
        row.map(TillRow::into_till).transpose()
    }

    async fn principal_by_secret(&self, secret_hash: &[u8]) -> DbResult<Option<Principal>> {
        let row: Option<PrincipalRow> = sqlx::query_as(
            "SELECT 'user' AS kind, u.id, u.login, u.name, u.role_id, u.stores, u.active, u.created_at,
                    r.name AS role_name, r.permissions, r.built_in AS role_built_in,
                    r.created_at AS role_created_at, NULL AS store_id, NULL AS key_issued_at
             FROM api_tokens t
             JOIN staff_users u ON u.id = t.user_id
             JOIN roles r ON r.id = u.role_id
             WHERE t.secret_hash = ?1 AND t.revoked_at IS NULL AND u.active = 1
             UNION ALL
             SELECT 'till', id, NULL, name, NULL, NULL, 1, created_at,
                    NULL, NULL, NULL, NULL, store_id, key_issued_at
             FROM tills
             WHERE key_hash = ?1 AND revoked_at IS NULL",
        )
        .bind(secret_hash)
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let missing = |what| corrupt(what, "missing");
        Ok(Some(if row.kind == "till" {
            Principal::Till(Till {
                id: TillId(row.id),
                store_id: StoreId(row.store_id.ok_or_else(|| missing("store"))?),
                name: row.name,
                created_at: timestamp(row.created_at)?,
                key_issued_at: timestamp(row.key_issued_at.ok_or_else(|| missing("key time"))?)?,
                revoked_at: None,
            })
        } else {
            let (user, _) = UserRow {
                id: row.id,
                login: row.login.ok_or_else(|| missing("login"))?,
                name: row.name,
                role_id: row.role_id.ok_or_else(|| missing("role"))?,
                stores: row.stores.ok_or_else(|| missing("stores"))?,
                active: row.active,
                created_at: row.created_at,
                password_hash: String::new(),
            }
            .into_user()?;
            let role = RoleRow {
                id: user.role_id.0,
                name: row.role_name.ok_or_else(|| missing("role"))?,
                permissions: row.permissions.ok_or_else(|| missing("permissions"))?,
                built_in: row.role_built_in.unwrap_or(false),
                created_at: row.role_created_at.ok_or_else(|| missing("role time"))?,
            }
            .into_role()?;
            Principal::User { user, role }
        }))
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
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(secret_hash)
        .bind(user_id.0)
        .bind(csrf)
        .bind(micros(at))
        .bind(micros(expires_at))
        .execute(&self.write)
        .await
        .map_err(|e| constraint(e, &[]))?;
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
             WHERE s.secret_hash = ?1 AND s.expires_at > ?2 AND u.active = 1",
        )
        .bind(secret_hash)
        .bind(micros(now))
        .fetch_optional(&self.read)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(None);
        };
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
        .into_user()?;
        let role = RoleRow {
            id: row.role_id,
            name: row.role_name,
            permissions: row.permissions,
            built_in: row.role_built_in,
            created_at: row.role_created_at,
        }
        .into_role()?;
        Ok(Some(Session {
            user,
            role,
            csrf: row.csrf,
            expires_at: timestamp(row.expires_at)?,
        }))
    }

    async fn delete_session(&self, secret_hash: &[u8]) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE secret_hash = ?1")
            .bind(secret_hash)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?1")
            .bind(micros(now))
            .execute(&self.write)
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
             VALUES (?1, NULL, ?2, ?4)
             ON CONFLICT (token) DO UPDATE
                SET target = NULL, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                WHERE form_tokens.expires_at <= ?2
                   OR (form_tokens.target IS NULL AND form_tokens.claimed_at < ?3)
             RETURNING token",
        )
        .bind(token)
        .bind(micros(now))
        .bind(micros(stale_before))
        .bind(micros(expires_at))
        .fetch_optional(&self.write)
        .await
        .map_err(backend)?;
        if claimed.is_some() {
            return Ok(FormClaim::First);
        }
        let target: Option<Option<String>> =
            sqlx::query_scalar("SELECT target FROM form_tokens WHERE token = ?1")
                .bind(token)
                .fetch_optional(&self.write)
                .await
                .map_err(backend)?;
        Ok(match target.flatten() {
            Some(target) => FormClaim::Done(target),
            None => FormClaim::Working,
        })
    }

    async fn finish_form_token(&self, token: &str, target: &str) -> DbResult<()> {
        sqlx::query("UPDATE form_tokens SET target = ?2 WHERE token = ?1")
            .bind(token)
            .bind(target)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn release_form_token(&self, token: &str) -> DbResult<()> {
        sqlx::query("DELETE FROM form_tokens WHERE token = ?1 AND target IS NULL")
            .bind(token)
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn delete_expired_form_tokens(&self, now: Timestamp) -> DbResult<u64> {
        let done = sqlx::query("DELETE FROM form_tokens WHERE expires_at <= ?1")
            .bind(micros(now))
            .execute(&self.write)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> DbResult<()> {
        let login = match &entry.actor {
            Actor::User { login, .. } => Some(login.as_str()),
            _ => None,
        };
        sqlx::query(
            "INSERT INTO audit_log (at, actor, actor_login, ip, action, entity, entity_id,
                                    customer_id, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(micros(entry.at))
        .bind(json(&entry.actor))
        .bind(login)
        .bind(entry.ip.as_deref())
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(entry.entity_id.as_deref())
        .bind(entry.customer_id.map(|c| c.0))
        .bind(entry.before.as_ref().map(json))
        .bind(entry.after.as_ref().map(json))
        .execute(&self.write)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn audit_entries(&self, query: &AuditQuery) -> DbResult<Vec<AuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT id, at, actor, ip, action, entity, entity_id, customer_id, before, after
             FROM audit_log
             WHERE (?1 IS NULL OR customer_id = ?1)
               AND (?2 IS NULL OR actor_login = ?2)
               AND (?3 IS NULL OR at >= ?3)
               AND (?4 IS NULL OR at <= ?4)
               AND (?5 IS NULL OR id < ?5)
               AND (?7 IS NULL OR action = ?7)
             ORDER BY id DESC
             LIMIT ?6",
        )
        .bind(query.customer_id.map(|c| c.0))
        .bind(query.user.as_deref())
        .bind(query.from.map(micros))
        .bind(query.to.map(micros))
        .bind(query.before_id)
        .bind(i64::from(query.limit))
        .bind(query.action.as_deref())
        .fetch_all(&self.read)
        .await
        .map_err(backend)?;
        rows.into_iter().map(AuditRow::into_entry).collect()
    }
}
