//! What the reports read beyond the day figures, the same on every engine:
//! a row per customer at most (profile, loyalty row, open lots), narrowed
//! to the customers a report counts.

use async_trait::async_trait;
use clientele_domain::message::Channel;
use clientele_domain::{CustomerId, StoreId};
use clientele_store::DbResult;
use clientele_store::area::{
    BaseFigures, CustomerList, CustomerReach, CustomerSales, ListedCustomer, OfferTotal,
    PointMovement, PointsLiability, Registrations, Reports, RfmCell,
};
use jiff::Timestamp;
use jiff::civil::Date;

use crate::{Engine, Got, Sql, Statement, Value};

// PostgreSQL sums a bigint as a numeric: each sum is cast back.

/// The ledger's kinds that move points other than by a receipt; the
/// partial index `ledger_entries_movements` holds exactly these.
const MOVEMENTS: &str = "('expiry', 'manual', 'birthday', 'referral')";

/// Appends the conditions on customers `c` that narrow them to `reach`:
/// registered in its stores, of its segment and program.
fn push_reach<E: Engine>(statement: &mut Statement<'_>, reach: &CustomerReach) {
    if let Some(stores) = &reach.stores {
        statement.push_among::<E>("c.store_id", stores.iter().map(|s| s.0).collect());
    }
    push_customers(statement, "c.id", reach);
}

/// Appends ` AND {column}` is a customer of the segment and of the program
/// of `reach`, when they are named.
pub(crate) fn push_customers(statement: &mut Statement<'_>, column: &str, reach: &CustomerReach) {
    if let Some(segment) = reach.segment_id {
        statement
            .push(&format!(
                " AND {column} IN (SELECT customer_id FROM segment_members WHERE segment_id = "
            ))
            .push_bind(segment.0)
            .push(")");
    }
    if let Some(program) = reach.program_id {
        statement
            .push(&format!(
                " AND {column} IN (SELECT k.customer_id FROM cards k
                                   JOIN card_groups g ON g.id = k.group_id
                                   WHERE k.customer_id IS NOT NULL AND g.program_id = "
            ))
            .push_bind(program.0)
            .push(")");
    }
}

/// Appends ` AND {column} IN (the customers of reach)`, or nothing when
/// the report counts every customer.
fn push_held_by<E: Engine>(statement: &mut Statement<'_>, column: &str, reach: &CustomerReach) {
    if reach.is_everyone() {
        return;
    }
    statement.push(&format!(
        " AND {column} IN (SELECT c.id FROM customers c WHERE 1 = 1"
    ));
    push_reach::<E>(statement, reach);
    statement.push(")");
}

/// The customers no report counts: archived, or merged into another; the
/// partial index `customers_gone` holds exactly these.
const GONE: &str = "c.status = 'archived' OR c.merged_into IS NOT NULL";

/// The customers not merged into another: every id read from the narrowest
/// index, the few merged away left out by theirs, rather than a pass over
/// the customers' rows.
pub(crate) const NOT_MERGED: &str =
    "c.id NOT IN (SELECT m.id FROM customers m WHERE m.merged_into IS NOT NULL)";

/// The rows where the condition holds, counted.
fn counted(condition: &str, name: &str) -> String {
    format!("COUNT(CASE WHEN {condition} THEN 1 END) AS {name}")
}

/// Whether a channel's contact is an address kept apart (a device, a
/// messenger handle) rather than a column of the customer.
fn by_address(channel: Channel) -> bool {
    matches!(channel, Channel::Push | Channel::Messenger)
}

/// A column `reach_{channel}` for each channel: its contact and consent.
fn reachable(channels: impl Iterator<Item = Channel>) -> impl Iterator<Item = String> {
    channels.map(|channel| {
        let consent = channel.consent().flag();
        counted(
            &format!(
                "{} AND (c.consent_flags & {consent}) <> 0",
                contact(channel)
            ),
            &format!("reach_{}", channel.as_str()),
        )
    })
}

/// Reads the `reach_{channel}` columns of the channels `read` picks.
fn read_reachable<E: Engine>(
    row: &Got<'_, E>,
    figures: &mut BaseFigures,
    read: impl Fn(Channel) -> bool,
) -> DbResult<()> {
    for (count, channel) in figures.reachable.iter_mut().zip(Channel::ALL) {
        if read(channel) {
            *count = row.int(&format!("reach_{}", channel.as_str()))?;
        }
    }
    Ok(())
}

