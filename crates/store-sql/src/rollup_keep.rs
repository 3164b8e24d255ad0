//! Figures added to the tables that keep them: a row new to its table is
//! inserted, one whose key is kept already is added to, as domain adds
//! them ([`RolledUp::add`]).

use std::collections::BTreeSet;

use clientele_domain::report::{CustomerMonth, DayFigures, ProductFigures, RolledUp};
use clientele_store::DbResult;
use jiff::civil::Date;
use sqlx::Transaction;

use crate::sql::execute;
use crate::{Engine, Statement, Value};

/// A table of figures: its key, the sums added, and what a later row sets
/// besides (after a comma), if anything.
pub(crate) struct Table {
    name: &'static str,
    key: &'static [&'static str],
    named: &'static [&'static str],
    sums: &'static [&'static str],
    set: &'static str,
}

const STORE_DAYS: Table = Table {
    name: "store_days",
    key: &["day", "store_id"],
    named: &[],
    sums: &DayFigures::NAMES,
    set: "",
};

const CUSTOMER_MONTHS: Table = Table {
    name: "customer_months",
    key: &["customer_id", "month", "store_id"],
    named: &[],
    sums: &CustomerMonth::NAMES,
    set: "",
};

/// What a customer bought: the sums before the returns.
const CUSTOMER_PRODUCTS: Table = Table {
    name: "customer_products",
    key: &["customer_id", "day", "store_id", "sku"],
    named: &["category"],
    sums: ProductFigures::NAMES.split_at(ProductFigures::BOUGHT).0,
    set: ", category = excluded.category",
};

/// A sale names the product; a return only where no sale did.
const PRODUCT_DAYS: Table = Table {
    name: "product_days",
    key: &["day", "store_id", "sku"],
    named: &["name", "category"],
    sums: &ProductFigures::NAMES,
    set: ", name = CASE WHEN excluded.lines > 0 THEN excluded.name ELSE product_days.name END,
         category = CASE WHEN excluded.lines > 0 THEN excluded.category
                         ELSE product_days.category END",
};

/// The whole chain's months: each month a customer's month is added to
/// has a row (no change added: a round counts its changes below).
const MONTHS: Table = Table {
    name: "month_visitors",
    key: &["month"],
    named: &[],
    sums: &["changes"],
    set: "",
};

/// A kept month's cohorts, added to none: written after the month's old
/// rows are deleted.
pub(crate) const COHORT_MONTHS: Table = Table {
    name: "cohort_months",
    key: &["month", "cohort"],
    named: &[],
    sums: &["customers"],
    set: "",
};

/// Counts a change on `from`'s month and every later one of the whole
/// chain's: their figures kept no longer hold.
pub(crate) fn months_changed(from: Date) -> Statement<'static> {
    Statement::new("UPDATE month_visitors SET changes = changes + 1 WHERE month >= $1").bind(from)
}

/// Adds every table's figures, in the caller's transaction.
pub(crate) async fn add_figures<E: Engine>(
    tx: &mut Transaction<'static, E::Db>,
    figures: &RolledUp,
) -> DbResult<()> {
    let rows = figures.store_days.iter().map(|((day, store), sums)| {
        let mut row: Vec<Value<'_>> = vec![(*day).into(), store.0.into()];
        row.extend(sums.values().map(Value::from));
        row
    });
    add_rows::<E>(tx, &STORE_DAYS, rows.collect()).await?;
    let rows = figures
        .customer_months
        .iter()
        .map(|((customer, month, store), sums)| {
            let mut row: Vec<Value<'_>> = vec![customer.0.into(), (*month).into(), store.0.into()];
            row.extend(sums.values().map(Value::from));
            row
        });
    add_rows::<E>(tx, &CUSTOMER_MONTHS, rows.collect()).await?;
    let rows = figures
        .customer_products
        .iter()
        .map(|((customer, day, store, sku), bought)| {
            let mut row: Vec<Value<'_>> = vec![
                customer.0.into(),
                (*day).into(),
                store.0.into(),
                sku.into(),
                bought.category.as_deref().into(),
            ];
            let values = bought.figures.values();
            row.extend(
                values[..ProductFigures::BOUGHT]
                    .iter()
                    .map(|v| Value::from(*v)),
            );
            row
        });
    add_rows::<E>(tx, &CUSTOMER_PRODUCTS, rows.collect()).await?;
    let rows = figures
        .product_days
        .iter()
        .map(|((day, store, sku), kept)| {
            let mut row: Vec<Value<'_>> = vec![
                (*day).into(),
                store.0.into(),
                sku.into(),
                (&kept.name).into(),
                kept.category.as_deref().into(),
            ];
            row.extend(kept.figures.values().map(Value::from));
            row
        });
    add_rows::<E>(tx, &PRODUCT_DAYS, rows.collect()).await?;
    let Some(from) = figures.months_changed_from else {
        return Ok(());
    };
    let months: BTreeSet<Date> = figures.customer_months.keys().map(|k| k.1).collect();
    let rows = months
        .into_iter()
        .map(|m| vec![m.into(), Value::from(0_i64)]);
    add_rows::<E>(tx, &MONTHS, rows.collect()).await?;
    execute::<E>(tx, months_changed(from)).await?;
    Ok(())
}

/// Adds `rows` to `table`, each the key's values, the named columns' and
/// the sums', in that order.
pub(crate) async fn add_rows<E: Engine>(
    tx: &mut Transaction<'static, E::Db>,
    table: &Table,
    rows: Vec<Vec<Value<'_>>>,
) -> DbResult<()> {
    let columns = [table.key, table.named, table.sums].concat().join(", ");
    let added: Vec<String> = table
        .sums
        .iter()
        .map(|c| format!("{c} = {}.{c} + excluded.{c}", table.name))
        .collect();
    let conflict = format!(
        " ON CONFLICT ({}) DO UPDATE SET {}{}",
        table.key.join(", "),
        added.join(", "),
        table.set
    );
    let per_statement =
        E::VALUES_PER_STATEMENT / (table.key.len() + table.named.len() + table.sums.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut statement = Statement::new("");
        statement.push(&format!("INSERT INTO {} ({columns}) VALUES ", table.name));
        for (n, row) in rows.by_ref().take(per_statement).enumerate() {
            statement.push(if n == 0 { "(" } else { ", (" });
            for (i, value) in row.into_iter().enumerate() {
                if i > 0 {
                    statement.push(", ");
                }
                statement.push_bind(value);
            }
            statement.push(")");
        }
        statement.push(&conflict);
        execute::<E>(tx, statement).await?;
    }
    Ok(())
}
