//! Templates and campaigns over HTTP, as a browser without scripts uses
//! them: a template written from the form (an unknown placeholder refused
//! beside the text in Russian, nothing saved), previewed for a made-up
//! customer and for a real one found by phone or picked among namesakes
//! (their name escaped, the HTML letter in a sandboxed frame), saved and
//! changed (a stale change said); campaigns made to a segment and to
//! everyone, an empty audience refused beside the audience, cancelled with
//! the page saying so; a user limited to stores sees only the campaigns
//! made for their stores; roles without campaigns are refused them.

use crate::common;

use clientele_app::audit::ChangedBy;
use clientele_app::progress::Silent;
use clientele_app::staff::StaffUserInput;
use clientele_domain::template::TemplateInput;
use common::console::{answered, browser, hidden, page, signed_in, text_of};
use common::{TestServer, engines};
use serde_json::{Value, json};

/// Posts a console form; answers the status, the redirect and the page.
async fn post(
    server: &TestServer,
    cookie: &str,
    path: &str,
    fields: &[(&str, String)],
    partial: bool,
) -> (u16, String, String) {
    let mut request = browser()
        .post(server.url(path))
        .header("cookie", cookie)
        .form(fields);
    if partial {
        request = request.header("hx-request", "true");
    }
    let response = request.send().await.unwrap();
    answered(response).await
}

