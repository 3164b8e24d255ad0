//! A segment's rule as SQL: one condition over `customers c` (with the
//! customer's account `l`) that holds exactly when the domain's
//! [`Rule::holds`] does for that customer on the context's day.
//!
//! Days become times: a field counted in days (age, days to a birthday,
//! days ago) turns into the ranges of dates or local midnights its test
//! accepts, so each condition compares a column with bound values and an
//! index can serve it. Every condition reads as true or false, never
//! NULL, so `not` negates exactly as the domain does.
//!
//! Purchase history over a period is read from the receipts as one
//! aggregate per customer ([`history`]), not one subquery per customer; a
//! customer without a receipt in the period has the aggregate's empty
//! value (0 purchases, nothing spent), so when the test accepts that value
//! the condition is written as "not among those whose aggregate fails".

use std::borrow::Cow;
use std::cmp::Ordering;

use clientele_domain::segment::{Condition, Field, Op, Operand, Rfm, RfmGroup, Rule, Test};
use clientele_domain::{PropertyKind, StoreId};
use clientele_store::RuleContext;
use jiff::civil::Date;
use jiff::{Span, Timestamp};

use crate::{Engine, Statement, Value};

mod history;

use history::Form;

/// `{select} FROM customers c …` for the customers (not merged into
/// another) the rule holds for.
pub(crate) fn matching<E: Engine>(
    select: &str,
    rule: &Rule,
    context: &RuleContext,
) -> Statement<'static> {
    let mut statement = Statement::new("");
    statement.push(select).push(" FROM customers c");
    // The account is joined only when a condition reads it: a count over
    // purchase history alone saves a million lookups.
    if reads_account(rule) {
        statement.push(" LEFT JOIN customer_loyalty l ON l.customer_id = c.id");
    }
    statement.push(" WHERE c.merged_into IS NULL AND ");
    let mut writer = Writer::<E> {
        sql: &mut statement,
        context,
        engine: std::marker::PhantomData,
    };
    if let Some(stores) = &context.within {
        writer.among("c.store_id", stores.iter().map(|s| s.0).collect());
        writer.push(" AND ");
    }
    writer.rule(rule);
    statement
}

/// Whether a condition reads the customer's account row (`l`).
fn reads_account(rule: &Rule) -> bool {
    match rule {
        Rule::All(rules) | Rule::Any(rules) => rules.iter().any(reads_account),
        Rule::Not(rule) => reads_account(rule),
        Rule::Condition(condition) => match condition.field {
            Field::TierId
            | Field::TierSinceDays
            | Field::BalancePoints
            | Field::FirstPurchaseDaysAgo
            | Field::LastPurchaseDaysAgo
            | Field::RfmRecency
            | Field::RfmFrequency
            | Field::RfmMonetary
            | Field::RfmGroup => true,
            Field::PurchasesCount | Field::SpentMinor | Field::AverageReceiptMinor => {
                condition.period_days.is_none()
            }
            _ => false,
        },
    }
}

struct Writer<'s, 'c, E> {
    sql: &'s mut Statement<'static>,
    context: &'c RuleContext,
    engine: std::marker::PhantomData<E>,
}

/// Whole numbers from `low` to `high`, both included; `None` is unbounded.
type Range = (Option<i64>, Option<i64>);

