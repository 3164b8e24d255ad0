//! A channel's page as it renders, for its handlers: whether it is set up
//! and by whom, a test message and what became of it, the addresses its
//! provider posts to, and the form of one provider's settings (read only
//! for a role that may not change them), refused with each error beside
//! its field and what was typed kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::http::StatusCode;
use clientele_app::outbox::channels::{SetUpChannel, TestOutcome, Webhook};
use clientele_domain::message::Channel;
use clientele_domain::{Module, Right};

use super::draft::{Draft, providers, reports};
use super::fields::{Section, sections};
use crate::api::channels::webhook_url;
use crate::console::kit::{Chrome, Console, Once, PageError, PageResult, Words, render};
use crate::state::AppState;

/// The channel an address names; another is the not-found page.
pub fn channel(raw: &str) -> Result<Channel, PageError> {
    Channel::parse(raw).map_err(|_| PageError::NotFound)
}

/// Whether a channel is set up, in words: by which provider, in the
/// server's configuration file, or not at all.
pub fn set_up_said(w: &Words, provider: Option<&str>, from_file: bool) -> String {
    match provider {
        Some(provider) => w.with(
            "channel-state-set-up",
            "provider",
            w.t(&format!("channel-provider-{provider}")).into(),
        ),
        None if from_file => w.t("channel-state-from-file"),
        None => w.t("channel-state-none"),
    }
}

/// The test form: where the message goes, and what became of it.
#[derive(Default)]
pub struct Test {
    pub token: String,
    pub address: String,
    pub error: Option<String>,
    pub outcome: Option<TestOutcome>,
}

/// The page's forms as they stand.
pub struct Shown {
    /// The settings as typed; `None`, as kept (or blank).
    pub draft: Option<Draft>,
    pub token: String,
    pub errors: BTreeMap<String, String>,
    pub notice: Option<String>,
    pub test: Test,
}

impl Shown {
    pub fn fresh() -> Shown {
        Shown {
            draft: None,
            token: Once::fresh(),
            errors: BTreeMap::new(),
            notice: None,
            test: Test {
                token: Once::fresh(),
                ..Test::default()
            },
        }
    }
}

/// A provider the page offers: its tab, chosen or not.
struct Tab {
    href: String,
    label: String,
    current: bool,
}

/// What a test came to, in words; the provider's own answer apart.
struct Said {
    sent: bool,
    text: String,
    answer: Option<String>,
}

#[derive(Template)]
#[template(path = "settings/channel.html")]
struct ChannelPage<'a> {
    c: Chrome,
    w: &'a Words,
    channel: &'static str,
    name: String,
    state: String,
    notice: Option<String>,
    /// Set up in the server's configuration file alone.
    from_file: bool,
    /// A test may be sent: the channel is set up one way or another.
    testable: bool,
    test: Test,
    /// What the test's address is for this channel.
    address_hint: String,
    said: Option<Said>,
    reports_url: Option<String>,
    inbound_url: Option<String>,
    /// The provider is given its inbound address when saved (Telegram).
    self_hooked: bool,
    tabs: Vec<Tab>,
    may_edit: bool,
    token: String,
    provider: String,
    sections: Vec<Section>,
    /// The generic provider's placeholders, as written, and what each gives.
    placeholders: Vec<(&'static str, String)>,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    /// What no field of the form shows.
    general: Option<String>,
}

impl ChannelPage<'_> {
    fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field).map(String::as_str)
    }
}

/// What the generic provider's template may say, as written there.
const PLACEHOLDERS: [(&str, &str); 6] = [
    ("{{to}}", "to"),
    ("{{to_digits}}", "to_digits"),
    ("{{text}}", "text"),
    ("{{subject}}", "subject"),
    ("{{id}}", "id"),
    ("{{secret.NAME}}", "secret"),
];

