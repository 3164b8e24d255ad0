//! The console's words: one translation table per language
//! (`locales/<lang>/console.ftl`), Russian by default, with Russian plural
//! forms; and money, points, dates and phones written as each language
//! writes them.

use std::borrow::Cow;
use std::collections::HashMap;

use clientele_app::{Actor, Role};
use clientele_domain::{CustomerProfile, Phone};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid, static_loader};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "ru",
        // No invisible isolation marks around numbers and names.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The product categories the console names in words (`category-<code>`);
/// a till may send any other, shown as sent.
pub const KNOWN_CATEGORIES: &[&str] = &[
    "alcohol",
    "bakery",
    "dairy",
    "drinks",
    "grocery",
    "household",
    "meat",
    "pets",
    "produce",
    "sweets",
    "tobacco",
];

/// The cookie that remembers a switch of language.
pub const LANG_COOKIE: &str = "clientele_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ru,
    En,
}

impl Lang {
    pub fn parse(raw: &str) -> Option<Lang> {
        match raw {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Ru => langid!("ru"),
            Lang::En => langid!("en"),
        }
    }
}

/// What a page writes its words, figures and dates with.
#[derive(Debug, Clone)]
pub struct Words {
    pub lang: Lang,
    zone: TimeZone,
}

impl Words {
    pub fn new(lang: Lang, zone: TimeZone) -> Words {
        Words { lang, zone }
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        LOCALES.lookup(&self.lang.id(), key)
    }

    /// The text of `key`, if the table has it.
    pub fn find(&self, key: &str) -> Option<String> {
        LOCALES.try_lookup(&self.lang.id(), key)
    }

    /// The text of `key` with `$count`, in the plural form the number takes.
    pub fn n(&self, key: &str, count: i64) -> String {
        self.with(key, "count", FluentValue::from(count))
    }

