use jiff::civil::{Date, date};
use proptest::prelude::*;

use super::*;

const NBSP: char = '\u{a0}';

fn parse(raw: &str) -> Text {
    Text::parse("body", raw).unwrap()
}

fn parse_err(raw: &str) -> FieldError {
    Text::parse("body", raw).unwrap_err()
}

fn anna() -> Personal {
    Personal {
        name: "Анна Петрова".into(),
        first_name: "Анна".into(),
        balance: 125_000,
        next_expiry: Some((30_050, date(2027, 1, 15))),
        tier: Some("Золото".into()),
        coupon: Some("SPRING-7Q4K".into()),
        offer: Some("−15 % на кофе".into()),
    }
}

const EVERY: &str = "{{name}}|{{first_name}}|{{balance}}|{{expiring_points}}|{{expiring_on}}|\
                     {{tier}}|{{coupon}}|{{offer}}";

fn input() -> TemplateInput {
    TemplateInput {
        name: "  Баллы   сгорают ".into(),
        locale: "ru".into(),
        subject: Some("  {{first_name}}, баллы сгорают  ".into()),
        body: "Здравствуйте, {{ name }}!\nУ вас {{balance}} баллов.\n".into(),
        html: Some("<p>У вас <b>{{ balance }}</b> баллов, {{first_name}}.</p>".into()),
    }
}