/// The contact each channel needs, as a condition on `c` and `a`.
fn contact(channel: Channel) -> &'static str {
    match channel {
        Channel::Email => "c.email IS NOT NULL",
        Channel::Sms | Channel::Viber => "c.phone IS NOT NULL",
        Channel::Push => "a.devices > 0",
        Channel::Messenger => "a.handles > 0",
    }
}

fn listed<E: Engine>(row: &Got<'_, E>) -> DbResult<ListedCustomer> {
    Ok(ListedCustomer {
        id: CustomerId(row.int("id")?),
        name: row.text("name")?,
        phone: row.text_or_null("phone")?,
        email: row.text_or_null("email")?,
        consent_flags: row.int("consent_flags")?,
        spent_minor: row.int("spent_minor")?,
        purchases: row.int("purchases")?,
        last_purchase_at: row.time_or_null("last_purchase_at")?,
    })
}

fn score(row: &Got<'_, impl Engine>, column: &str) -> DbResult<u8> {
    let value = row.int(column)?;
    u8::try_from(value).map_err(|_| crate::unreadable(column, value))
}

#[async_trait]
impl<E: Engine> Reports for Sql<E> {
    async fn history_from(&self) -> DbResult<Option<Date>> {
        let statement = Statement::new("SELECT MIN(day) AS day FROM store_days");
        Ok(self
            .one(statement, |row| row.date_or_null("day"))
            .await?
            .flatten())
    }

