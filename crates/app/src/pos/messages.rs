//! The answers a till gets, field for field as DESIGN.md names them. A
//! committed receipt keeps its answer's frame and the posting's figures, a
//! return what it did; a replay is rendered from them to the same bytes.

use clientele_domain::certificate::{Certificate, CertificateUse};
use clientele_domain::offer::Applied;
use clientele_domain::pricing::{BasketLine, Calculation};
use clientele_store::{CommitDone, KeptAnswer, KeptReturn, ReturnDone};
use serde::Serialize;

/// One priced line.
#[derive(Debug, Clone, Serialize)]
pub struct LineAnswer {
    /// Counted from 1.
    pub line: u32,
    pub sku: String,
    pub discount_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
    /// The offers that gave something on this line.
    pub offers_applied: Vec<LineOfferAnswer>,
}

/// What one offer gave one line.
#[derive(Debug, Clone, Serialize)]
pub struct LineOfferAnswer {
    pub offer_id: i64,
    pub name: String,
    pub discount_minor: i64,
    pub points_accrued: i64,
}

/// What one offer gave the receipt.
#[derive(Debug, Clone, Serialize)]
pub struct OfferAnswer {
    pub offer_id: i64,
    pub name: String,
    pub discount_minor: i64,
    pub points_accrued: i64,
    /// The coupon it took, if it asks for one.
    pub coupon: Option<String>,
    /// It gave less than its terms say: its budget ran short.
    pub cut_by_budget: bool,
}

/// An offer of the customer's that gave nothing here, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SkippedOfferAnswer {
    pub offer_id: i64,
    pub name: String,
    pub reason: &'static str,
}

/// What `calculate` answers; `commit` answers this and more.
#[derive(Debug, Clone, Serialize)]
pub struct CalculationAnswer {
    pub customer_id: Option<i64>,
    pub lines: Vec<LineAnswer>,
    pub total_minor: i64,
    pub discount_minor: i64,
    pub points_payable_max: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub to_pay_minor: i64,
    /// Gift certificates paying part of `to_pay_minor`, in order.
    pub certificates: Vec<CertificatePaid>,
    pub certificates_paid_minor: i64,
    /// What is left to pay in money.
    pub money_to_pay_minor: i64,
    /// The offers that gave something, in the order applied; their
    /// discounts are in `discount_minor`, their points in `points_accrued`.
    pub offers_applied: Vec<OfferAnswer>,
    /// The customer's offers that gave nothing on this basket, and why.
    pub offers_skipped: Vec<SkippedOfferAnswer>,
    /// The rounding rule the figures follow.
    pub rounding: &'static str,
}

/// What one gift certificate pays.
#[derive(Debug, Clone, Serialize)]
pub struct CertificatePaid {
    pub code: String,
    pub paid_minor: i64,
    /// What leaves its balance (all of a certificate used at once).
    pub taken_minor: i64,
}

pub const ROUNDING: &str =
    "each line rounded down to the minor unit; totals are the sums of the lines";

impl CalculationAnswer {
    pub fn new(
        customer_id: Option<i64>,
        lines: &[BasketLine],
        calc: &Calculation,
    ) -> CalculationAnswer {
        CalculationAnswer {
            customer_id,
            lines: lines
                .iter()
                .zip(&calc.lines)
                .enumerate()
                .map(|(i, (line, priced))| LineAnswer {
                    line: i as u32 + 1,
                    sku: line.sku.clone(),
                    discount_minor: priced.discount_minor,
                    points_paid: priced.points_paid,
                    points_accrued: priced.points_accrued,
                    to_pay_minor: priced.to_pay_minor,
                    offers_applied: Vec::new(),
                })
                .collect(),
            total_minor: calc.total_minor,
            discount_minor: calc.discount_minor,
            points_payable_max: calc.points_payable_max,
            points_paid: calc.points_paid,
            points_accrued: calc.points_accrued,
            to_pay_minor: calc.to_pay_minor,
            certificates: Vec::new(),
            certificates_paid_minor: 0,
            money_to_pay_minor: calc.to_pay_minor,
            offers_applied: Vec::new(),
            offers_skipped: Vec::new(),
            rounding: ROUNDING,
        }
    }