fn errors(input: &TemplateInput) -> Vec<(String, &'static str)> {
    input
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

fn field(name: &str, code: &'static str) -> (String, &'static str) {
    (name.to_owned(), code)
}

// Parsing.

#[test]
fn parses_placeholders_with_or_without_spaces_inside() {
    for raw in ["{{name}}", "{{ name }}", "{{   name}}", "{{\tname\n}}"] {
        let text = parse(raw);
        assert_eq!(text.placeholders(), vec![Placeholder::Name], "{raw:?}");
        assert_eq!(text.render_text(&anna(), Locale::Ru), "Анна Петрова");
    }
}

#[test]
fn lists_placeholders_once_in_order_of_first_use() {
    let text = parse("{{ tier }} {{name}} {{tier}} {{ balance }} {{name}}");
    assert_eq!(
        text.placeholders(),
        vec![Placeholder::Tier, Placeholder::Name, Placeholder::Balance]
    );
    assert!(parse("no placeholders").placeholders().is_empty());
}

#[test]
fn every_placeholder_is_known_by_its_name() {
    for p in Placeholder::ALL {
        assert_eq!(Placeholder::parse(p.as_str()), Some(p));
        assert_eq!(
            parse(&format!("{{{{{}}}}}", p.as_str())).placeholders(),
            [p]
        );
    }
    assert_eq!(Placeholder::parse("Name"), None);
}

#[test]
fn refuses_an_unknown_placeholder_naming_it_and_the_known_ones() {
    let error = parse_err("Привет, {{ nmae }}!");
    assert_eq!(error.field, "body");
    assert_eq!(error.code, "unknown_placeholder");
    assert!(error.message.contains("«nmae»"), "{}", error.message);
    for p in Placeholder::ALL {
        assert!(error.message.contains(p.as_str()), "{}", error.message);
    }
    assert_eq!(
        Text::parse("subject", "{{Name}}").unwrap_err().field,
        "subject"
    );
}

#[test]
fn names_are_exact() {
    for raw in [
        "{{Name}}",
        "{{ first name }}",
        "{{}}",
        "{{  }}",
        "{{ name}} {{имя}}",
    ] {
        assert_eq!(parse_err(raw).code, "unknown_placeholder", "{raw:?}");
    }
    assert!(parse_err("{{имя}}").message.contains("«имя»"));
    assert!(parse_err("{{ }}").message.contains("«»"));
}

#[test]
fn a_long_unknown_name_is_cut_in_the_message() {
    let long = "б".repeat(500);
    let error = parse_err(&format!("{{{{{long}}}}}"));
    assert_eq!(error.code, "unknown_placeholder");
    assert!(error.message.contains(&format!("«{}…»", "б".repeat(40))));
}

#[test]
fn refuses_an_unclosed_placeholder_giving_its_place_in_characters() {
    let error = parse_err("Привет, {{ name");
    assert_eq!(error.code, "unclosed_placeholder");
    // Counted in characters, not bytes: «Привет, » is 8 characters, 14 bytes.
    assert!(error.message.contains("character 9"), "{}", error.message);
    assert_eq!(parse_err("{{ name }").code, "unclosed_placeholder");
    assert_eq!(parse_err("{{name}} и {{").code, "unclosed_placeholder");
}

#[test]
fn a_placeholder_left_open_before_another_is_unclosed() {
    let error = parse_err("{{ name {{ first_name }}");
    assert_eq!(error.code, "unclosed_placeholder");
    assert!(error.message.contains("character 1"), "{}", error.message);
}

#[test]
fn lone_braces_are_text() {
    for raw in [
        "{",
        "}",
        "}}",
        "a { b } c",
        "body{color:red}",
        "@media (x){a{b:c}}",
        "}} {name} {",
        "ё{",
        "{ {name} }",
    ] {
        let text = parse(raw);
        assert!(text.placeholders().is_empty(), "{raw:?}");
        assert_eq!(text.render_html(&anna(), Locale::Ru), raw);
    }
}

#[test]
fn triple_braces_are_a_brace_around_a_placeholder() {
    let who = anna();
    assert_eq!(
        parse("{{{ first_name }}}").render_text(&who, Locale::Ru),
        "{Анна}"
    );
    assert_eq!(
        parse("{{{{first_name}}}}").render_text(&who, Locale::Ru),
        "{{Анна}}"
    );
    // Never unescaped, as Mustache's triple braces would be.
    let who = Personal {
        first_name: "<b>".into(),
        ..Personal::default()
    };
    assert_eq!(
        parse("{{{first_name}}}").render_html(&who, Locale::En),
        "{&lt;b&gt;}"
    );
}

#[test]
fn cyrillic_and_emoji_around_placeholders_are_kept() {
    let raw = "Ёлки, {{first_name}}🎄! Баланс:{{balance}}ё{{tier}}";
    let text = parse(raw);
    assert_eq!(text.raw(), raw);
    assert_eq!(
        text.render_text(&anna(), Locale::Ru),
        format!("Ёлки, Анна🎄! Баланс:1{NBSP}250ёЗолото")
    );
    // A placeholder right after a multi-byte character and at the very end.
    assert_eq!(
        parse("жж{{name}}").render_text(&anna(), Locale::Ru),
        "жжАнна Петрова"
    );
}

// Rendering.

#[test]
fn renders_every_placeholder_in_russian() {
    assert_eq!(
        parse(EVERY).render_text(&anna(), Locale::Ru),
        format!("Анна Петрова|Анна|1{NBSP}250|300,50|15.01.2027|Золото|SPRING-7Q4K|−15 % на кофе")
    );
}

#[test]
fn renders_every_placeholder_in_english() {
    assert_eq!(
        parse(EVERY).render_text(&anna(), Locale::En),
        "Анна Петрова|Анна|1,250|300.50|15 Jan 2027|Золото|SPRING-7Q4K|−15 % на кофе"
    );
}

#[test]
fn points_are_grouped_by_thousands_with_a_fraction_only_when_there_is_one() {
    let cases = [
        (0, "0", "0"),
        (5, "0,05", "0.05"),
        (1_250, "12,50", "12.50"),
        (99_900, "999", "999"),
        (100_000, "1\u{a0}000", "1,000"),
        (123_456_789, "1\u{a0}234\u{a0}567,89", "1,234,567.89"),
        (-125_000, "-1\u{a0}250", "-1,250"),
        (-5, "-0,05", "-0.05"),
    ];
    let text = parse("{{balance}}");
    for (balance, ru, en) in cases {
        let who = Personal {
            balance,
            ..Personal::default()
        };
        assert_eq!(text.render_text(&who, Locale::Ru), ru, "{balance}");
        assert_eq!(text.render_text(&who, Locale::En), en, "{balance}");
    }
    let extreme = Personal {
        balance: i64::MIN,
        ..Personal::default()
    };
    assert_eq!(
        text.render_text(&extreme, Locale::En),
        "-92,233,720,368,547,758.08"
    );
}

#[test]
fn days_are_written_as_the_locale_reads_them() {
    let text = parse("{{expiring_on}}");
    for (day, ru, en) in [
        (date(2027, 1, 15), "15.01.2027", "15 Jan 2027"),
        (date(2026, 3, 5), "05.03.2026", "5 Mar 2026"),
        (date(2026, 12, 31), "31.12.2026", "31 Dec 2026"),
    ] {
        let who = Personal {
            next_expiry: Some((100, day)),
            ..Personal::default()
        };
        assert_eq!(text.render_text(&who, Locale::Ru), ru);
        assert_eq!(text.render_text(&who, Locale::En), en);
    }
}

#[test]
fn without_an_expiry_no_points_expire_on_no_day() {
    let who = Personal {
        next_expiry: None,
        ..anna()
    };
    let text = parse("[{{expiring_points}}][{{expiring_on}}]");
    assert_eq!(text.render_text(&who, Locale::Ru), "[0][]");
    assert_eq!(text.render_html(&who, Locale::En), "[0][]");
}

#[test]
fn missing_values_render_empty() {
    let text = parse("[{{name}}][{{first_name}}][{{tier}}][{{coupon}}][{{offer}}][{{balance}}]");
    assert_eq!(
        text.render_text(&Personal::default(), Locale::Ru),
        "[][][][][][0]"
    );
}

#[test]
fn the_example_customer_fills_every_placeholder() {
    for locale in Locale::ALL {
        let who = Personal::example(locale);
        for p in Placeholder::ALL {
            let text = parse(&format!("{{{{ {} }}}}", p.as_str()));
            assert!(
                !text.render_text(&who, locale).is_empty(),
                "{} in {}",
                p.as_str(),
                locale.as_str()
            );
        }
    }
    assert_eq!(
        parse("{{first_name}}, {{balance}}")
            .render_text(&Personal::example(Locale::En), Locale::En),
        "Anna, 1,250"
    );
}

#[test]
fn locales_parse_by_their_code() {
    for locale in Locale::ALL {
        assert_eq!(Locale::parse(locale.as_str()), Ok(locale));
    }
    let error = Locale::parse("de").unwrap_err();
    assert_eq!(
        (error.field.as_str(), error.code),
        ("locale", "unknown_locale")
    );
    assert!(error.message.contains("«de»"));
    assert!(Locale::parse("RU").is_err());
}

// Escaping.

#[test]
fn customer_data_is_escaped_in_html_and_kept_in_text() {
    let evil = r#"<script>alert(1)</script> & "Ко""#;
    let who = Personal {
        name: evil.into(),
        tier: Some("O'Brien".into()),
        ..Personal::default()
    };
    let text = parse("<p>{{name}}</p><i>{{tier}}</i>");
    assert_eq!(
        text.render_html(&who, Locale::Ru),
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Ко&quot;</p><i>O&#39;Brien</i>"
    );
    assert_eq!(
        text.render_text(&who, Locale::Ru),
        format!("<p>{evil}</p><i>O'Brien</i>")
    );
}

#[test]
fn the_marketers_html_is_kept_as_written() {
    let raw = r#"<a href="https://shop.example/?a=1&b=2" style='x'>&nbsp;{{coupon}}</a>"#;
    assert_eq!(
        parse(raw).render_html(&anna(), Locale::Ru),
        r#"<a href="https://shop.example/?a=1&b=2" style='x'>&nbsp;SPRING-7Q4K</a>"#
    );
}

#[test]
fn a_value_cannot_break_the_subject_line() {
    let terms = input().validate().unwrap();
    let evil = "Анна\r\nBcc: all@example.com";
    let who = Personal {
        name: evil.into(),
        first_name: evil.into(),
        ..anna()
    };
    let rendered = terms.render(&who);
    assert_eq!(
        rendered.subject.as_deref(),
        Some("Анна  Bcc: all@example.com, баллы сгорают")
    );
    // The body is no header: its values stay as they are.
    assert!(rendered.text.contains(evil));
}

// Validation.

#[test]
fn a_valid_input_gives_its_terms() {
    let terms = input().validate().unwrap();
    assert_eq!(terms.name, "Баллы сгорают");
    assert_eq!(terms.locale, Locale::Ru);
    assert_eq!(
        terms.subject.as_ref().map(Text::raw),
        Some("{{first_name}}, баллы сгорают")
    );
    assert_eq!(terms.body.raw(), input().body);
    assert_eq!(terms.html.as_ref().map(Text::raw), input().html.as_deref());
}

#[test]
fn terms_render_the_subject_and_body_as_text_and_the_html_as_html() {
    let terms = input().validate().unwrap();
    let who = Personal {
        first_name: "<Аня>".into(),
        ..anna()
    };
    assert_eq!(
        terms.render(&who),
        Rendered {
            subject: Some("<Аня>, баллы сгорают".into()),
            text: format!("Здравствуйте, Анна Петрова!\nУ вас 1{NBSP}250 баллов.\n"),
            html: Some(format!(
                "<p>У вас <b>1{NBSP}250</b> баллов, &lt;Аня&gt;.</p>"
            )),
        }
    );
}

#[test]
fn empty_optional_texts_are_absent() {
    for blank in ["", "  ", "\n"] {
        let terms = TemplateInput {
            subject: Some(blank.into()),
            html: Some(blank.into()),
            ..input()
        }
        .validate()
        .unwrap();
        assert_eq!((terms.subject, terms.html), (None, None));
    }
    let terms = TemplateInput {
        subject: None,
        html: None,
        ..input()
    }
    .validate()
    .unwrap();
    let rendered = terms.render(&anna());
    assert_eq!((rendered.subject, rendered.html), (None, None));
}

#[test]
fn every_field_error_is_reported_at_once() {
    let bad = TemplateInput {
        name: " ".into(),
        locale: "de".into(),
        subject: Some("Привет\n{{ nmae }}".into()),
        body: "{{ balance".into(),
        html: Some("<p>{{ name }} {{ баланс }}</p>".into()),
    };
    assert_eq!(
        errors(&bad),
        vec![
            field("name", "required"),
            field("locale", "unknown_locale"),
            field("subject", "not_one_line"),
            field("subject", "unknown_placeholder"),
            field("body", "unclosed_placeholder"),
            field("html", "unknown_placeholder"),
        ]
    );
}

#[test]
fn a_body_is_required() {
    for body in ["", " \n\t "] {
        let bad = TemplateInput {
            body: body.into(),
            ..input()
        };
        assert_eq!(errors(&bad), vec![field("body", "required")]);
    }
}

#[test]
fn limits_count_characters_as_sent() {
    let at_limit = TemplateInput {
        name: "я".repeat(100),
        subject: Some("ж".repeat(200)),
        body: "ё".repeat(5000),
        html: Some("щ".repeat(100_000)),
        ..input()
    };
    assert!(at_limit.validate().is_ok());
    let over = TemplateInput {
        name: "я".repeat(101),
        subject: Some(format!("{} ", "ж".repeat(200))),
        body: "ё".repeat(5001),
        html: Some("щ".repeat(100_001)),
        ..input()
    };
    assert_eq!(
        errors(&over),
        vec![
            field("name", "too_long"),
            field("subject", "too_long"),
            field("body", "too_long"),
            field("html", "too_long"),
        ]
    );
}

#[test]
fn a_subject_is_one_line() {
    for subject in ["a\nb", "a\r\nb", "a\rb"] {
        let bad = TemplateInput {
            subject: Some(subject.into()),
            ..input()
        };
        assert_eq!(errors(&bad), vec![field("subject", "not_one_line")]);
    }
    // Line breaks around it are trimmed away, not refused.
    let fine = TemplateInput {
        subject: Some("\nТема\r\n".into()),
        ..input()
    };
    assert_eq!(
        fine.validate().unwrap().subject.as_ref().map(Text::raw),
        Some("Тема")
    );
}

#[test]
fn placeholder_errors_are_reported_on_their_field() {
    let bad = TemplateInput {
        subject: Some("{{ coupon".into()),
        body: "{{ купон }}".into(),
        html: Some("{{Coupon}}".into()),
        ..input()
    };
    let found = bad.validate().unwrap_err();
    assert_eq!(
        found
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code))
            .collect::<Vec<_>>(),
        vec![
            ("subject", "unclosed_placeholder"),
            ("body", "unknown_placeholder"),
            ("html", "unknown_placeholder"),
        ]
    );
    assert!(found.0[1].message.contains("«купон»"));
    assert!(found.0[2].message.contains("«Coupon»"));
}

