//! The time zones a store node may be given in the console: Russia's, west
//! to east, each named by its city and its offset now.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::console::kit::Words;

const ZONES: [&str; 11] = [
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Novosibirsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
];

/// A zone as a clerk reads it: «Екатеринбург (МСК+2)», "Yekaterinburg
/// (UTC+5)"; one the list does not name (set through the API) by its IANA
/// name.
pub fn zone_label(w: &Words, name: &str, now: Timestamp) -> String {
    let key = format!("zone-{}", name.to_lowercase().replace(['/', '_'], "-"));
    let city = if ZONES.contains(&name) {
        w.t(&key)
    } else {
        name.to_owned()
    };
    let Ok(zone) = TimeZone::get(name) else {
        return city;
    };
    let hours = zone.to_offset(now).seconds() / 3600;
    // Moscow is UTC+3 the year round since 2014.
    let from_moscow = match hours - 3 {
        0 => String::new(),
        n => format!("{n:+}"),
    };
    w.with_all(
        "zone-label",
        vec![
            ("city", city.into()),
            ("utc", format!("{hours:+}").into()),
            ("msk", from_moscow.into()),
        ],
    )
}

/// The choices of a node's time zone: none (its parent's, else the shop's
/// `shop` zone), Russia's zones, and the node's `own` if it is another.
pub fn zone_options(
    w: &Words,
    shop: &TimeZone,
    own: Option<&str>,
    now: Timestamp,
) -> Vec<(String, String)> {
    let shop = shop
        .iana_name()
        .map(|name| zone_label(w, name, now))
        .unwrap_or_default();
    let mut options = vec![(
        String::new(),
        w.with("settings-store-zone-inherited", "shop", shop.into()),
    )];
    let extra = own.filter(|z| !ZONES.contains(z));
    options.extend(
        ZONES
            .iter()
            .copied()
            .chain(extra)
            .map(|name| (name.to_owned(), zone_label(w, name, now))),
    );
    options
}
