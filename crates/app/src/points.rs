//! Points by hand: an accrual or a write-off for one customer or many, after
//! the acting user's password again, all or nothing, each in the audit log.

use clientele_domain::message::MessageSource;
use clientele_domain::{CustomerId, FieldError, ValidationErrors};
use clientele_store::{AdjustOutcome, MessageDraft, PointsAdjustment};
use serde_json::json;

use crate::audit::{ChangedBy, customer_entry};
use crate::{App, AppError, AppResult};

/// The most customers one adjustment reaches.
pub const MAX_CUSTOMERS: usize = 10_000;
/// The most points (in hundredths) one adjustment moves per customer.
pub const MAX_POINTS: i64 = 100_000_000;

/// Points by hand as the staff user asks for them.
#[derive(Debug, Clone)]
pub struct AdjustmentInput {
    pub customer_ids: Vec<CustomerId>,
    pub points: i64,
    pub comment: String,
    pub message: Option<String>,
    pub password: String,
}

impl App {
    /// Answers each customer's usable points afterwards.
    pub async fn adjust_points(
        &self,
        input: AdjustmentInput,
        by: &ChangedBy,
    ) -> AppResult<Vec<(CustomerId, i64)>> {
        let mut errors = ValidationErrors::default();
        let mut customer_ids = input.customer_ids.clone();
        customer_ids.sort_unstable();
        customer_ids.dedup();
        if customer_ids.is_empty() || customer_ids.len() > MAX_CUSTOMERS {
            errors.push(FieldError::new(
                "customer_ids",
                "out_of_range",
                format!("name 1 to {MAX_CUSTOMERS} customers"),
            ));
        }
        if input.points == 0 || input.points.abs() > MAX_POINTS {
            errors.push(FieldError::new(
                "points",
                "out_of_range",
                format!(
                    "a non-zero number of hundredths of a point, at most {MAX_POINTS} either way"
                ),
            ));
        }
        let comment = input.comment.trim();
        if comment.is_empty() || input.comment.chars().count() > 500 {
            errors.push(FieldError::new(
                "comment",
                "required",
                "say why, in 1 to 500 characters",
            ));
        }
        let message = input
            .message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty());
        if input
            .message
            .as_deref()
            .is_some_and(|m| m.chars().count() > 1000)
        {
            errors.push(FieldError::new(
                "message",
                "too_long",
                "a message is at most 1000 characters",
            ));
        }
        if input.password.is_empty() {
            errors.push(FieldError::new(
                "password",
                "required",
                "confirm with your password",
            ));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let user = match &by.actor {
            clientele_store::Actor::User { id, .. } => *id,
            _ => {
                return Err(AppError::Forbidden(
                    "points by hand are given by a staff user".into(),
                ));
            }
        };
        self.confirm_password(user, &input.password, by).await?;
        for &customer in &customer_ids {
            self.live_customer_for(customer, "customer_ids", by).await?;
        }
        let now = self.clock().now();
        let lot = self.given_lot(now).await?;
        let adjustment = PointsAdjustment {
            customer_ids: customer_ids.clone(),
            points: input.points,
            comment: comment.to_owned(),
            message: message.map(|m| MessageDraft::new(MessageSource::Manual, m.to_owned())),
            kind: clientele_domain::posting::LedgerKind::Manual,
            author: Some(user),
            lot,
            at: now,
        };
        match self.db().adjust_points(&adjustment).await? {
            AdjustOutcome::Done(available) => {
                for &customer in &customer_ids {
                    let change = (
                        None,
                        json!({"points": input.points, "comment": comment, "message": message.is_some()}),
                    );
                    self.record(customer_entry(by, now, "points.adjust", customer, change))
                        .await?;
                }
                Ok(available)
            }
            AdjustOutcome::Insufficient {
                customer_id,
                available,
            } => Err(AppError::Conflict {
                message: format!(
                    "customer {customer_id} has only {available} usable points; nothing was written off"
                ),
                field: Some("points"),
                existing_customer: Some(customer_id),
            }),
            AdjustOutcome::MissingCustomer(id) => Err(AppError::Validation(ValidationErrors::one(
                "customer_ids",
                "unknown_reference",
                format!("no customer {id}"),
            ))),
        }
    }
}

impl App {
    /// A customer's points and one page of their ledger, newest first.
    pub async fn ledger(
        &self,
        customer: CustomerId,
        before: Option<clientele_domain::LedgerEntryId>,
        limit: u32,
        by: &ChangedBy,
    ) -> AppResult<(
        clientele_domain::posting::CustomerLoyalty,
        Vec<clientele_store::LedgerEntry>,
    )> {
        let loyalty = self.customer_loyalty(customer, by).await?;
        let mut entries = self.db().history().ledger(customer, before, limit).await?;
        self.name_counterparts(&mut entries).await?;
        Ok((loyalty, entries))
    }

    /// A customer's account and the figures tiers are decided by.
    pub async fn customer_loyalty(
        &self,
        customer: CustomerId,
        by: &ChangedBy,
    ) -> AppResult<clientele_domain::posting::CustomerLoyalty> {
        self.customer_for(customer, by).await?;
        Ok(self
            .db()
            .customer_loyalty(customer, self.clock().now())
            .await?)
    }
}

impl App {
    /// Who owes points, and how many in all: the shortfalls of offline
    /// receipts and of returns of points already spent.
    pub async fn points_owed(
        &self,
        after: CustomerId,
        limit: u32,
    ) -> AppResult<clientele_store::PointsOwed> {
        Ok(self.db().history().points_owed(after, limit).await?)
    }
}
