//! Purchase history over a period, as the customer's page shows it: their
//! own receipts and those of every customer merged into them.
//!
//! Each condition is one set of customers, `c.id IN (…)` (or `NOT IN` the
//! customers it fails for, when a customer without a receipt passes), made
//! of two aggregates: each customer's own receipts, grouped by owner in the
//! order the owner's index keeps them, for everyone nobody was merged
//! into; and the receipts of the few merged customers and their survivors,
//! grouped by survivor.
//!
//! Several such sets that must all hold are written one inside another,
//! each reading only the receipts of the customers the one inside holds
//! for: the shortest period, the fewest receipts, is read whole, and each
//! longer one only for the customers still in.

use clientele_domain::segment::{Condition, Field, Goods, Op, Operand, Test};

use super::{Writer, accepts, operand_value, units};
use crate::{Engine, Value};

/// Who merged customers' receipts belong to now: each merged customer's
/// and each survivor's own, by survivor.
const MERGED_OWNERS: &str = "(SELECT id AS owner, merged_into AS survivor FROM customers
                               WHERE merged_into IS NOT NULL
                              UNION ALL
                              SELECT DISTINCT merged_into, merged_into FROM customers
                               WHERE merged_into IS NOT NULL) h";

/// What a receipt counts as spent, returns deducted, as the customer's
/// figures count it (with the receipt's returns, `x`, joined).
const SPENT: &str = "r.total_minor - r.discount_minor - COALESCE(x.back, 0)";

/// How a purchase-history condition reads.
pub(super) enum Form<'c> {
    /// Always or never, whatever was bought.
    Known(bool),
    /// The customers in the set.
    Holds(HistorySet<'c>),
    /// The customers not in the set of those it fails for.
    Fails(HistorySet<'c>),
}

/// Customers by what their receipts of a period hold.
pub(super) struct HistorySet<'c> {
    rows: Rows<'c>,
    /// Tested per customer; none: any row will do.
    aggregate: Option<String>,
    test: Test,
    /// The aggregate's value for a customer without a row, if it has one
    /// (a count, or a sum of what each receipt adds, never less than nothing).
    empty: Option<i64>,
    /// Written as the set of those the test fails for.
    failing: bool,
    period: Option<u32>,
}

/// Which rows of a customer's history a set reads.
enum Rows<'c> {
    /// Their receipts, with each receipt's returns where what was spent is summed.
    Receipts { returns: bool },
    /// The lines of the goods, in their receipts.
    Lines(&'c Goods),
    /// Their receipts in any of the stores, or in any store.
    InStores(Option<Vec<i64>>),
}

/// The part of a set being written.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// Customers' own receipts, grouped by owner.
    Own,
    /// Merged customers' and their survivors' receipts, by survivor.
    Merged,
}

