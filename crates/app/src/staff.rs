//! Staff users, roles, API tokens and tills: who they are, how their
//! credentials are made and checked, and the audit log every change goes to.
//!
//! Passwords are hashed with argon2 on a blocking thread. Tokens and till
//! keys are 32 random bytes shown once; the store keeps their SHA-256, so a
//! request is authenticated by one indexed look-up, not by argon2.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clientele_domain::access::check_new_password;
use clientele_domain::{
    BuiltInRole, FieldError, Login, Permissions, RoleId, Store, StoreId, TillId, TokenId, UserId,
    ValidationErrors,
};
use clientele_store::{
    ApiToken, AuditEntry, AuditQuery, NewAuditEntry, NewStaffUser, Principal, Role, StaffChanges,
    StaffUser, Till,
};
use sha2::{Digest, Sha256};

use crate::audit::{ChangedBy, entry};
use crate::{App, AppError, AppResult};

/// How much work a password hash takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PasswordCost {
    /// argon2id with its recommended parameters (19 MiB, 2 passes).
    #[default]
    Standard,
    /// The smallest parameters argon2 allows: for tests only.
    Fast,
}

impl PasswordCost {
    fn hasher(self) -> Argon2<'static> {
        match self {
            PasswordCost::Standard => Argon2::default(),
            PasswordCost::Fast => Argon2::new(
                argon2::Algorithm::Argon2id,
                argon2::Version::V0x13,
                argon2::Params::new(8, 1, 1, None).expect("argon2's minimum parameters"),
            ),
        }
    }
}

/// A secret shown once: an API token or a till key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn generate(prefix: &str) -> Secret {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
        Secret(format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The SHA-256 a credential is stored and looked up by.
pub fn secret_hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

const TOKEN_PREFIX: &str = "clt";
const TILL_KEY_PREFIX: &str = "till";

/// A new staff user as the owner or the CLI describes them.
#[derive(Debug, Clone)]
pub struct StaffUserInput {
    pub login: String,
    pub name: Option<String>,
    pub role: String,
    pub password: String,
    /// Codes of the regions, cities or stores the user is limited to.
    pub stores: Vec<String>,
}

/// Changes to a staff user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct StaffUserChanges {
    pub name: Option<String>,
    pub role: Option<String>,
    /// Codes of the regions, cities or stores; empty: all.
    pub stores: Option<Vec<String>>,
    pub active: Option<bool>,
    pub password: Option<String>,
}

impl App {
    /// Writes the built-in roles with this binary's permissions.
    pub async fn ensure_built_in_roles(&self) -> AppResult<()> {
        for role in BuiltInRole::ALL {
            self.db()
                .staff()
                .save_role(role.name(), &role.permissions(), true, self.clock().now())
                .await?;
        }
        Ok(())
    }

    pub async fn roles(&self) -> AppResult<Vec<Role>> {
        Ok(self.db().staff().roles().await?)
    }

    pub async fn create_role(
        &self,
        name: &str,
        permissions: Permissions,
        by: &ChangedBy,
    ) -> AppResult<Role> {
        let sent = name.chars().count();
        let name = name.trim();
        if name.is_empty() || sent > 64 {
            return Err(ValidationErrors::one(
                "name",
                "invalid_name",
                "a role's name is 1 to 64 characters",
            )
            .into());
        }
        let role = self
            .db()
            .staff()
            .save_role(name, &permissions, false, self.clock().now())
            .await?;
        self.audit(
            by,
            "role.create",
            "role",
            role.id.0,
            None,
            serde_json::json!({
                "name": role.name,
                "permissions": role.permissions,
            }),
        )
        .await?;
        Ok(role)
    }