/// Text as the browser reads it from HTML: its entities decoded once.
fn unescaped(html: &str) -> String {
    [
        ("&#60;", "<"),
        ("&#62;", ">"),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#38;", "&"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(html.to_owned(), |text, (entity, c)| text.replace(entity, c))
}

/// The HTML letter of a preview, as the sandboxed frame gets it.
fn letter(html: &str) -> String {
    let at = html.find(r#"id="preview-html""#).expect("an HTML letter");
    let start = at + html[at..].find(r#"srcdoc=""#).unwrap() + r#"srcdoc=""#.len();
    let end = start + html[start..].find('"').unwrap();
    unescaped(&html[start..end])
}

async fn made(server: &TestServer, path: &str, body: Value) -> i64 {
    let (status, made) = server.post(path, body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

/// The id in a page's address: `/campaigns/7?done=created` → 7.
fn id_in(to: &str) -> i64 {
    to.rsplit('/')
        .next()
        .unwrap()
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A template written through the use case.
async fn template(server: &TestServer, name: &str, body: &str) -> i64 {
    let input = TemplateInput {
        name: name.into(),
        locale: "ru".into(),
        subject: Some("Весна пришла".into()),
        body: body.into(),
        html: None,
    };
    let kept = server
        .app
        .create_template(input, &ChangedBy::system("test"))
        .await
        .unwrap();
    kept.id.0
}

#[tokio::test]
async fn a_template_is_refused_in_russian_previewed_for_a_real_customer_and_saved() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let anna = made(
            &server,
            "/api/v1/customers",
            json!({"name": "<b>Анна</b>", "phone": "+79161234567"}),
        )
        .await;
        made(
            &server,
            "/api/v1/customers",
            json!({"name": "Анна Соколова", "phone": "+79161234568"}),
        )
        .await;
        let cookie = signed_in(&server, "owner").await;

        let (status, list) = page(&server, &cookie, "/templates").await;
        assert_eq!(status, 200);
        let menu = list.find(r#"href="/campaigns">Рассылки</a>"#).unwrap();
        let templates = list
            .find(r#"href="/templates" aria-current="page">Шаблоны</a>"#)
            .unwrap();
        let messages = list.find(r#"href="/messages">Сообщения</a>"#).unwrap();
        assert!(menu < templates && templates < messages, "the menu's order");
        assert!(list.contains("Шаблонов пока нет."));

        let (status, form) = page(&server, &cookie, "/templates/new").await;
        assert_eq!(status, 200);
        assert!(form.contains("<li><code>{{ balance }}</code> — баланс баллов</li>"));
        assert!(form.contains("<summary>Письмо в HTML</summary>"));
        assert!(
            text_of(&form, "preview").contains("Напишите текст"),
            "no preview before a text"
        );
        let fields = |token: String, body: &str, customer: &str| {
            vec![
                ("csrf", hidden(&form, "csrf")),
                ("token", token),
                ("id", String::new()),
                ("version", String::new()),
                ("name", "Весенний привет".to_owned()),
                ("locale", "ru".to_owned()),
                ("subject", "Весна, {{ first_name }}!".to_owned()),
                ("body", body.to_owned()),
                ("html", "<p>Здравствуйте, <b>{{ name }}</b>!</p>".to_owned()),
                ("customer", customer.to_owned()),
            ]
        };

        // An unknown placeholder: refused beside the text, nothing saved.
        let (status, _, html) = post(
            &server,
            &cookie,
            "/templates/new",
            &fields(hidden(&form, "token"), "Здравствуйте, {{ nmae }}!", ""),
            false,
        )
        .await;
        assert_eq!(status, 422, "{engine:?}: {html}");
        assert!(
            html.contains(
                r#"<p class="error" id="body-error">Неизвестная подстановка «nmae». Может быть, имелась в виду {{ name }}?</p>"#
            ),
            "{html}"
        );
        assert!(html.contains(">Здравствуйте, {{ nmae }}!</textarea>"));
        assert!(server.app.templates().await.unwrap().is_empty());

        // The preview for a customer found by phone: their name escaped,
        // the HTML letter in a sandboxed frame, out of band the body's
        // error cleared.
        let body = "Здравствуйте, {{ name }}! У вас {{ balance }} баллов.";
        let (status, _, part) = post(
            &server,
            &cookie,
            "/templates/preview",
            &fields(String::new(), body, "916 123-45-67"),
            true,
        )
        .await;
        assert_eq!(status, 200, "{part}");
        assert!(!part.contains("<html"), "a part, not a page");
        assert_eq!(
            unescaped(&text_of(&part, "preview-text")),
            "Здравствуйте, <b>Анна</b>! У вас 0 баллов."
        );
        assert!(!part.contains("<b>Анна</b>"), "{part}");
        assert!(part.contains(r#"id="preview-html" sandbox srcdoc=""#));
        assert_eq!(
            letter(&part),
            "<p>Здравствуйте, <b>&lt;b&gt;Анна&lt;/b&gt;</b>!</p>"
        );
        assert!(part.contains(&format!(r#"<a href="/customers/{anna}">"#)));
        assert!(
            part.contains(
                r#"<div class="field-errors" id="body-errors" hx-swap-oob="true"></div>"#
            )
        );

        // Two Анна: the preview offers both; one picked is kept while the
        // search stays.
        let (_, _, part) = post(
            &server,
            &cookie,
            "/templates/preview",
            &fields(String::new(), body, "Анна"),
            true,
        )
        .await;
        assert!(
            text_of(&part, "candidates").contains("Анна Соколова"),
            "{part}"
        );
        assert!(!part.contains("preview-text"));
        let mut picked = fields(String::new(), body, "Анна");
        picked.push(("choose", anna.to_string()));
        let (_, _, part) = post(&server, &cookie, "/templates/preview", &picked, true).await;
        assert_eq!(
            unescaped(&text_of(&part, "preview-for")),
            "Для покупателя <b>Анна</b>"
        );
        let mut again = fields(String::new(), "{{ first_name }}, привет!", "Анна");
        again.push(("pick", anna.to_string()));
        again.push(("picked_for", "Анна".to_owned()));
        let (_, _, part) = post(&server, &cookie, "/templates/preview", &again, true).await;
        assert_eq!(
            unescaped(&text_of(&part, "preview-text")),
            "<b>Анна</b>, привет!"
        );

        // Without a script: the whole form again, as typed, with the preview
        // for the made-up customer.
        let (status, _, html) = post(
            &server,
            &cookie,
            "/templates/preview",
            &fields(hidden(&form, "token"), body, ""),
            false,
        )
        .await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"action="/templates/new""#));
        assert_eq!(
            text_of(&html, "preview-text"),
            "Здравствуйте, Анна Петрова! У вас 1 250 баллов."
        );
        assert_eq!(text_of(&html, "preview-subject"), "Весна, Анна!");

        // Corrected with the same token: saved, the page says so.
        let (status, to, _) = post(
            &server,
            &cookie,
            "/templates/new",
            &fields(hidden(&form, "token"), body, ""),
            false,
        )
        .await;
        assert_eq!(status, 303);
        assert!(to.ends_with("?done=created"), "{to}");
        let id = id_in(&to);
        let (_, html) = page(&server, &cookie, &to).await;
        assert!(html.contains("Шаблон создан."));
        assert!(html.contains(&format!(r#"href="/campaigns/new?template_id={id}""#)));
        let (_, list) = page(&server, &cookie, "/templates").await;
        assert_eq!(
            text_of(&list, "templates"),
            "Название Язык Текст Изменён Весенний привет Русский \
             Здравствуйте, {{ name }}! У вас {{ balance }} баллов. 23 ноября 2026 12:00"
        );

        // Changed meanwhile: said above the form; sent again, saved.
        let mut changed = fields(hidden(&html, "token"), "Привет, {{ first_name }}!", "");
        changed[2].1 = id.to_string();
        changed[3].1 = "0".to_owned();
        let path = format!("/templates/{id}");
        let (status, _, html) = post(&server, &cookie, &path, &changed, false).await;
        assert_eq!(status, 409);
        assert!(text_of(&html, "form-alert").starts_with("Шаблон изменили"));
        changed[3].1 = hidden(&html, "version");
        let (status, to, _) = post(&server, &cookie, &path, &changed, false).await;
        assert_eq!((status, to), (303, format!("/templates/{id}?done=saved")));
        let kept = server.app.templates().await.unwrap();
        assert_eq!(kept[0].record.body, "Привет, {{ first_name }}!");
        server.stop().await;
    }
}

#[tokio::test]
async fn campaigns_go_to_a_segment_or_everyone_an_empty_one_is_refused_and_one_is_cancelled() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        for (name, phone) in [("Анна", "+79161234567"), ("Вера", "+79161234568")] {
            made(
                &server,
                "/api/v1/customers",
                json!({"name": name, "phone": phone, "gender": "female",
                       "email": format!("{phone}@example.ru")}),
            )
            .await;
        }
        let women = made(
            &server,
            "/api/v1/segments",
            json!({"name": "Покупательницы", "rules": {"field": "gender", "op": "eq", "value": "female"}}),
        )
        .await;
        let men = made(
            &server,
            "/api/v1/segments",
            json!({"name": "Покупатели-мужчины", "rules": {"field": "gender", "op": "eq", "value": "male"}}),
        )
        .await;
        let spring = template(&server, "Весна", "Здравствуйте, {{ first_name }}!").await;
        let cookie = signed_in(&server, "owner").await;

        let (status, list) = page(&server, &cookie, "/campaigns").await;
        assert_eq!(status, 200);
        assert!(list.contains("Рассылок пока нет."));
        assert!(list.contains(r#"href="/campaigns/new">Новая рассылка</a>"#));
        let (status, form) = page(
            &server,
            &cookie,
            &format!("/campaigns/new?template_id={spring}"),
        )
        .await;
        assert_eq!(status, 200);
        assert!(form.contains(&format!(
            r#"<option value="{spring}" selected>Весна</option>"#
        )));
        assert_eq!(
            text_of(&form, "template-line"),
            "Русский · Весна пришла · Здравствуйте, {{ first_name }}!"
        );
        assert!(form.contains(&format!(
            r#"<option value="{women}">Покупательницы</option>"#
        )));
        assert!(form.contains(r#"<option value="email,sms">Эл. почта, затем SMS</option>"#));
        assert!(form.contains(r#"name="cancel_window_mins" inputmode="numeric" value="10""#));
        assert!(form.contains(r#"name="report_days" inputmode="numeric" value="14""#));
        let fields = |token: String, name: &str, segment: String, when: &str| {
            vec![
                ("csrf", hidden(&form, "csrf")),
                ("token", token),
                ("name", name.to_owned()),
                ("template_id", spring.to_string()),
                ("offer_id", String::new()),
                ("segment_id", segment),
                ("holdout_bp", String::new()),
                ("channels", "email,sms".to_owned()),
                ("when", when.to_owned()),
                ("starts_on", "2026-11-24".to_owned()),
                ("starts_time", "10:30".to_owned()),
                ("cancel_window_mins", "10".to_owned()),
                ("report_days", "14".to_owned()),
            ]
        };

        // Nobody in the audience: said beside it, nothing made.
        let token = hidden(&form, "token");
        let (status, _, html) = post(
            &server,
            &cookie,
            "/campaigns/new",
            &fields(token.clone(), "Мужчинам", men.to_string(), "now"),
            false,
        )
        .await;
        assert_eq!(status, 422, "{engine:?}: {html}");
        assert!(html.contains(
            r#"<p class="error" id="segment_id-error">В этой аудитории сейчас никого нет: рассылка никому не уйдёт.</p>"#
        ));
        assert!(html.contains(r#"value="Мужчинам""#));
        let by = ChangedBy::system("test");
        assert!(server.app.campaigns(&by).await.unwrap().is_empty());
        // Figures that are none, refused beside their fields with the rest.
        let mut wrong = fields(token.clone(), "", women.to_string(), "at");
        wrong[6].1 = "60".to_owned();
        wrong[9].1 = "2026-11-20".to_owned();
        let (status, _, html) = post(&server, &cookie, "/campaigns/new", &wrong, false).await;
        assert_eq!(status, 422);
        assert_eq!(text_of(&html, "holdout_bp-error"), "От 0 до 50 %.");
        assert_eq!(
            text_of(&html, "starts_at-error"),
            "Это время уже прошло: укажите будущее или выберите «Сейчас»."
        );
        assert!(html.contains(r#"id="when-at" checked"#));

        // To the segment, now: its page says so, and until when nothing leaves.
        let (status, to, _) = post(
            &server,
            &cookie,
            "/campaigns/new",
            &fields(token, "Весна для покупательниц", women.to_string(), "now"),
            false,
        )
        .await;
        assert_eq!(status, 303);
        assert!(to.ends_with("?done=created"), "{to}");
        let first = id_in(&to);
        let (_, html) = page(&server, &cookie, &to).await;
        assert_eq!(text_of(&html, "notice"), "Рассылка создана.");
        assert_eq!(text_of(&html, "campaign-state"), "Запланирована");
        assert_eq!(
            text_of(&html, "window"),
            "Ни одно сообщение не уйдёт раньше 23 ноября 2026 12:10: до тех пор отмена \
             остановит рассылку целиком."
        );
        let facts = text_of(&html, "facts");
        assert!(
            facts.contains("Аудитория Сегмент «Покупательницы»")
                && facts.contains("Каналы Эл. почта, затем SMS")
                && facts.contains("Окно отмены 10 минут"),
            "{facts}"
        );
        assert_eq!(
            text_of(&html, "words-body"),
            "Здравствуйте, {{ first_name }}!"
        );
        assert!(html.contains("Отчёт появится, когда рассылка начнёт уходить."));

        // To everyone, tomorrow, with a control group.
        let (_, form) = page(&server, &cookie, "/campaigns/new").await;
        let mut everyone = fields(
            hidden(&form, "token"),
            "Весна для всех",
            String::new(),
            "at",
        );
        everyone[6].1 = "10".to_owned();
        let (status, to, _) = post(&server, &cookie, "/campaigns/new", &everyone, false).await;
        assert_eq!(status, 303);
        let second = id_in(&to);
        let (_, html) = page(&server, &cookie, &to).await;
        let facts = text_of(&html, "facts");
        assert!(
            facts.contains("Начало 24 ноября 2026 10:30")
                && facts.contains("Аудитория Все покупатели")
                && facts.contains("Контрольная группа 10 %"),
            "{facts}"
        );

        // The first is queued: it is sending, its messages counted.
        server.app.queue_due_campaigns(&Silent).await.unwrap();
        let (_, html) = page(&server, &cookie, &format!("/campaigns/{first}")).await;
        assert_eq!(text_of(&html, "campaign-state"), "Отправляется");
        assert_eq!(text_of(&html, "figure-audience"), "Аудитория 2");
        assert_eq!(text_of(&html, "figure-waiting"), "Ждут отправки 2");
        assert_eq!(
            text_of(&html, "states"),
            "Состояние сообщений Сообщений В очереди 2"
        );
        assert!(html.contains("Отчёт появится, когда рассылка начнёт уходить."));
        // An hour on, its report counts the purchases since; no control
        // group was kept, so none is shown.
        server
            .app
            .clock()
            .advance(jiff::SignedDuration::from_hours(1));
        let (_, html) = page(&server, &cookie, &format!("/campaigns/{first}")).await;
        let report = text_of(&html, "report");
        assert!(
            report.contains("за период с 23 ноября 2026 12:10 по 23 ноября 2026 13:00.")
                && report.contains("Покупателей 2")
                && report.contains("Выручка на покупателя 0,00 ₽")
                && !report.contains("Контрольная группа"),
            "{report}"
        );
        let (_, list) = page(&server, &cookie, "/campaigns").await;
        let rows = text_of(&list, "campaigns");
        assert!(
            rows.contains(
                "Весна для всех Запланирована Все покупатели 0 0 0 24 ноября 2026 10:30 \
                 Весна для покупательниц Отправляется Сегмент «Покупательницы» 2 0 0 0"
            ),
            "{rows}"
        );

        // Cancelled from its page: said where the eye is; no button after.
        let path = format!("/campaigns/{first}/cancel");
        let cancel = [
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden(&html, "token")),
        ];
        assert!(html.contains("<summary>Отменить рассылку</summary>"));
        let (status, to, _) = post(&server, &cookie, &path, &cancel, false).await;
        assert_eq!(
            (status, to.as_str()),
            (
                303,
                format!("/campaigns/{first}?done=cancelled&withdrawn=2").as_str()
            )
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert_eq!(
            text_of(&html, "notice"),
            "Рассылка отменена: 2 сообщения не уйдут."
        );
        assert_eq!(text_of(&html, "campaign-state"), "Отменена");
        assert!(!html.contains("Отменить рассылку"));
        assert!(text_of(&html, "reasons").contains("Рассылку отменили до отправки. 2"));
        // Sent again by another page still open: said, nothing more.
        let again = [("csrf", hidden(&html, "csrf")), ("token", String::new())];
        let (status, _, html) = post(&server, &cookie, &path, &again, false).await;
        assert_eq!(status, 409);
        assert!(html.contains("Рассылка уже отменена."));
        let kept = server
            .app
            .campaign(clientele_domain::CampaignId(second), &by)
            .await;
        assert!(kept.unwrap().campaign.state.can_cancel());
        server.stop().await;
    }
}

#[tokio::test]
async fn a_user_limited_to_stores_sees_only_the_campaigns_for_their_stores() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let store = made(
        &server,
        "/api/v1/stores",
        json!({"code": "S-1", "name": "Магазин на Ленина", "kind": "store"}),
    )
    .await;
    made(
        &server,
        "/api/v1/customers",
        json!({"name": "Анна", "phone": "+79161234567", "store_id": store}),
    )
    .await;
    let spring = template(&server, "Весна", "Здравствуйте!").await;
    let owner = signed_in(&server, "owner").await;
    let (_, form) = page(&server, &owner, "/campaigns/new").await;
    let fields = |form: &str, token: String, name: &str| {
        vec![
            ("csrf", hidden(form, "csrf")),
            ("token", token),
            ("name", name.to_owned()),
            ("template_id", spring.to_string()),
            ("when", "now".to_owned()),
            ("cancel_window_mins", "10".to_owned()),
            ("report_days", "14".to_owned()),
        ]
    };
    let (status, to, _) = post(
        &server,
        &owner,
        "/campaigns/new",
        &fields(&form, hidden(&form, "token"), "Всем магазинам"),
        false,
    )
    .await;
    assert_eq!(status, 303);
    let everywhere = id_in(&to);

    let user = StaffUserInput {
        login: "shop-marketer".into(),
        name: None,
        role: "marketer".into(),
        password: "correct horse battery".into(),
        stores: vec!["S-1".into()],
    };
    (server.app)
        .add_staff_user(user, &ChangedBy::system("test"))
        .await
        .unwrap();
    let theirs = signed_in(&server, "shop-marketer").await;
    let (_, list) = page(&server, &theirs, "/campaigns").await;
    assert!(list.contains("Рассылок пока нет."), "{list}");
    let (status, _) = page(&server, &theirs, &format!("/campaigns/{everywhere}")).await;
    assert_eq!(status, 404);

    // Their own reaches their stores' customers, and says so.
    let (_, form) = page(&server, &theirs, "/campaigns/new").await;
    let (status, to, _) = post(
        &server,
        &theirs,
        "/campaigns/new",
        &fields(&form, hidden(&form, "token"), "Магазину на Ленина"),
        false,
    )
    .await;
    assert_eq!(status, 303);
    let (_, html) = page(&server, &theirs, &to).await;
    assert!(
        text_of(&html, "facts")
            .contains("Все покупатели. Только покупатели магазинов: Магазин на Ленина"),
        "{html}"
    );
    let (_, list) = page(&server, &theirs, "/campaigns").await;
    assert!(list.contains("Магазину на Ленина") && !list.contains("Всем магазинам"));
    let (_, list) = page(&server, &owner, "/campaigns").await;
    assert!(list.contains("Магазину на Ленина") && list.contains("Всем магазинам"));
    server.stop().await;
}

#[tokio::test]
async fn roles_without_campaigns_are_refused_them_and_not_shown_them() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let spring = template(&server, "Весна", "Здравствуйте!").await;
    for role in ["cashier", "support", "manager"] {
        common::staff_token(&server.app, role, role).await;
        let cookie = signed_in(&server, role).await;
        for path in [
            "/templates".to_owned(),
            "/templates/new".to_owned(),
            format!("/templates/{spring}"),
            "/campaigns".to_owned(),
            "/campaigns/new".to_owned(),
        ] {
            let (status, html) = page(&server, &cookie, &path).await;
            assert_eq!(status, 403, "{role} {path}");
            assert!(html.contains("Нет доступа"), "{role} {path}");
        }
        let (_, home) = page(&server, &cookie, "/").await;
        assert!(!home.contains(r#"href="/campaigns""#), "{role}");
        assert!(!home.contains(r#"href="/templates""#), "{role}");
    }
    server.stop().await;
}
