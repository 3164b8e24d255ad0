//! Programs, tiers, card groups and cards.

use clientele_domain::card::Card;
use clientele_domain::{CardId, CustomerId};
use clientele_store::{CardPick, DbError, DbResult, NewCard};
use jiff::Timestamp;
use sqlx::SqliteConnection;

use crate::SqliteDatabase;
use crate::errors::{backend, constraint};
use crate::rows::{json, micros};
use async_trait::async_trait;
use clientele_domain::certificate::Certificate;
use clientele_domain::certificate::CertificateTemplate;
use clientele_store::ImportedCard;
use clientele_store::NewCertificate;
use clientele_store::area::Cards;

macro_rules! card_columns {
    () => {
        "c.id, c.barcode, c.symbology, c.group_id, g.program_id, c.customer_id, c.active, c.blocked, \
         c.valid_from, c.valid_to, c.withdrawn_at, c.withdrawn_reason, c.replaced_by, c.created_at"
    };
}

type CardRow = crate::rows::Stored<Card>;

async fn card_in(conn: &mut SqliteConnection, id: i64) -> DbResult<Option<Card>> {
    let row: Option<CardRow> = sqlx::query_as(concat!(
        "SELECT ",
        card_columns!(),
        " FROM cards c JOIN card_groups g ON g.id = c.group_id WHERE c.id = ?1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
    .map_err(backend)?;
    Ok(row.map(|row| row.0))
}

const CARD_FIELDS: &[(&str, &str)] = &[("cards.barcode", "barcode")];

async fn insert_card(conn: &mut SqliteConnection, card: &NewCard, at: Timestamp) -> DbResult<i64> {
    sqlx::query_scalar(
        "INSERT INTO cards (barcode, symbology, group_id, customer_id, active, valid_from, valid_to, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
    )
    .bind(card.barcode.as_str())
    .bind(card.symbology.as_str())
    .bind(card.group_id.0)
    .bind(card.customer_id.map(|c| c.0))
    .bind(card.customer_id.is_some())
    .bind(card.valid_from.map(micros))
    .bind(card.valid_to.map(micros))
    .bind(micros(at))
    .fetch_one(conn)
    .await
    .map_err(|e| match constraint(e, CARD_FIELDS) {
        DbError::MissingReference { .. } => DbError::MissingReference {
            field: "group_id or customer_id",
        },
        other => other,
    })
}

#[async_trait]
impl Cards for SqliteDatabase {
    /// Binds the blank card picked, in one statement so that two desks never
    /// give the same one; the group's next one is its lowest id.
    async fn give_card(
        &self,
        pick: CardPick,
        customer_id: CustomerId,
        valid_from: Option<Timestamp>,
        valid_to: Option<Timestamp>,
    ) -> DbResult<Option<Card>> {
        let (card, group) = match pick {
            CardPick::Card(id) => (Some(id.0), None),
            CardPick::FreeOf(group) => (None, Some(group.0)),
        };
        let mut tx = self.write.begin().await.map_err(backend)?;
        let given: Option<i64> = sqlx::query_scalar(
            "UPDATE cards SET customer_id = ?3, active = 1,
                    valid_from = COALESCE(?4, valid_from), valid_to = COALESCE(?5, valid_to)
             WHERE id = (SELECT id FROM cards
                         WHERE (?1 IS NULL OR id = ?1) AND (?2 IS NULL OR group_id = ?2)
                           AND customer_id IS NULL AND withdrawn_at IS NULL AND blocked = 0
                         ORDER BY group_id, id LIMIT 1)
             RETURNING id",
        )
        .bind(card)
        .bind(group)
        .bind(customer_id.0)
        .bind(valid_from.map(micros))
        .bind(valid_to.map(micros))
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| constraint(e, &[]))?;
        let card = match given {
            Some(id) => card_in(&mut tx, id).await?,
            None => None,
        };
        tx.commit().await.map_err(backend)?;
        Ok(card)
    }

    async fn issue_certificates(
        &self,
        template: &CertificateTemplate,
        issued: &[NewCertificate],
        at: Timestamp,
    ) -> DbResult<Vec<Certificate>> {
        crate::certificates::issue(&self.write, template, issued, at).await
    }

    async fn create_cards(&self, cards: &[NewCard], at: Timestamp) -> DbResult<Vec<Card>> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let mut ids = Vec::with_capacity(cards.len());
        for card in cards {
            ids.push(insert_card(&mut tx, card, at).await?);
        }
        let mut created = Vec::with_capacity(ids.len());
        for id in ids {
            created.extend(card_in(&mut tx, id).await?);
        }
        tx.commit().await.map_err(backend)?;
        Ok(created)
    }

    async fn cards_by_barcodes(&self, barcodes: &[String]) -> DbResult<Vec<Card>> {
        let rows: Vec<CardRow> = sqlx::query_as(concat!(
            "SELECT ",
            card_columns!(),
            " FROM cards c JOIN card_groups g ON g.id = c.group_id
              WHERE c.barcode IN (SELECT value FROM json_each(?1))"
        ))
        .bind(json(&barcodes))
        .fetch_all(&mut *self.reader().await?)
        .await
        .map_err(backend)?;
        Ok(rows.into_iter().map(|row| row.0).collect())
    }

    async fn import_cards(
        &self,
        cards: &[ImportedCard],
        at: Timestamp,
    ) -> DbResult<Vec<Option<CardId>>> {
        let work = (cards.to_vec(), at);
        self.writer
            .send(|reply| crate::writer::Job::ImportCards(crate::writer::Pending::new(work, reply)))
            .await
    }

    async fn bind_card(&self, id: CardId, customer_id: CustomerId) -> DbResult<Option<Card>> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let bound = sqlx::query(
            "UPDATE cards SET customer_id = ?2, active = 1
             WHERE id = ?1 AND customer_id IS NULL AND withdrawn_at IS NULL",
        )
        .bind(id.0)
        .bind(customer_id.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| constraint(e, &[]))?
        .rows_affected();
        let card = if bound == 1 {
            card_in(&mut tx, id.0).await?
        } else {
            None
        };
        tx.commit().await.map_err(backend)?;
        Ok(card)
    }

    async fn set_card_blocked(&self, id: CardId, blocked: bool) -> DbResult<Option<Card>> {
        let mut conn = self.write.acquire().await.map_err(backend)?;
        sqlx::query("UPDATE cards SET blocked = ?2 WHERE id = ?1")
            .bind(id.0)
            .bind(blocked)
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        card_in(&mut conn, id.0).await
    }

    async fn replace_card(
        &self,
        id: CardId,
        new: &NewCard,
        reason: &str,
        at: Timestamp,
    ) -> DbResult<Card> {
        let mut tx = self.write.begin().await.map_err(backend)?;
        let new_id = insert_card(&mut tx, new, at).await?;
        let withdrawn = sqlx::query(
            "UPDATE cards SET withdrawn_at = ?2, withdrawn_reason = ?3, replaced_by = ?4, active = 0
             WHERE id = ?1 AND withdrawn_at IS NULL",
        )
        .bind(id.0)
        .bind(micros(at))
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