    /// Renames a role made by staff and sets its rights. Built-in roles keep
    /// theirs: each start of the server writes them again.
    pub async fn update_role(
        &self,
        id: RoleId,
        name: &str,
        permissions: Permissions,
        by: &ChangedBy,
    ) -> AppResult<Role> {
        let before = self
            .db()
            .staff()
            .roles()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(AppError::NotFound("role"))?;
        if before.built_in {
            return Err(ValidationErrors::one(
                "name",
                "built_in_role",
                "a built-in role keeps its rights; make a role of your own",
            )
            .into());
        }
        let sent = name.chars().count();
        let name = name.trim();
        if name.is_empty() || sent > 64 {
            return Err(ValidationErrors::one(
                "name",
                "invalid_name",
                "a role's name is 1 to 64 characters",
            )
            .into());
        }
        let role = self
            .db()
            .staff()
            .update_role(id, name, &permissions)
            .await?
            .ok_or(AppError::NotFound("role"))?;
        self.audit(
            by,
            "role.update",
            "role",
            role.id.0,
            Some(serde_json::json!({
                "name": before.name,
                "permissions": before.permissions,
            })),
            serde_json::json!({
                "name": role.name,
                "permissions": role.permissions,
            }),
        )
        .await?;
        Ok(role)
    }

    pub async fn add_staff_user(
        &self,
        input: StaffUserInput,
        by: &ChangedBy,
    ) -> AppResult<StaffUser> {
        let mut errors = Vec::new();
        let login = Login::parse(&input.login).map_err(|e| errors.push(e)).ok();
        if let Some(login) = &login
            && let Err(e) = check_new_password(&input.password, login)
        {
            errors.push(e);
        }
        let role = self.db().staff().role_by_name(input.role.trim()).await?;
        if role.is_none() {
            errors.push(FieldError::new(
                "role",
                "unknown_role",
                format!("there is no role «{}»", input.role.trim()),
            ));
        }
        let mut stores = Vec::new();
        for code in &input.stores {
            match self.db().directory().store_by_code(code.trim()).await? {
                Some(store) => stores.push(store.id),
                None => errors.push(FieldError::new(
                    "stores",
                    "unknown_store",
                    format!("there is no store with code «{}»", code.trim()),
                )),
            }
        }
        let (Some(login), Some(role), true) = (login, role, errors.is_empty()) else {
            return Err(ValidationErrors(errors).into());
        };
        let password_hash = self.hash_password(input.password).await?;
        let user = self
            .db()
            .staff()
            .create_staff_user(
                &NewStaffUser {
                    name: input.name.unwrap_or_else(|| login.to_string()),
                    login,
                    role_id: role.id,
                    stores,
                    password_hash,
                },
                self.clock().now(),
            )
            .await?;
        self.audit(
            by,
            "staff.create",
            "staff_user",
            user.id.0,
            None,
            serde_json::json!({
                "login": user.login.as_str(),
                "name": user.name,
                "role": role.name,
                "stores": user.stores,
            }),
        )
        .await?;
        Ok(user)
    }

    /// For a demo database with no staff yet: an owner with a generated
    /// password and an API token, so the person trying it can sign in.
    /// Answers the login, the password and the token, shown once.
    pub async fn demo_owner(&self) -> AppResult<Option<(String, String, Secret)>> {
        if !self.db().staff().staff_users().await?.is_empty() {
            return Ok(None);
        }
        let password = Secret::generate("demo").0;
        let by = ChangedBy::system("demo");
        let user = self
            .add_staff_user(
                StaffUserInput {
                    login: "owner".into(),
                    name: Some("Владелец".into()),
                    role: BuiltInRole::Owner.name().into(),
                    password: password.clone(),
                    stores: vec![],
                },
                &by,
            )
            .await?;
        let (_, token) = self.create_api_token(user.id, "demo", &by).await?;
        Ok(Some((user.login.to_string(), password, token)))
    }

