//! A server that sends e-mail to a real SMTP server of its own (aiosmtpd),
//! its links pointing back at it.

use std::sync::Arc;

use clientele_app::Clock;
use clientele_app::outbox::{Messaging, Pace};
use clientele_channels::Smtp;
use clientele_channels::sink::SmtpSink;
use clientele_domain::message::{Caps, QuietHours};

use super::{Engine, TestServer, fresh_database};

/// A fresh server at 12:00 in Moscow (the customers' daytime is 09–21,
/// three marketing messages a day), e-mailing into the returned sink.
pub async fn server_with_mail(engine: Engine) -> (TestServer, SmtpSink) {
    let sink = SmtpSink::start();
    let email = Arc::new(Smtp::new(&sink.settings()).unwrap());
    let clock = Clock::fixed(
        jiff::tz::TimeZone::get("Europe/Moscow").unwrap(),
        "2026-11-23T09:00:00Z".parse().unwrap(),
    );
    let server =
        TestServer::start_with(fresh_database(engine).await, clock, "owner", |app, base| {
            app.with_messaging(Messaging {
                email: Some(email),
                daytime: Some(QuietHours {
                    from: jiff::civil::time(9, 0, 0, 0),
                    to: jiff::civil::time(21, 0, 0, 0),
                }),
                caps: Caps {
                    per_day: Some(3),
                    per_week: None,
                },
                cascade_after: Some(jiff::SignedDuration::from_mins(10)),
                public_url: format!("{base}/"),
                pace: Pace::default(),
            })
        })
        .await;
    (server, sink)
}

/// The one-click unsubscribe address an e-mail names in its headers.
pub fn unsubscribe_link(raw: &[u8]) -> String {
    let mail = mail_parser::MessageParser::default().parse(raw).unwrap();
    let header = mail
        .header_raw("List-Unsubscribe")
        .expect("a List-Unsubscribe header");
    header
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned()
}