    /// The text of `key` with one named argument.
    pub fn with(&self, key: &str, name: &'static str, value: FluentValue<'_>) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> =
            HashMap::from([(Cow::Borrowed(name), value)]);
        LOCALES.lookup_with_args(&self.lang.id(), key, &args)
    }

    /// Money in roubles from minor units: `1 234,50 ₽`, `1,234.50 ₽`.
    pub fn money(&self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        let (point, group) = self.separators();
        format!(
            "{sign}{}{point}{:02}\u{a0}₽",
            grouped(abs / 100, group),
            abs % 100
        )
    }

    /// Points from hundredths of a point; whole points without a fraction.
    pub fn points(&self, hundredths: i64) -> String {
        let sign = if hundredths < 0 { "-" } else { "" };
        let abs = hundredths.unsigned_abs();
        let (point, group) = self.separators();
        let whole = grouped(abs / 100, group);
        match abs % 100 {
            0 => format!("{sign}{whole}"),
            cents => format!("{sign}{whole}{point}{cents:02}"),
        }
    }

    /// A day: `23 ноября 2026`, `23 Nov 2026`.
    pub fn date(&self, date: Date) -> String {
        let month = self.t(&format!("month-{}", date.month()));
        format!("{}\u{a0}{month} {}", date.day(), date.year())
    }

    /// A role as the reader calls it: a built-in role in the reader's
    /// language, a role made here as it was named.
    pub fn role(&self, role: &Role) -> String {
        if role.built_in {
            self.find(&format!("role-{}", role.name))
                .unwrap_or_else(|| role.name.clone())
        } else {
            role.name.clone()
        }
    }

    /// Who did something: a staff user by login, a till by number, a job or
    /// command in the reader's words (`demo`: «демонстрационные данные»).
    pub fn actor(&self, actor: &Actor) -> String {
        match actor {
            Actor::User { login, .. } => login.clone(),
            Actor::Till { id, .. } => self.with("audit-till", "id", id.0.into()),
            Actor::System { name } => self
                .find(&format!("actor-{}", name.replace(' ', "_")))
                .unwrap_or_else(|| self.t("actor-system")),
        }
    }

    /// A field an audit entry names, in the reader's words
    /// (`face_value_minor`: «номинал»); a field without a name as recorded.
    pub fn audit_field(&self, key: &str) -> String {
        self.find(&format!("audit-field-{key}"))
            .unwrap_or_else(|| key.to_owned())
    }

    /// A product category as the till sent it: a known code by its name in
    /// the reader's language (`tobacco`: «Табак»), any other as sent.
    pub fn category(&self, code: &str) -> String {
        match KNOWN_CATEGORIES.contains(&code) {
            true => self.t(&format!("category-{code}")),
            false => code.to_owned(),
        }
    }

    /// A category as typed into a form: a known category's name in either
    /// language means its code; anything else is kept as typed.
    pub fn category_code(typed: &str) -> String {
        let typed = typed.trim();
        KNOWN_CATEGORIES
            .iter()
            .find(|code| {
                code.eq_ignore_ascii_case(typed)
                    || [Lang::Ru, Lang::En].iter().any(|lang| {
                        LOCALES
                            .lookup(&lang.id(), &format!("category-{code}"))
                            .to_lowercase()
                            == typed.to_lowercase()
                    })
            })
            .map_or_else(|| typed.to_owned(), |code| (*code).to_owned())
    }

    /// A use case's complaint about a field, in these words: by its code
    /// for that field (`error-out_of_range-valid_days`), else by its code
    /// (`error-<code>`; a test holds every code to a text in each language).
    pub fn field_error(&self, error: &clientele_domain::FieldError) -> String {
        let field = error.field.rsplit('.').next().unwrap_or(&error.field);
        self.find(&format!("error-{}-{field}", error.code))
            .or_else(|| self.find(&format!("error-{}", error.code)))
            .unwrap_or_else(|| error.message.clone())
    }

    /// A count, its digits grouped: `1 234 567`, `1,234,567`.
    pub fn count(&self, n: u64) -> String {
        grouped(n, self.separators().1)
    }

    /// A day in a chart's axis: `27.08`, `27 Aug`.
    pub fn short_date(&self, date: Date) -> String {
        match self.lang {
            Lang::Ru => format!("{:02}.{:02}", date.day(), date.month()),
            Lang::En => format!(
                "{} {}",
                date.day(),
                self.t(&format!("month-{}", date.month()))
            ),
        }
    }

    /// A moment in a chart's axis, in the shop's time zone: `27.08 14:05`.
    pub fn short_time(&self, at: Timestamp) -> String {
        let local = at.to_zoned(self.zone.clone());
        format!("{} {}", self.short_date(local.date()), self.clock_time(at))
    }

    /// A time of day, in the shop's time zone: `14:05`.
    pub fn clock_time(&self, at: Timestamp) -> String {
        let local = at.to_zoned(self.zone.clone());
        format!("{:02}:{:02}", local.hour(), local.minute())
    }

    /// A moment, in the shop's time zone: the day and the time of day.
    pub fn time(&self, at: Timestamp) -> String {
        let local = at.to_zoned(self.zone.clone());
        format!(
            "{} {:02}:{:02}",
            self.date(local.date()),
            local.hour(),
            local.minute()
        )
    }

    /// The day of a moment, in the shop's time zone.
    pub fn day(&self, at: Timestamp) -> String {
        self.date(at.to_zoned(self.zone.clone()).date())
    }

    /// A day in a table's narrow column: `23.11.2026`, `23 Nov 2026`.
    pub fn compact_date(&self, date: Date) -> String {
        match self.lang {
            Lang::Ru => format!("{:02}.{:02}.{}", date.day(), date.month(), date.year()),
            Lang::En => self.date(date),
        }
    }

    /// The day of an instant, in a table's narrow column.
    pub fn compact_day(&self, at: Timestamp) -> String {
        self.compact_date(at.to_zoned(self.zone.clone()).date())
    }

    pub fn phone(&self, phone: &Phone) -> String {
        phone.display()
    }

    /// A customer's phone and e-mail as shown, empty where there is none.
    pub fn contacts(&self, profile: &CustomerProfile) -> (String, String) {
        (
            profile
                .phone
                .as_ref()
                .map(|p| self.phone(p))
                .unwrap_or_default(),
            profile
                .email
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        )
    }

    fn separators(&self) -> (char, char) {
        match self.lang {
            Lang::Ru => (',', '\u{a0}'),
            Lang::En => ('.', ','),
        }
    }
}

impl Words {
    /// The text of `key` with several named arguments: a sentence that
    /// says a few figures at once.
    pub fn with_all(&self, key: &str, args: Vec<(&'static str, FluentValue<'_>)>) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
            .into_iter()
            .map(|(name, value)| (Cow::Borrowed(name), value))
            .collect();
        LOCALES.lookup_with_args(&self.lang.id(), key, &args)
    }
}

