//! Returns against a committed receipt: which part of each line's money and
//! points goes back, in proportion to the quantity returned. Any sequence of
//! partial returns that ends with everything returned gives back exactly
//! what the receipt took and takes back exactly what it accrued.

use serde::Serialize;

use crate::pricing::returned_part;
use crate::quantity::Quantity;

/// A line as sold, with what was already returned of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoldLine {
    /// Counted from 1, as the till sees it.
    pub line: u32,
    pub quantity_milli: i64,
    pub to_pay_minor: i64,
    pub points_paid: i64,
    pub points_accrued: i64,
    pub returned_milli: i64,
}

/// What a till asks to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReturnRequest {
    /// Whatever is left of the receipt.
    Whole,
    Lines(Vec<(u32, Quantity)>),
}

/// What a return does to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ReturnedLine {
    pub line: u32,
    pub quantity_milli: i64,
    /// Money given back to the customer.
    pub refund_minor: i64,
    /// Points the customer paid with, given back.
    pub points_returned: i64,
    /// Points the line had earned, taken back.
    pub points_taken_back: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnError {
    #[error("the receipt has no line {0}")]
    UnknownLine(u32),
    #[error("line {line} is named twice")]
    RepeatedLine { line: u32 },
    #[error(
        "line {line}: only {left_milli} thousandths are left to return, {asked_milli} were asked"
    )]
    TooMuch {
        line: u32,
        left_milli: i64,
        asked_milli: i64,
    },
    #[error("everything on this receipt was already returned")]
    NothingLeft,
}

/// Whether `lines`, with what earlier returns took, return all of the
/// receipt: then what it redeemed (a single-use coupon) is given back too.
pub fn completes(sold: &[SoldLine], lines: &[ReturnedLine]) -> bool {
    sold.iter().all(|s| {
        let now: i64 = lines
            .iter()
            .filter(|l| l.line == s.line)
            .map(|l| l.quantity_milli)
            .sum();
        s.returned_milli + now >= s.quantity_milli
    })
}

pub fn plan_return(
    sold: &[SoldLine],
    request: &ReturnRequest,
) -> Result<Vec<ReturnedLine>, ReturnError> {
    let asked: Vec<(&SoldLine, i64)> = match request {
        ReturnRequest::Whole => sold
            .iter()
            .map(|s| (s, s.quantity_milli - s.returned_milli))
            .filter(|(_, left)| *left > 0)
            .collect(),
        ReturnRequest::Lines(lines) => {
            let mut asked = Vec::with_capacity(lines.len());
            for (i, (line, quantity)) in lines.iter().enumerate() {
                if lines[..i].iter().any(|(l, _)| l == line) {
                    return Err(ReturnError::RepeatedLine { line: *line });
                }
                let sold_line = sold
                    .iter()
                    .find(|s| s.line == *line)
                    .ok_or(ReturnError::UnknownLine(*line))?;
                let left = sold_line.quantity_milli - sold_line.returned_milli;
                if quantity.milli() > left {
                    return Err(ReturnError::TooMuch {
                        line: *line,
                        left_milli: left,
                        asked_milli: quantity.milli(),
                    });
                }
                asked.push((sold_line, quantity.milli()));
            }
            asked
        }
    };
    if asked.is_empty() {
        return Err(ReturnError::NothingLeft);
    }
    Ok(asked
        .into_iter()
        .map(|(s, now)| {
            let part = |total| returned_part(total, s.quantity_milli, s.returned_milli, now);
            ReturnedLine {
                line: s.line,
                quantity_milli: now,
                refund_minor: part(s.to_pay_minor),
                points_returned: part(s.points_paid),
                points_taken_back: part(s.points_accrued),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sold(line: u32, milli: i64, pay: i64, paid: i64, accrued: i64) -> SoldLine {
        SoldLine {
            line,
            quantity_milli: milli,
            to_pay_minor: pay,
            points_paid: paid,
            points_accrued: accrued,
            returned_milli: 0,
        }
    }

    #[test]
    fn refuses_more_than_was_bought_and_unknown_lines() {
        let lines = [sold(1, 2000, 200, 20, 10)];
        let two = Quantity::from_milli(2000).unwrap();
        let three = Quantity::from_milli(3000).unwrap();
        assert!(plan_return(&lines, &ReturnRequest::Lines(vec![(1, two)])).is_ok());
        assert_eq!(
            plan_return(&lines, &ReturnRequest::Lines(vec![(1, three)])),
            Err(ReturnError::TooMuch {
                line: 1,
                left_milli: 2000,
                asked_milli: 3000
            })
        );
        assert_eq!(
            plan_return(&lines, &ReturnRequest::Lines(vec![(2, two)])),
            Err(ReturnError::UnknownLine(2))
        );
        let mut done = lines;
        done[0].returned_milli = 2000;
        assert_eq!(
            plan_return(&done, &ReturnRequest::Whole),
            Err(ReturnError::NothingLeft)
        );
    }

    proptest! {
        #[test]
        fn returns_in_steps_then_the_rest_give_back_the_whole_receipt(
            lines in prop::collection::vec((1i64..10_000, 0i64..1_000_000, 0i64..100_000, 0i64..50_000), 1..10),
            steps in prop::collection::vec((0usize..10, 1i64..10_000), 0..10),
        ) {
            let mut sold: Vec<SoldLine> = lines
                .iter()
                .enumerate()
                .map(|(i, &(milli, pay, paid, accrued))| super::tests::sold(i as u32 + 1, milli, pay, paid, accrued))
                .collect();
            let mut given = [0i64; 3];
            let mut apply = |sold: &mut Vec<SoldLine>, returned: Vec<ReturnedLine>| {
                for r in returned {
                    let line = sold.iter_mut().find(|s| s.line == r.line).unwrap();
                    line.returned_milli += r.quantity_milli;
                    given[0] += r.refund_minor;
                    given[1] += r.points_returned;
                    given[2] += r.points_taken_back;
                }
            };
            for (index, milli) in steps {
                let line = &sold[index % sold.len()];
                let left = line.quantity_milli - line.returned_milli;
                if left == 0 { continue; }
                let quantity = Quantity::from_milli(milli.min(left)).unwrap();
                let request = ReturnRequest::Lines(vec![(line.line, quantity)]);
                let returned = plan_return(&sold, &request).unwrap();
                let last = sold.iter().all(|s| s.line == line.line || s.returned_milli == s.quantity_milli)
                    && milli >= left;
                prop_assert_eq!(completes(&sold, &returned), last);
                apply(&mut sold, returned);
            }
            if let Ok(rest) = plan_return(&sold, &ReturnRequest::Whole) {
                prop_assert!(completes(&sold, &rest));
                apply(&mut sold, rest);
            }
            prop_assert_eq!(given[0], lines.iter().map(|l| l.1).sum::<i64>());
            prop_assert_eq!(given[1], lines.iter().map(|l| l.2).sum::<i64>());
            prop_assert_eq!(given[2], lines.iter().map(|l| l.3).sum::<i64>());
            prop_assert_eq!(plan_return(&sold, &ReturnRequest::Whole), Err(ReturnError::NothingLeft));
        }
    }
}