    /// The same, with what the customer's offers gave and why those that
    /// could have gave nothing.
    pub fn with_offers(mut self, applied: Applied) -> CalculationAnswer {
        for (line, offers) in self.lines.iter_mut().zip(applied.lines) {
            line.offers_applied = offers
                .offers
                .into_iter()
                .map(|o| LineOfferAnswer {
                    offer_id: o.offer_id.0,
                    name: o.name,
                    discount_minor: o.discount_minor,
                    points_accrued: o.points_accrued,
                })
                .collect();
        }
        self.offers_applied = applied
            .offers
            .into_iter()
            .map(|o| OfferAnswer {
                offer_id: o.offer_id.0,
                name: o.name,
                discount_minor: o.discount_minor,
                points_accrued: o.points_accrued,
                coupon: o.coupon.map(|c| c.code.to_string()),
                cut_by_budget: o.cut_by_budget,
            })
            .collect();
        self.offers_skipped = applied
            .skipped
            .into_iter()
            .filter(|s| s.tells_the_till())
            .map(|s| SkippedOfferAnswer {
                offer_id: s.offer_id.0,
                name: s.name.unwrap_or_default(),
                reason: s.reason.as_str(),
            })
            .collect();
        self
    }

    /// The same, part paid with gift certificates.
    pub fn paid_with(
        mut self,
        certificates: &[Certificate],
        uses: &[CertificateUse],
    ) -> CalculationAnswer {
        self.certificates = certificates
            .iter()
            .zip(uses)
            .map(|(certificate, used)| CertificatePaid {
                code: certificate.code.clone(),
                paid_minor: used.paid_minor,
                taken_minor: used.taken_minor,
            })
            .collect();
        self.certificates_paid_minor = uses.iter().map(|u| u.paid_minor).sum();
        self.money_to_pay_minor = self.to_pay_minor - self.certificates_paid_minor;
        self
    }
}

/// What `commit` answers: its [`ReceiptFrame`] with the posting's figures.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptAnswer {
    #[serde(flatten)]
    pub frame: ReceiptFrame,
    /// The customer's usable points after this receipt.
    pub points_available: i64,
    /// Points paid beyond what was left (an offline till), now owed.
    pub points_owed: i64,
}

/// What a receipt's answer says before its posting: kept with the receipt.
#[derive(Debug, Clone, Serialize)]
pub struct ReceiptFrame {
    pub receipt_id: String,
    pub created_at: String,
    #[serde(flatten)]
    pub calculation: CalculationAnswer,
}

/// The bytes of a [`ReceiptAnswer`] from its frame's bytes: the posting's
/// figures close the frame's object, as `ReceiptAnswer` orders its fields.
pub fn receipt_answer(frame: &[u8], done: CommitDone) -> Vec<u8> {
    let open = frame.strip_suffix(b"}").unwrap_or(frame);
    let mut answer = Vec::with_capacity(frame.len() + 48);
    answer.extend_from_slice(open);
    answer.extend_from_slice(
        format!(
            r#","points_available":{},"points_owed":{}}}"#,
            done.points_available, done.points_owed
        )
        .as_bytes(),
    );
    answer
}

/// A kept receipt's answer, as the till first got it.
pub fn kept_receipt_answer(kept: KeptAnswer) -> Vec<u8> {
    match kept.done {
        Some(done) => receipt_answer(&kept.frame, done),
        None => kept.frame,
    }
}

/// A kept return's answer, as the till first got it.
pub fn kept_return_answer(return_id: &str, receipt_id: &str, kept: KeptReturn) -> Vec<u8> {
    match kept {
        KeptReturn::Done(done) => bytes(&ReturnAnswer::new(return_id, receipt_id, &done)),
        KeptReturn::Answer(answer) => answer,
    }
}

