//! Signing staff in to the console and out again. The cookie holds a random
//! secret; the store keeps its SHA-256, the user and a CSRF token the
//! session's forms carry. Wrong passwords lock a login out for a while.

use clientele_store::{Actor, Session};
use jiff::{SignedDuration, Timestamp};

use crate::audit::{ChangedBy, entry};
use crate::staff::{Secret, secret_hash};
use crate::{App, AppError, AppResult};

/// How long a session lives after sign-in.
pub const SESSION_HOURS: i64 = 12;

/// A new session: the cookie's secret and the token its forms carry.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub secret: Secret,
    pub csrf: String,
    pub expires_at: Timestamp,
}

impl App {
    /// Checks a login and password from `client` (its address); five wrong
    /// passwords for a login within 15 minutes lock it for the rest of them,
    /// and an address counts its wrong passwords with its bad tokens (100 a
    /// minute). Every attempt is in the audit log.
    pub async fn sign_in(&self, login: &str, password: &str, client: &str) -> AppResult<SignedIn> {
        let key = format!("login:{}", login.trim().to_lowercase());
        let now = std::time::Instant::now();
        // A login tried too often, or an address trying too many logins.
        for checked in [
            self.password_failures.check(&key, now),
            self.address_failures.check(client, now),
        ] {
            if let Err(retry_after) = checked {
                return Err(AppError::TooManyAttempts { retry_after });
            }
        }
        let Some(user) = self.check_password(login, password).await? else {
            let locked =
                self.password_failures.fail(&key, now) | self.address_failures.fail(client, now);
            let action = if locked {
                "staff.locked_out"
            } else {
                "staff.sign_in_failed"
            };
            let by = ChangedBy::unknown("sign-in", client);
            self.log_sign_in(&by, action, &key).await?;
            return Err(AppError::Unauthenticated(
                "the login or the password is wrong",
            ));
        };
        self.password_failures.succeed(&key);
        let secret = Secret::generate("ses");
        let csrf = Secret::generate("csrf").expose().to_owned();
        let at = self.clock().now();
        let expires_at = at
            .checked_add(SignedDuration::from_hours(SESSION_HOURS))
            .map_err(|e| AppError::Unavailable(format!("no session end: {e}")))?;
        self.db()
            .staff()
            .create_session(
                &secret_hash(secret.expose()),
                user.id,
                &csrf,
                at,
                expires_at,
            )
            .await?;
        let by = ChangedBy {
            actor: Actor::User {
                id: user.id,
                login: user.login.to_string(),
            },
            ip: Some(client.to_owned()),
            scope: None,
        };
        self.log_sign_in(&by, "staff.sign_in", &key).await?;
        Ok(SignedIn {
            secret,
            csrf,
            expires_at,
        })
    }

    /// The live session whose cookie holds `secret`.
    pub async fn session(&self, secret: &str) -> AppResult<Session> {
        self.db()
            .staff()
            .session(&secret_hash(secret), self.clock().now())
            .await?
            .ok_or(AppError::Unauthenticated(
                "the session is over; sign in again",
            ))
    }

    pub async fn sign_out(&self, secret: &str) -> AppResult<()> {
        Ok(self
            .db()
            .staff()
            .delete_session(&secret_hash(secret))
            .await?)
    }

    async fn log_sign_in(&self, by: &ChangedBy, action: &str, key: &str) -> AppResult<()> {
        let login = key.trim_start_matches("login:");
        self.record(entry(by, self.clock().now(), action, "login", login))
            .await
    }
}
