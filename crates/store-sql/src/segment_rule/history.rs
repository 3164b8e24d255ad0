//! Purchase history over a period, as the customer's page shows it: their
//! own receipts and those of every customer merged into them.
//!
//! Each condition is one set of customers, `c.id IN (…)` (or `NOT IN` the
//! customers it fails for, when a customer without a receipt passes), made
//! of two aggregates: each customer's own receipts, grouped by owner in the
//! order the owner's index keeps them, for everyone nobody was merged
//! into; and the receipts of the few merged customers and their survivors,
//! grouped by survivor.

use clientele_domain::segment::{Condition, Op, Operand, Test};

use super::{Writer, accepts, operand_value};
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
pub(super) const SPENT: &str = "r.total_minor - r.discount_minor - COALESCE(x.back, 0)";

/// The part of a condition's set being written.
#[derive(Clone, Copy, PartialEq)]
enum Part {
    /// Customers' own receipts, grouped by owner.
    Own,
    /// Merged customers' and their survivors' receipts, by survivor.
    Merged,
}

impl<E: Engine> Writer<'_, '_, E> {
    /// An aggregate of each customer's receipts in the period, tested;
    /// `empty` is its value for a customer without one (`None`: absent).
    pub(super) fn receipts_aggregate(
        &mut self,
        aggregate: &str,
        empty: Option<i64>,
        period: Option<u32>,
        test: &Test,
    ) {
        let returns = aggregate.contains(SPENT);
        self.aggregated(
            empty,
            test,
            |writer, part| {
                writer.from(part);
                writer.push("receipts r");
                if returns {
                    writer.push(&format!(
                        " LEFT JOIN (SELECT {owner}, receipt_key,
                                            CAST(SUM(refund_minor + points_returned) AS bigint) AS back
                                     FROM returns GROUP BY {owner}, receipt_key) x
                            ON x.{owner} = r.{owner} AND x.receipt_key = r.id",
                        owner = E::RECEIPT_OWNER
                    ));
                }
                writer.whose(part);
                writer.since(period);
            },
            aggregate,
        );
    }

    /// `bought` (in thousandths) or `bought_minor` of the condition's goods.
    pub(super) fn goods(&mut self, measure: &str, condition: &Condition, test: &Test) {
        let (line_owner, returned_owner) = match E::LINE_OWNER {
            Some(owner) => (
                format!(" AND li.{owner} = r.{}", E::RECEIPT_OWNER),
                format!("rl.{owner} = li.{owner} AND "),
            ),
            None => (String::new(), String::new()),
        };
        let returned = format!(
            "COALESCE((SELECT CAST(SUM(rl.quantity_milli) AS bigint) FROM return_lines rl
                       WHERE {returned_owner}rl.receipt_key = li.receipt_key AND rl.line = li.line), 0)"
        );
        let aggregate = match measure {
            "quantity" => format!("SUM(li.quantity_milli - {returned})"),
            _ => format!("SUM(li.amount_minor - li.amount_minor * {returned} / li.quantity_milli)"),
        };
        let goods = &condition.goods;
        let period = condition.period_days;
        self.aggregated(
            Some(0),
            test,
            |writer, part| {
                writer.from(part);
                writer.push(&format!(
                    "receipts r JOIN receipt_lines li ON li.receipt_key = r.id{line_owner}"
                ));
                writer.whose(part);
                writer.push(" AND (");
                let mut first = true;
                for (column, values) in
                    [("li.sku", &goods.skus), ("li.category", &goods.categories)]
                {
                    if values.is_empty() {
                        continue;
                    }
                    if !std::mem::take(&mut first) {
                        writer.push(" OR ");
                    }
                    writer.push(column).push(" IN (");
                    for (n, value) in values.iter().enumerate() {
                        if n > 0 {
                            writer.push(", ");
                        }
                        writer.bind(operand_value(&Operand::Text(value.clone())));
                    }
                    writer.push(")");
                }
                if first {
                    writer.push("1 = 0");
                }
                writer.push(")");
                writer.since(period);
            },
            &aggregate,
        );
    }

    /// Bought in the period in a store under the nodes named.
    pub(super) fn bought_under(&mut self, period: Option<u32>, test: &Test) {
        let bought = |writer: &mut Self, stores: Option<Vec<i64>>| {
            writer.having_receipts(|writer, part| {
                writer.from(part);
                writer.push("receipts r");
                writer.whose(part);
                writer.since(period);
                if let Some(stores) = &stores {
                    writer.push(" AND ");
                    writer.among("r.store_id", stores.clone());
                }
            });
        };
        match test {
            Test::Exists(true) => bought(self, None),
            Test::Exists(false) => {
                self.push("NOT ");
                bought(self, None);
            }
            Test::Compare(_, node) => {
                let stores = self.subtrees(std::slice::from_ref(node));
                bought(self, Some(stores));
            }
            Test::In(nodes) => {
                let stores = self.subtrees(nodes);
                bought(self, Some(stores));
            }
            Test::Between(..) => self.push_false(),
        }
    }

    /// `c.id IN` the customers whose `aggregate` over `rows` passes the
    /// test, or `NOT IN` those whose fails when the empty value passes.
    fn aggregated(
        &mut self,
        empty: Option<i64>,
        test: &Test,
        rows: impl Fn(&mut Self, Part),
        aggregate: &str,
    ) {
        if let Test::Exists(present) = test {
            // A count or sum is always known; an average only with a receipt.
            if empty.is_some() {
                self.push(if *present { "1 = 1" } else { "1 = 0" });
                return;
            }
            if !present {
                self.push("NOT ");
            }
            self.having_receipts(rows);
            return;
        }
        let empty_passes = empty.is_some_and(|value| accepts(test, value));
        self.push(if empty_passes {
            "c.id NOT IN ("
        } else {
            "c.id IN ("
        });
        for part in [Part::Own, Part::Merged] {
            let key = self.key(part);
            if part == Part::Merged {
                self.push(" UNION ALL ");
            }
            self.push("SELECT ").push(&key);
            rows(self, part);
            self.push(" GROUP BY ").push(&key).push(" HAVING ");
            if empty_passes {
                self.push("NOT (");
            }
            self.scalar(&format!("({aggregate})"), test);
            if empty_passes {
                self.push(")");
            }
            if part == Part::Own && !only_grows(empty, test, empty_passes) {
                // A survivor's own receipts are only part of their history.
                self.push(" AND ").push(&key).push(
                    " NOT IN (SELECT merged_into FROM customers WHERE merged_into IS NOT NULL)",
                );
            }
        }
        self.push(")");
    }

    /// `c.id IN` the customers with any of `rows` in their history.
    fn having_receipts(&mut self, rows: impl Fn(&mut Self, Part)) {
        self.push("c.id IN (");
        for part in [Part::Own, Part::Merged] {
            let key = self.key(part);
            if part == Part::Merged {
                self.push(" UNION ALL ");
            }
            self.push("SELECT ").push(&key);
            rows(self, part);
        }
        self.push(")");
    }

    /// Whose history a row of the part is in.
    fn key(&self, part: Part) -> String {
        match part {
            Part::Own => format!("r.{}", E::RECEIPT_OWNER),
            Part::Merged => "h.survivor".into(),
        }
    }

    /// ` FROM ` and, for merged customers, their survivors first: there
    /// are few, and their receipts are found by owner.
    fn from(&mut self, part: Part) {
        self.push(" FROM ");
        if part == Part::Merged {
            self.push(MERGED_OWNERS).push(" CROSS JOIN ");
        }
    }

    /// ` WHERE ` the receipt is a customer's, of the part.
    fn whose(&mut self, part: Part) {
        self.push(" WHERE ").push(E::CUSTOMER_RECEIPT);
        if part == Part::Merged {
            self.push(&format!(" AND r.{} = h.owner", E::RECEIPT_OWNER));
        }
    }

    /// ` AND ` the receipt is of the period.
    fn since(&mut self, period: Option<u32>) {
        // A period reaching past the calendar is all time.
        if let Some(start) =
            period.and_then(|days| self.day_start(self.context.today, 1 - i64::from(days)))
        {
            self.push(" AND r.created_at >= ").bind(Value::from(start));
        }
    }
}

/// Whether a customer whose own receipts put them in the set stays in it
/// with more receipts: the set of those an aggregate with an empty value
/// (a count, or a sum of what each receipt adds, never less than nothing)
/// passes at or above a bound, or fails below one. A survivor's own
/// receipts then decide rightly when they put the survivor in; otherwise
/// only all of the survivor's history may.
fn only_grows(empty: Option<i64>, test: &Test, empty_passes: bool) -> bool {
    let upward = match test {
        Test::Compare(Op::Gt | Op::Gte, _) => !empty_passes,
        Test::Compare(Op::Lt | Op::Lte, _) => empty_passes,
        _ => false,
    };
    empty.is_some() && upward
}