/// Digits in groups of three: `1 234 567`.
fn grouped(number: u64, separator: char) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ru() -> Words {
        Words::new(Lang::Ru, TimeZone::UTC)
    }

    fn en() -> Words {
        Words::new(Lang::En, TimeZone::UTC)
    }

    #[test]
    fn russian_counts_take_one_few_and_many_forms() {
        let found = |n| ru().n("customers-found", n);
        assert_eq!(found(1), "Найден 1 покупатель");
        assert_eq!(found(21), "Найден 21 покупатель");
        assert_eq!(found(3), "Найдено 3 покупателя");
        assert_eq!(found(24), "Найдено 24 покупателя");
        assert_eq!(found(5), "Найдено 5 покупателей");
        assert_eq!(found(11), "Найдено 11 покупателей");
        assert_eq!(found(112), "Найдено 112 покупателей");
        assert_eq!(en().n("customers-found", 1), "1 customer found");
        assert_eq!(en().n("customers-found", 2), "2 customers found");
    }

    #[test]
    fn money_and_points_are_written_as_each_language_writes_them() {
        assert_eq!(ru().money(123_456_789), "1\u{a0}234\u{a0}567,89\u{a0}₽");
        assert_eq!(en().money(123_456_789), "1,234,567.89\u{a0}₽");
        assert_eq!(ru().money(-5), "-0,05\u{a0}₽");
        assert_eq!(ru().points(15_000), "150");
        assert_eq!(ru().points(123_450), "1\u{a0}234,50");
        assert_eq!(en().points(-7), "-0.07");
    }

    #[test]
    fn a_narrow_column_writes_the_day_in_figures_in_russian() {
        let day = jiff::civil::date(2026, 3, 5);
        assert_eq!(ru().compact_date(day), "05.03.2026");
        assert_eq!(en().compact_date(day), "5\u{a0}Mar 2026");
    }

    #[test]
    fn dates_name_the_month_in_the_language() {
        let day = jiff::civil::date(2026, 11, 23);
        assert_eq!(ru().date(day), "23\u{a0}ноября 2026");
        assert_eq!(en().date(day), "23\u{a0}Nov 2026");
    }

    #[test]
    fn every_key_has_both_languages_once() {
        let keys = |text: &str| -> std::collections::BTreeSet<String> {
            let all: Vec<String> = text
                .lines()
                .filter(|line| !line.starts_with([' ', '#', '*', '[']) && line.contains(" ="))
                .filter_map(|line| line.split(" =").next())
                .map(str::to_owned)
                .collect();
            let once: std::collections::BTreeSet<String> = all.iter().cloned().collect();
            // A key given twice stops the table from loading at all.
            assert_eq!(once.len(), all.len(), "a key is given twice");
            once
        };
        let russian = keys(include_str!("../../../locales/ru/console.ftl"));
        let english = keys(include_str!("../../../locales/en/console.ftl"));
        assert_eq!(
            russian.symmetric_difference(&english).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
    }

    /// The codes field errors are made with, wherever they are made: the
    /// second argument of a `FieldError` constructor and its kin.
    fn error_codes(source: &str) -> Vec<String> {
        let mut codes = Vec::new();
        for call in ["FieldError::new(", "ValidationErrors::one(", "invalid("] {
            for (at, _) in source.match_indices(call) {
                let rest = &source[at + call.len()..];
                // Skip the field: up to the first comma outside brackets.
                let mut depth = 0;
                let Some(comma) = rest.char_indices().find_map(|(i, c)| {
                    match c {
                        '(' | '[' | '{' => depth += 1,
                        ')' | ']' | '}' if depth == 0 => return Some(None),
                        ')' | ']' | '}' => depth -= 1,
                        ',' if depth == 0 => return Some(Some(i)),
                        _ => {}
                    }
                    None
                }) else {
                    continue;
                };
                let Some(comma) = comma else { continue };
                let code = rest[comma + 1..].trim_start();
                if let Some(code) = code.strip_prefix('"')
                    && let Some(end) = code.find('"')
                    && code[..end]
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    codes.push(code[..end].to_owned());
                }
            }
        }
        codes
    }

    fn sources(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }

    /// Every code a use case refuses a field with has its words in each
    /// language, so that no refusal reaches a clerk in the use case's English.
    #[test]
    fn every_error_code_has_words_in_each_language() {
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        for krate in ["domain", "app", "http"] {
            sources(&crates.join(krate).join("src"), &mut files);
        }
        let mut codes = std::collections::BTreeSet::new();
        for file in &files {
            let source = std::fs::read_to_string(file).expect("a source file");
            codes.extend(error_codes(&source));
        }
        assert!(codes.len() > 40, "the codes were not found: {codes:?}");
        let missing: Vec<String> = codes
            .iter()
            .flat_map(|code| {
                [ru(), en()].into_iter().filter_map(move |w| {
                    w.find(&format!("error-{code}"))
                        .is_none()
                        .then(|| format!("{}: error-{code}", w.lang.code()))
                })
            })
            .collect();
        assert!(missing.is_empty(), "no words for {missing:?}");
    }

    #[test]
    fn categories_and_roles_are_named_in_the_language() {
        assert_eq!(ru().category("tobacco"), "Табак");
        assert_eq!(en().category("tobacco"), "Tobacco");
        assert_eq!(ru().category("fish"), "fish");
        assert_eq!(Words::category_code(" табак "), "tobacco");
        assert_eq!(Words::category_code("Alcohol"), "alcohol");
        assert_eq!(Words::category_code("Рыба"), "Рыба");
        for code in KNOWN_CATEGORIES {
            for w in [ru(), en()] {
                assert!(w.find(&format!("category-{code}")).is_some(), "{code}");
            }
        }
    }
}