    async fn base_figures(
        &self,
        reach: &CustomerReach,
        active_since: Timestamp,
    ) -> DbResult<BaseFigures> {
        let mut columns = vec![
            "COUNT(*) AS customers".to_owned(),
            counted("c.status = 'incomplete'", "incomplete"),
            "COUNT(l.last_purchase_at) AS buyers".to_owned(),
            counted("l.last_purchase_at >= $1", "active"),
            "COUNT(c.phone) AS with_phone".to_owned(),
            "COUNT(c.email) AS with_email".to_owned(),
        ];
        columns.extend(reachable(
            Channel::ALL.into_iter().filter(|c| !by_address(*c)),
        ));
        let sql = format!(
            "SELECT {} FROM customers c
             LEFT JOIN customer_loyalty l ON l.customer_id = c.id
             WHERE c.status <> 'archived' AND c.merged_into IS NULL",
            columns.join(", ")
        );
        let mut statement = Statement::new(&sql).bind(active_since);
        push_reach::<E>(&mut statement, reach);
        let mut figures = self
            .one(statement, |row| {
                let mut figures = BaseFigures {
                    customers: row.int("customers")?,
                    incomplete: row.int("incomplete")?,
                    buyers: row.int("buyers")?,
                    active: row.int("active")?,
                    with_phone: row.int("with_phone")?,
                    with_email: row.int("with_email")?,
                    ..BaseFigures::default()
                };
                read_reachable(row, &mut figures, |c| !by_address(c))?;
                Ok(figures)
            })
            .await?
            .unwrap_or_default();

        // Devices and messenger handles from the few customers who left
        // any, rather than a probe of every customer's row.
        let mut columns = vec![
            counted("a.devices > 0", "with_device"),
            counted("a.handles > 0", "with_handle"),
        ];
        columns.extend(reachable(
            Channel::ALL.into_iter().filter(|c| by_address(*c)),
        ));
        let sql = format!(
            "SELECT {} FROM (SELECT customer_id,
                                    SUM(CASE WHEN channel = 'push' THEN 1 ELSE 0 END) AS devices,
                                    SUM(CASE WHEN channel = 'messenger' THEN 1 ELSE 0 END) AS handles
                             FROM customer_addresses GROUP BY customer_id) a
             JOIN customers c ON c.id = a.customer_id
             WHERE c.status <> 'archived' AND c.merged_into IS NULL",
            columns.join(", ")
        );
        let mut statement = Statement::new(&sql);
        push_reach::<E>(&mut statement, reach);
        let addressed = self
            .one(statement, |row| {
                let mut figures = BaseFigures {
                    with_device: row.int("with_device")?,
                    with_handle: row.int("with_handle")?,
                    ..BaseFigures::default()
                };
                read_reachable(row, &mut figures, by_address)?;
                Ok(figures)
            })
            .await?
            .unwrap_or_default();
        figures.with_device = addressed.with_device;
        figures.with_handle = addressed.with_handle;
        // Each channel was counted by one of the two, left at 0 by the other.
        for (count, more) in figures.reachable.iter_mut().zip(addressed.reachable) {
            *count += more;
        }
        Ok(figures)
    }

    async fn registrations(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<Registrations>> {
        let mut statement = Statement::new(
            "SELECT c.channel, c.store_id, COUNT(*) AS customers FROM customers c
             WHERE c.created_at >= $1 AND c.created_at < $2
               AND c.status <> 'archived' AND c.merged_into IS NULL",
        )
        .bind(from)
        .bind(to);
        push_reach::<E>(&mut statement, reach);
        statement.push(" GROUP BY c.channel, c.store_id ORDER BY customers DESC, c.channel");
        self.all(statement, |row| {
            Ok(Registrations {
                channel: row.text("channel")?,
                store_id: row.int_or_null("store_id")?.map(StoreId),
                customers: row.int("customers")?,
            })
        })
        .await
    }

    async fn points_liability(
        &self,
        reach: &CustomerReach,
        now: Timestamp,
        bounds: [Timestamp; 3],
    ) -> DbResult<PointsLiability> {
        // Archived customers' points are owed too: only the report's own
        // narrowing applies. What is held is each account's balance (the
        // sum of its ledger, kept with it), read from the balances' index.
        let mut held = Statement::new(
            "SELECT CAST(COALESCE(SUM(l.balance), 0) AS BIGINT) AS outstanding,
                    COUNT(*) AS holders
             FROM customer_loyalty l WHERE l.balance > 0",
        );
        push_held_by::<E>(&mut held, "l.customer_id", reach);
        let mut owed = self
            .one(held, |row| {
                Ok(PointsLiability {
                    outstanding: row.int("outstanding")?,
                    holders: row.int("holders")?,
                    ..PointsLiability::default()
                })
            })
            .await?
            .unwrap_or_default();
        // What comes due: the open lots expiring by the last bound, by the
        // index of open lots by expiry.
        let mut due = Statement::new(
            "SELECT CAST(COALESCE(SUM(CASE WHEN p.expires_at <= $2 THEN p.remaining ELSE 0 END), 0)
                         AS BIGINT) AS expiring_1,
                    CAST(COALESCE(SUM(CASE WHEN p.expires_at <= $3 THEN p.remaining ELSE 0 END), 0)
                         AS BIGINT) AS expiring_2,
                    CAST(COALESCE(SUM(p.remaining), 0) AS BIGINT) AS expiring_3
             FROM point_lots p
             WHERE p.remaining > 0 AND p.expires_at IS NOT NULL
               AND p.expires_at > $1 AND p.expires_at <= $4",
        )
        .bind(now)
        .bind(bounds[0])
        .bind(bounds[1])
        .bind(bounds[2]);
        push_held_by::<E>(&mut due, "p.customer_id", reach);
        if let Some(expiring) = self
            .one(due, |row| {
                Ok([
                    row.int("expiring_1")?,
                    row.int("expiring_2")?,
                    row.int("expiring_3")?,
                ])
            })
            .await?
        {
            owed.expiring = expiring;
        }
        let mut debts = Statement::new(
            "SELECT CAST(COALESCE(SUM(l.debt), 0) AS BIGINT) AS debts, COUNT(*) AS debtors
             FROM customer_loyalty l WHERE l.debt > 0",
        );
        push_held_by::<E>(&mut debts, "l.customer_id", reach);
        if let Some((sum, count)) = self
            .one(debts, |row| Ok((row.int("debts")?, row.int("debtors")?)))
            .await?
        {
            owed.debts = sum;
            owed.debtors = count;
        }
        Ok(owed)
    }

    async fn point_movements(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<PointMovement>> {
        let sql = format!(
            "SELECT e.created_at, e.kind, e.points FROM ledger_entries e
             WHERE e.kind IN {MOVEMENTS} AND e.created_at >= $1 AND e.created_at < $2"
        );
        let mut statement = Statement::new(&sql).bind(from).bind(to);
        push_held_by::<E>(&mut statement, "e.customer_id", reach);
        self.all(statement, |row| {
            Ok(PointMovement {
                at: row.time("created_at")?,
                kind: row.text("kind")?,
                points: row.int("points")?,
            })
        })
        .await
    }

    async fn rfm_matrix(&self, reach: &CustomerReach) -> DbResult<Vec<RfmCell>> {
        let mut statement = Statement::new(
            "SELECT CAST(l.rfm_recency AS BIGINT) AS recency,
                    CAST(l.rfm_frequency AS BIGINT) AS frequency,
                    COUNT(*) AS customers, CAST(COALESCE(SUM(l.spent_minor), 0) AS BIGINT) AS spent_minor
             FROM customer_loyalty l
             WHERE l.rfm_recency IS NOT NULL AND l.rfm_frequency IS NOT NULL",
        );
        push_held_by::<E>(&mut statement, "l.customer_id", reach);
        statement.push(" GROUP BY l.rfm_recency, l.rfm_frequency");
        self.all(statement, |row| {
            Ok(RfmCell {
                recency: score(row, "recency")?,
                frequency: score(row, "frequency")?,
                customers: row.int("customers")?,
                spent_minor: row.int("spent_minor")?,
            })
        })
        .await
    }

    async fn customer_sales(
        &self,
        from: Date,
        to: Date,
        reach: &CustomerReach,
    ) -> DbResult<Vec<CustomerSales>> {
        let mut statement = Statement::new(
            "SELECT m.month, COUNT(DISTINCT m.customer_id) AS customers,
                    CAST(SUM(m.receipts) AS BIGINT) AS receipts,
                    CAST(SUM(m.revenue_minor) AS BIGINT) AS revenue_minor,
                    CAST(SUM(m.discount_minor) AS BIGINT) AS discount_minor,
                    CAST(SUM(m.points_accrued) AS BIGINT) AS points_accrued,
                    CAST(SUM(m.points_paid) AS BIGINT) AS points_paid
             FROM customer_months m WHERE m.month >= $1 AND m.month <= $2",
        )
        .bind(from.first_of_month())
        .bind(to);
        if let Some(stores) = &reach.stores {
            statement.push_among::<E>("m.store_id", stores.iter().map(|s| s.0).collect());
        }
        push_customers(&mut statement, "m.customer_id", reach);
        statement.push(" GROUP BY m.month ORDER BY m.month");
        self.all(statement, |row| {
            Ok(CustomerSales {
                month: row.date("month")?,
                customers: row.int("customers")?,
                receipts: row.int("receipts")?,
                revenue_minor: row.int("revenue_minor")?,
                discount_minor: row.int("discount_minor")?,
                points_accrued: row.int("points_accrued")?,
                points_paid: row.int("points_paid")?,
            })
        })
        .await
    }

    async fn listed_customers(&self, ids: &[CustomerId]) -> DbResult<Vec<ListedCustomer>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT c.id, c.name, c.phone, c.email, c.consent_flags,
                    COALESCE(l.spent_minor, 0) AS spent_minor,
                    COALESCE(l.purchases, 0) AS purchases, l.last_purchase_at
             FROM customers c LEFT JOIN customer_loyalty l ON l.customer_id = c.id
             WHERE {}",
            E::among_ids("c.id", "$1")
        );
        let ids = ids.iter().map(|c| c.0).collect();
        self.all(Statement::new(&sql).bind(Value::Ids(Some(ids))), listed)
            .await
    }

    async fn offers_given(
        &self,
        reach: &CustomerReach,
        from: Timestamp,
        to: Timestamp,
    ) -> DbResult<Vec<OfferTotal>> {
        // The receipt by its owner and key, as its primary key reads it.
        let sql = format!(
            "SELECT u.offer_id, o.name, COUNT(*) AS uses,
                    CAST(SUM(u.discount_minor) AS BIGINT) AS discount_minor,
                    CAST(SUM(u.points_accrued) AS BIGINT) AS points_accrued
             FROM offer_uses u
             JOIN offers o ON o.id = u.offer_id
             JOIN receipts r ON r.{} = u.customer_id AND r.id = u.receipt_key
             WHERE u.used_at >= $1 AND u.used_at < $2",
            E::RECEIPT_OWNER
        );
        let mut statement = Statement::new(&sql).bind(from).bind(to);
        if let Some(stores) = &reach.stores {
            statement.push_among::<E>("r.store_id", stores.iter().map(|s| s.0).collect());
        }
        push_customers(&mut statement, "u.customer_id", reach);
        statement.push(
            " GROUP BY u.offer_id, o.name
              ORDER BY discount_minor DESC, points_accrued DESC, u.offer_id",
        );
        self.all(statement, |row| {
            Ok(OfferTotal {
                offer_id: row.int("offer_id")?,
                name: row.text("name")?,
                uses: row.int("uses")?,
                discount_minor: row.int("discount_minor")?,
                points_accrued: row.int("points_accrued")?,
            })
        })
        .await
    }

    async fn customer_list(
        &self,
        reach: &CustomerReach,
        list: CustomerList,
        limit: u32,
    ) -> DbResult<(i64, Vec<ListedCustomer>)> {
        let listing = |statement: &mut Statement<'_>| match list {
            CustomerList::Top => {
                statement.push(" AND l.purchases > 0");
            }
            CustomerList::Lapsed { before } => {
                statement
                    .push(" AND l.last_purchase_at < ")
                    .push_bind(before);
            }
            CustomerList::Rfm { recency, frequency } => {
                for (column, score) in [("l.rfm_recency", recency), ("l.rfm_frequency", frequency)]
                {
                    if let Some(score) = score {
                        statement
                            .push(&format!(" AND {column} = "))
                            .push_bind(i64::from(score));
                    }
                }
            }
        };
        let holding = |select: &str| {
            let mut statement = Statement::new(
                "FROM customer_loyalty l JOIN customers c ON c.id = l.customer_id
                 WHERE c.status <> 'archived' AND c.merged_into IS NULL",
            );
            statement.sql = format!("{select} {}", statement.sql).into();
            listing(&mut statement);
            push_reach::<E>(&mut statement, reach);
            statement
        };
        let counting = if reach.is_everyone() {
            // Every account on the list through its own index, less the
            // few gone customers': no visit to a million customer rows.
            let mut statement =
                Statement::new("SELECT (SELECT COUNT(*) FROM customer_loyalty l WHERE 1 = 1");
            listing(&mut statement);
            statement.push(&format!(
                ") - (SELECT COUNT(*) FROM customer_loyalty l
                      WHERE l.customer_id IN (SELECT c.id FROM customers c WHERE {GONE})"
            ));
            listing(&mut statement);
            statement.push(") AS customers");
            statement
        } else {
            holding("SELECT COUNT(*) AS customers")
        };
        let total = self
            .one(counting, |row| row.int("customers"))
            .await?
            .unwrap_or(0);
        let mut rows = holding(
            "SELECT c.id, c.name, c.phone, c.email, c.consent_flags, l.spent_minor,
                    l.purchases, l.last_purchase_at",
        );
        // Ties newest first, as the index by spend reads them backwards.
        rows.push(match list {
            CustomerList::Lapsed { .. } => " ORDER BY l.last_purchase_at DESC, c.id",
            CustomerList::Top | CustomerList::Rfm { .. } => {
                " ORDER BY l.spent_minor DESC, l.customer_id DESC"
            }
        });
        rows.push(" LIMIT ").push_bind(i64::from(limit));
        Ok((total, self.all(rows, listed).await?))
    }

    async fn reached_customers(&self, reach: &CustomerReach) -> DbResult<Vec<CustomerId>> {
        let sql = format!("SELECT c.id FROM customers c WHERE {NOT_MERGED}");
        let mut statement = Statement::new(&sql);
        push_customers(&mut statement, "c.id", reach);
        let mut ids: Vec<CustomerId> = self
            .packed(statement, ["id"])
            .await?
            .into_iter()
            .map(|[id]| CustomerId(id))
            .collect();
        ids.sort_unstable();
        Ok(ids)
    }
}
