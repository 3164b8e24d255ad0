//! Returns against a committed receipt, whole or some lines, each keyed by
//! the till's return id.

use clientele_domain::returns::{ReturnError, ReturnRequest};
use clientele_domain::{CustomerId, FieldError, Quantity};
use clientele_store::{ReturnCommit, ReturnOutcome};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::TillRef;
use super::messages::{ReturnAnswer, bytes, kept_return_answer};
use crate::{App, AppError, AppResult};

/// A return as a till sends it: some lines, or none for the whole receipt.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnRequestBody {
    pub return_id: String,
    /// `(line, quantity)`, lines counted from 1.
    pub lines: Option<Vec<(u32, Quantity)>>,
}

impl App {
    pub async fn return_receipt(
        &self,
        till: TillRef,
        receipt_id: &str,
        request: &ReturnRequestBody,
    ) -> AppResult<super::CommitAnswer> {
        let return_id = request.return_id.trim();
        if return_id.is_empty() || return_id.len() > 100 {
            return Err(AppError::from_field(FieldError::new(
                "return_id",
                "invalid",
                "the till's return id: 1 to 100 characters",
            )));
        }
        let receipt = self
            .db()
            .receipt(till.id, receipt_id)
            .await?
            .ok_or(AppError::NotFound("receipt"))?;
        let hash = Sha256::digest(bytes(request)).to_vec();
        if let Some((first_hash, kept)) = self
            .db()
            .stored_return(receipt.reference(), return_id)
            .await?
        {
            let answer = kept_return_answer(return_id, &receipt.receipt_id, kept);
            return returned(first_hash == hash, answer);
        }
        let now = self.clock().now();
        let refund_lot = self.given_lot(now).await?;
        let account = self.points_holder(receipt.customer_id).await?;
        let outcome = self
            .db()
            .return_receipt(ReturnCommit {
                receipt: receipt.reference(),
                account,
                till_id: till.id,
                return_id: return_id.to_owned(),
                request_hash: hash,
                request: match &request.lines {
                    None => ReturnRequest::Whole,
                    Some(lines) => ReturnRequest::Lines(lines.clone()),
                },
                at: now,
                refund_lot,
            })
            .await?;
        match outcome {
            ReturnOutcome::Returned(done) => Ok(super::CommitAnswer {
                body: bytes(&ReturnAnswer::new(return_id, &receipt.receipt_id, &done)),
                replayed: false,
            }),
            ReturnOutcome::Replayed(kept) => returned(
                true,
                kept_return_answer(return_id, &receipt.receipt_id, kept),
            ),
            ReturnOutcome::Conflict => returned(false, Vec::new()),
            ReturnOutcome::Refused(error) => Err(refusal(error, request)),
        }
    }
}

impl App {
    /// Who holds a customer's points now: the customer, or the one they
    /// were merged into (which a later merge of that one points on).
    async fn points_holder(&self, customer: Option<CustomerId>) -> AppResult<Option<CustomerId>> {
        let Some(id) = customer else {
            return Ok(None);
        };
        let merged_into = self.db().customer(id).await?.and_then(|c| c.merged_into);
        Ok(Some(merged_into.map_or(id, |survivor| survivor.id)))
    }
}

fn returned(same: bool, body: Vec<u8>) -> AppResult<super::CommitAnswer> {
    if same {
        Ok(super::CommitAnswer {
            body,
            replayed: true,
        })
    } else {
        Err(AppError::Conflict {
            message: "this receipt already has another return under this return_id".into(),
            field: Some("return_id"),
            existing_customer: None,
        })
    }
}

fn refusal(error: ReturnError, request: &ReturnRequestBody) -> AppError {
    let index = |line: u32| {
        request
            .lines
            .iter()
            .flatten()
            .position(|(l, _)| *l == line)
            .unwrap_or(0)
    };
    let field = match &error {
        ReturnError::UnknownLine(line) | ReturnError::RepeatedLine { line } => {
            format!("lines[{}].line", index(*line))
        }
        ReturnError::TooMuch { line, .. } => format!("lines[{}].quantity", index(*line)),
        ReturnError::NothingLeft => "lines".to_owned(),
    };
    let code = match error {
        ReturnError::UnknownLine(_) => "unknown_line",
        ReturnError::RepeatedLine { .. } => "repeated_line",
        ReturnError::TooMuch { .. } => "more_than_bought",
        ReturnError::NothingLeft => "nothing_left",
    };
    AppError::from_field(FieldError::new(field, code, error.to_string()))
}