/// One line of a return.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnedLineAnswer {
    pub line: u32,
    pub quantity: String,
    pub refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
}

/// What a return answers: what was given back and taken back.
#[derive(Debug, Clone, Serialize)]
pub struct ReturnAnswer {
    pub return_id: String,
    pub receipt_id: String,
    pub lines: Vec<ReturnedLineAnswer>,
    /// Certificates and money together.
    pub refund_minor: i64,
    /// The refund's part given back to the gift certificates that paid.
    pub certificates: Vec<CertificateRefunded>,
    /// What is given back in money.
    pub money_refund_minor: i64,
    pub points_returned: i64,
    pub points_taken_back: i64,
    /// Accrued points already spent, owed and settled from the next accruals.
    pub points_owed: i64,
    pub points_available: i64,
}

/// What one gift certificate gets back.
#[derive(Debug, Clone, Serialize)]
pub struct CertificateRefunded {
    pub code: String,
    pub refunded_minor: i64,
}

impl ReturnAnswer {
    pub fn new(return_id: &str, receipt_id: &str, done: &ReturnDone) -> ReturnAnswer {
        let lines = &done.lines;
        let refund: i64 = lines.iter().map(|l| l.refund_minor).sum();
        let to_certificates: i64 = done.certificates.iter().map(|(_, amount)| amount).sum();
        ReturnAnswer {
            return_id: return_id.to_owned(),
            receipt_id: receipt_id.to_owned(),
            refund_minor: refund,
            certificates: done
                .certificates
                .iter()
                .map(|(code, amount)| CertificateRefunded {
                    code: code.clone(),
                    refunded_minor: *amount,
                })
                .collect(),
            money_refund_minor: refund - to_certificates,
            points_returned: lines.iter().map(|l| l.points_returned).sum(),
            points_taken_back: lines.iter().map(|l| l.points_taken_back).sum(),
            lines: lines
                .iter()
                .map(|l| ReturnedLineAnswer {
                    line: l.line,
                    quantity: clientele_domain::Quantity::from_milli(l.quantity_milli)
                        .map_or_else(|_| l.quantity_milli.to_string(), |q| q.to_string()),
                    refund_minor: l.refund_minor,
                    points_returned: l.points_returned,
                    points_taken_back: l.points_taken_back,
                })
                .collect(),
            points_owed: done.points_owed,
            points_available: done.points_available,
        }
    }
}

/// Serialises an answer; the types above always serialise.
pub fn bytes<T: Serialize>(answer: &T) -> Vec<u8> {
    serde_json::to_vec(answer).expect("answers serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_closed_by_the_figures_is_the_whole_answer() {
        let frame = ReceiptFrame {
            receipt_id: "R \"1\"".into(),
            created_at: "2026-11-23T10:15:00Z".into(),
            calculation: CalculationAnswer {
                customer_id: Some(7),
                lines: Vec::new(),
                total_minor: 1000,
                discount_minor: 0,
                points_payable_max: 500,
                points_paid: 0,
                points_accrued: 50,
                to_pay_minor: 1000,
                certificates: Vec::new(),
                certificates_paid_minor: 0,
                money_to_pay_minor: 1000,
                offers_applied: Vec::new(),
                offers_skipped: Vec::new(),
                rounding: ROUNDING,
            },
        };
        let done = CommitDone {
            points_available: 1234,
            points_owed: -0,
        };
        let whole = bytes(&ReceiptAnswer {
            frame: frame.clone(),
            points_available: done.points_available,
            points_owed: done.points_owed,
        });
        assert_eq!(receipt_answer(&bytes(&frame), done), whole);
        let kept = KeptAnswer {
            frame: bytes(&frame),
            done: Some(done),
        };
        assert_eq!(kept_receipt_answer(kept), whole);
        let before = KeptAnswer {
            frame: whole.clone(),
            done: None,
        };
        assert_eq!(kept_receipt_answer(before), whole);
    }
}
