//! The channels a message is tried over, in their order: said in words
//! («Эл. почта, затем SMS»), and the orders a form offers to choose from
//! (a campaign's, a trigger's).

use clientele_domain::message::{Channel, DEFAULT_ORDER};

use super::forms::Choice;
use super::words::Words;

/// The orders of channels offered; the first, none, is the shop's usual one.
const ORDERS: &[&[Channel]] = &[
    &[],
    &[Channel::Email],
    &[Channel::Sms],
    &[Channel::Viber],
    &[Channel::Push],
    &[Channel::Email, Channel::Sms],
    &[Channel::Viber, Channel::Sms],
    &[Channel::Push, Channel::Sms],
    &[Channel::Push, Channel::Email],
];

/// Channels in the order they are tried: «Эл. почта, затем SMS».
pub fn in_order(w: &Words, channels: &[Channel]) -> String {
    let names: Vec<String> = (channels.iter())
        .map(|c| w.t(&format!("message-channel-{}", c.as_str())))
        .collect();
    names.join(&w.t("campaign-channels-then"))
}

/// An order as a form sends it: `email,sms`; the shop's usual one, empty.
pub fn order_value(channels: &[Channel]) -> String {
    if channels == DEFAULT_ORDER {
        return String::new();
    }
    (channels.iter())
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The orders a form offers, `chosen` (as [`order_value`] writes it)
/// among them: an order set otherwise (through the API) is offered too,
/// so that saving the form keeps it.
pub fn orders(w: &Words, chosen: &str) -> Vec<Choice> {
    let mut offered: Vec<Vec<Channel>> = ORDERS.iter().map(|o| o.to_vec()).collect();
    let asked: Option<Vec<Channel>> = (chosen.split(','))
        .filter(|c| !c.trim().is_empty())
        .map(|c| Channel::parse(c.trim()).ok())
        .collect();
    if let Some(asked) = asked
        && !offered
            .iter()
            .any(|o| order_value(o) == order_value(&asked))
    {
        offered.push(asked);
    }
    (offered.iter())
        .map(|order| {
            let value = order_value(order);
            let label = match order.is_empty() {
                true => w.with(
                    "campaign-channels-usual",
                    "order",
                    in_order(w, &DEFAULT_ORDER).into(),
                ),
                false => in_order(w, order),
            };
            Choice {
                chosen: value == chosen,
                value,
                label,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::super::words::Lang;
    use super::*;

    #[test]
    fn an_order_is_said_in_words_and_one_set_otherwise_is_offered_too() {
        let ru = Words::new(Lang::Ru, TimeZone::UTC);
        assert_eq!(
            in_order(&ru, &[Channel::Email, Channel::Sms]),
            "Эл. почта, затем SMS"
        );
        assert_eq!(order_value(&DEFAULT_ORDER), "");
        let offered = orders(&ru, "email,sms");
        let chosen: Vec<&str> = (offered.iter())
            .filter(|o| o.chosen)
            .map(|o| o.label.as_str())
            .collect();
        assert_eq!(chosen, ["Эл. почта, затем SMS"]);
        assert_eq!(offered.len(), ORDERS.len());
        let unusual = orders(&ru, "sms,viber");
        assert_eq!(unusual.len(), ORDERS.len() + 1);
        assert!(
            unusual
                .last()
                .is_some_and(|o| o.chosen && o.label == "SMS, затем Viber")
        );
        assert!(orders(&ru, "")[0].chosen, "none is the usual order");
    }
}
