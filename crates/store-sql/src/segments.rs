//! Segments' definitions, members and size history, the same on every
//! engine; which customers a rule holds for is [`crate::segment_rule`].

use async_trait::async_trait;
use clientele_domain::segment::{
    NewSegment, RawRule, Rule, Schedule, Segment, SegmentKind, SegmentSize,
};
use clientele_domain::{CustomerId, PropertyDefinition, SegmentId, UserId};
use clientele_store::area::{Directory, Segments};
use clientele_store::{DbResult, RfmBounds, RuleContext, SegmentFigures};
use jiff::Timestamp;

use crate::sql::{self, commit, unanswered};
use crate::{Engine, Got, Sql, Statement, Value, segment_rule, unreadable};

const SEGMENT: &str = "id, name, kind, rules, schedule, at_hour, on_weekday, size, computed_at, \
                       took_ms, created_at, updated_at, version";
const SIZE: &str = "computed_at, size, entered, left_count, took_ms";
/// Members written per statement: a recompute of a million customers
/// leaves the writer free between its batches.
const BATCH: usize = 10_000;
/// Members entering or leaving at once after which the planner's figures
/// are brought up to date.
const RESTATED_AFTER: usize = 1_000;

/// A segment's row; its rules are read against the custom properties.
fn segment<E: Engine>(row: &Got<'_, E>, properties: &[PropertyDefinition]) -> DbResult<Segment> {
    let kind = SegmentKind::parse(&row.text("kind")?).map_err(|e| unreadable("kind", e.message))?;
    let rules = match row.json_or_null::<RawRule>("rules")? {
        None => None,
        Some(raw) => Some(Rule::parse(&raw, properties).map_err(|e| unreadable("rules", e))?),
    };
    let schedule = match row.text_or_null("schedule")? {
        None => None,
        Some(name) => {
            let small = |column| -> DbResult<Option<u8>> {
                row.int_or_null(column)?
                    .map(|v| u8::try_from(v).map_err(|e| unreadable(column, e)))
                    .transpose()
            };
            let parts = Schedule::from_parts(&name, small("at_hour")?, small("on_weekday")?);
            Some(parts.ok_or_else(|| unreadable("schedule", name))?)
        }
    };
    Ok(Segment {
        id: SegmentId(row.int("id")?),
        name: row.text("name")?,
        kind,
        rules,
        schedule,
        size: row.int("size")?,
        computed_at: row.time_or_null("computed_at")?,
        took_ms: row.int_or_null("took_ms")?,
        created_at: row.time("created_at")?,
        updated_at: row.time("updated_at")?,
        version: row.int("version")?,
    })
}

fn size<E: Engine>(row: &Got<'_, E>) -> DbResult<SegmentSize> {
    Ok(SegmentSize {
        computed_at: row.time("computed_at")?,
        size: row.int("size")?,
        entered: row.int("entered")?,
        left: row.int("left_count")?,
        took_ms: row.int("took_ms")?,
    })
}

/// The definition's columns, bound after `first` values.
fn definition<'a>(statement: Statement<'a>, segment: &'a NewSegment) -> Statement<'a> {
    let schedule = segment.schedule;
    statement
        .bind(segment.name.as_str())
        .bind(segment.kind.as_str())
        .bind(
            segment
                .rules
                .as_ref()
                .map_or(Value::Json(None), Value::json),
        )
        .bind(schedule.map(Schedule::name))
        .bind(schedule.and_then(Schedule::hour).map(i64::from))
        .bind(schedule.and_then(Schedule::weekday).map(i64::from))
}

impl<E: Engine> Sql<E> {
    async fn read_segments(&self, statement: Statement<'_>) -> DbResult<Vec<Segment>> {
        let properties = self.property_definitions().await?;
        let mut conn = self.reader().await?;
        let rows = E::all(&mut conn, statement).await.map_err(E::backend)?;
        rows.iter()
            .map(|row| segment::<E>(&Got::new(row), &properties))
            .collect()
    }

    /// Writes `ids` into or out of a segment's members, a batch at a time:
    /// `sql` takes the batch, the segment and, entering, the time.
    async fn write_members(
        &self,
        sql: &str,
        id: SegmentId,
        ids: &[CustomerId],
        since: Option<Timestamp>,
    ) -> DbResult<()> {
        for batch in ids.chunks(BATCH) {
            let ids: Vec<i64> = batch.iter().map(|c| c.0).collect();
            let mut statement = Statement::new(sql).bind(Value::Ids(Some(ids))).bind(id.0);
            if let Some(at) = since {
                statement = statement.bind(at);
            }
            self.execute(statement).await?;
        }
        Ok(())
    }
}

