//! The reports' reads of the figures kept: each sums or counts the rows of
//! its span (and stores) alone, by the index that orders them.

use clientele_domain::CustomerId;
use clientele_domain::report::ProductFigures;
use clientele_store::{
    CohortMonth, CustomerReach, DbResult, ProductBuyer, ProductTotal, VisitorMonth,
};
use jiff::ToSpan;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::{Engine, Got, Sql, Statement};

/// ` AND …` narrowing rows of purchases to `reach`: made in its stores
/// (`store`), by customers of its segment and program (`customer`).
fn push_reach<E: Engine>(
    statement: &mut Statement<'_>,
    store: &str,
    customer: &str,
    reach: &CustomerReach,
) {
    if let Some(stores) = &reach.stores {
        statement.push_among::<E>(store, stores.iter().map(|s| s.0).collect());
    }
    crate::reports::push_customers(statement, customer, reach);
}

/// The first days of the months from `from`'s to `to`'s.
pub(crate) fn months(from: Date, to: Date) -> Vec<Date> {
    let mut month = from.first_of_month();
    let mut months = Vec::new();
    while month <= to {
        months.push(month);
        match month.checked_add(1.month()) {
            Ok(next) => month = next,
            Err(_) => break,
        }
    }
    months
}

/// The customers of `reach` who bought in each of `months` (first days),
/// counted from their months.
pub(crate) async fn visitor_months<E: Engine>(
    sql: &Sql<E>,
    months: &[Date],
    reach: &CustomerReach,
    zone: &TimeZone,
) -> DbResult<Vec<VisitorMonth>> {
    // Each month with the times it starts and ends in the shop's zone (a
    // month past what a time holds has no receipts to count).
    let bounds: Vec<_> = months
        .iter()
        .filter_map(|&month| {
            let start = |day: Date| day.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
            Some((
                month,
                start(month)?,
                start(month.checked_add(1.month()).ok()?)?,
            ))
        })
        .collect();
    let counted: Vec<Date> = bounds.iter().map(|b| b.0).collect();
    if counted.is_empty() {
        return Ok(Vec::new());
    }
    let mut statement = Statement::new("");
    statement.push("WITH bounds (month, starts, ends) AS (VALUES ");
    for (n, (month, starts, ends)) in bounds.iter().enumerate() {
        statement.push(if n == 0 { "(" } else { ", (" });
        statement.push_bind(*month).push(", ").push_bind(*starts);
        statement.push(", ").push_bind(*ends).push(")");
    }
    // A customer's receipts in the stores each month, and whether their
    // first purchase ever was in it.
    statement.push(
        ")
             SELECT month,
                    CAST(SUM(is_new) AS bigint) AS new_customers,
                    CAST(SUM(CASE WHEN is_new = 0 AND receipts >= 2 THEN 1 ELSE 0 END)
                         AS bigint) AS loyal_customers,
                    CAST(SUM(CASE WHEN is_new = 0 AND receipts < 2 THEN 1 ELSE 0 END)
                         AS bigint) AS other_customers
             FROM (SELECT v.month, v.receipts,
                          CASE WHEN l.first_purchase_at >= b.starts
                                    AND l.first_purchase_at < b.ends THEN 1 ELSE 0 END
                              AS is_new
                   FROM (SELECT customer_id, month, SUM(receipts) AS receipts
                         FROM customer_months WHERE",
    );
    push_months(&mut statement, "month", &counted);
    push_reach::<E>(&mut statement, "store_id", "customer_id", reach);
    statement.push(
        " GROUP BY customer_id, month) v
                   JOIN bounds b ON b.month = v.month
                   LEFT JOIN customer_loyalty l ON l.customer_id = v.customer_id) c
             GROUP BY month ORDER BY month",
    );
    sql.all(statement, |row| {
        Ok(VisitorMonth {
            month: row.date("month")?,
            new: row.int("new_customers")?,
            loyal: row.int("loyal_customers")?,
            other: row.int("other_customers")?,
        })
    })
    .await
}

/// ` {column} IN (months)`: each month read by the index, however far
/// apart they are.
pub(crate) fn push_months(statement: &mut Statement<'_>, column: &str, months: &[Date]) {
    statement.push(&format!(" {column} IN ("));
    for (n, month) in months.iter().enumerate() {
        statement
            .push(if n == 0 { "" } else { ", " })
            .push_bind(*month);
    }
    statement.push(")");
}

/// Of every customer who bought in each of `months` (first days), by their
/// first month over every store (from `from`'s on, when given), how many
/// bought in it: the cohorts' columns of those months.
pub(crate) async fn month_cohorts<E: Engine>(
    sql: &Sql<E>,
    months: &[Date],
    from: Option<Date>,
) -> DbResult<Vec<CohortMonth>> {
    if months.is_empty() {
        return Ok(Vec::new());
    }
    // A customer's first month is the least of their keys' (the key's
    // index answers it, one customer at a time).
    let mut statement = Statement::new(
        "SELECT cohort, month, COUNT(*) AS customers
         FROM (SELECT m.month,
                      (SELECT MIN(e.month) FROM customer_months e
                       WHERE e.customer_id = m.customer_id) AS cohort
               FROM customer_months m WHERE",
    );
    push_months(&mut statement, "m.month", months);
    statement.push(" GROUP BY m.customer_id, m.month) f");
    if let Some(from) = from {
        statement
            .push(" WHERE cohort >= ")
            .push_bind(from.first_of_month());
    }
    statement.push(" GROUP BY cohort, month ORDER BY cohort, month");
    sql.all(statement, cohort_month).await
}

pub(crate) fn cohort_month<E: Engine>(row: &Got<'_, E>) -> DbResult<CohortMonth> {
    Ok(CohortMonth {
        cohort: row.date("cohort")?,
        month: row.date("month")?,
        customers: row.int("customers")?,
    })
}

pub(crate) async fn cohorts<E: Engine>(
    sql: &Sql<E>,
    from: Date,
    to: Date,
    reach: &CustomerReach,
) -> DbResult<Vec<CohortMonth>> {
    // A customer's first month in the span is their cohort's when they
    // bought in no month before it (their key's index answers that).
    let mut statement = Statement::new(
        "SELECT f.cohort, m.month, COUNT(DISTINCT m.customer_id) AS customers
         FROM (SELECT customer_id, MIN(month) AS cohort FROM customer_months
               WHERE month >= $1 AND month <= $2 GROUP BY customer_id) f
         JOIN customer_months m ON m.customer_id = f.customer_id
         WHERE m.month >= $1 AND m.month <= $2
           AND NOT EXISTS (SELECT 1 FROM customer_months e
                           WHERE e.customer_id = f.customer_id AND e.month < $1)",
    )
    .bind(from.first_of_month())
    .bind(to);
    push_reach::<E>(&mut statement, "m.store_id", "m.customer_id", reach);
    statement.push(" GROUP BY f.cohort, m.month ORDER BY f.cohort, m.month");
    sql.all(statement, cohort_month).await
}

fn product_total<E: Engine>(row: &Got<'_, E>) -> DbResult<ProductTotal> {
    let mut values = [0; ProductFigures::NAMES.len()];
    for (value, column) in values.iter_mut().zip(ProductFigures::NAMES) {
        *value = row.int(column)?;
    }
    Ok(ProductTotal {
        sku: row.text("sku")?,
        name: row.text("name")?,
        category: row.text_or_null("category")?,
        figures: ProductFigures::from_values(values),
    })
}

pub(crate) async fn product_figures<E: Engine>(
    sql: &Sql<E>,
    from: Date,
    to: Date,
    reach: &CustomerReach,
) -> DbResult<Vec<ProductTotal>> {
    if reach.segment_id.is_some() || reach.program_id.is_some() {
        return customers_products(sql, from, to, reach).await;
    }
    // Each product's rows summed, named by its latest day's row.
    let sums: Vec<String> = ProductFigures::NAMES
        .iter()
        .map(|c| format!("CAST(SUM({c}) OVER (PARTITION BY sku) AS bigint) AS {c}"))
        .collect();
    let sql_text = format!(
        "SELECT sku, name, category, {} FROM (
             SELECT sku, name, category,
                    ROW_NUMBER() OVER (PARTITION BY sku ORDER BY day DESC, store_id DESC)
                        AS latest,
                    {}
             FROM product_days WHERE day >= $1 AND day <= $2",
        ProductFigures::NAMES.join(", "),
        sums.join(", ")
    );
    let mut statement = Statement::new(&sql_text).bind(from).bind(to);
    push_reach::<E>(&mut statement, "store_id", "customer_id", reach);
    statement.push(") p WHERE latest = 1 ORDER BY amount_minor DESC, sku");
    sql.all(statement, product_total).await
}

/// Each product's figures as the customers of `reach` bought it (their
/// rows keep no names: a product is named by its latest day's row).
async fn customers_products<E: Engine>(
    sql: &Sql<E>,
    from: Date,
    to: Date,
    reach: &CustomerReach,
) -> DbResult<Vec<ProductTotal>> {
    let bought = &ProductFigures::NAMES[..ProductFigures::BOUGHT];
    let returned = &ProductFigures::NAMES[ProductFigures::BOUGHT..];
    let sums: Vec<String> = bought
        .iter()
        .map(|c| format!("CAST(SUM(b.{c}) AS bigint) AS {c}"))
        .chain(returned.iter().map(|c| format!("0 AS {c}")))
        .collect();
    let sql_text = format!(
        "SELECT b.sku, MAX(b.category) AS category,
                (SELECT d.name FROM product_days d WHERE d.sku = b.sku
                 ORDER BY d.day DESC, d.store_id DESC LIMIT 1) AS name, {}
         FROM customer_products b WHERE b.day >= $1 AND b.day <= $2",
        sums.join(", ")
    );
    let mut statement = Statement::new(&sql_text).bind(from).bind(to);
    push_reach::<E>(&mut statement, "b.store_id", "b.customer_id", reach);
    statement.push(" GROUP BY b.sku ORDER BY amount_minor DESC, b.sku");
    sql.all(statement, product_total).await
}

pub(crate) async fn product_buyers<E: Engine>(
    sql: &Sql<E>,
    from: Date,
    to: Date,
    skus: &[String],
    categories: &[String],
    reach: &CustomerReach,
    limit: u32,
) -> DbResult<(i64, Vec<ProductBuyer>)> {
    if skus.is_empty() && categories.is_empty() {
        return Ok((0, Vec::new()));
    }
    let mut statement = Statement::new(
        "SELECT customer_id, CAST(SUM(quantity_milli) AS bigint) AS quantity_milli,
                CAST(SUM(amount_minor) AS bigint) AS amount_minor, MAX(day) AS last_day
         FROM customer_products WHERE day >= $1 AND day <= $2 AND (",
    )
    .bind(from)
    .bind(to);
    // Each list by its own index: (sku, day) and (category, day).
    let lists = [("sku", skus), ("category", categories)];
    for (n, (column, values)) in lists.iter().filter(|(_, v)| !v.is_empty()).enumerate() {
        statement.push(if n == 0 { "" } else { " OR " });
        statement.push(&format!("{column} IN ("));
        for (i, value) in values.iter().enumerate() {
            statement
                .push(if i == 0 { "" } else { ", " })
                .push_bind(value);
        }
        statement.push(")");
    }
    statement.push(")");
    push_reach::<E>(&mut statement, "store_id", "customer_id", reach);
    statement.push(" GROUP BY customer_id");
    let counting = Statement {
        sql: format!("SELECT COUNT(*) AS buyers FROM ({}) b", statement.sql).into(),
        values: statement.values.clone(),
    };
    let buyers = sql.one(counting, |row| row.int("buyers")).await?;
    statement
        .push(" ORDER BY SUM(amount_minor) DESC, customer_id LIMIT ")
        .push_bind(i64::from(limit));
    let first = sql
        .all(statement, |row| {
            Ok(ProductBuyer {
                customer_id: CustomerId(row.int("customer_id")?),
                quantity_milli: row.int("quantity_milli")?,
                amount_minor: row.int("amount_minor")?,
                last_day: row.date("last_day")?,
            })
        })
        .await?;
    Ok((buyers.unwrap_or(0), first))
}
