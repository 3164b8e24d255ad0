//! Cards brought from another system: the cards and their owners' opening
//! balances in one transaction, the cards written by one statement.

use clientele_domain::posting::LotTerms;
use std::collections::HashMap;

use clientele_domain::{CardId, CustomerId};
use clientele_store::{DbResult, ImportedCard};
use jiff::Timestamp;
use sqlx::PgPool;

use crate::errors::{backend, constraint};
use crate::programs::check_customers;
use crate::receipts::credit_opening_balances;
use crate::rows::{column, time};

pub async fn import_cards(
    pool: &PgPool,
    cards: &[ImportedCard],
    at: Timestamp,
) -> DbResult<Vec<Option<CardId>>> {
    let optional = |t: Option<Timestamp>| t.map(time);
    let mut tx = pool.begin().await.map_err(backend)?;
    check_customers(&mut *tx, cards.iter().filter_map(|c| c.card.customer_id)).await?;
    // A barcode is claimed first; a card whose barcode is taken is skipped.
    let created: Vec<(i64, String)> = sqlx::query_as(
        "WITH n AS (
             SELECT nextval(pg_get_serial_sequence('cards', 'id')) AS id, n.*
             FROM UNNEST($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::boolean[],
                         $6::timestamptz[], $7::timestamptz[])
                  WITH ORDINALITY AS n (barcode, symbology, group_id, customer_id, blocked,
                                        valid_from, valid_to, ord)
         ), claimed AS (
             INSERT INTO card_barcodes (barcode, card_id)
             SELECT barcode, id FROM n ORDER BY ord
             ON CONFLICT DO NOTHING
             RETURNING card_id
         )
         INSERT INTO cards (id, barcode, symbology, group_id, customer_id, active, blocked,
                            valid_from, valid_to, created_at)
         SELECT id, barcode, symbology, group_id, customer_id, customer_id IS NOT NULL, blocked,
                valid_from, valid_to, $8
         FROM n WHERE id IN (SELECT card_id FROM claimed)
         ORDER BY ord
         RETURNING id, barcode",
    )
    .bind(column(cards, |c| c.card.barcode.as_str()))
    .bind(column(cards, |c| c.card.symbology.as_str()))
    .bind(column(cards, |c| c.card.group_id.0))
    .bind(column(cards, |c| c.card.customer_id.map(|id| id.0)))
    .bind(column(cards, |c| c.blocked))
    .bind(column(cards, |c| optional(c.card.valid_from)))
    .bind(column(cards, |c| optional(c.card.valid_to)))
    .bind(time(at))
    .fetch_all(&mut *tx)
    .await
    .map_err(constraint)?;
    let created: HashMap<String, i64> = created.into_iter().map(|(id, b)| (b, id)).collect();
    let credits: Vec<(CustomerId, i64, String, LotTerms)> = cards
        .iter()
        .filter(|c| c.opening_points > 0 && created.contains_key(c.card.barcode.as_str()))
        .filter_map(|c| {
            let comment = format!("opening balance of card {}", c.card.barcode.as_str());
            Some((c.card.customer_id?, c.opening_points, comment, c.lot))
        })
        .collect();
    if !credits.is_empty() {
        credit_opening_balances(&mut tx, &credits, at).await?;
    }
    tx.commit().await.map_err(backend)?;
    Ok(cards
        .iter()
        .map(|c| created.get(c.card.barcode.as_str()).copied().map(CardId))
        .collect())
}
