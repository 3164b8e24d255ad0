//! Staff users, roles, API tokens, tills, console sessions, form tokens and
//! the audit log.

use crate::sql::unanswered;
use crate::{Engine, FromColumns, Got, Sql, Statement, Value};
use async_trait::async_trait;
use clientele_domain::{CustomerId, Login, RoleId, StoreId, TillId, TokenId, UserId};
use clientele_store::area::Staff;
use clientele_store::{
    Actor, ApiToken, AuditEntry, AuditQuery, DbError, DbResult, FormClaim, NewAuditEntry,
    NewStaffUser, Principal, Role, Session, StaffChanges, StaffUser, Till,
};
use jiff::Timestamp;

const ROLE: &str = "id, name, permissions, built_in, created_at";
const USER: &str = "id, login, name, role_id, stores, active, created_at, password_hash";
const TOKEN: &str = "id, user_id, label, created_at, revoked_at";
const TILL: &str = "id, store_id, name, created_at, key_issued_at, revoked_at";

/// The columns a role is read from: its own row's, or beside a user's
/// (the user's `role_id`, and the role's other columns prefixed).
struct RoleColumns {
    id: &'static str,
    name: &'static str,
    built_in: &'static str,
    created_at: &'static str,
}

const ROLE_ALONE: RoleColumns = RoleColumns {
    id: "id",
    name: "name",
    built_in: "built_in",
    created_at: "created_at",
};

const ROLE_BESIDE_USER: RoleColumns = RoleColumns {
    id: "role_id",
    name: "role_name",
    built_in: "role_built_in",
    created_at: "role_created_at",
};

fn role<E: Engine>(row: &Got<'_, E>, columns: &RoleColumns) -> DbResult<Role> {
    Ok(Role {
        id: RoleId(row.int(columns.id)?),
        name: row.text(columns.name)?,
        permissions: row.json("permissions")?,
        built_in: row.flag(columns.built_in)?,
        created_at: row.time(columns.created_at)?,
    })
}

impl FromColumns for Role {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Role> {
        role(row, &ROLE_ALONE)
    }
}