impl<E: Engine> Writer<'_, '_, E> {
    /// How a condition reads the receipts, unless it reads the account's
    /// figures or the profile.
    pub(super) fn history_form<'c>(&self, condition: &'c Condition) -> Option<Form<'c>> {
        let period = condition.period_days;
        let test = &condition.test;
        let receipts = |returns| Rows::Receipts { returns };
        let (rows, aggregate, empty, test) = match condition.field {
            Field::PurchasesCount if period.is_some() => {
                (receipts(false), "COUNT(*)".into(), Some(0), test.clone())
            }
            Field::SpentMinor if period.is_some() => (
                receipts(true),
                format!("SUM({SPENT})"),
                Some(0),
                test.clone(),
            ),
            Field::AverageReceiptMinor if period.is_some() => (
                receipts(true),
                format!("SUM({SPENT}) / COUNT(*)"),
                None,
                test.clone(),
            ),
            Field::StoresVisited => (
                receipts(false),
                "COUNT(DISTINCT r.store_id)".into(),
                Some(0),
                test.clone(),
            ),
            Field::Bought => (
                Rows::Lines(&condition.goods),
                format!("SUM(li.quantity_milli - {})", returned::<E>()),
                Some(0),
                units(test),
            ),
            Field::BoughtMinor => (
                Rows::Lines(&condition.goods),
                format!(
                    "SUM(li.amount_minor - li.amount_minor * {} / li.quantity_milli)",
                    returned::<E>()
                ),
                Some(0),
                test.clone(),
            ),
            Field::PurchaseStoreId => return Some(self.bought_under(period, test)),
            _ => return None,
        };
        let set = |aggregate, failing| HistorySet {
            rows,
            aggregate,
            test: test.clone(),
            empty,
            failing,
            period,
        };
        Some(match &test {
            // A count or sum is always known; an average only with a receipt.
            Test::Exists(present) if empty.is_some() => Form::Known(*present),
            Test::Exists(true) => Form::Holds(set(None, false)),
            Test::Exists(false) => Form::Fails(set(None, false)),
            _ if empty.is_some_and(|value| accepts(&test, value)) => {
                Form::Fails(set(Some(aggregate), true))
            }
            _ => Form::Holds(set(Some(aggregate), false)),
        })
    }

    /// Bought in the period in a store under the nodes named.
    fn bought_under<'c>(&self, period: Option<u32>, test: &Test) -> Form<'c> {
        let set = |stores| HistorySet {
            rows: Rows::InStores(stores),
            aggregate: None,
            test: test.clone(),
            empty: None,
            failing: false,
            period,
        };
        match test {
            Test::Exists(true) => Form::Holds(set(None)),
            Test::Exists(false) => Form::Fails(set(None)),
            Test::Compare(_, node) => {
                Form::Holds(set(Some(self.subtrees(std::slice::from_ref(node)))))
            }
            Test::In(nodes) => Form::Holds(set(Some(self.subtrees(nodes)))),
            Test::Between(..) => Form::Known(false),
        }
    }

    pub(super) fn write_history(&mut self, form: &Form<'_>) {
        match form {
            Form::Known(true) => self.push("1 = 1"),
            Form::Known(false) => self.push("1 = 0"),
            Form::Holds(set) => self.write_among(&[set], "c.id IN ("),
            Form::Fails(set) => self.write_among(&[set], "c.id NOT IN ("),
        };
    }

    /// `{among}` the customers in every one of `sets`, the sets with the
    /// shortest periods innermost. A customer nobody was merged into is in
    /// every set by their own receipts, a survivor by all their history:
    /// each part is one chain of sets.
    pub(super) fn write_among(&mut self, sets: &[&HistorySet<'_>], among: &str) -> &mut Self {
        let mut sets = sets.to_vec();
        sets.sort_by_key(|set| set.period.unwrap_or(u32::MAX));
        self.push(among);
        self.nested(&sets, Part::Own);
        self.push(" UNION ALL ");
        self.nested(&sets, Part::Merged);
        self.push(")")
    }

    /// The part of the last set, among the customers of the others'.
    fn nested(&mut self, sets: &[&HistorySet<'_>], part: Part) {
        let Some((set, inner)) = sets.split_last() else {
            return;
        };
        let key = match part {
            Part::Own => format!("r.{}", E::RECEIPT_OWNER),
            Part::Merged => "h.survivor".into(),
        };
        self.push("SELECT ").push(&key);
        self.rows(set, part);
        if !inner.is_empty() {
            let (before, after) = E::among_answers(&key);
            self.push(" AND ").push(&before);
            self.nested(inner, part);
            self.push(after);
        }
        let Some(aggregate) = &set.aggregate else {
            return;
        };
        self.push(" GROUP BY ").push(&key).push(" HAVING ");
        if set.failing {
            self.push("NOT (");
        }
        self.scalar(&format!("({aggregate})"), &set.test);
        if set.failing {
            self.push(")");
        }
        if part == Part::Own && !only_grows(set) {
            // A survivor's own receipts are only part of their history.
            self.push(" AND ")
                .push(&key)
                .push(" NOT IN (SELECT merged_into FROM customers WHERE merged_into IS NOT NULL)");
        }
    }

    /// ` FROM … WHERE …` the rows of the part the set reads.
    fn rows(&mut self, set: &HistorySet<'_>, part: Part) {
        let owner = E::RECEIPT_OWNER;
        self.push(" FROM ");
        if part == Part::Merged {
            // Merged customers are few: their receipts are found by owner.
            self.push(MERGED_OWNERS).push(" CROSS JOIN ");
        }
        self.push("receipts r");
        match &set.rows {
            Rows::Receipts { returns: true } => {
                self.push(&format!(
                    " LEFT JOIN (SELECT {owner}, receipt_key,
                                        CAST(SUM(refund_minor + points_returned) AS bigint) AS back
                                 FROM returns GROUP BY {owner}, receipt_key) x
                        ON x.{owner} = r.{owner} AND x.receipt_key = r.id"
                ));
            }
            Rows::Lines(_) => {
                self.push(" JOIN receipt_lines li ON li.receipt_key = r.id");
                if let Some(line_owner) = E::LINE_OWNER {
                    self.push(&format!(" AND li.{line_owner} = r.{owner}"));
                }
            }
            Rows::Receipts { returns: false } | Rows::InStores(_) => {}
        }
        self.push(" WHERE ").push(E::CUSTOMER_RECEIPT);
        if part == Part::Merged {
            self.push(&format!(" AND r.{owner} = h.owner"));
        }
        // A period reaching past the calendar is all time.
        if let Some(start) = set
            .period
            .and_then(|days| self.day_start(self.context.today, 1 - i64::from(days)))
        {
            self.push(" AND r.created_at >= ").bind(Value::from(start));
        }
        match &set.rows {
            Rows::Lines(goods) => self.goods(goods),
            Rows::InStores(Some(stores)) => {
                self.push(" AND ");
                self.among("r.store_id", stores.clone());
            }
            Rows::Receipts { .. } | Rows::InStores(None) => {}
        }
    }

    /// ` AND` the line is one of the goods.
    fn goods(&mut self, goods: &Goods) {
        self.push(" AND (");
        let mut first = true;
        for (column, values) in [("li.sku", &goods.skus), ("li.category", &goods.categories)] {
            if values.is_empty() {
                continue;
            }
            if !std::mem::take(&mut first) {
                self.push(" OR ");
            }
            self.push(column).push(" IN (");
            for (n, value) in values.iter().enumerate() {
                if n > 0 {
                    self.push(", ");
                }
                self.bind(operand_value(&Operand::Text(value.clone())));
            }
            self.push(")");
        }
        if first {
            self.push("1 = 0");
        }
        self.push(")");
    }
}

/// What was returned of line `li`, in thousandths of a unit.
fn returned<E: Engine>() -> String {
    let owner = E::LINE_OWNER
        .map(|owner| format!("rl.{owner} = li.{owner} AND "))
        .unwrap_or_default();
    format!(
        "COALESCE((SELECT CAST(SUM(rl.quantity_milli) AS bigint) FROM return_lines rl
                   WHERE {owner}rl.receipt_key = li.receipt_key AND rl.line = li.line), 0)"
    )
}

/// Whether a customer whose own receipts put them in the set stays in it
/// with more receipts: a set of those a count or sum passes at or above a
/// bound, or fails below one. A survivor's own receipts then decide
/// rightly when they put the survivor in; otherwise only all of the
/// survivor's history may.
fn only_grows(set: &HistorySet<'_>) -> bool {
    let upward = match set.test {
        Test::Compare(Op::Gt | Op::Gte, _) => !set.failing,
        Test::Compare(Op::Lt | Op::Lte, _) => set.failing,
        _ => false,
    };
    set.empty.is_some() && upward
}