/// The channel's page, the provider `asked` for shown (else the one set up,
/// else the usual one).
pub(super) async fn page(
    state: &AppState,
    console: &Console,
    channel: Channel,
    asked: Option<&str>,
    shown: Shown,
) -> PageResult {
    let w = &console.words;
    let kept: Option<SetUpChannel> =
        (state.app.channel_settings().await?.into_iter()).find(|c| c.channel == channel);
    let from_file = kept.is_none() && state.app.channels_set_up().contains(&channel);
    let offered = providers(channel);
    let provider = (asked.filter(|p| offered.contains(p)))
        .or(kept.as_ref().map(|k| k.settings.provider()))
        .unwrap_or(offered[0]);
    let kept_draft =
        (kept.as_ref()).map(|k| Draft::of(&serde_json::to_value(&k.settings).unwrap_or_default()));
    let draft = match shown.draft {
        Some(draft) => draft,
        None => (kept_draft.clone())
            .filter(|d| d.provider == provider)
            .unwrap_or_else(|| Draft::blank(provider)),
    };
    let state_said = set_up_said(w, kept.as_ref().map(|k| k.settings.provider()), from_file);
    let reports_url = (kept.as_ref())
        .filter(|_| kept_draft.as_ref().is_some_and(reports))
        .map(|k| webhook_url(state, k, Webhook::Reports));
    // A customer writes back over a channel that has a phone at its end.
    let answers = matches!(channel, Channel::Sms | Channel::Viber | Channel::Messenger);
    // A Telegram bot is pointed at its inbound address when it is saved.
    let self_hooked = kept
        .as_ref()
        .is_some_and(|k| k.settings.provider() == "telegram");
    let inbound_url = (kept.as_ref())
        .filter(|_| answers && !self_hooked)
        .map(|k| webhook_url(state, k, Webhook::Inbound));
    let said = shown.test.outcome.as_ref().map(|outcome| said(w, outcome));
    let sections = sections(w, provider);
    let (beside, above): (BTreeMap<_, _>, BTreeMap<_, _>) =
        (shown.errors.into_iter()).partition(|(field, _)| {
            (sections.iter()).any(|s| s.fields.iter().any(|f| f.name == field))
        });
    let status = match (&shown.test.outcome, &shown.test.error) {
        (Some(TestOutcome::Unreachable { .. }), _) => StatusCode::SERVICE_UNAVAILABLE,
        (Some(TestOutcome::Refused { .. }), _) | (_, Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        _ if !beside.is_empty() || !above.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let code = channel.as_str();
    let page = ChannelPage {
        c: console.chrome(),
        w,
        channel: code,
        name: w.t(&format!("message-channel-{code}")),
        state: state_said,
        notice: shown.notice,
        from_file,
        testable: kept.is_some() || from_file,
        test: shown.test,
        address_hint: w.t(&format!("channel-address-hint-{code}")),
        said,
        reports_url,
        inbound_url,
        self_hooked,
        tabs: (offered.iter())
            .map(|&p| Tab {
                href: format!("/settings/channels/{code}?provider={p}#settings"),
                label: w.t(&format!("channel-provider-{p}")),
                current: p == provider,
            })
            .collect(),
        may_edit: console.may(Module::Settings, Right::Edit),
        token: shown.token,
        provider: provider.to_owned(),
        sections,
        placeholders: match provider {
            "http" => (PLACEHOLDERS.iter())
                .map(|&(written, name)| (written, w.t(&format!("channel-placeholder-{name}"))))
                .collect(),
            _ => Vec::new(),
        },
        values: draft.values(),
        errors: beside,
        general: Some(above.into_values().collect::<Vec<_>>().join(" ")).filter(|g| !g.is_empty()),
    };
    Ok(render(status, &page))
}

/// What a test came to, in words.
fn said(w: &Words, outcome: &TestOutcome) -> Said {
    match outcome {
        TestOutcome::Sent {
            provider_id: Some(id),
        } => Said {
            sent: true,
            text: w.t("channel-test-sent-as"),
            answer: Some(id.clone()),
        },
        TestOutcome::Sent { provider_id: None } => Said {
            sent: true,
            text: w.t("channel-test-sent"),
            answer: None,
        },
        TestOutcome::Refused { answer } => Said {
            sent: false,
            text: w.t("channel-test-refused"),
            answer: Some(answer.clone()),
        },
        TestOutcome::Unreachable { answer } => Said {
            sent: false,
            text: w.t("channel-test-unreachable"),
            answer: Some(answer.clone()),
        },
    }
}