impl<E: Engine> Writer<'_, '_, E> {
    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push(sql);
        self
    }

    fn bind(&mut self, value: Value<'static>) -> &mut Self {
        self.sql.push_bind(value);
        self
    }

    fn rule(&mut self, rule: &Rule) {
        match rule {
            Rule::All(rules) => self.all(rules),
            Rule::Any(rules) => self.joined(rules, " OR "),
            Rule::Not(rule) => {
                self.push("NOT (");
                self.rule(rule);
                self.push(")");
            }
            Rule::Condition(condition) => {
                self.push("(");
                self.condition(condition);
                self.push(")");
            }
        }
    }

    /// Every one of `rules`; those that are sets of customers by their
    /// purchase history are written as one set, each read among the
    /// customers of the others.
    fn all(&mut self, rules: &[Rule]) {
        let mut sets = Vec::new();
        let mut others = Vec::new();
        for rule in rules {
            match rule {
                Rule::Condition(condition) => match self.history_form(condition) {
                    Some(Form::Holds(set)) => sets.push(set),
                    _ => others.push(rule),
                },
                _ => others.push(rule),
            }
        }
        if sets.len() < 2 {
            return self.joined(rules, " AND ");
        }
        self.push("(");
        for rule in others {
            self.rule(rule);
            self.push(" AND ");
        }
        let sets: Vec<_> = sets.iter().collect();
        self.write_among(&sets, "c.id IN (").push(")");
    }

    fn joined(&mut self, rules: &[Rule], with: &str) {
        self.push("(");
        for (n, rule) in rules.iter().enumerate() {
            if n > 0 {
                self.push(with);
            }
            self.rule(rule);
        }
        self.push(")");
    }

    fn condition(&mut self, condition: &Condition) {
        let test = &condition.test;
        let period = condition.period_days;
        match &condition.field {
            Field::Gender => self.scalar("c.gender", test),
            Field::Age => self.age(test),
            Field::DaysToBirthday => self.days_to_birthday(test),
            Field::GroupId => self.scalar("c.group_id", test),
            Field::Status => self.scalar("c.status", test),
            Field::TierId => self.scalar("l.tier_id", test),
            Field::TierSinceDays => self.days_ago("l.tier_set_at", test),
            Field::StoreId => self.registered_under(test),
            Field::Channel => self.scalar("c.channel", test),
            Field::CreatedDaysAgo => self.days_ago("c.created_at", test),
            Field::Consent(kind) => {
                let given = format!("(c.consent_flags & {}) <> 0", kind.flag());
                self.flag(&given, test);
            }
            Field::HasPhone => self.flag("c.phone IS NOT NULL", test),
            Field::HasEmail => self.flag("c.email IS NOT NULL", test),
            Field::Property { name, kind } => self.property(name.as_str(), *kind, test),
            Field::BalancePoints => self.scalar(
                "(COALESCE((SELECT SUM(p.remaining) FROM point_lots p
                            WHERE p.customer_id = c.id AND p.remaining > 0), 0)
                  - COALESCE(l.debt, 0))",
                test,
            ),
            Field::PointsExpiringWithinDays => self.expiring(test),
            Field::PurchasesCount if period.is_none() => {
                self.scalar("COALESCE(l.purchases, 0)", test);
            }
            Field::SpentMinor if period.is_none() => {
                self.scalar("COALESCE(l.spent_minor, 0)", test);
            }
            Field::AverageReceiptMinor if period.is_none() => self.scalar(
                "CASE WHEN l.purchases > 0 THEN l.spent_minor / l.purchases END",
                test,
            ),
            Field::PurchasesCount
            | Field::SpentMinor
            | Field::AverageReceiptMinor
            | Field::StoresVisited
            | Field::Bought
            | Field::BoughtMinor
            | Field::PurchaseStoreId => {
                let form = self.history_form(condition);
                // Those read from the account matched above.
                let form = form.expect("purchase history over a period reads the receipts");
                self.write_history(&form);
            }
            Field::FirstPurchaseDaysAgo => self.days_ago("l.first_purchase_at", test),
            Field::LastPurchaseDaysAgo => self.days_ago("l.last_purchase_at", test),
            Field::RfmRecency => self.scalar("l.rfm_recency", test),
            Field::RfmFrequency => self.scalar("l.rfm_frequency", test),
            Field::RfmMonetary => self.scalar("l.rfm_monetary", test),
            Field::RfmGroup => self.rfm_group(test),
        }
    }

    /// A column or expression compared as the test says; NULL is absent.
    fn scalar(&mut self, expr: &str, test: &Test) {
        self.scalar_as(expr, test, "", operand_value);
    }

    /// `expr` tested, each operand bound by `bind` and wrapped in `cast`.
    fn scalar_as(
        &mut self,
        expr: &str,
        test: &Test,
        cast: &str,
        bind: impl Fn(&Operand) -> Value<'static>,
    ) {
        let operand = |writer: &mut Self, operand: &Operand| {
            if cast.is_empty() {
                writer.bind(bind(operand));
            } else {
                writer
                    .push("CAST(")
                    .bind(bind(operand))
                    .push(cast)
                    .push(")");
            }
        };
        match test {
            Test::Exists(true) => {
                self.push(expr).push(" IS NOT NULL");
            }
            Test::Exists(false) => {
                self.push(expr).push(" IS NULL");
            }
            Test::Compare(op, value) => {
                self.push("(").push(expr).push(sql_op(*op));
                operand(self, value);
                self.push(") IS TRUE");
            }
            Test::Between(low, high) => {
                self.push("(").push(expr).push(" BETWEEN ");
                operand(self, low);
                self.push(" AND ");
                operand(self, high);
                self.push(") IS TRUE");
            }
            Test::In(values) => {
                self.push("(").push(expr).push(" IN (");
                for (n, value) in values.iter().enumerate() {
                    if n > 0 {
                        self.push(", ");
                    }
                    operand(self, value);
                }
                self.push(")) IS TRUE");
            }
        }
    }

    /// A yes-or-no that is always known.
    fn flag(&mut self, given: &str, test: &Test) {
        let wanted = |operand: &Operand| matches!(operand, Operand::Bool(true));
        match test {
            Test::Exists(present) => {
                self.push(if *present { "1 = 1" } else { "1 = 0" });
            }
            Test::Compare(op, value) => {
                let yes = wanted(value) == (*op == Op::Eq);
                self.push(if yes { "" } else { "NOT " })
                    .push("(")
                    .push(given)
                    .push(")");
            }
            Test::In(values) => {
                let (yes, no) = (values.iter().any(wanted), values.iter().any(|v| !wanted(v)));
                match (yes, no) {
                    (true, true) => self.push("1 = 1"),
                    (true, false) => self.push("(").push(given).push(")"),
                    (false, true) => self.push("NOT (").push(given).push(")"),
                    (false, false) => self.push("1 = 0"),
                };
            }
            Test::Between(..) => {
                self.push("1 = 0");
            }
        }
    }

    fn property(&mut self, name: &str, kind: PropertyKind, test: &Test) {
        let id = self
            .context
            .properties
            .iter()
            .find(|d| d.name.as_str() == name)
            .map_or(0, |d| d.id.0);
        let value = format!(
            "(SELECT p.value FROM customer_properties p
              WHERE p.customer_id = c.id AND p.property_id = {id})"
        );
        match kind {
            PropertyKind::Number => self.scalar_as(
                &format!("CAST({value} AS NUMERIC)"),
                test,
                " AS NUMERIC",
                operand_value,
            ),
            // Kept as text: `true`/`false`, `YYYY-MM-DD`, which order as they read.
            PropertyKind::String
            | PropertyKind::Choice
            | PropertyKind::Bool
            | PropertyKind::Date => {
                self.scalar_as(&value, test, "", |operand| match operand {
                    Operand::Bool(flag) => {
                        Value::Text(Some(Cow::Borrowed(if *flag { "true" } else { "false" })))
                    }
                    Operand::Date(date) => Value::Text(Some(Cow::Owned(date.to_string()))),
                    other => operand_value(other),
                });
            }
        }
    }

    /// Any of `ranges`, each a range of `expr` from a value included to
    /// one excluded, written by `bound`.
    fn within<T>(
        &mut self,
        expr: &str,
        ranges: Vec<(Option<T>, Option<T>)>,
        bound: impl Fn(T) -> Value<'static>,
    ) {
        if ranges.is_empty() {
            self.push("1 = 0");
            return;
        }
        self.push("(");
        for (n, (from, until)) in ranges.into_iter().enumerate() {
            if n > 0 {
                self.push(" OR ");
            }
            self.push("(").push(expr).push(" IS NOT NULL");
            if let Some(from) = from {
                self.push(" AND ").push(expr).push(" >= ").bind(bound(from));
            }
            if let Some(until) = until {
                self.push(" AND ").push(expr).push(" < ").bind(bound(until));
            }
            self.push(")");
        }
        self.push(")");
    }

    /// A time whose local day is the test's number of days before today.
    fn days_ago(&mut self, column: &str, test: &Test) {
        let Some(ranges) = ranges(test) else {
            return self.scalar(column, test);
        };
        let today = self.context.today;
        // low..=high days ago: from the start of today − high to the start
        // of the day after today − low; a day past the calendar is no bound.
        let times: Vec<_> = ranges
            .into_iter()
            .map(|(low, high)| {
                (
                    high.and_then(|h| self.day_start(today, -h)),
                    low.and_then(|l| self.day_start(today, 1 - l)),
                )
            })
            .collect();
        self.within(column, times, Value::from);
    }

    /// The next expiry of the customer's open points, in days from today.
    fn expiring(&mut self, test: &Test) {
        let today = self.context.today;
        let Some(start) = self.day_start(today, 0) else {
            return self.push_false();
        };
        let next = |writer: &mut Self| {
            writer
                .push(
                    "(SELECT MIN(p.expires_at) FROM point_lots p
                      WHERE p.customer_id = c.id AND p.remaining > 0 AND p.expires_at >= ",
                )
                .bind(start.into())
                .push(")");
        };
        let Some(ranges) = ranges(test) else {
            next(self);
            self.push(if matches!(test, Test::Exists(true)) {
                " IS NOT NULL"
            } else {
                " IS NULL"
            });
            return;
        };
        if ranges.is_empty() {
            return self.push_false();
        }
        self.push("(");
        for (n, (low, high)) in ranges.into_iter().enumerate() {
            if n > 0 {
                self.push(" OR ");
            }
            self.push("(");
            next(self);
            self.push(" IS NOT NULL");
            if let Some(from) = low.and_then(|l| self.day_start(today, l)) {
                self.push(" AND ");
                next(self);
                self.push(" >= ").bind(from.into());
            }
            if let Some(until) = high.and_then(|h| self.day_start(today, h + 1)) {
                self.push(" AND ");
                next(self);
                self.push(" < ").bind(until.into());
            }
            self.push(")");
        }
        self.push(")");
    }

    /// Full years on today: born on or before today − low years and after
    /// today − (high + 1) years.
    fn age(&mut self, test: &Test) {
        let Some(ranges) = ranges(test) else {
            return self.scalar("c.birth_date", test);
        };
        let today = self.context.today;
        let years_back = |years: i64| {
            let back = today.checked_sub(Span::new().try_years(years).ok()?).ok()?;
            back.tomorrow().ok()
        };
        // low..=high years: born after today − (high + 1) years and on or
        // before today − low years.
        let dates: Vec<(Option<Date>, Option<Date>)> = ranges
            .into_iter()
            .map(|(low, high)| {
                (
                    high.and_then(|h| years_back(h + 1)),
                    low.and_then(years_back),
                )
            })
            .collect();
        self.within("c.birth_date", dates, Value::from);
    }

    /// The birthday (as `MMDD`) falls on one of the accepted days ahead; a
    /// 29 February birthday falls on 28 February outside leap years.
    fn days_to_birthday(&mut self, test: &Test) {
        let Some(ranges) = ranges(test) else {
            return self.scalar("c.birth_date", test);
        };
        let accepts = |days: i64| {
            ranges
                .iter()
                .any(|(low, high)| low.is_none_or(|l| days >= l) && high.is_none_or(|h| days <= h))
        };
        let today = self.context.today;
        let mut taken = [false; 1232];
        let mut wanted = [false; 1232];
        for days in 0..=366 {
            let Ok(day) = today.checked_add(Span::new().days(days)) else {
                break;
            };
            let mut birthdays = vec![md(day)];
            if (day.month(), day.day()) == (2, 28) && !day.in_leap_year() {
                birthdays.push(229);
            }
            for birthday in birthdays {
                if !taken[birthday] {
                    taken[birthday] = true;
                    wanted[birthday] = accepts(days);
                }
            }
        }
        // Runs of wanted days, in the order of the MMDD numbers.
        let mut runs: Vec<(i64, i64)> = Vec::new();
        let mut open: Option<(usize, usize)> = None;
        for birthday in (101..=1231).filter(|&n| taken[n]) {
            match (wanted[birthday], open) {
                (true, Some((from, _))) => open = Some((from, birthday)),
                (true, None) => open = Some((birthday, birthday)),
                (false, Some(run)) => {
                    runs.push((run.0 as i64, run.1 as i64));
                    open = None;
                }
                (false, None) => {}
            }
        }
        if let Some(run) = open {
            runs.push((run.0 as i64, run.1 as i64));
        }
        let runs = runs
            .into_iter()
            .map(|(from, to)| (Some(from), Some(to + 1)))
            .collect();
        self.within("c.birthday_md", runs, Value::from);
    }

    /// The registration store is one of the nodes named, or under one.
    fn registered_under(&mut self, test: &Test) {
        self.under("c.store_id", test);
    }

    fn under(&mut self, column: &str, test: &Test) {
        match test {
            Test::Exists(present) => {
                self.push(column)
                    .push(if *present { " IS NOT NULL" } else { " IS NULL" });
            }
            Test::Compare(Op::Ne, node) => {
                let stores = self.subtrees(std::slice::from_ref(node));
                self.push(column).push(" IS NOT NULL AND NOT ");
                self.among(column, stores);
            }
            Test::Compare(_, node) => {
                let stores = self.subtrees(std::slice::from_ref(node));
                self.among(column, stores);
            }
            Test::In(nodes) => {
                let stores = self.subtrees(nodes);
                self.among(column, stores);
            }
            Test::Between(..) => self.push_false(),
        }
    }

    /// `column` is one of `ids`; false, not NULL, when it is NULL.
    fn among(&mut self, column: &str, ids: Vec<i64>) {
        let placeholder = format!("${}", self.sql.values.len() + 1);
        self.push("COALESCE(")
            .push(&E::among_ids(column, &placeholder))
            .push(", 1 = 0)");
        self.sql.values.push(Value::Ids(Some(ids)));
    }

    /// Every store under the nodes (each node included).
    fn subtrees(&self, nodes: &[Operand]) -> Vec<i64> {
        let mut stores: Vec<i64> = nodes
            .iter()
            .filter_map(|node| match node {
                Operand::Int(id) => Some(StoreId(*id)),
                _ => None,
            })
            .flat_map(|node| {
                self.context
                    .subtrees
                    .get(&node)
                    .cloned()
                    .unwrap_or_else(|| vec![node])
            })
            .map(|store| store.0)
            .collect();
        stores.sort_unstable();
        stores.dedup();
        stores
    }

    fn push_false(&mut self) {
        self.push("1 = 0");
    }

    /// The group of the customer's recency and frequency.
    fn rfm_group(&mut self, test: &Test) {
        if let Test::Exists(present) = test {
            self.push("l.rfm_recency")
                .push(if *present { " IS NOT NULL" } else { " IS NULL" });
            return;
        }
        let codes: Vec<i64> = (1..=5u8)
            .flat_map(|recency| (1..=5u8).map(move |frequency| (recency, frequency)))
            .filter(|&(recency, frequency)| {
                let group = Rfm {
                    recency,
                    frequency,
                    monetary: 1,
                }
                .group();
                accepts_text(test, group)
            })
            .map(|(recency, frequency)| i64::from(recency) * 10 + i64::from(frequency))
            .collect();
        self.among("l.rfm_recency * 10 + l.rfm_frequency", codes);
    }

    /// The start of the local day `days` from `today`, if it exists.
    fn day_start(&self, today: Date, days: i64) -> Option<Timestamp> {
        let day = today.checked_add(Span::new().try_days(days).ok()?).ok()?;
        Some(
            day.to_zoned(self.context.zone.clone())
                .ok()?
                .start_of_day()
                .ok()?
                .timestamp(),
        )
    }
}

