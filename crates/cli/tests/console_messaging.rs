//! The channels' settings, the triggers and the chats over HTTP, as a
//! browser without scripts uses them: SMS set up with SMS.ru's preset
//! against a real local server playing it (a bad field refused beside it
//! with nothing saved, the secret kept masked), a test sent from the page
//! and what it came to said there (taken, refused, out of reach); a
//! trigger set up and changed, a stale change refused; a customer's SMS
//! opening a chat seen in the inbox and on their page, answered from there
//! through the outbox and closed; a user limited to a store seeing its
//! customers' chats alone.

use crate::common;

use clientele_app::MessageQuery;
use clientele_app::audit::ChangedBy;
use clientele_app::staff::StaffUserInput;
use clientele_domain::CustomerId;
use clientele_domain::message::MessageSource;
use clientele_domain::template::TemplateInput;
use common::console::{hidden, hidden_in, page, post, signed_in, text_of};
use common::sms::{field, stand};
use common::{TestServer, engines, mail, shop};
use serde_json::{Value, json};

async fn made(server: &TestServer, path: &str, body: Value) -> i64 {
    let (status, made) = server.post(path, body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

/// A field's value in a page's input.
fn value_of(html: &str, id: &str) -> String {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    tag.split(r#"value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

/// An address on loopback nobody listens on.
fn nobody_there() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[tokio::test]
async fn sms_is_set_up_from_the_console_and_tested_with_the_outcome_said_beside_the_test() {
    for engine in engines() {
        let (server, _mail) = mail::server_with_mail(engine).await;
        let (base, stand) = stand().await;
        let cookie = signed_in(&server, "owner").await;

        let (status, list) = page(&server, &cookie, "/settings").await;
        assert_eq!(status, 200);
        assert!(list.contains(r#"<a href="/settings/channels">Каналы сообщений</a>"#));
        let (_, list) = page(&server, &cookie, "/settings/channels").await;
        let rows = text_of(&list, "channels");
        assert!(
            rows.contains("Эл. почта Настроен в файле настроек сервера")
                && rows.contains("SMS Не настроен")
                && rows.contains("Мессенджер Не настроен"),
            "{rows}"
        );

        // SMS.ru is the usual provider; nothing to test before it is set up.
        let (status, html) = page(&server, &cookie, "/settings/channels/sms").await;
        assert_eq!(status, 200);
        assert_eq!(text_of(&html, "channel-state"), "Не настроен");
        assert!(!html.contains(r#"id="test-form""#));
        assert!(html.contains(r#"href="/settings/channels/sms?provider=smsc#settings">SMSC</a>"#));
        assert!(html.contains(r#"<input type="hidden" name="provider" value="sms_ru">"#));
        let form = |token: String, api_id: &str, base_url: &str| {
            vec![
                ("csrf", hidden(&html, "csrf")),
                ("token", token),
                ("provider", "sms_ru".to_owned()),
                ("api_id", api_id.to_owned()),
                ("from", "Zerno".to_owned()),
                ("base_url", base_url.to_owned()),
            ]
        };
        let token = hidden_in(&html, "channel-form", "token");

        // A missing key and an address that is none: each said beside its
        // field, what was typed kept, nothing saved.
        let (status, _, refused) = post(
            &server,
            &cookie,
            "/settings/channels/sms",
            &form(token.clone(), "", "адрес"),
        )
        .await;
        assert_eq!(status, 422, "{engine:?}: {refused}");
        assert_eq!(text_of(&refused, "api_id-error"), "Заполните это поле.");
        assert_eq!(value_of(&refused, "from"), "Zerno");
        let (status, _, refused) = post(
            &server,
            &cookie,
            "/settings/channels/sms",
            &form(token.clone(), "key-1", "адрес"),
        )
        .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(
            text_of(&refused, "base_url-error"),
            "Адрес не подходит: нужен полный адрес, начиная с https:// или http://."
        );
        assert_eq!(value_of(&refused, "api_id"), "key-1");
        assert_eq!(value_of(&refused, "base_url"), "адрес");
        assert!(server.app.channel_settings().await.unwrap().is_empty());

        // Corrected with the same token: saved, the page says so, the key
        // shows masked and the addresses to paste at SMS.ru are given.
        let (status, to, _) = post(
            &server,
            &cookie,
            "/settings/channels/sms",
            &form(token, "key-1", &base),
        )
        .await;
        assert_eq!(
            (status, to.as_str()),
            (303, "/settings/channels/sms?done=saved")
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert!(text_of(&html, "notice").starts_with("Настройки канала сохранены."));
        assert_eq!(text_of(&html, "channel-state"), "Настроен: SMS.ru");
        assert_eq!(value_of(&html, "api_id"), "********");
        let reports = value_of(&html, "reports-url");
        let inbound = value_of(&html, "inbound-url");
        assert!(
            reports.starts_with(&server.url("/api/v1/channels/sms/reports?key=")),
            "{reports}"
        );
        assert_eq!(inbound, reports.replace("/reports?", "/inbound?"));
        // Saved again as shown, the key keeps its value.
        let token = hidden_in(&html, "channel-form", "token");
        let (status, _, _) = post(
            &server,
            &cookie,
            "/settings/channels/sms",
            &form(token, "********", &base),
        )
        .await;
        assert_eq!(status, 303);

        // A test without an address is refused beside it; with one, the
        // provider takes it and the page says under which number.
        let test = |html: &str, address: &str| {
            vec![
                ("csrf", hidden(html, "csrf")),
                ("token", hidden_in(html, "test-form", "token")),
                ("address", address.to_owned()),
            ]
        };
        let path = "/settings/channels/sms/test";
        let (status, _, refused) = post(&server, &cookie, path, &test(&html, " ")).await;
        assert_eq!(status, 422);
        assert_eq!(text_of(&refused, "address-error"), "Заполните это поле.");
        assert!(stand.forms.lock().unwrap().is_empty(), "nothing was sent");
        let (status, _, tested) =
            post(&server, &cookie, path, &test(&refused, "+7 916 123-00-01")).await;
        assert_eq!(status, 200, "{tested}");
        assert_eq!(
            text_of(&tested, "test-outcome"),
            "Поставщик принял проверочное сообщение. Его номер у поставщика: 0000-1"
        );
        assert_eq!(value_of(&tested, "address"), "+7 916 123-00-01");
        {
            let forms = stand.forms.lock().unwrap();
            assert_eq!(field(&forms[0], "api_id"), "key-1", "the kept key was used");
            assert_eq!(field(&forms[0], "to"), "79161230001");
        }
        // The same form sent twice sends nothing more.
        let again = test(&refused, "+7 916 123-00-01");
        let (status, to, _) = post(&server, &cookie, path, &again).await;
        assert_eq!((status, to.as_str()), (303, "/settings/channels/sms"));
        assert_eq!(stand.forms.lock().unwrap().len(), 1);

        // The provider answering garbage: refused, with its answer.
        *stand.garbage.lock().unwrap() = true;
        let (status, _, tested) =
            post(&server, &cookie, path, &test(&tested, "+79161230001")).await;
        assert_eq!(status, 422, "{tested}");
        let said = text_of(&tested, "test-outcome");
        assert!(
            said.starts_with("Поставщик не принял проверочное сообщение. Его ответ:")
                && said.contains("502 Bad Gateway"),
            "{said}"
        );

        // Nobody at the provider's address: out of reach, in words.
        let (_, html) = page(&server, &cookie, "/settings/channels/sms").await;
        let token = hidden_in(&html, "channel-form", "token");
        let (status, _, _) = post(
            &server,
            &cookie,
            "/settings/channels/sms",
            &form(token, "********", &nobody_there()),
        )
        .await;
        assert_eq!(status, 303);
        let (_, html) = page(&server, &cookie, "/settings/channels/sms").await;
        let (status, _, tested) = post(&server, &cookie, path, &test(&html, "+79161230001")).await;
        assert_eq!(status, 503, "{tested}");
        assert!(
            text_of(&tested, "test-outcome").starts_with("Поставщик недоступен"),
            "{tested}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_trigger_is_set_up_and_changed_and_a_stale_change_is_refused() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let by = ChangedBy::system("test");
        let input = TemplateInput {
            name: "Возвращайтесь".into(),
            locale: "ru".into(),
            body: "{{ first_name }}, мы скучаем!".into(),
            ..TemplateInput::default()
        };
        let template = server.app.create_template(input, &by).await.unwrap().id.0;
        let cookie = signed_in(&server, "owner").await;

        let (status, list) = page(&server, &cookie, "/triggers").await;
        assert_eq!(status, 200);
        let campaigns = list.find(r#"href="/campaigns">Рассылки</a>"#).unwrap();
        let triggers = list
            .find(r#"href="/triggers" aria-current="page">Триггеры</a>"#)
            .unwrap();
        let templates = list.find(r#"href="/templates">Шаблоны</a>"#).unwrap();
        assert!(
            campaigns < triggers && triggers < templates,
            "the menu's order"
        );
        let rows = text_of(&list, "triggers");
        assert_eq!(rows.matches("Не настроен").count(), 7, "{rows}");
        assert!(rows.contains("Приветствие после регистрации"), "{rows}");

        let (status, form) = page(&server, &cookie, "/triggers/win_back").await;
        assert_eq!(status, 200);
        assert_eq!(text_of(&form, "trigger-state"), "Не настроен");
        assert!(form.contains(r#"name="days" inputmode="numeric" value="60""#));
        let fields = |form: &str, template: String, days: &str, version: String| {
            vec![
                ("csrf", hidden(form, "csrf")),
                ("token", hidden(form, "token")),
                ("template_id", template),
                ("channels", "sms".to_owned()),
                ("days", days.to_owned()),
                ("active", "on".to_owned()),
                ("version", version),
            ]
        };

        // No template and days out of range: beside each, nothing saved.
        let (status, _, refused) = post(
            &server,
            &cookie,
            "/triggers/win_back",
            &fields(&form, String::new(), "0", String::new()),
        )
        .await;
        assert_eq!(status, 422, "{engine:?}: {refused}");
        assert_eq!(text_of(&refused, "template_id-error"), "Выберите шаблон.");
        assert_eq!(text_of(&refused, "days-error"), "От 1 до 366 дней.");
        assert!(refused.contains(r#"<option value="sms" selected>SMS</option>"#));
        assert!(server.app.triggers().await.unwrap().is_empty());

        let (status, to, _) = post(
            &server,
            &cookie,
            "/triggers/win_back",
            &fields(&form, template.to_string(), "45", String::new()),
        )
        .await;
        assert_eq!(
            (status, to.as_str()),
            (303, "/triggers/win_back?done=saved")
        );
        let kept = server.app.triggers().await.unwrap();
        assert_eq!(
            (kept[0].days, kept[0].active, kept[0].version),
            (Some(45), true, 1)
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert_eq!(text_of(&html, "notice"), "Триггер сохранён.");
        assert_eq!(text_of(&html, "trigger-state"), "Включён");
        let (_, list) = page(&server, &cookie, "/triggers").await;
        assert!(
            text_of(&list, "triggers").contains(
                "Нет покупок N дней Уходит покупателю, который столько дней ничего не покупал, \
                 — один раз за каждый такой перерыв. Включён Возвращайтесь SMS 45 дней без покупок"
            ),
            "{list}"
        );

        // Changed from the form read at version 1.
        let (status, _, _) = post(
            &server,
            &cookie,
            "/triggers/win_back",
            &fields(&html, template.to_string(), "30", hidden(&html, "version")),
        )
        .await;
        assert_eq!(status, 303);
        // A form still at version 1: said above it, nothing changed; sent
        // again, it writes over.
        let (_, open) = page(&server, &cookie, "/triggers/win_back").await;
        let (status, _, stale) = post(
            &server,
            &cookie,
            "/triggers/win_back",
            &fields(&open, template.to_string(), "90", "1".to_owned()),
        )
        .await;
        assert_eq!(status, 409, "{stale}");
        assert!(text_of(&stale, "form-alert").starts_with("Триггер изменили"));
        assert_eq!(server.app.triggers().await.unwrap()[0].days, Some(30));
        assert_eq!(hidden(&stale, "version"), "2");
        assert_eq!(value_of(&stale, "days"), "90", "what was typed is kept");
        let (status, _, _) = post(
            &server,
            &cookie,
            "/triggers/win_back",
            &fields(
                &stale,
                template.to_string(),
                "90",
                hidden(&stale, "version"),
            ),
        )
        .await;
        assert_eq!(status, 303);
        assert_eq!(server.app.triggers().await.unwrap()[0].days, Some(90));
        server.stop().await;
    }
}

#[tokio::test]
async fn a_customers_sms_opens_a_chat_answered_from_their_page_and_a_store_sees_its_own() {
    for engine in engines() {
        let (server, _mail) = mail::server_with_mail(engine).await;
        let shop = shop::open(&server, 1).await;
        let other = made(
            &server,
            "/api/v1/stores",
            json!({"code": "S-2", "name": "Магазин на Мира", "kind": "store"}),
        )
        .await;
        let (base, stand) = stand().await;
        let (status, saved) = server
            .send(
                reqwest::Method::PUT,
                "/api/v1/channels/sms",
                json!({"provider": "sms_ru", "api_id": "key-1", "base_url": base}),
            )
            .await;
        assert_eq!(status, 200, "{saved}");
        let inbound = saved["reports_url"]
            .as_str()
            .unwrap()
            .replace("/reports?", "/inbound?");
        let vera = made(
            &server,
            "/api/v1/customers",
            json!({"name": "Вера Соколова", "phone": "+79161230002", "store_id": shop.store_id}),
        )
        .await;
        let boris = made(
            &server,
            "/api/v1/customers",
            json!({"name": "Борис Лебедев", "phone": "+79161230003", "store_id": other}),
        )
        .await;
        let cookie = signed_in(&server, "owner").await;

        // Before she writes, her page has no chat to answer in.
        let (_, html) = page(&server, &cookie, &format!("/customers/{vera}")).await;
        assert_eq!(
            text_of(&html, "chat-none"),
            "Покупатель ещё не писал: чат откроется, когда он напишет первым."
        );
        assert!(!html.contains(r#"id="chat-form""#));
        let (_, inbox) = page(&server, &cookie, "/chats").await;
        assert!(inbox.contains("Открытых чатов нет."));

        let client = reqwest::Client::new();
        for (from, text) in [
            ("8 (916) 123-00-02", "Где мои баллы?"),
            ("+79161230003", "Работаете в воскресенье?"),
        ] {
            let taken = client
                .post(&inbound)
                .json(&json!({"from": from, "text": text}))
                .send()
                .await
                .unwrap();
            assert_eq!(taken.status(), 200);
        }
        let (status, inbox) = page(&server, &cookie, "/chats").await;
        assert_eq!(status, 200);
        let rows = text_of(&inbox, "chats");
        assert!(
            rows.contains("Вера Соколова SMS Ждёт с 23.11 12:00")
                && rows.contains("Борис Лебедев SMS Ждёт с 23.11 12:00"),
            "{rows}"
        );
        assert!(inbox.contains(&format!(r#"href="/customers/{vera}#chat""#)));

        // A user limited to the first store sees Vera's chat, not Boris's.
        let user = StaffUserInput {
            login: "lenina".into(),
            name: None,
            role: "marketer".into(),
            password: "correct horse battery".into(),
            stores: vec!["S-1".into()],
        };
        (server.app)
            .add_staff_user(user, &ChangedBy::system("test"))
            .await
            .unwrap();
        let theirs = signed_in(&server, "lenina").await;
        let (_, inbox) = page(&server, &theirs, "/chats").await;
        let rows = text_of(&inbox, "chats");
        assert!(
            rows.contains("Вера Соколова") && !rows.contains("Борис"),
            "{rows}"
        );
        let (status, _) = page(&server, &theirs, &format!("/customers/{boris}")).await;
        assert!(status == 403 || status == 404, "{status}");

        // On her page: what she wrote, and the answer's form.
        let (_, html) = page(&server, &cookie, &format!("/customers/{vera}")).await;
        assert!(html.contains(r##"<a href="#chat">Чат</a>"##));
        assert_eq!(
            text_of(&html, "chat-about"),
            "Пишет через SMS. Ждёт ответа с 23 ноября 2026 12:00."
        );
        assert_eq!(
            text_of(&html, "chat-lines"),
            "Покупатель · 23 ноября 2026 12:00 Где мои баллы?"
        );
        let answer = |html: &str, text: &str| {
            vec![
                ("csrf", hidden(html, "csrf")),
                ("token", hidden_in(html, "chat-form", "token")),
                ("text", text.to_owned()),
            ]
        };
        let path = format!("/customers/{vera}/chat");
        let (status, _, refused) = post(&server, &cookie, &path, &answer(&html, "  ")).await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(text_of(&refused, "chat-text-error"), "Напишите ответ.");
        let said = "Вера, баллы начислятся завтра.";
        let (status, to, _) = post(&server, &cookie, &path, &answer(&refused, said)).await;
        assert_eq!(
            (status, to.as_str()),
            (303, format!("/customers/{vera}?done=chat#chat").as_str())
        );
        let by = ChangedBy::system("test");
        let query = MessageQuery {
            customer_id: Some(CustomerId(vera)),
            limit: 10,
            ..MessageQuery::default()
        };
        let queued = server.app.messages(query, &by).await.unwrap();
        assert_eq!(
            (queued.len(), queued[0].source, queued[0].body.as_str()),
            (1, MessageSource::Chat, said),
            "the answer is queued in the outbox"
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert_eq!(
            text_of(&html, "notice"),
            "Ответ поставлен в очередь сообщений."
        );
        let lines = text_of(&html, "chat-lines");
        assert!(
            lines.ends_with(&format!("· 23 ноября 2026 12:00 · В очереди {said}")),
            "{lines}"
        );
        assert_eq!(text_of(&html, "chat-about"), "Пишет через SMS. Ответ дан.");
        server.app.deliver_due_messages().await.unwrap();
        assert_eq!(stand.sent("msg"), [said]);
        let (_, html) = page(&server, &cookie, &format!("/customers/{vera}")).await;
        assert!(text_of(&html, "chat-lines").contains("· Отправлено"));

        // Closed: out of the inbox, said on her page; her next SMS opens it.
        let close = [
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden_in(&html, "chat-close", "token")),
        ];
        let path = format!("/customers/{vera}/chat/close");
        let (status, to, _) = post(&server, &cookie, &path, &close).await;
        assert_eq!(
            (status, to.as_str()),
            (
                303,
                format!("/customers/{vera}?done=chat-closed#chat").as_str()
            )
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert!(text_of(&html, "chat-about").contains("Чат закрыт"));
        assert!(!html.contains(r#"id="chat-close""#));
        let (_, inbox) = page(&server, &cookie, "/chats").await;
        assert!(!text_of(&inbox, "chats").contains("Вера"));
        server.stop().await;
    }
}

#[tokio::test]
async fn roles_without_messages_see_no_chat_and_no_trigger() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let vera = made(
        &server,
        "/api/v1/customers",
        json!({"name": "Вера", "phone": "+79161230002"}),
    )
    .await;
    common::staff_token(&server.app, "desk", "registration_desk").await;
    let cookie = signed_in(&server, "desk").await;
    let (status, html) = page(&server, &cookie, &format!("/customers/{vera}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains(r#"id="chat""#) && !html.contains("#chat"));
    assert!(!html.contains(r#"href="/chats""#) && !html.contains(r#"href="/triggers""#));
    for path in ["/chats", "/triggers", "/triggers/welcome"] {
        let (status, _) = page(&server, &cookie, path).await;
        assert_eq!(status, 403, "{path}");
    }
    server.stop().await;
}