#[async_trait]
impl<E: Engine> Segments for Sql<E> {
    async fn segments(&self) -> DbResult<Vec<Segment>> {
        let sql = format!("SELECT {SEGMENT} FROM segments ORDER BY name");
        self.read_segments(Statement::new(&sql)).await
    }

    async fn segment(&self, id: SegmentId) -> DbResult<Option<Segment>> {
        let sql = format!("SELECT {SEGMENT} FROM segments WHERE id = $1");
        Ok(self
            .read_segments(Statement::new(&sql).bind(id.0))
            .await?
            .pop())
    }

    async fn create_segment(
        &self,
        new: &NewSegment,
        by: Option<UserId>,
        at: Timestamp,
    ) -> DbResult<Segment> {
        let sql = "INSERT INTO segments (name, kind, rules, schedule, at_hour, on_weekday,
                                         created_by, created_at, updated_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id";
        let statement = definition(Statement::new(sql), new)
            .bind(by.map(|u| u.0))
            .bind(at);
        let id = self
            .written(statement, &[("segments.name", "name")], |row| row.int("id"))
            .await?
            .ok_or_else(unanswered)?;
        self.segment(SegmentId(id)).await?.ok_or_else(unanswered)
    }

    async fn update_segment(
        &self,
        id: SegmentId,
        new: &NewSegment,
        version: i64,
        at: Timestamp,
    ) -> DbResult<Option<Segment>> {
        let sql = "UPDATE segments SET name = $1, kind = $2, rules = $3, schedule = $4,
                          at_hour = $5, on_weekday = $6, updated_at = $7, version = version + 1
                   WHERE id = $8 AND version = $9 RETURNING id";
        let statement = definition(Statement::new(sql), new)
            .bind(at)
            .bind(id.0)
            .bind(version);
        let updated = self
            .written(statement, &[("segments.name", "name")], |row| row.int("id"))
            .await?;
        match updated {
            Some(_) => self.segment(id).await,
            None => match self.segment(id).await? {
                Some(_) => Err(clientele_store::DbError::StaleVersion),
                None => Ok(None),
            },
        }
    }

    async fn delete_segment(&self, id: SegmentId) -> DbResult<bool> {
        let mut tx = self.begin().await?;
        for sql in [
            "DELETE FROM segment_members WHERE segment_id = $1",
            "DELETE FROM segment_sizes WHERE segment_id = $1",
        ] {
            sql::execute::<E>(&mut *tx, Statement::new(sql).bind(id.0)).await?;
        }
        let gone = Statement::new("DELETE FROM segments WHERE id = $1").bind(id.0);
        let gone = sql::execute::<E>(&mut *tx, gone).await? == 1;
        commit::<E>(tx).await?;
        Ok(gone)
    }

    async fn count_matching(&self, rule: &Rule, context: &RuleContext) -> DbResult<i64> {
        let statement = segment_rule::matching::<E>("SELECT COUNT(*) AS n", rule, context);
        Ok(self.one(statement, |row| row.int("n")).await?.unwrap_or(0))
    }

    async fn matching(&self, rule: &Rule, context: &RuleContext) -> DbResult<Vec<CustomerId>> {
        let mut statement = segment_rule::matching::<E>("SELECT c.id", rule, context);
        statement.push(" ORDER BY c.id");
        self.all(statement, |row| Ok(CustomerId(row.int("id")?)))
            .await
    }

    async fn members(&self, id: SegmentId) -> DbResult<Vec<CustomerId>> {
        let statement = Statement::new(
            "SELECT customer_id FROM segment_members WHERE segment_id = $1 ORDER BY customer_id",
        )
        .bind(id.0);
        self.all(statement, |row| Ok(CustomerId(row.int("customer_id")?)))
            .await
    }

