//! The mail side of the run: the SMTP ceiling, the outbox's worker played
//! for a while, and where a campaign's queueing spends its time.

use std::sync::Arc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clientele_app::App;
use clientele_app::outbox::DeliveryReport;
use clientele_app::progress::Progress;
use clientele_channels::{Courier, Envelope};

use crate::Steps;

/// E-mails the ceiling sends at once: as many as the worker's customers.
pub const AT_ONCE: usize = 8;

/// E-mails a second sent straight to the server by `courier`, [`AT_ONCE`]
/// at once for `duration`, as `outbox`'s ceiling sends them.
pub async fn ceiling(courier: &Arc<dyn Courier>, duration: Duration) -> anyhow::Result<f64> {
    let started = Instant::now();
    let end = started + duration;
    let senders: Vec<_> = (0..AT_ONCE)
        .map(|n| {
            let courier = courier.clone();
            tokio::spawn(async move {
                let (mut sent, mut failed) = (0u64, 0u64);
                while Instant::now() < end {
                    let i = sent + failed;
                    let envelope = Envelope {
                        id: format!("ceiling-{n}-{i}"),
                        to: format!("customer{n}x{i}@example.ru"),
                        subject: "Зимняя распродажа".into(),
                        text: "Здравствуйте! Скидки до 30% до конца недели.".into(),
                        html: Some("<p>Здравствуйте! Скидки до 30% до конца недели.</p>".into()),
                        unsubscribe: Some(format!("http://127.0.0.1/unsubscribe/{n}x{i}")),
                    };
                    match courier.send(&envelope).await {
                        Ok(_) => sent += 1,
                        Err(_) => failed += 1,
                    }
                }
                (sent, failed)
            })
        })
        .collect();
    let (mut sent, mut failed) = (0, 0);
    for sender in senders {
        let (s, f) = sender.await?;
        sent += s;
        failed += f;
    }
    let elapsed = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        failed == 0,
        "the server refused {failed} of the ceiling's e-mails"
    );
    Ok(sent as f64 / elapsed)
}

/// What the worker did in its window.
#[derive(Debug, Default)]
pub struct Worked {
    pub rounds: u64,
    pub report: DeliveryReport,
    /// From the first round's start to the last round's end.
    pub elapsed: Duration,
}

/// The worker's rounds, one after another while there is work (as
/// `run_outbox_forever` runs them, without its rest while a round is full),
/// until `duration` is over; the round under way then is finished.
pub async fn work(app: App, duration: Duration) -> anyhow::Result<Worked> {
    let started = Instant::now();
    let end = started + duration;
    let mut worked = Worked::default();
    while Instant::now() < end {
        let round = app.deliver_due_messages().await?;
        worked.rounds += 1;
        let total = &mut worked.report;
        total.claimed += round.claimed;
        total.sent += round.sent;
        total.held += round.held;
        total.retried += round.retried;
        total.stopped += round.stopped;
        if round.claimed == 0 {
            // Nothing due: rest as the worker would, but not past the end.
            let rest = end.saturating_duration_since(Instant::now());
            tokio::time::sleep(rest.min(Duration::from_secs(1))).await;
        }
    }
    worked.elapsed = started.elapsed();
    Ok(worked)
}

/// The queueing's own account of its time: `start` comes once the
/// campaigns to queue and the audience were read and split, each `advance`
/// once a slice is written, `finish` once the campaign is counted.
pub struct QueueTimes<'a> {
    steps: &'a Steps,
    began: Instant,
    marks: Mutex<Marks>,
}

#[derive(Default, Clone, Copy)]
pub struct Marks {
    pub total: u64,
    pub done: u64,
    /// Seconds from the call to each point.
    pub started: Option<f64>,
    pub last_slice: Option<f64>,
    pub finished: Option<f64>,
    said: u64,
}

impl<'a> QueueTimes<'a> {
    pub fn new(steps: &'a Steps) -> QueueTimes<'a> {
        QueueTimes {
            steps,
            began: Instant::now(),
            marks: Mutex::new(Marks::default()),
        }
    }

    pub fn marks(&self) -> Marks {
        *self.marks.lock().expect("never poisoned")
    }
}

impl Progress for QueueTimes<'_> {
    fn start(&self, what: &str, total: u64) {
        let at = self.began.elapsed().as_secs_f64();
        let mut marks = self.marks.lock().expect("never poisoned");
        *marks = Marks {
            total,
            started: Some(at),
            ..Marks::default()
        };
        self.steps.say(format!(
            "queue: «{what}»: {total} customers read and split after {at:.2} s"
        ));
    }

    fn advance(&self, done: u64) {
        let at = self.began.elapsed().as_secs_f64();
        let mut marks = self.marks.lock().expect("never poisoned");
        marks.done += done;
        marks.last_slice = Some(at);
        // A line at each quarter.
        let quarter = marks.done * 4 / marks.total.max(1);
        if quarter > marks.said {
            marks.said = quarter;
            self.steps.say(format!(
                "queue: {} of {} written after {at:.2} s",
                marks.done, marks.total
            ));
        }
    }

    fn finish(&self) {
        let at = self.began.elapsed().as_secs_f64();
        self.marks.lock().expect("never poisoned").finished = Some(at);
    }
}