fn md(day: Date) -> usize {
    usize::try_from(day.month()).unwrap_or(0) * 100 + usize::try_from(day.day()).unwrap_or(0)
}

fn sql_op(op: Op) -> &'static str {
    match op {
        Op::Eq => " = ",
        Op::Ne => " <> ",
        Op::Lt => " < ",
        Op::Lte => " <= ",
        Op::Gt => " > ",
        Op::Gte => " >= ",
    }
}

fn operand_value(operand: &Operand) -> Value<'static> {
    match operand {
        Operand::Int(n) => Value::Int(Some(*n)),
        Operand::Text(text) => Value::Text(Some(Cow::Owned(text.clone()))),
        Operand::Bool(flag) => Value::Flag(Some(*flag)),
        Operand::Date(date) => Value::Date(Some(*date)),
    }
}

/// `bought` counts whole units against thousandths.
fn units(test: &Test) -> Test {
    let milli = |operand: &Operand| match operand {
        Operand::Int(n) => Operand::Int(n.saturating_mul(1000)),
        other => other.clone(),
    };
    match test {
        Test::Compare(op, value) => Test::Compare(*op, milli(value)),
        Test::Between(low, high) => Test::Between(milli(low), milli(high)),
        Test::In(values) => Test::In(values.iter().map(milli).collect()),
        Test::Exists(present) => Test::Exists(*present),
    }
}

