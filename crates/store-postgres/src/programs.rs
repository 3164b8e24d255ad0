//! Programs, tiers, card groups and cards.

use clientele_domain::card::Card;
use clientele_domain::{CardId, CustomerId};
use clientele_store::{CardPick, DbError, DbResult, NewCard};
use jiff::Timestamp;
use jiff_sqlx::ToSqlx;
use sqlx::PgConnection;

use crate::PostgresDatabase;
use crate::errors::{backend, constraint};
use crate::rows::{column, micro_time};
use async_trait::async_trait;
use clientele_domain::certificate::Certificate;
use clientele_domain::certificate::CertificateTemplate;
use clientele_store::ImportedCard;
use clientele_store::NewCertificate;
use clientele_store::area::Cards;

/// The columns [`CardRow`] reads, of `cards c` joined to its group `g`.
macro_rules! card_columns {
    () => {
        "c.id, c.barcode, c.symbology, c.group_id, g.program_id, c.customer_id, c.active, \
         c.blocked, c.valid_from, c.valid_to, c.withdrawn_at, c.withdrawn_reason, c.replaced_by, \
         c.created_at"
    };
}

type CardRow = crate::rows::Stored<Card>;

fn into_cards(rows: Vec<CardRow>) -> DbResult<Vec<Card>> {
    Ok(rows.into_iter().map(|row| row.0).collect())
}

