use serde::Serialize;

/// What moved a customer's points: the kind of a ledger entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LedgerKind {
    Accrual,
    Payment,
    Manual,
    Birthday,
    Referral,
    Expiry,
    ReturnReversal,
    ReturnRefund,
    Merge,
    OpeningBalance,
}

impl LedgerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Accrual => "accrual",
            LedgerKind::Payment => "payment",
            LedgerKind::Manual => "manual",
            LedgerKind::Birthday => "birthday",
            LedgerKind::Referral => "referral",
            LedgerKind::Expiry => "expiry",
            LedgerKind::ReturnReversal => "return_reversal",
            LedgerKind::ReturnRefund => "return_refund",
            LedgerKind::Merge => "merge",
            LedgerKind::OpeningBalance => "opening_balance",
        }
    }

    pub fn parse(raw: &str) -> Option<LedgerKind> {
        [
            LedgerKind::Accrual,
            LedgerKind::Payment,
            LedgerKind::Manual,
            LedgerKind::Birthday,
            LedgerKind::Referral,
            LedgerKind::Expiry,
            LedgerKind::ReturnReversal,
            LedgerKind::ReturnRefund,
            LedgerKind::Merge,
            LedgerKind::OpeningBalance,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == raw)
    }
}
