//! The store's values read from a row the same way on every engine; an
//! engine's own statement reads one as `Stored<ItsEngine, T>`.

use std::marker::PhantomData;

use clientele_domain::card::{Barcode, Card, Symbology};
use clientele_domain::certificate::Certificate;
use clientele_domain::posting::LedgerKind;
use clientele_domain::returns::SoldLine;
use clientele_domain::{
    CardGroupId, CardId, CertificateId, CertificateTemplateId, CustomerId, LedgerEntryId,
    NamedCustomer, Note, ProgramId, Quantity, ReceiptKey, StoreId, TillId, UserId,
};
use clientele_store::{
    DbResult, KeptAnswer, LedgerEntry, Purchase, ReceiptLine, Return, StoredReceipt,
};

use crate::{Engine, Got, unreadable};

/// A value read from the columns of a row, named as the statements of both
/// engines name them.
pub trait FromColumns: Sized {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Self>;
}

/// A `T` read from a row of `E`: what `query_as` asks for, or a field of a
/// larger row with `#[sqlx(flatten)]`.
pub struct Stored<E: Engine, T>(pub T, PhantomData<E>);

impl<'r, E: Engine, T: FromColumns> sqlx::FromRow<'r, <E::Db as sqlx::Database>::Row>
    for Stored<E, T>
{
    fn from_row(row: &'r <E::Db as sqlx::Database>::Row) -> Result<Self, sqlx::Error> {
        let value =
            T::from_columns(&Got::<E>::new(row)).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(Stored(value, PhantomData))
    }
}

impl FromColumns for Note {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Note> {
        Ok(Note {
            customer_id: CustomerId(row.int("customer_id")?),
            id: row.int("id")?,
            author: row.text("author")?,
            text: row.text("text")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromColumns for ReceiptLine {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<ReceiptLine> {
        Ok(ReceiptLine {
            line: u32::try_from(row.int("line")?).map_err(|e| unreadable("line", e))?,
            sku: row.text("sku")?,
            name: row.text("name")?,
            category: row.text_or_null("category")?,
            quantity: Quantity::from_milli(row.int("quantity_milli")?)
                .map_err(|e| unreadable("quantity_milli", e.message))?,
            price_minor: row.int("price_minor")?,
            amount_minor: row.int("amount_minor")?,
            discount_minor: row.int("discount_minor")?,
            points_paid: row.int("points_paid")?,
            points_accrued: row.int("points_accrued")?,
            to_pay_minor: row.int("to_pay_minor")?,
        })
    }
}

impl FromColumns for Purchase {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Purchase> {
        Ok(Purchase {
            key: ReceiptKey(row.int("id")?),
            customer_id: CustomerId(row.int("customer_id")?),
            till_id: TillId(row.int("till_id")?),
            store_id: StoreId(row.int("store_id")?),
            receipt_id: row.text("receipt_id")?,
            created_at: row.time("created_at")?,
            total_minor: row.int("total_minor")?,
            discount_minor: row.int("discount_minor")?,
            points_paid: row.int("points_paid")?,
            points_accrued: row.int("points_accrued")?,
            to_pay_minor: row.int("to_pay_minor")?,
            lines: row.int("lines")?,
        })
    }
}

impl FromColumns for Return {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Return> {
        Ok(Return {
            receipt_key: ReceiptKey(row.int("receipt_key")?),
            customer_id: CustomerId(row.int("customer_id")?),
            return_id: row.text("return_id")?,
            created_at: row.time("created_at")?,
            refund_minor: row.int("refund_minor")?,
            points_returned: row.int("points_returned")?,
            points_taken_back: row.int("points_taken_back")?,
        })
    }
}

impl FromColumns for Card {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Card> {
        Ok(Card {
            id: CardId(row.int("id")?),
            barcode: Barcode::from_stored(row.text("barcode")?),
            symbology: Symbology::parse(&row.text("symbology")?)
                .map_err(|e| unreadable("symbology", e.message))?,
            group_id: CardGroupId(row.int("group_id")?),
            program_id: ProgramId(row.int("program_id")?),
            customer_id: row.int_or_null("customer_id")?.map(CustomerId),
            active: row.flag("active")?,
            blocked: row.flag("blocked")?,
            valid_from: row.time_or_null("valid_from")?,
            valid_to: row.time_or_null("valid_to")?,
            withdrawn_at: row.time_or_null("withdrawn_at")?,
            withdrawn_reason: row.text_or_null("withdrawn_reason")?,
            replaced_by: row.int_or_null("replaced_by")?.map(CardId),
            created_at: row.time("created_at")?,
        })
    }
}

impl FromColumns for Certificate {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<Certificate> {
        Ok(Certificate {
            id: CertificateId(row.int("id")?),
            code: row.text("code")?,
            template_id: CertificateTemplateId(row.int("template_id")?),
            customer_id: row.int_or_null("customer_id")?.map(CustomerId),
            face_value_minor: row.int("face_value_minor")?,
            balance_minor: row.int("balance_minor")?,
            partial_use: row.flag("partial_use")?,
            issued_at: row.time("issued_at")?,
            valid_to: row.time("valid_to")?,
        })
    }
}

impl FromColumns for LedgerEntry {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<LedgerEntry> {
        let kind = row.text("kind")?;
        let counterpart = match row.int_or_null("counterpart_id")? {
            Some(id) => Some(NamedCustomer {
                id: CustomerId(id),
                name: row.text_or_null("counterpart_name")?.unwrap_or_default(),
            }),
            None => None,
        };
        Ok(LedgerEntry {
            id: LedgerEntryId(row.int("id")?),
            customer_id: CustomerId(row.int("customer_id")?),
            kind: LedgerKind::parse(&kind).ok_or_else(|| unreadable("kind", &kind))?,
            points: row.int("points")?,
            receipt_key: row.int_or_null("receipt_key")?.map(ReceiptKey),
            till_id: row.int_or_null("till_id")?.map(TillId),
            user_id: row.int_or_null("user_id")?.map(UserId),
            comment: row.text_or_null("comment")?,
            counterpart,
            usable_from: row.time_or_null("usable_from")?,
            expires_at: row.time_or_null("expires_at")?,
            created_at: row.time("created_at")?,
        })
    }
}

/// A receipt as kept for its till's retries.
impl FromColumns for StoredReceipt {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<StoredReceipt> {
        Ok(StoredReceipt {
            key: ReceiptKey(row.int("id")?),
            till_id: TillId(row.int("till_id")?),
            store_id: StoreId(row.int("store_id")?),
            receipt_id: row.text("receipt_id")?,
            customer_id: row.int_or_null("customer_id")?.map(CustomerId),
            request_hash: row.bytes("request_hash")?,
            answer: KeptAnswer::from_row(
                row.bytes("answer")?,
                row.int_or_null("points_available")?,
                row.int("points_owed")?,
            ),
            created_at: row.time("created_at")?,
        })
    }
}

/// A line sold, with how much of it was returned before.
impl FromColumns for SoldLine {
    fn from_columns<E: Engine>(row: &Got<'_, E>) -> DbResult<SoldLine> {
        Ok(SoldLine {
            line: u32::try_from(row.int("line")?).map_err(|e| unreadable("line", e))?,
            quantity_milli: row.int("quantity_milli")?,
            to_pay_minor: row.int("to_pay_minor")?,
            points_paid: row.int("points_paid")?,
            points_accrued: row.int("points_accrued")?,
            returned_milli: row.int("returned_milli")?,
        })
    }
}