    async fn record_recompute(
        &self,
        id: SegmentId,
        entered: &[CustomerId],
        left: &[CustomerId],
        size: &SegmentSize,
    ) -> DbResult<()> {
        let among = E::among_ids("c.id", "$1");
        let enter = format!(
            "INSERT INTO segment_members (customer_id, segment_id, since)
             SELECT c.id, $2, $3 FROM customers c WHERE {among}
             ON CONFLICT DO NOTHING"
        );
        self.write_members(&enter, id, entered, Some(size.computed_at))
            .await?;
        let among = E::among_ids("customer_id", "$1");
        let leave = format!("DELETE FROM segment_members WHERE {among} AND segment_id = $2");
        self.write_members(&leave, id, left, None).await?;
        // Tills read a customer's segments by the members' key: a planner
        // still counting the table as empty would read all of it instead.
        if entered.len() + left.len() >= RESTATED_AFTER
            && let Some(sql) = E::analyze("segment_members")
        {
            self.execute(Statement::new(&sql)).await?;
        }
        let mut tx = self.begin().await?;
        let figures = Statement::new(
            "UPDATE segments SET size = $1, computed_at = $2, took_ms = $3 WHERE id = $4",
        )
        .bind(size.size)
        .bind(size.computed_at)
        .bind(size.took_ms)
        .bind(id.0);
        sql::execute::<E>(&mut *tx, figures).await?;
        let history = Statement::new(
            "INSERT INTO segment_sizes (segment_id, computed_at, size, entered, left_count, took_ms)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(id.0)
        .bind(size.computed_at)
        .bind(size.size)
        .bind(size.entered)
        .bind(size.left)
        .bind(size.took_ms);
        sql::execute::<E>(&mut *tx, history).await?;
        commit::<E>(tx).await
    }

    async fn size_history(&self, id: SegmentId, limit: u32) -> DbResult<Vec<SegmentSize>> {
        let sql = format!(
            "SELECT {SIZE} FROM segment_sizes WHERE segment_id = $1
             ORDER BY computed_at DESC LIMIT $2"
        );
        self.all(Statement::new(&sql).bind(id.0).bind(i64::from(limit)), size)
            .await
    }

    async fn segment_figures(&self, id: SegmentId) -> DbResult<SegmentFigures> {
        let statement = Statement::new(
            "SELECT (SELECT COUNT(*) FROM customers WHERE merged_into IS NULL) AS customers,
                    (SELECT CAST(COALESCE(SUM(spent_minor), 0) AS bigint) FROM customer_loyalty) AS spent,
                    COUNT(*) AS members,
                    CAST(COALESCE(SUM(l.spent_minor), 0) AS bigint) AS members_spent,
                    CAST(COALESCE(SUM(l.purchases), 0) AS bigint) AS members_purchases
             FROM segment_members m
             LEFT JOIN customer_loyalty l ON l.customer_id = m.customer_id
             WHERE m.segment_id = $1",
        )
        .bind(id.0);
        let figures = self
            .one(statement, |row| {
                Ok(SegmentFigures {
                    members: row.int("members")?,
                    customers: row.int("customers")?,
                    members_spent_minor: row.int("members_spent")?,
                    spent_minor: row.int("spent")?,
                    members_purchases: row.int("members_purchases")?,
                })
            })
            .await?;
        Ok(figures.unwrap_or_default())
    }

    async fn rfm_figures(&self) -> DbResult<Vec<(Timestamp, i64, i64)>> {
        let statement = Statement::new(
            "SELECT last_purchase_at, purchases, spent_minor FROM customer_loyalty
             WHERE purchases > 0 AND last_purchase_at IS NOT NULL",
        );
        self.all(statement, |row| {
            Ok((
                row.time("last_purchase_at")?,
                row.int("purchases")?,
                row.int("spent_minor")?,
            ))
        })
        .await
    }

    async fn score_rfm(
        &self,
        bounds: &RfmBounds,
        from: CustomerId,
        to: CustomerId,
    ) -> DbResult<u64> {
        // Only the scores that change are written: from one day to the
        // next most stay, and each row written is a new row version and
        // its index entries on PostgreSQL.
        let mut statement = Statement::new(
            "UPDATE customer_loyalty SET rfm_recency = s.r, rfm_frequency = s.f, rfm_monetary = s.m
             FROM (SELECT customer_id",
        );
        let mut score = |column: &str, values: Vec<Value<'static>>, test: &str| {
            statement.push(", CASE WHEN purchases > 0 THEN 1");
            for value in values {
                statement.push(&format!(" + CAST(({test} "));
                statement.push_bind(value);
                statement.push(") AS INTEGER)");
            }
            statement.push(" END AS ").push(column);
        };
        score(
            "r",
            bounds.recency.iter().map(|t| Value::from(*t)).collect(),
            "last_purchase_at >=",
        );
        score(
            "f",
            bounds.frequency.iter().map(|n| Value::from(*n)).collect(),
            "purchases >",
        );
        score(
            "m",
            bounds.monetary.iter().map(|n| Value::from(*n)).collect(),
            "spent_minor >",
        );
        statement.push(" FROM customer_loyalty WHERE customer_id >= ");
        statement.push_bind(from.0);
        statement.push(" AND customer_id <= ");
        statement.push_bind(to.0);
        // The range again on the rows written, so that they are found by key.
        statement.push(") s WHERE customer_loyalty.customer_id >= ");
        statement.push_bind(from.0);
        statement.push(" AND customer_loyalty.customer_id <= ");
        statement.push_bind(to.0);
        statement.push(
            " AND customer_loyalty.customer_id = s.customer_id
               AND (customer_loyalty.rfm_recency IS DISTINCT FROM s.r
                    OR customer_loyalty.rfm_frequency IS DISTINCT FROM s.f
                    OR customer_loyalty.rfm_monetary IS DISTINCT FROM s.m)",
        );
        self.execute(statement).await
    }
}