impl FromColumns for StaffUser {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<StaffUser> {
        Ok(StaffUser {
            id: UserId(row.int("id")?),
            login: Login::from_stored(row.text("login")?),
            name: row.text("name")?,
            role_id: RoleId(row.int("role_id")?),
            stores: row.ids("stores")?.into_iter().map(StoreId).collect(),
            active: row.flag("active")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromColumns for ApiToken {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<ApiToken> {
        Ok(ApiToken {
            id: TokenId(row.int("id")?),
            user_id: UserId(row.int("user_id")?),
            label: row.text("label")?,
            created_at: row.time("created_at")?,
            revoked_at: row.time_or_null("revoked_at")?,
        })
    }
}

impl FromColumns for Till {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Till> {
        Ok(Till {
            id: TillId(row.int("id")?),
            store_id: StoreId(row.int("store_id")?),
            name: row.text("name")?,
            created_at: row.time("created_at")?,
            key_issued_at: row.time("key_issued_at")?,
            revoked_at: row.time_or_null("revoked_at")?,
        })
    }
}

impl FromColumns for AuditEntry {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<AuditEntry> {
        Ok(AuditEntry {
            id: row.int("id")?,
            entry: NewAuditEntry {
                at: row.time("at")?,
                actor: row.json("actor")?,
                ip: row.text_or_null("ip")?,
                action: row.text("action")?,
                entity: row.text("entity")?,
                entity_id: row.text_or_null("entity_id")?,
                customer_id: row.int_or_null("customer_id")?.map(CustomerId),
                before: row.json_or_null("before")?,
                after: row.json_or_null("after")?,
            },
        })
    }
}

#[async_trait]
impl<E: Engine> Staff for Sql<E> {
    async fn roles(&self) -> DbResult<Vec<Role>> {
        let sql = format!("SELECT {ROLE} FROM roles ORDER BY id");
        self.all(Statement::new(&sql), Role::from_columns).await
    }

    async fn role_by_name(&self, name: &str) -> DbResult<Option<Role>> {
        let sql = format!("SELECT {ROLE} FROM roles WHERE name = $1");
        self.one(Statement::new(&sql).bind(name), Role::from_columns)
            .await
    }

    async fn save_role(
        &self,
        name: &str,
        permissions: &clientele_domain::Permissions,
        built_in: bool,
        at: Timestamp,
    ) -> DbResult<Role> {
        // A built-in role takes the binary's permissions and keeps its id.
        let sql = if built_in {
            format!(
                "INSERT INTO roles (name, permissions, built_in, created_at) VALUES ($1, $2, true, $3)
                 ON CONFLICT (name) DO UPDATE SET permissions = excluded.permissions, built_in = true
                 RETURNING {ROLE}"
            )
        } else {
            format!(
                "INSERT INTO roles (name, permissions, built_in, created_at) VALUES ($1, $2, false, $3)
                 RETURNING {ROLE}"
            )
        };
        let statement = Statement::new(&sql)
            .bind(name)
            .bind(Value::json(permissions))
            .bind(at);
        self.written(statement, &[("roles.name", "name")], Role::from_columns)
            .await?
            .ok_or_else(unanswered)
    }

    async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: &clientele_domain::Permissions,
    ) -> DbResult<Option<Role>> {
        let sql = format!(
            "UPDATE roles SET name = $2, permissions = $3 WHERE id = $1 AND NOT built_in
             RETURNING {ROLE}"
        );
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(name)
            .bind(Value::json(permissions));
        self.written(statement, &[("roles.name", "name")], Role::from_columns)
            .await
    }

    async fn create_staff_user(&self, new: &NewStaffUser, at: Timestamp) -> DbResult<StaffUser> {
        let sql = format!(
            "INSERT INTO staff_users (login, name, role_id, stores, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             RETURNING {USER}"
        );
        let statement = Statement::new(&sql)
            .bind(new.login.as_str())
            .bind(&new.name)
            .bind(new.role_id.0)
            .bind(Value::Ids(Some(new.stores.iter().map(|s| s.0).collect())))
            .bind(&new.password_hash)
            .bind(at);
        self.written(
            statement,
            &[("staff_users.login", "login")],
            StaffUser::from_columns,
        )
        .await?
        .ok_or_else(unanswered)
    }

    async fn staff_users(&self) -> DbResult<Vec<StaffUser>> {
        let sql = format!("SELECT {USER} FROM staff_users ORDER BY login");
        self.all(Statement::new(&sql), StaffUser::from_columns)
            .await
    }

    async fn staff_user_by_login(&self, login: &Login) -> DbResult<Option<(StaffUser, String)>> {
        let sql = format!("SELECT {USER} FROM staff_users WHERE login = $1");
        self.one(Statement::new(&sql).bind(login.as_str()), |row| {
            Ok((StaffUser::from_columns(row)?, row.text("password_hash")?))
        })
        .await
    }

    async fn staff_user(&self, id: UserId) -> DbResult<Option<(StaffUser, String)>> {
        let sql = format!("SELECT {USER} FROM staff_users WHERE id = $1");
        self.one(Statement::new(&sql).bind(id.0), |row| {
            Ok((StaffUser::from_columns(row)?, row.text("password_hash")?))
        })
        .await
    }

    async fn update_staff_user(
        &self,
        id: UserId,
        changes: &StaffChanges,
    ) -> DbResult<Option<StaffUser>> {
        let sql = format!(
            "UPDATE staff_users SET
                 name = COALESCE($2, name),
                 role_id = COALESCE($3, role_id),
                 stores = COALESCE($4, stores),
                 active = COALESCE($5, active),
                 password_hash = COALESCE($6, password_hash)
             WHERE id = $1
             RETURNING {USER}"
        );
        let stores = changes
            .stores
            .as_ref()
            .map(|stores| stores.iter().map(|s| s.0).collect());
        let statement = Statement::new(&sql)
            .bind(id.0)
            .bind(changes.name.as_deref())
            .bind(changes.role_id.map(|r| r.0))
            .bind(Value::Ids(stores))
            .bind(changes.active)
            .bind(changes.password_hash.as_deref());
        self.written(statement, &[], StaffUser::from_columns).await
    }

    async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        secret_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<ApiToken> {
        let sql = format!(
            "INSERT INTO api_tokens (user_id, label, secret_hash, created_at) VALUES ($1, $2, $3, $4)
             RETURNING {TOKEN}"
        );
        let statement = Statement::new(&sql)
            .bind(user_id.0)
            .bind(label)
            .bind(secret_hash)
            .bind(at);
        self.written(statement, &[], ApiToken::from_columns)
            .await?
            .ok_or_else(unanswered)
    }

    async fn api_tokens(&self, user_id: UserId) -> DbResult<Vec<ApiToken>> {
        let sql = format!("SELECT {TOKEN} FROM api_tokens WHERE user_id = $1 ORDER BY id");
        self.all(Statement::new(&sql).bind(user_id.0), ApiToken::from_columns)
            .await
    }

    /// Revoking twice keeps the first time.
    async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        at: Timestamp,
    ) -> DbResult<bool> {
        let statement = Statement::new(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3)
             WHERE id = $1 AND user_id = $2",
        )
        .bind(id.0)
        .bind(user_id.0)
        .bind(at);
        Ok(self.execute(statement).await? == 1)
    }