    /// Renames, re-roles, limits, deactivates or re-passwords a staff user.
    /// The last active owner cannot be deactivated or given another role, so
    /// nobody locks the shop out of its own settings.
    pub async fn update_staff_user(
        &self,
        id: UserId,
        changes: StaffUserChanges,
        by: &ChangedBy,
    ) -> AppResult<StaffUser> {
        let (current, _) = self
            .db()
            .staff()
            .staff_user(id)
            .await?
            .ok_or(AppError::NotFound("staff user"))?;
        let mut errors = Vec::new();
        let name = match changes.name.as_deref().map(str::trim) {
            Some("") => {
                errors.push(FieldError::new("name", "required", "a name is required"));
                None
            }
            name => name.map(str::to_owned),
        };
        let role = match changes.role.as_deref().map(str::trim) {
            None => None,
            Some(name) => {
                let role = self.db().staff().role_by_name(name).await?;
                if role.is_none() {
                    errors.push(FieldError::new(
                        "role",
                        "unknown_role",
                        format!("there is no role «{name}»"),
                    ));
                }
                role
            }
        };
        let stores = match &changes.stores {
            None => None,
            Some(codes) => {
                let mut ids = Vec::new();
                for code in codes {
                    match self.db().directory().store_by_code(code.trim()).await? {
                        Some(store) => ids.push(store.id),
                        None => errors.push(FieldError::new(
                            "stores",
                            "unknown_store",
                            format!("there is no store with code «{}»", code.trim()),
                        )),
                    }
                }
                Some(ids)
            }
        };
        if let Some(password) = &changes.password
            && let Err(e) = check_new_password(password, &current.login)
        {
            errors.push(e);
        }
        if !errors.is_empty() {
            return Err(ValidationErrors(errors).into());
        }
        let owner = self
            .db()
            .staff()
            .role_by_name(BuiltInRole::Owner.name())
            .await?
            .map(|r| r.id);
        let stops_owning = Some(current.role_id) == owner
            && current.active
            && (changes.active == Some(false)
                || role.as_ref().is_some_and(|r| Some(r.id) != owner));
        if stops_owning {
            let owners = self
                .db()
                .staff()
                .staff_users()
                .await?
                .into_iter()
                .filter(|u| u.active && Some(u.role_id) == owner)
                .count();
            if owners <= 1 {
                return Err(AppError::Conflict {
                    message: "this is the last active owner; make another owner first".into(),
                    field: Some("role"),
                    existing_customer: None,
                });
            }
        }
        let password_hash = match changes.password {
            Some(password) => Some(self.hash_password(password).await?),
            None => None,
        };
        let changed_password = password_hash.is_some();
        let updated = self
            .db()
            .staff()
            .update_staff_user(
                id,
                &StaffChanges {
                    name,
                    role_id: role.map(|r| r.id),
                    stores,
                    active: changes.active,
                    password_hash,
                },
            )
            .await?
            .ok_or(AppError::NotFound("staff user"))?;
        let view = |u: &StaffUser| {
            serde_json::json!({
                "name": u.name,
                "role_id": u.role_id,
                "stores": u.stores,
                "active": u.active,
            })
        };
        let mut after = view(&updated);
        if changed_password {
            after["password"] = serde_json::json!("changed");
        }
        self.audit(
            by,
            "staff.update",
            "staff_user",
            id.0,
            Some(view(&current)),
            after,
        )
        .await?;
        Ok(updated)
    }

    pub async fn staff_users(&self) -> AppResult<Vec<StaffUser>> {
        Ok(self.db().staff().staff_users().await?)
    }

