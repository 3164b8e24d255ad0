//! A segment's members computed as the stores compute them: each condition's
//! members by filtering, then sets combined bottom-up. It must agree with
//! [`Rule::holds`] customer by customer, which the tests check.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::facts::Facts;
use super::rule::Rule;
use crate::ids::CustomerId;

/// The customers of `population` the rule takes on `today`.
pub fn members(
    rule: &Rule,
    population: &[(CustomerId, Facts)],
    today: Date,
) -> BTreeSet<CustomerId> {
    match rule {
        Rule::Condition(condition) => population
            .iter()
            .filter(|(_, facts)| condition.holds(facts, today))
            .map(|(id, _)| *id)
            .collect(),
        Rule::All(rules) => rules.iter().fold(everyone(population), |kept, rule| {
            kept.intersection(&members(rule, population, today))
                .copied()
                .collect()
        }),
        Rule::Any(rules) => rules
            .iter()
            .flat_map(|rule| members(rule, population, today))
            .collect(),
        Rule::Not(rule) => everyone(population)
            .difference(&members(rule, population, today))
            .copied()
            .collect(),
    }
}

fn everyone(population: &[(CustomerId, Facts)]) -> BTreeSet<CustomerId> {
    population.iter().map(|(id, _)| *id).collect()
}