    async fn create_till(
        &self,
        store_id: StoreId,
        name: &str,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Till> {
        let sql = format!(
            "INSERT INTO tills (store_id, name, key_hash, created_at, key_issued_at)
             VALUES ($1, $2, $3, $4, $4)
             RETURNING {TILL}"
        );
        let statement = Statement::new(&sql)
            .bind(store_id.0)
            .bind(name)
            .bind(key_hash)
            .bind(at);
        match self.written(statement, &[], Till::from_columns).await {
            Err(DbError::MissingReference { .. }) => {
                Err(DbError::MissingReference { field: "store" })
            }
            written => written?.ok_or_else(unanswered),
        }
    }

    async fn tills(&self) -> DbResult<Vec<Till>> {
        let sql = format!("SELECT {TILL} FROM tills ORDER BY id");
        self.all(Statement::new(&sql), Till::from_columns).await
    }

    async fn rotate_till_key(
        &self,
        id: TillId,
        key_hash: &[u8],
        at: Timestamp,
    ) -> DbResult<Option<Till>> {
        let sql = format!(
            "UPDATE tills SET key_hash = $2, key_issued_at = $3
             WHERE id = $1 AND revoked_at IS NULL
             RETURNING {TILL}"
        );
        let statement = Statement::new(&sql).bind(id.0).bind(key_hash).bind(at);
        self.written(statement, &[], Till::from_columns).await
    }

    async fn revoke_till(&self, id: TillId, at: Timestamp) -> DbResult<Option<Till>> {
        let sql = format!(
            "UPDATE tills SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1
             RETURNING {TILL}"
        );
        self.written(
            Statement::new(&sql).bind(id.0).bind(at),
            &[],
            Till::from_columns,
        )
        .await
    }

    /// A live token's active user with their role, or a live till, in one
    /// statement: this runs on every request.
    async fn principal_by_secret(&self, secret_hash: &[u8]) -> DbResult<Option<Principal>> {
        let statement = Statement::new(
            "SELECT 'user' AS kind, u.id, u.name, u.created_at,
                    u.login, u.role_id, u.stores, u.active,
                    r.name AS role_name, r.permissions, r.built_in AS role_built_in,
                    r.created_at AS role_created_at,
                    CAST(NULL AS bigint) AS store_id, CAST(NULL AS timestamptz) AS key_issued_at,
                    CAST(NULL AS timestamptz) AS revoked_at
             FROM api_tokens t
             JOIN staff_users u ON u.id = t.user_id
             JOIN roles r ON r.id = u.role_id
             WHERE t.secret_hash = $1 AND t.revoked_at IS NULL AND u.active
             UNION ALL
             SELECT 'till', id, name, created_at,
                    NULL, NULL, NULL, true,
                    NULL, NULL, NULL, NULL,
                    store_id, key_issued_at, revoked_at
             FROM tills
             WHERE key_hash = $1 AND revoked_at IS NULL
             LIMIT 1",
        )
        .bind(secret_hash);
        self.one(statement, |row| {
            Ok(if row.text("kind")? == "till" {
                Principal::Till(Till::from_columns(row)?)
            } else {
                Principal::User {
                    user: StaffUser::from_columns(row)?,
                    role: role(row, &ROLE_BESIDE_USER)?,
                }
            })
        })
        .await
    }

    async fn create_session(
        &self,
        secret_hash: &[u8],
        user_id: UserId,
        csrf: &str,
        at: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<()> {
        let statement = Statement::new(
            "INSERT INTO sessions (secret_hash, user_id, csrf, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(secret_hash)
        .bind(user_id.0)
        .bind(csrf)
        .bind(at)
        .bind(expires_at);
        self.execute(statement).await?;
        Ok(())
    }

    async fn session(&self, secret_hash: &[u8], now: Timestamp) -> DbResult<Option<Session>> {
        let statement = Statement::new(
            "SELECT s.csrf, s.expires_at, u.id, u.login, u.name, u.role_id, u.stores, u.active,
                    u.created_at, r.name AS role_name, r.permissions,
                    r.built_in AS role_built_in, r.created_at AS role_created_at
             FROM sessions s
             JOIN staff_users u ON u.id = s.user_id
             JOIN roles r ON r.id = u.role_id
             WHERE s.secret_hash = $1 AND s.expires_at > $2 AND u.active",
        )
        .bind(secret_hash)
        .bind(now);
        self.one(statement, |row| {
            Ok(Session {
                user: StaffUser::from_columns(row)?,
                role: role(row, &ROLE_BESIDE_USER)?,
                csrf: row.text("csrf")?,
                expires_at: row.time("expires_at")?,
            })
        })
        .await
    }

    async fn delete_session(&self, secret_hash: &[u8]) -> DbResult<()> {
        let statement =
            Statement::new("DELETE FROM sessions WHERE secret_hash = $1").bind(secret_hash);
        self.execute(statement).await?;
        Ok(())
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> DbResult<u64> {
        self.execute(Statement::new("DELETE FROM sessions WHERE expires_at <= $1").bind(now))
            .await
    }

    async fn claim_form_token(
        &self,
        token: &str,
        now: Timestamp,
        stale_before: Timestamp,
        expires_at: Timestamp,
    ) -> DbResult<FormClaim> {
        let claim = Statement::new(
            "INSERT INTO form_tokens (token, target, claimed_at, expires_at)
             VALUES ($1, NULL, $2, $4)
             ON CONFLICT (token) DO UPDATE
                SET target = NULL, claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
                WHERE form_tokens.expires_at <= $2
                   OR (form_tokens.target IS NULL AND form_tokens.claimed_at < $3)
             RETURNING token",
        )
        .bind(token)
        .bind(now)
        .bind(stale_before)
        .bind(expires_at);
        if self.written(claim, &[], |_| Ok(())).await?.is_some() {
            return Ok(FormClaim::First);
        }
        let target = self
            .written(
                Statement::new("SELECT target FROM form_tokens WHERE token = $1").bind(token),
                &[],
                |row| row.text_or_null("target"),
            )
            .await?;
        Ok(match target.flatten() {
            Some(target) => FormClaim::Done(target),
            None => FormClaim::Working,
        })
    }

    async fn finish_form_token(&self, token: &str, target: &str) -> DbResult<()> {
        let statement = Statement::new("UPDATE form_tokens SET target = $2 WHERE token = $1")
            .bind(token)
            .bind(target);
        self.execute(statement).await?;
        Ok(())
    }

    async fn release_form_token(&self, token: &str) -> DbResult<()> {
        let statement =
            Statement::new("DELETE FROM form_tokens WHERE token = $1 AND target IS NULL")
                .bind(token);
        self.execute(statement).await?;
        Ok(())
    }

    async fn delete_expired_form_tokens(&self, now: Timestamp) -> DbResult<u64> {
        self.execute(Statement::new("DELETE FROM form_tokens WHERE expires_at <= $1").bind(now))
            .await
    }

    async fn append_audit(&self, entry: &NewAuditEntry) -> DbResult<()> {
        let login = match &entry.actor {
            Actor::User { login, .. } => Some(login.as_str()),
            Actor::Till { .. } | Actor::System { .. } => None,
        };
        let change = |value: &Option<serde_json::Value>| Value::Json(value.clone());
        let statement = Statement::new(
            "INSERT INTO audit_log (at, actor, actor_login, ip, action, entity, entity_id,
                                    customer_id, before, after)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(entry.at)
        .bind(Value::json(&entry.actor))
        .bind(login)
        .bind(entry.ip.as_deref())
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(entry.entity_id.as_deref())
        .bind(entry.customer_id.map(|c| c.0))
        .bind(change(&entry.before))
        .bind(change(&entry.after));
        self.execute(statement).await?;
        Ok(())
    }

    /// Newest first. Only the conditions asked for are in the statement, so
    /// the planner sees each and picks its index.
    async fn audit_entries(&self, query: &AuditQuery) -> DbResult<Vec<AuditEntry>> {
        let mut statement = Statement::new(
            "SELECT id, at, actor, ip, action, entity, entity_id, customer_id, before, after
             FROM audit_log WHERE true",
        );
        if let Some(customer) = query.customer_id {
            statement.push(" AND customer_id = ").push_bind(customer.0);
        }
        if let Some(login) = &query.user {
            statement.push(" AND actor_login = ").push_bind(login);
        }
        if let Some(action) = &query.action {
            statement.push(" AND action = ").push_bind(action);
        }
        if let Some(from) = query.from {
            statement.push(" AND at >= ").push_bind(from);
        }
        if let Some(to) = query.to {
            statement.push(" AND at <= ").push_bind(to);
        }
        if let Some(before) = query.before_id {
            statement.push(" AND id < ").push_bind(before);
        }
        statement
            .push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        self.all(statement, AuditEntry::from_columns).await
    }

    async fn set_favourite(
        &self,
        user: UserId,
        customer: CustomerId,
        starred: bool,
        at: Timestamp,
    ) -> DbResult<()> {
        let statement = if starred {
            Statement::new(
                "INSERT INTO favourites (user_id, customer_id, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id, customer_id) DO NOTHING",
            )
            .bind(user.0)
            .bind(customer.0)
            .bind(at)
        } else {
            Statement::new("DELETE FROM favourites WHERE user_id = $1 AND customer_id = $2")
                .bind(user.0)
                .bind(customer.0)
        };
        self.execute(statement).await?;
        Ok(())
    }

    async fn favourites_among(
        &self,
        user: UserId,
        customers: &[CustomerId],
    ) -> DbResult<Vec<CustomerId>> {
        let sql = format!(
            "SELECT customer_id FROM favourites WHERE user_id = $1 AND {} ORDER BY customer_id",
            E::among_ids("customer_id", "$2")
        );
        let ids = customers.iter().map(|c| c.0).collect();
        let statement = Statement::new(&sql)
            .bind(user.0)
            .bind(Value::Ids(Some(ids)));
        self.all(statement, |row| Ok(CustomerId(row.int("customer_id")?)))
            .await
    }
}