    /// The user whose login and password these are, if they are; the same
    /// work is done for an unknown login, so timing tells nothing.
    pub async fn check_password(
        &self,
        login: &str,
        password: &str,
    ) -> AppResult<Option<StaffUser>> {
        let found = match Login::parse(login) {
            Ok(login) => self.db().staff().staff_user_by_login(&login).await?,
            Err(_) => None,
        };
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), hash),
            None => (None, self.decoy_hash().await?),
        };
        let matches = self.verify_password(password.to_owned(), hash).await?;
        Ok(user.filter(|user| matches && user.active))
    }

    /// Checks a signed-in user's password again before something that cannot
    /// be undone; a wrong one is refused and logged.
    pub async fn confirm_password(
        &self,
        user: UserId,
        password: &str,
        by: &ChangedBy,
    ) -> AppResult<()> {
        let (staff, _) = self
            .db()
            .staff()
            .staff_user(user)
            .await?
            .ok_or(AppError::Unauthenticated("the user is gone"))?;
        // The same count as sign-in's: a login guessed at either is locked at both.
        let key = format!("login:{}", staff.login);
        let now = std::time::Instant::now();
        if let Err(retry_after) = self.password_failures.check(&key, now) {
            return Err(AppError::TooManyAttempts { retry_after });
        }
        if self
            .check_password(staff.login.as_str(), password)
            .await?
            .is_some()
        {
            self.password_failures.succeed(&key);
            return Ok(());
        }
        let locked = self.password_failures.fail(&key, now);
        let action = if locked {
            "staff.locked_out"
        } else {
            "staff.password_confirmation_failed"
        };
        self.record(entry(by, self.clock().now(), action, "staff_user", user))
            .await?;
        Err(AppError::Forbidden(
            "the password is wrong; confirm with your own password".into(),
        ))
    }

    /// Issues an API token for a user; the secret is shown only now.
    pub async fn create_api_token(
        &self,
        user_id: UserId,
        label: &str,
        by: &ChangedBy,
    ) -> AppResult<(ApiToken, Secret)> {
        if self.db().staff().staff_user(user_id).await?.is_none() {
            return Err(AppError::NotFound("staff user"));
        }
        let secret = Secret::generate(TOKEN_PREFIX);
        let label = match label.trim() {
            "" => "API",
            label => label,
        };
        let token = self
            .db()
            .staff()
            .create_api_token(
                user_id,
                label,
                &secret_hash(secret.expose()),
                self.clock().now(),
            )
            .await?;
        self.audit(
            by,
            "token.create",
            "api_token",
            token.id.0,
            None,
            serde_json::json!({
                "user_id": user_id,
                "label": token.label,
            }),
        )
        .await?;
        Ok((token, secret))
    }

    pub async fn api_tokens(&self, user_id: UserId) -> AppResult<Vec<ApiToken>> {
        Ok(self.db().staff().api_tokens(user_id).await?)
    }

    pub async fn revoke_api_token(
        &self,
        user_id: UserId,
        id: TokenId,
        by: &ChangedBy,
    ) -> AppResult<()> {
        if !self
            .db()
            .staff()
            .revoke_api_token(user_id, id, self.clock().now())
            .await?
        {
            return Err(AppError::NotFound("token"));
        }
        self.audit(
            by,
            "token.revoke",
            "api_token",
            id.0,
            None,
            serde_json::json!({
                "user_id": user_id,
            }),
        )
        .await
    }

    /// Registers a till of a store; its key is shown only now.
    pub async fn add_till(
        &self,
        store_id: StoreId,
        name: &str,
        by: &ChangedBy,
    ) -> AppResult<(Till, Secret)> {
        let key = Secret::generate(TILL_KEY_PREFIX);
        let name = match name.trim() {
            "" => "Касса",
            name => name,
        };
        let till = self
            .db()
            .staff()
            .create_till(
                store_id,
                name,
                &secret_hash(key.expose()),
                self.clock().now(),
            )
            .await?;
        self.audit(
            by,
            "till.create",
            "till",
            till.id.0,
            None,
            serde_json::json!({
                "store_id": till.store_id,
                "name": till.name,
            }),
        )
        .await?;
        Ok((till, key))
    }

    pub async fn tills(&self) -> AppResult<Vec<Till>> {
        Ok(self.db().staff().tills().await?)
    }

    /// A new key for a live till; the old one stops working at once.
    pub async fn rotate_till_key(&self, id: TillId, by: &ChangedBy) -> AppResult<(Till, Secret)> {
        let key = Secret::generate(TILL_KEY_PREFIX);
        let till = self
            .db()
            .staff()
            .rotate_till_key(id, &secret_hash(key.expose()), self.clock().now())
            .await?
            .ok_or(AppError::NotFound("live till"))?;
        self.audit(
            by,
            "till.rotate_key",
            "till",
            id.0,
            None,
            serde_json::json!({
                "key_issued_at": till.key_issued_at,
            }),
        )
        .await?;
        Ok((till, key))
    }

    pub async fn revoke_till(&self, id: TillId, by: &ChangedBy) -> AppResult<Till> {
        let till = self
            .db()
            .staff()
            .revoke_till(id, self.clock().now())
            .await?
            .ok_or(AppError::NotFound("till"))?;
        self.audit(
            by,
            "till.revoke",
            "till",
            id.0,
            None,
            serde_json::json!({
                "revoked_at": till.revoked_at,
            }),
        )
        .await?;
        Ok(till)
    }

    /// [`App::authenticate`] for a request from `client` (its address): an
    /// address that presents 100 bad credentials within a minute is refused
    /// for the rest of that minute before any is looked up. Only failures
    /// count, and the same bad credential again counts once (a till
    /// retrying with a revoked key), so the good tills behind the same
    /// address keep working.
    pub async fn authenticate_request(&self, bearer: &str, client: &str) -> AppResult<Principal> {
        let now = std::time::Instant::now();
        if let Err(retry_after) = self.address_failures.check(client, now) {
            return Err(AppError::TooManyAttempts { retry_after });
        }
        let result = self.authenticate(bearer).await;
        if matches!(result, Err(AppError::Unauthenticated(_)))
            && self
                .address_failures
                .fail_with(client, &secret_hash(bearer), now)
        {
            let by = ChangedBy::unknown("unknown credential", client);
            let locked = entry(
                &by,
                self.clock().now(),
                "access.locked_out",
                "client",
                client,
            );
            self.record(locked).await?;
        }
        result
    }

    /// Whose bearer credential this is: a live token's user or a live till.
    pub async fn authenticate(&self, bearer: &str) -> AppResult<Principal> {
        let hash = secret_hash(bearer);
        let generation = match self.credentials.get(&hash) {
            Ok(principal) => return Ok(principal),
            Err(generation) => generation,
        };
        let principal = self.db().staff().principal_by_secret(&hash).await?.ok_or(
            AppError::Unauthenticated("the credential is unknown, revoked or expired"),
        )?;
        self.credentials.put(generation, hash, principal.clone());
        Ok(principal)
    }

    /// The stores a principal is limited to, a region or city opening every
    /// store under it; `None`: every customer.
    pub async fn scope_of(&self, principal: &Principal) -> AppResult<Option<Vec<StoreId>>> {
        let roots = match principal {
            Principal::User { user, .. } if user.stores.is_empty() => return Ok(None),
            Principal::User { user, .. } => user.stores.clone(),
            // A till stands in one store: no hierarchy to walk on the hot path.
            Principal::Till(till) => return Ok(Some(vec![till.store_id])),
        };
        let stores = self.db().directory().stores().await?;
        let reach = Store::subtree(&stores, &roots);
        Ok(Some(reach))
    }

    /// Appends one change to the audit log.
    pub async fn record(&self, entry: NewAuditEntry) -> AppResult<()> {
        Ok(self.db().staff().append_audit(&entry).await?)
    }

    pub async fn audit_entries(&self, query: &AuditQuery) -> AppResult<Vec<AuditEntry>> {
        Ok(self.db().staff().audit_entries(query).await?)
    }

    /// Logs a change to staff, roles, tokens or tills, and forgets every
    /// credential checked so far: it may be the one that changed.
    async fn audit(
        &self,
        by: &ChangedBy,
        action: &str,
        entity: &str,
        id: i64,
        before: Option<serde_json::Value>,
        after: serde_json::Value,
    ) -> AppResult<()> {
        self.credentials.clear();
        self.record(NewAuditEntry {
            before,
            after: Some(after),
            ..entry(by, self.clock().now(), action, entity, id)
        })
        .await
    }

    async fn hash_password(&self, password: String) -> AppResult<String> {
        let hasher = self.password_cost().hasher();
        tokio::task::spawn_blocking(move || {
            hasher
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
        })
        .await
        .map_err(|e| AppError::Unavailable(format!("password hashing stopped: {e}")))?
        .map_err(|e| AppError::Unavailable(format!("password hashing failed: {e}")))
    }

    async fn verify_password(&self, password: String, hash: String) -> AppResult<bool> {
        let hasher = self.password_cost().hasher();
        tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .is_ok_and(|hash| hasher.verify_password(password.as_bytes(), &hash).is_ok())
        })
        .await
        .map_err(|e| AppError::Unavailable(format!("password check stopped: {e}")))
    }

    /// A hash of nothing anyone knows, made once, that an unknown login's
    /// password is checked against.
    async fn decoy_hash(&self) -> AppResult<String> {
        if let Some(hash) = self.decoy.get() {
            return Ok(hash.clone());
        }
        let hash = self.hash_password(Secret::generate("decoy").0).await?;
        Ok(self.decoy.get_or_init(|| hash).clone())
    }
}