/// The whole numbers a test of a number accepts, as ranges; `None` for
/// `exists`.
fn ranges(test: &Test) -> Option<Vec<Range>> {
    let int = |operand: &Operand| match operand {
        Operand::Int(n) => Some(*n),
        _ => None,
    };
    Some(match test {
        Test::Exists(_) => return None,
        Test::Compare(op, value) => match int(value) {
            None => Vec::new(),
            Some(n) => match op {
                Op::Eq => vec![(Some(n), Some(n))],
                Op::Ne => vec![(None, n.checked_sub(1)), (n.checked_add(1), None)],
                Op::Lt => vec![(None, n.checked_sub(1))],
                Op::Lte => vec![(None, Some(n))],
                Op::Gt => vec![(n.checked_add(1), None)],
                Op::Gte => vec![(Some(n), None)],
            },
        },
        Test::Between(low, high) => match (int(low), int(high)) {
            (Some(low), Some(high)) if low <= high => vec![(Some(low), Some(high))],
            _ => Vec::new(),
        },
        Test::In(values) => values
            .iter()
            .filter_map(int)
            .map(|n| (Some(n), Some(n)))
            .collect(),
    })
}

/// Whether a test of a number accepts `value`.
fn accepts(test: &Test, value: i64) -> bool {
    let order = |operand: &Operand| match operand {
        Operand::Int(n) => Some(value.cmp(n)),
        _ => None,
    };
    match test {
        Test::Exists(present) => *present,
        Test::Compare(op, operand) => order(operand).is_some_and(|o| op.accepts(o)),
        Test::Between(low, high) => {
            order(low).is_some_and(Ordering::is_ge) && order(high).is_some_and(Ordering::is_le)
        }
        Test::In(values) => values.iter().any(|v| order(v) == Some(Ordering::Equal)),
    }
}

/// Whether a test of a text accepts a group's name.
fn accepts_text(test: &Test, group: RfmGroup) -> bool {
    let name = group.as_str();
    let order = |operand: &Operand| match operand {
        Operand::Text(text) => Some(name.cmp(text.as_str())),
        _ => None,
    };
    match test {
        Test::Exists(present) => *present,
        Test::Compare(op, operand) => order(operand).is_some_and(|o| op.accepts(o)),
        Test::Between(low, high) => {
            order(low).is_some_and(Ordering::is_ge) && order(high).is_some_and(Ordering::is_le)
        }
        Test::In(values) => values.iter().any(|v| order(v) == Some(Ordering::Equal)),
    }
}
