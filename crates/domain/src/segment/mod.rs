//! Segments: a rule tree over a customer's profile, consents, custom
//! properties, tier, stores and purchase history, as DESIGN's grammar
//! writes it. Parsed once from JSON with every mistake reported by its path,
//! and evaluated here as the reference semantics the stores' SQL must match:
//! one customer at a time ([`Rule::holds`]) and a population at once
//! ([`members`]).

mod decimal;
mod definition;
mod eval;
mod facts;
mod field;
mod members;
mod parse;
mod parts;
mod raw;
mod rfm;
mod rule;
#[cfg(test)]
mod tests;

pub use definition::{NewSegment, Schedule, Segment, SegmentInput, SegmentKind, SegmentSize};
pub use facts::{Facts, HeldTier, Purchase, PurchaseLine};
pub use field::{Field, FieldSpec, ValueKind};
pub use members::members;
pub use parse::{MAX_CONDITIONS, MAX_DEPTH, MAX_IN_VALUES, MAX_PERIOD_DAYS};
pub use raw::RawRule;
pub use rfm::{Quintiles, Rfm, RfmFigures, RfmGroup, RfmScales};
pub use rule::{Condition, Goods, Op, Operand, Operator, Rule, Test};
