//! Cards brought from another system, each created with its owner's opening
//! balance on the writer's connection, so the balance and the receipts of
//! the tills queue up in one order.

use clientele_domain::CardId;
use clientele_store::{DbResult, ImportedCard};
use jiff::Timestamp;
use sqlx::SqliteConnection;

use crate::errors::constraint;
use crate::receipts::credit_opening_balance;
use crate::rows::micros;

pub async fn import_cards(
    conn: &mut SqliteConnection,
    cards: &[ImportedCard],
    at: Timestamp,
) -> DbResult<Vec<Option<CardId>>> {
    let mut created = Vec::with_capacity(cards.len());
    for imported in cards {
        let card = &imported.card;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO cards (barcode, symbology, group_id, customer_id, active, blocked,
                                valid_from, valid_to, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (barcode) DO NOTHING RETURNING id",
        )
        .bind(card.barcode.as_str())
        .bind(card.symbology.as_str())
        .bind(card.group_id.0)
        .bind(card.customer_id.map(|c| c.0))
        .bind(card.customer_id.is_some())
        .bind(imported.blocked)
        .bind(card.valid_from.map(micros))
        .bind(card.valid_to.map(micros))
        .bind(micros(at))
        .fetch_optional(&mut *conn)
        .await
        .map_err(|e| constraint(e, &[]))?;
        if let (Some(_), Some(owner)) = (id, card.customer_id)
            && imported.opening_points > 0
        {
            let comment = format!("opening balance of card {}", card.barcode.as_str());
            credit_opening_balance(
                conn,
                owner,
                imported.opening_points,
                &comment,
                imported.lot,
                at,
            )
            .await?;
        }
        created.push(id.map(CardId));
    }
    Ok(created)
}
