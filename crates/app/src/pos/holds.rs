//! Holds: between the cashier's "pay with points" and the payment, the till
//! reserves the points; a commit carrying the hold cannot fail for want of
//! them, and a hold released or left unused frees them by itself.

use clientele_domain::FieldError;
use clientele_store::{HoldOutcome, NewHold};
use jiff::{SignedDuration, Timestamp};

use super::TillRef;
use super::messages::CalculationAnswer;
use super::receipts::BasketRequest;
use crate::{App, AppError, AppResult};

/// How long an unused hold keeps its points.
pub const HOLD_FOR: SignedDuration = SignedDuration::from_mins(10);

/// A hold placed: the basket as priced, and the hold's id and end.
#[derive(Debug, Clone)]
pub struct Hold {
    pub calculation: CalculationAnswer,
    pub hold_id: String,
    pub expires_at: Timestamp,
}

impl App {
    /// Prices the basket and holds its `points_to_pay` for this till.
    pub async fn place_hold(&self, till: TillRef, request: &BasketRequest) -> AppResult<Hold> {
        let (calculation, offers) = self.priced(Some(till), request).await?;
        let Some(customer) = calculation.customer_id else {
            return Err(AppError::from_field(FieldError::new(
                "card",
                "required",
                "a hold is for a customer's points: name the customer",
            )));
        };
        if calculation.points_paid <= 0 {
            return Err(AppError::from_field(FieldError::new(
                "points_to_pay",
                "required",
                "say how many points to hold",
            )));
        }
        let now = self.clock().now();
        let hold = NewHold {
            // Unguessable, so a till cannot use another's hold by its number.
            hold_id: crate::staff::Secret::generate("hold").expose().to_owned(),
            till_id: till.id,
            customer_id: clientele_domain::CustomerId(customer),
            points: calculation.points_paid,
            at: now,
            expires_at: now + HOLD_FOR,
            offers,
            local_date: now.to_zoned(self.clock().zone().clone()).date(),
        };
        let (hold_id, expires_at) = (hold.hold_id.clone(), hold.expires_at);
        match self.db().place_hold(hold).await? {
            HoldOutcome::Held => Ok(Hold {
                calculation,
                hold_id,
                expires_at,
            }),
            HoldOutcome::Insufficient { available } => {
                Err(AppError::InsufficientPoints { available })
            }
            HoldOutcome::OfferRefused { offer_id } => Err(AppError::Conflict {
                message: format!(
                    "offer {offer_id} has no budget left for this basket; calculate again"
                ),
                field: None,
                existing_customer: None,
            }),
        }
    }

    pub async fn release_hold(&self, till: TillRef, hold_id: &str) -> AppResult<()> {
        if self
            .db()
            .release_hold(till.id, hold_id, self.clock().now())
            .await?
        {
            Ok(())
        } else {
            Err(AppError::NotFound("live hold"))
        }
    }
}