async fn card_in(conn: &mut PgConnection, id: i64) -> DbResult<Option<Card>> {
    let row: Option<CardRow> = sqlx::query_as(concat!(
        "SELECT ",
        card_columns!(),
        " FROM cards c JOIN card_groups g ON g.id = c.group_id WHERE c.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    Ok(row.map(|row| row.0))
}

#[async_trait]
impl Cards for PostgresDatabase {
    /// Binds the blank card picked; the group's next one is its lowest id, and
    /// a card another desk is giving right now is skipped, never given twice.
    async fn give_card(
        &self,
        pick: CardPick,
        customer_id: CustomerId,
        valid_from: Option<Timestamp>,
        valid_to: Option<Timestamp>,
    ) -> DbResult<Option<Card>> {
        check_customers(&self.pool, [customer_id]).await?;
        let (card, group) = match pick {
            CardPick::Card(id) => (Some(id.0), None),
            CardPick::FreeOf(group) => (None, Some(group.0)),
        };
        let row: Option<CardRow> = sqlx::query_as(concat!(
            "WITH picked AS (
                 SELECT id FROM cards
                 WHERE ($1::bigint IS NULL OR id = $1) AND ($2::bigint IS NULL OR group_id = $2)
                   AND customer_id IS NULL AND withdrawn_at IS NULL AND NOT blocked
                 ORDER BY group_id, id LIMIT 1
                 FOR UPDATE SKIP LOCKED
             ), c AS (
                 UPDATE cards SET customer_id = $3, active = true,
                        valid_from = COALESCE($4, valid_from), valid_to = COALESCE($5, valid_to)
                 FROM picked WHERE cards.id = picked.id
                 RETURNING cards.*
             )
             SELECT ",
            card_columns!(),
            " FROM c JOIN card_groups g ON g.id = c.group_id"
        ))
        .bind(card)
        .bind(group)
        .bind(customer_id.0)
        .bind(valid_from.map(|t| micro_time(t).to_sqlx()))
        .bind(valid_to.map(|t| micro_time(t).to_sqlx()))
        .fetch_optional(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.map(|row| row.0))
    }

    async fn issue_certificates(
        &self,
        template: &CertificateTemplate,
        issued: &[NewCertificate],
        at: Timestamp,
    ) -> DbResult<Vec<Certificate>> {
        crate::certificates::issue(&self.pool, template, issued, at).await
    }

    /// Writes the cards in one statement, so a taken barcode writes none of them.
    async fn create_cards(&self, cards: &[NewCard], at: Timestamp) -> DbResult<Vec<Card>> {
        let time = |t: Option<Timestamp>| t.map(|t| micro_time(t).to_sqlx());
        check_customers(&self.pool, cards.iter().filter_map(|c| c.customer_id)).await?;
        let rows: Vec<CardRow> = sqlx::query_as(concat!(
            "WITH c AS (
                 INSERT INTO cards (barcode, symbology, group_id, customer_id, active, valid_from,
                                    valid_to, created_at)
                 SELECT barcode, symbology, group_id, customer_id, customer_id IS NOT NULL,
                        valid_from, valid_to, $7
                 FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::timestamptz[],
                             $6::timestamptz[])
                      WITH ORDINALITY AS n (barcode, symbology, group_id, customer_id, valid_from,
                                            valid_to, ord)
                 ORDER BY ord
                 RETURNING *
             ), b AS (
                 INSERT INTO card_barcodes (barcode, card_id) SELECT barcode, id FROM c
             )
             SELECT ",
            card_columns!(),
            " FROM c JOIN card_groups g ON g.id = c.group_id ORDER BY c.id"
        ))
        .bind(column(cards, |c| c.barcode.as_str()))
        .bind(column(cards, |c| c.symbology.as_str()))
        .bind(column(cards, |c| c.group_id.0))
        .bind(column(cards, |c| c.customer_id.map(|id| id.0)))
        .bind(column(cards, |c| time(c.valid_from)))
        .bind(column(cards, |c| time(c.valid_to)))
        .bind(micro_time(at).to_sqlx())
        .fetch_all(&self.pool)
        .await
        .map_err(constraint)?;
        into_cards(rows)
    }

    async fn cards_by_barcodes(&self, barcodes: &[String]) -> DbResult<Vec<Card>> {
        let rows: Vec<CardRow> = sqlx::query_as(concat!(
            "SELECT ",
            card_columns!(),
            " FROM cards c JOIN card_groups g ON g.id = c.group_id
             WHERE c.id = ANY(ARRAY(SELECT card_id FROM card_barcodes WHERE barcode = ANY($1)))"
        ))
        .bind(barcodes)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(|row| row.0).collect())
    }

    async fn import_cards(
        &self,
        cards: &[ImportedCard],
        at: Timestamp,
    ) -> DbResult<Vec<Option<CardId>>> {
        crate::card_import::import_cards(&self.pool, cards, at).await
    }

    async fn bind_card(&self, id: CardId, customer_id: CustomerId) -> DbResult<Option<Card>> {
        check_customers(&self.pool, [customer_id]).await?;
        let row: Option<CardRow> = sqlx::query_as(concat!(
            "WITH c AS (
                 UPDATE cards SET customer_id = $2, active = true
                 WHERE id = $1 AND customer_id IS NULL AND withdrawn_at IS NULL
                 RETURNING *
             )
             SELECT ",
            card_columns!(),
            " FROM c JOIN card_groups g ON g.id = c.group_id"
        ))
        .bind(id.0)
        .bind(customer_id.0)
        .fetch_optional(&self.pool)
        .await
        .map_err(constraint)?;
        Ok(row.map(|row| row.0))
    }

    async fn set_card_blocked(&self, id: CardId, blocked: bool) -> DbResult<Option<Card>> {
        let row: Option<CardRow> = sqlx::query_as(concat!(
            "WITH c AS (UPDATE cards SET blocked = $2 WHERE id = $1 RETURNING *)
             SELECT ",
            card_columns!(),
            " FROM c JOIN card_groups g ON g.id = c.group_id"
        ))
        .bind(id.0)
        .bind(blocked)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|row| row.0))
    }

    async fn replace_card(
        &self,
        id: CardId,
        new: &NewCard,
        reason: &str,
        at: Timestamp,
    ) -> DbResult<Card> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        check_customers(&mut *tx, new.customer_id).await?;
        let new_id: i64 = sqlx::query_scalar(
            "WITH c AS (
                 INSERT INTO cards (barcode, symbology, group_id, customer_id, active, valid_from,
                                    valid_to, created_at)
                 VALUES ($1, $2, $3, $4, $4 IS NOT NULL, $5, $6, $7) RETURNING id, barcode
             ), b AS (
                 INSERT INTO card_barcodes (barcode, card_id) SELECT barcode, id FROM c
             )
             SELECT id FROM c",
        )
        .bind(new.barcode.as_str())
        .bind(new.symbology.as_str())
        .bind(new.group_id.0)
        .bind(new.customer_id.map(|c| c.0))
        .bind(new.valid_from.map(|t| micro_time(t).to_sqlx()))
        .bind(new.valid_to.map(|t| micro_time(t).to_sqlx()))
        .bind(micro_time(at).to_sqlx())
        .fetch_one(&mut *tx)
        .await
        .map_err(constraint)?;
        let withdrawn = sqlx::query(
            "UPDATE cards SET withdrawn_at = $2, withdrawn_reason = $3, replaced_by = $4, active = false
             WHERE id = $1 AND withdrawn_at IS NULL",
        )
        .bind(id.0)
        .bind(micro_time(at).to_sqlx())
        .bind(reason)
        .bind(new_id)
        .execute(&mut *tx)
        .await
        .map_err(backend)?
        .rows_affected();
        if withdrawn != 1 {
            return Err(DbError::MissingReference { field: "card" });
        }
        let card = card_in(&mut tx, new_id)
            .await?
            .ok_or(DbError::MissingReference { field: "card" })?;
        tx.commit().await.map_err(backend)?;
        Ok(card)
    }
}

/// The customers named must exist: a card is kept apart from its customer
/// (on Citus, on another shard), where no foreign key reaches.
pub(crate) async fn check_customers<'e>(
    conn: impl sqlx::PgExecutor<'e>,
    customers: impl IntoIterator<Item = CustomerId>,
) -> DbResult<()> {
    let mut ids: Vec<i64> = customers.into_iter().map(|c| c.0).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let found: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_one(conn)
        .await
        .map_err(backend)?;
    if found != ids.len() as i64 {
        return Err(DbError::MissingReference {
            field: "customer_id",
        });
    }
    Ok(())
}
