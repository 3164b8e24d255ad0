//! Cards and certificates read by id, by barcode or code, a customer's,
//! and a page of cards.

use async_trait::async_trait;
use clientele_domain::card::Card;
use clientele_domain::certificate::Certificate;
use clientele_domain::{CardId, CertificateId, CustomerId, ReceiptKey};
use clientele_store::area::CardReads;
use clientele_store::{CardQuery, CertificateMovement, DbResult};

use crate::{Engine, FromColumns, Sql, Statement};

/// A card's columns, of `cards c` joined to its group `g`.
const CARD: &str = "SELECT c.id, c.barcode, c.symbology, c.group_id, g.program_id, c.customer_id,
        c.active, c.blocked, c.valid_from, c.valid_to, c.withdrawn_at, c.withdrawn_reason,
        c.replaced_by, c.created_at
 FROM cards c JOIN card_groups g ON g.id = c.group_id";

const CERTIFICATE: &str = "SELECT id, code, template_id, customer_id, face_value_minor,
        balance_minor, partial_use, issued_at, valid_to
 FROM certificates";

#[async_trait]
impl<E: Engine> CardReads for Sql<E> {
    async fn card(&self, id: CardId) -> DbResult<Option<Card>> {
        let sql = format!("{CARD} WHERE c.id = $1");
        self.one(Statement::new(&sql).bind(id.0), Card::from_columns)
            .await
    }

    async fn last_in_store_ean13(&self) -> DbResult<Option<String>> {
        let last = Statement::new(
            "SELECT MAX(barcode) AS last FROM cards
             WHERE symbology = 'ean13' AND barcode >= '2000000000000' AND barcode < '3000000000000'",
        );
        let last = self.one(last, |row| row.text_or_null("last")).await?;
        Ok(last.flatten())
    }

    async fn card_by_barcode(&self, barcode: &str) -> DbResult<Option<Card>> {
        let sql = format!("{CARD} WHERE {}", E::CARD_WITH_BARCODE);
        self.one(Statement::new(&sql).bind(barcode), Card::from_columns)
            .await
    }

    async fn certificate_by_code(&self, code: &str) -> DbResult<Option<Certificate>> {
        let sql = format!("{CERTIFICATE} WHERE {}", E::CERTIFICATE_WITH_CODE);
        self.one(Statement::new(&sql).bind(code), Certificate::from_columns)
            .await
    }

    async fn certificates_of(
        &self,
        customer_id: CustomerId,
        limit: u32,
    ) -> DbResult<Vec<Certificate>> {
        let sql = format!("{CERTIFICATE} WHERE customer_id = $1 ORDER BY id DESC LIMIT $2");
        let statement = Statement::new(&sql)
            .bind(customer_id.0)
            .bind(i64::from(limit));
        self.all(statement, Certificate::from_columns).await
    }

    async fn certificate_movements(&self, id: CertificateId) -> DbResult<Vec<CertificateMovement>> {
        let statement = Statement::new(
            "SELECT kind, amount_minor, receipt_key, created_at FROM certificate_movements
             WHERE certificate_id = $1 ORDER BY id",
        )
        .bind(id.0);
        self.all(statement, |row| {
            Ok(CertificateMovement {
                kind: row.text("kind")?,
                amount_minor: row.int("amount_minor")?,
                receipt_key: row.int_or_null("receipt_key")?.map(ReceiptKey),
                created_at: row.time("created_at")?,
            })
        })
        .await
    }

    /// Only the conditions asked for are in the statement, so the planner
    /// sees each and picks its index.
    async fn cards(&self, query: &CardQuery) -> DbResult<Vec<Card>> {
        let mut statement = Statement::new(CARD);
        statement
            .push(" WHERE c.id > ")
            .push_bind(query.after.map_or(0, |c| c.0));
        if let Some(customer) = query.customer_id {
            statement
                .push(" AND c.customer_id = ")
                .push_bind(customer.0);
        }
        if let Some(barcode) = &query.barcode {
            statement.push(" AND c.barcode = ").push_bind(barcode);
        }
        if let Some(active) = query.active {
            statement.push(" AND c.active = ").push_bind(active);
        }
        statement
            .push(" ORDER BY c.id LIMIT ")
            .push_bind(i64::from(query.limit));
        self.all(statement, Card::from_columns).await
    }
}