#[test]
fn the_nul_character_is_refused() {
    let bad = TemplateInput {
        name: "a\0".into(),
        subject: Some("a\0b".into()),
        body: "a\0".into(),
        html: Some("\0<p>".into()),
        ..input()
    };
    assert_eq!(
        errors(&bad),
        vec![
            field("name", "nul_character"),
            field("subject", "nul_character"),
            field("body", "nul_character"),
            field("html", "nul_character"),
        ]
    );
}

#[test]
fn english_templates_render_in_english() {
    let terms = TemplateInput {
        locale: "en".into(),
        body: "{{balance}} points expire on {{expiring_on}}".into(),
        ..input()
    }
    .validate()
    .unwrap();
    assert_eq!(terms.locale, Locale::En);
    assert_eq!(
        terms.render(&anna()).text,
        "1,250 points expire on 15 Jan 2027"
    );
}

// Properties.

fn any_day() -> impl Strategy<Value = Date> {
    (1i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
}

fn any_personal() -> impl Strategy<Value = Personal> {
    (
        (any::<String>(), any::<String>(), any::<i64>()),
        proptest::option::of((any::<i64>(), any_day())),
        (
            proptest::option::of(any::<String>()),
            proptest::option::of("[<>&\"' a-zа-я;#]{0,12}"),
            proptest::option::of(any::<String>()),
        ),
    )
        .prop_map(
            |((name, first_name, balance), next_expiry, (tier, coupon, offer))| Personal {
                name,
                first_name,
                balance,
                next_expiry,
                tier,
                coupon,
                offer,
            },
        )
}

fn any_placeholder() -> impl Strategy<Value = Placeholder> {
    proptest::sample::select(Placeholder::ALL.to_vec())
}

fn any_locale() -> impl Strategy<Value = Locale> {
    proptest::sample::select(Locale::ALL.to_vec())
}

/// Text with no `{{` in it and no `{` at its end, so pieces of it can be put
/// beside each other and beside placeholders without making one.
fn any_literal() -> impl Strategy<Value = String> {
    "([a-zа-яё <>&\"';}\n🎄]|\\{[a-zа-яё <>}])*"
}

/// Undoes `Text::render_html`'s escaping.
fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

proptest! {
    /// (a) Whatever a customer's data, a template of placeholders alone
    /// gives HTML with no markup: no `<`, `>` or quote, and every `&`
    /// starting an escape, which reads back to the plain text.
    #[test]
    fn html_of_placeholders_alone_holds_no_markup_from_customer_data(
        who in any_personal(),
        placeholders in prop::collection::vec((any_placeholder(), 0usize..3), 0..12),
        locale in any_locale(),
    ) {
        let raw: String = placeholders
            .iter()
            .map(|(p, spaces)| format!("{{{{{}{}}}}}", " ".repeat(*spaces), p.as_str()))
            .collect();
        let text = Text::parse("html", &raw).unwrap();
        let html = text.render_html(&who, locale);
        prop_assert!(!html.contains(['<', '>', '"', '\'']), "{html:?}");
        for (at, _) in html.match_indices('&') {
            let escape = ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"];
            prop_assert!(escape.iter().any(|e| html[at..].starts_with(e)), "{html:?}");
        }
        prop_assert_eq!(unescape(&html), text.render_text(&who, locale));
    }

    /// (b) Any text that parses keeps exactly what was written.
    #[test]
    fn parse_keeps_the_raw_text_exactly(raw in any::<String>()) {
        if let Ok(text) = Text::parse("body", &raw) {
            prop_assert_eq!(text.raw(), raw.as_str());
        }
    }

    /// (b) A text built of literals and placeholders (spaces inside, a `{`
    /// just before) parses, keeps what was written, and renders as built.
    #[test]
    fn a_built_text_parses_and_renders_as_built(
        pieces in prop::collection::vec(
            (any_literal(), any_placeholder(), "[ \t\n]{0,2}", "[ \t\n]{0,2}", any::<bool>()),
            0..6,
        ),
        tail in any_literal(),
        who in any_personal(),
        locale in any_locale(),
    ) {
        let mut raw = String::new();
        let mut expected = String::new();
        let mut placeholders = Vec::new();
        for (literal, p, before, after, brace) in &pieces {
            let brace = if *brace { "{" } else { "" };
            raw.push_str(&format!("{literal}{brace}{{{{{before}{}{after}}}}}", p.as_str()));
            let value = Text::parse("body", &format!("{{{{{}}}}}", p.as_str()))
                .unwrap()
                .render_text(&who, locale);
            expected.push_str(&format!("{literal}{brace}{value}"));
            if !placeholders.contains(p) {
                placeholders.push(*p);
            }
        }
        raw.push_str(&tail);
        expected.push_str(&tail);
        let text = Text::parse("body", &raw).unwrap();
        prop_assert_eq!(text.raw(), raw.as_str());
        prop_assert_eq!(text.placeholders(), placeholders);
        prop_assert_eq!(text.render_text(&who, locale), expected);
    }

    /// (c) A text with no `{{` is all literal: it renders to itself, as
    /// text and as HTML.
    #[test]
    fn a_text_without_double_braces_renders_to_itself(
        raw in any::<String>().prop_filter("no {{", |r| !r.contains("{{")),
        who in any_personal(),
        locale in any_locale(),
    ) {
        let text = Text::parse("body", &raw).unwrap();
        prop_assert!(text.placeholders().is_empty());
        prop_assert_eq!(text.render_text(&who, locale), raw.as_str());
        prop_assert_eq!(text.render_html(&who, locale), raw.as_str());
    }

    /// Parsing never panics, whatever is sent, and an error is always
    /// one of the two placeholder errors on the field asked.
    #[test]
    fn parse_never_panics(raw in "[{}a-zа-я _]{0,40}") {
        match Text::parse("html", &raw) {
            Ok(text) => prop_assert_eq!(text.raw(), raw.as_str()),
            Err(error) => {
                prop_assert_eq!(error.field.as_str(), "html");
                prop_assert!(
                    ["unknown_placeholder", "unclosed_placeholder"].contains(&error.code)
                );
            }
        }
    }
}
