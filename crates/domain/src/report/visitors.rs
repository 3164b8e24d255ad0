//! Who bought in a period, as the sales report splits them (after
//! Kontur.Market's report): new customers made their first purchase in the
//! period; loyal ones had bought before and bought at least twice in it;
//! the others had bought before and bought once in it.

use jiff::civil::Date;

use super::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visitor {
    New,
    Loyal,
    Other,
}

impl Visitor {
    pub fn as_str(self) -> &'static str {
        match self {
            Visitor::New => "new",
            Visitor::Loyal => "loyal",
            Visitor::Other => "other",
        }
    }
}

/// A customer who bought `purchases` times in `period`, their first
/// purchase ever on `first_purchase`.
pub fn visitor(first_purchase: Date, purchases: u32, period: &Period) -> Visitor {
    if first_purchase >= period.from {
        Visitor::New
    } else if purchases >= 2 {
        Visitor::Loyal
    } else {
        Visitor::Other
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn customers_split_by_their_first_purchase_and_how_often_they_came() {
        let period = Period {
            from: date(2026, 11, 1),
            to: date(2026, 11, 30),
            cut_to_history: false,
        };
        assert_eq!(visitor(date(2026, 11, 5), 3, &period), Visitor::New);
        assert_eq!(visitor(date(2026, 11, 1), 1, &period), Visitor::New);
        assert_eq!(visitor(date(2026, 10, 31), 2, &period), Visitor::Loyal);
        assert_eq!(visitor(date(2025, 1, 1), 1, &period), Visitor::Other);
    }
}
