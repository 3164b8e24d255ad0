//! A trigger in words: its occasion, whether it is on, its days; the kind
//! an address names; and what a page was sent back to say.

use clientele_app::KeptTrigger;
use clientele_domain::trigger::TriggerKind;

use crate::console::kit::{PageError, Words};

/// The kind an address names; another is the not-found page.
pub fn kind(raw: &str) -> Result<TriggerKind, PageError> {
    TriggerKind::parse(raw).map_err(|_| PageError::NotFound)
}

/// The occasion: «Нет покупок N дней».
pub fn title(w: &Words, kind: TriggerKind) -> String {
    w.t(&format!("trigger-kind-{}", kind.as_str()))
}

/// Whether the trigger sends: the code its tag is styled by, and the words.
pub fn state(w: &Words, kept: Option<&KeptTrigger>) -> (&'static str, String) {
    let code = match kept {
        Some(t) if t.active => "on",
        Some(_) => "off",
        None => "none",
    };
    (code, w.t(&format!("trigger-state-{code}")))
}

/// Its days as the occasion counts them: «60 дней без покупок».
pub fn days(w: &Words, kept: &KeptTrigger) -> String {
    match kept.days {
        Some(days) if kept.kind.counts_days() => {
            w.n(&format!("trigger-days-said-{}", kept.kind.as_str()), days)
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use jiff::tz::TimeZone;

    use super::*;
    use crate::console::kit::Lang;

    #[test]
    fn every_kind_is_said_in_each_language() {
        for w in [
            Words::new(Lang::Ru, TimeZone::UTC),
            Words::new(Lang::En, TimeZone::UTC),
        ] {
            for kind in TriggerKind::ALL {
                let code = kind.as_str();
                assert!(w.find(&format!("trigger-kind-{code}")).is_some(), "{code}");
                assert!(w.find(&format!("trigger-about-{code}")).is_some(), "{code}");
                if kind.counts_days() {
                    assert!(w.find(&format!("trigger-days-{code}")).is_some(), "{code}");
                }
            }
        }
        let ru = Words::new(Lang::Ru, TimeZone::UTC);
        assert_eq!(
            ru.n("trigger-days-said-win_back", 21),
            "21 день без покупок"
        );
        assert_eq!(
            ru.n("trigger-days-said-points_expiring", 3),
            "за 3 дня до сгорания"
        );
    }
}
