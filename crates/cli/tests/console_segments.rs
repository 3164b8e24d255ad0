//! The segments' pages over HTTP, as a browser without scripts uses them:
//! the list and a segment's page in words, the editor's form saved or
//! refused with each error beside its row in Russian and nothing saved,
//! the live count, a rule the editor cannot show kept as it is, the ticked
//! customers kept as a static segment, its members to Excel, a static
//! segment from a file of phones and cards (what it did not find said, a bad
//! file refused beside its field and nothing made), and the roles without
//! segments refused.

use crate::common;

use calamine::Reader;
use common::console::{browser, hidden, multipart, page, post, signed_in};
use common::shop::{groceries, open, sell};
use common::{TestServer, engines};
use serde_json::{Value, json};

async fn customer(server: &TestServer, name: &str, gender: &str) -> i64 {
    let (status, created) = server
        .post("/api/v1/customers", json!({"name": name, "gender": gender}))
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_i64().unwrap()
}

/// Three customers; Анна and Вера bought dairy yesterday.
async fn shop(server: &TestServer) -> [i64; 3] {
    let shop = open(server, 1).await;
    let anna = customer(server, "Анна Молочникова", "female").await;
    let boris = customer(server, "Борис Хлебов", "male").await;
    let vera = customer(server, "Вера Сырова", "female").await;
    sell(server, &shop, anna, "r-1", groceries()).await;
    sell(server, &shop, vera, "r-2", groceries()).await;
    [anna, boris, vera]
}

fn dairy_rule() -> Value {
    json!({"all": [
        {"field": "bought", "op": "gte", "value": 1, "period_days": 30, "categories": ["dairy"]},
        {"any": [
            {"field": "gender", "op": "eq", "value": "female"},
            {"field": "spent_minor", "op": "between", "value": [50_000, 500_000]}
        ]}
    ]})
}

async fn segment(server: &TestServer, body: Value) -> i64 {
    let (status, made) = server.post("/api/v1/segments", body).await;
    assert_eq!(status, 201, "{made}");
    made["id"].as_i64().unwrap()
}

/// The text of the element with this id, its tags dropped.
fn text_of(html: &str, id: &str) -> String {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let mut rest = &html[at + html[at..].find('>').unwrap() + 1..];
    let (mut depth, mut text) = (1, String::new());
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let close = open + rest[open..].find('>').unwrap();
        let tag = &rest[open..=close];
        if tag.starts_with("</") {
            depth -= 1;
        } else if !tag.starts_with("<input") && !tag.starts_with("<br") {
            depth += 1;
        }
        if depth == 0 {
            break;
        }
        rest = &rest[close + 1..];
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_list_and_a_segments_page_say_it_in_words() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        shop(&server).await;
        let id = segment(
            &server,
            json!({"name": "Любители молочного", "schedule": "weekly", "hour": 6, "weekday": 5,
                   "rules": dairy_rule()}),
        )
        .await;
        let cookie = signed_in(&server, "owner").await;

        let (status, list) = page(&server, &cookie, "/segments").await;
        assert_eq!(status, 200);
        assert!(list.contains(r#"<a href="/segments" aria-current="page">Сегменты</a>"#));
        assert!(list.contains(r#"href="/segments/new">Новый сегмент</a>"#));
        let row = text_of(&list, "segments");
        assert!(
            row.contains("Любители молочного динамический 2 23 ноября 2026 12:00"),
            "{row}"
        );
        assert!(row.contains("Каждую неделю по пятницам в 06:00"), "{row}");

        let (status, html) = page(&server, &cookie, &format!("/segments/{id}")).await;
        assert_eq!(status, 200, "{engine:?}: {html}");
        assert_eq!(text_of(&html, "figure-size"), "Размер 2");
        assert_eq!(text_of(&html, "figure-share-base"), "Доля базы 66,67 %");
        assert_eq!(text_of(&html, "figure-share-revenue"), "Доля выручки 100 %");
        assert_eq!(
            text_of(&html, "figure-average-receipt"),
            "Средний чек 818,20 ₽"
        );
        assert!(
            text_of(&html, "last-recompute").contains("вошли 2, вышли 0"),
            "{html}"
        );
        for said in [
            "Покупатель подходит, если выполнены все условия:",
            "Купил товары категории «Молочное» не меньше 1 шт. за последние 30 дней",
            "любое из:",
            "Пол — женский",
            "Сумма покупок от 500,00\u{a0}₽ до 5\u{a0}000,00\u{a0}₽",
        ] {
            assert!(html.contains(said), "{said}");
        }
        assert!(html.contains(&format!(
            r#"href="/customers?segment_id={id}">Покупатели сегмента"#
        )));
        assert!(html.contains(&format!(
            r#"href="/customers/export.xlsx?segment_id={id}">Выгрузить в Excel"#
        )));
        assert_eq!(
            text_of(&html, "uses"),
            "Пока не используется ни в одной акции или рассылке."
        );
        assert!(html.contains(r#"id="size-data""#));

        // Recomputed from its button, the page says so.
        let (status, to, _) = post(
            &server,
            &cookie,
            &format!("/segments/{id}/recompute"),
            &[
                ("csrf", hidden(&html, "csrf")),
                ("token", hidden(&html, "token")),
            ],
        )
        .await;
        assert_eq!(
            (status, to.as_str()),
            (303, format!("/segments/{id}?done=recomputed").as_str())
        );
        let (_, html) = page(&server, &cookie, &to).await;
        assert!(html.contains("Сегмент пересчитан."));

        // Its members are exported with the list's own filter.
        let file = browser()
            .get(server.url(&format!("/customers/export.xlsx?segment_id={id}")))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        let bytes = file.bytes().await.unwrap();
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = book.worksheet_range("Покупатели").unwrap();
        let names: Vec<String> = sheet.rows().skip(1).map(|r| r[1].to_string()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(names.contains(&"Вера Сырова".to_owned()), "{names:?}");
        server.stop().await;
    }
}

#[tokio::test]
async fn the_editor_counts_saves_and_refuses_beside_each_row_in_russian() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let [anna, _, vera] = shop(&server).await;
    let cookie = signed_in(&server, "owner").await;
    let (status, form) = page(&server, &cookie, "/segments/new").await;
    assert_eq!(status, 200);
    assert!(form.contains(r#"<option value="bought">Купил (штук)</option>"#));
    assert!(form.contains(r#"<optgroup label="История покупок">"#));

    // The live count of what is typed, a few of them by name.
    let (status, count) = page(
        &server,
        &cookie,
        "/segments/count?match=all&r0.field=bought&r0.op=gte&r0.value=1&r0.period=30&r0.categories=dairy",
    )
    .await;
    assert_eq!(status, 200);
    assert!(count.contains("Подходит покупателей: 2"), "{count}");
    assert!(count.contains(&format!(
        r#"<a href="/customers/{anna}">Анна Молочникова</a>"#
    )));
    assert!(count.contains(&format!(r#"<a href="/customers/{vera}">Вера Сырова</a>"#)));
    assert!(!count.contains("Борис"));
    assert!(!count.contains('{'), "no JSON: {count}");
    // A mistake goes beside its row, out of band; the other rows' places
    // are cleared.
    let (_, count) = page(
        &server,
        &cookie,
        "/segments/count?match=all&r0.field=age&r0.op=gt&r0.value=200&r1.field=gender&r1.op=eq&r1.value=female",
    )
    .await;
    assert!(count.contains(
        r#"<div class="row-errors" id="errors-r0" hx-swap-oob="true"><p class="error">Введите целое число от 0 до 150.</p></div>"#
    ), "{count}");
    assert!(count.contains(r#"<div class="row-errors" id="errors-r1" hx-swap-oob="true"></div>"#));

    // Refused: no name, bought without goods, a period of no days; each
    // error beside its row or field, what was typed kept, nothing saved.
    let fields = |token: String, name: &str, period: &str, categories: &str| {
        vec![
            ("csrf", hidden(&form, "csrf")),
            ("token", token),
            ("name", name.to_owned()),
            ("kind", "dynamic".to_owned()),
            ("schedule", "daily".to_owned()),
            ("hour", "4".to_owned()),
            ("weekday", "1".to_owned()),
            ("match", "all".to_owned()),
            ("r0.field", "bought".to_owned()),
            ("r0.op", "gte".to_owned()),
            ("r0.value", "1".to_owned()),
            ("r0.period", period.to_owned()),
            ("r0.categories", categories.to_owned()),
            ("r1.group", "any".to_owned()),
            ("r1_0.field", "gender".to_owned()),
            ("r1_0.op", "in".to_owned()),
            ("r1_0.in.0", "female".to_owned()),
            ("r1_1.field", String::new()),
        ]
    };
    let (status, _, html) = post(
        &server,
        &cookie,
        "/segments/new",
        &fields(hidden(&form, "token"), "", "0", ""),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"<p class="error" id="name-error">Заполните это поле.</p>"#));
    let row = text_of(&html, "errors-r0");
    assert!(
        row.contains("Период — целое число дней от 1 до 36 600."),
        "{row}"
    );
    assert!(
        row.contains("Укажите товары (артикулы) или категории."),
        "{row}"
    );
    assert!(html.contains(
        r#"name="r0.period" type="number" inputmode="numeric" min="1" max="36600" value="0""#
    ));
    assert!(html.contains(r#"name="r1_0.in.0" value="female" checked"#));
    assert!(html.contains(r#"<option value="4" selected>04:00</option>"#));
    let (_, listed) = server.get("/api/v1/segments").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);

    // Corrected with the same token, saved: the segment's page says so.
    let (status, to, _) = post(
        &server,
        &cookie,
        "/segments/new",
        &fields(hidden(&form, "token"), "Молочницы", "30", "Молочное"),
    )
    .await;
    assert_eq!(status, 303);
    assert!(to.ends_with("?done=created"), "{to}");
    let (_, html) = page(&server, &cookie, &to).await;
    assert!(html.contains("Сегмент создан."));
    assert_eq!(text_of(&html, "figure-size"), "Размер 2");
    let id: i64 = to
        .trim_start_matches("/segments/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, kept) = server.get(&format!("/api/v1/segments/{id}")).await;
    assert_eq!(kept["schedule"], "daily");
    assert_eq!(kept["hour"], 4);
    assert_eq!(
        kept["rules"],
        json!({"all": [
            {"field": "bought", "op": "gte", "value": 1, "period_days": 30, "categories": ["dairy"]},
            {"any": [{"field": "gender", "op": "in", "value": ["female"]}]}
        ]})
    );

    // The editor shows it back; a second segment of that name is refused.
    let (_, edit) = page(&server, &cookie, &format!("/segments/{id}/edit")).await;
    assert!(
        edit.contains(r#"name="r0.categories" value="Молочное""#),
        "{edit}"
    );
    assert!(edit.contains(r#"<option value="gte" selected>не меньше</option>"#));
    let (status, _, html) = post(
        &server,
        &cookie,
        "/segments/new",
        &fields(hidden(&edit, "token"), "Молочницы", "30", "dairy"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"id="name-error">Сегмент с таким названием уже есть."#));

    // A row added without a script: the form again, nothing saved.
    let mut stepped = fields(hidden(&html, "token"), "Ещё", "30", "dairy");
    stepped.push(("step", "add".to_owned()));
    let (status, _, html) = post(&server, &cookie, "/segments/new", &stepped).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="r2.field""#));
    let (_, listed) = server.get("/api/v1/segments").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // A static segment fills once from the rules and says it is fixed.
    let mut fixed = fields(hidden(&html, "token"), "Разовый", "30", "dairy");
    fixed[3].1 = "static".to_owned();
    let (status, to, _) = post(&server, &cookie, "/segments/new", &fixed).await;
    assert_eq!(status, 303);
    let (_, html) = page(&server, &cookie, &to).await;
    assert_eq!(text_of(&html, "figure-size"), "Размер 2");
    assert!(html.contains("Статический сегмент: состав зафиксирован"));
    assert!(!html.contains("/recompute"));
    server.stop().await;
}

#[tokio::test]
async fn an_edit_keeps_a_rule_the_editor_cannot_show_and_a_stale_one_is_refused() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    shop(&server).await;
    let deep = json!({"all": [
        {"not": {"field": "age", "op": "exists", "value": true}},
        {"field": "consent_sms", "op": "eq", "value": true}
    ]});
    let id = segment(&server, json!({"name": "Сложный", "rules": deep.clone()})).await;
    let cookie = signed_in(&server, "owner").await;
    let (status, form) = page(&server, &cookie, &format!("/segments/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(form.contains("меняются только через API"));
    assert!(form.contains("Возраст: указано"));
    assert!(!form.contains(r#"name="r0.field""#));
    let fields = |token: String, version: &str| {
        vec![
            ("csrf", hidden(&form, "csrf")),
            ("token", token),
            ("version", version.to_owned()),
            ("name", "Без возраста".to_owned()),
            ("kind", "dynamic".to_owned()),
            ("schedule", "hourly".to_owned()),
            ("hour", "3".to_owned()),
            ("weekday", "1".to_owned()),
            ("match", "all".to_owned()),
        ]
    };
    let version = hidden(&form, "version");
    // Changed meanwhile: the form says so and saves nothing.
    let (status, _, html) = post(
        &server,
        &cookie,
        &format!("/segments/{id}/edit"),
        &fields(hidden(&form, "token"), "0"),
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("Сегмент изменили, пока вы его правили."));
    let (status, to, _) = post(
        &server,
        &cookie,
        &format!("/segments/{id}/edit"),
        &fields(hidden(&html, "token"), &version),
    )
    .await;
    assert_eq!((status, to), (303, format!("/segments/{id}?done=saved")));
    let (_, kept) = server.get(&format!("/api/v1/segments/{id}")).await;
    assert_eq!(kept["name"], "Без возраста");
    assert_eq!(kept["schedule"], "hourly");
    assert_eq!(kept["rules"], deep);

    // Deleted with its button: the list says so.
    let (_, html) = page(&server, &cookie, &format!("/segments/{id}")).await;
    let (status, to, _) = post(
        &server,
        &cookie,
        &format!("/segments/{id}/delete"),
        &[
            ("csrf", hidden(&html, "csrf")),
            ("token", hidden(&html, "token")),
        ],
    )
    .await;
    assert_eq!((status, to.as_str()), (303, "/segments?done=deleted"));
    let (_, list) = page(&server, &cookie, &to).await;
    assert!(list.contains("Сегмент удалён.") && list.contains("Сегментов пока нет."));
    server.stop().await;
}

#[tokio::test]
async fn ticked_customers_are_kept_as_a_static_segment() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let [anna, boris, _] = shop(&server).await;
    let cookie = signed_in(&server, "owner").await;
    let (_, list) = page(&server, &cookie, "/customers").await;
    assert!(list.contains("Сохранить как сегмент"));
    assert!(list.contains(r#"href="/customers/export.xlsx?""#));
    let fields = |name: &str, token: String| {
        vec![
            ("csrf", hidden(&list, "csrf")),
            ("token", token),
            ("back", "/customers".to_owned()),
            ("customer_id", anna.to_string()),
            ("customer_id", boris.to_string()),
            ("action", "segment".to_owned()),
            ("segment_name", name.to_owned()),
        ]
    };
    let (status, _, html) = post(
        &server,
        &cookie,
        "/customers/bulk",
        &fields(" ", hidden(&list, "token")),
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(r#"<p class="error" id="bulk-segment-error">Заполните это поле.</p>"#));
    let (status, to, _) = post(
        &server,
        &cookie,
        "/customers/bulk",
        &fields("Отмеченные", hidden(&html, "token")),
    )
    .await;
    assert_eq!(status, 303);
    assert!(
        to.starts_with("/segments/") && to.ends_with("?done=created"),
        "{to}"
    );
    let (_, html) = page(&server, &cookie, &to).await;
    assert_eq!(text_of(&html, "figure-size"), "Размер 2");
    assert!(html.contains("Составлен из списка покупателей, без условий."));
    assert!(
        text_of(&html, "last-recompute").contains(": 2 покупателя,"),
        "{html}"
    );
    assert!(!html.contains("size-chart"), "a fixed size needs no chart");
    server.stop().await;
}

/// Sends the segment-from-a-file form with a fresh page's tokens; answers
/// the status and the page.
async fn upload(
    server: &TestServer,
    cookie: &str,
    name: &str,
    file_name: &str,
    file: &[u8],
) -> (u16, String) {
    let (status, form) = page(server, cookie, "/segments/upload").await;
    assert_eq!(status, 200, "{form}");
    let (content_type, body) = multipart(
        &[
            ("csrf", &hidden(&form, "csrf")),
            ("token", &hidden(&form, "token")),
            ("name", name),
        ],
        file_name,
        file,
    );
    let response = browser()
        .post(server.url("/segments/upload"))
        .header("cookie", cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

async fn segments_kept(server: &TestServer) -> usize {
    let (_, listed) = server.get("/api/v1/segments").await;
    listed["items"].as_array().unwrap().len()
}

/// The names of a segment's members, sorted.
async fn members(server: &TestServer, id: i64) -> Vec<String> {
    let (status, page) = server
        .get(&format!("/api/v1/customers?segment_id={id}&limit=100"))
        .await;
    assert_eq!(status, 200, "{page}");
    let mut names: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

/// Анна and Борис by phone, Вера by her card; answers Вера's card.
async fn holders(server: &TestServer) -> String {
    let shop = open(server, 1).await;
    for (name, phone) in [("Анна", "+79161234501"), ("Борис", "+79161234502")] {
        let (status, made) = server
            .post("/api/v1/customers", json!({"name": name, "phone": phone}))
            .await;
        assert_eq!(status, 201, "{made}");
    }
    let vera = customer(server, "Вера", "female").await;
    let (status, card) = server
        .post(
            "/api/v1/cards",
            json!({"group_id": shop.group_id, "customer_id": vera}),
        )
        .await;
    assert_eq!(status, 201, "{card}");
    card["barcode"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_file_of_phones_and_cards_makes_a_static_segment_and_says_whom_it_missed() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let card = holders(&server).await;
        let cookie = signed_in(&server, "owner").await;
        let (_, list) = page(&server, &cookie, "/segments").await;
        assert!(list.contains(r#"href="/segments/upload">Сегмент из файла</a>"#));

        // Refused beside its field, the name kept, nothing made.
        let refusals: [(&str, &str, Vec<u8>, u16, &str); 5] = [
            ("пустой.txt", "Звонки", Vec::new(), 422, "Файл пустой."),
            (
                "фамилии.csv",
                "Звонки",
                "Фамилия\nИванов\n".into(),
                422,
                "В файле нет ни телефонов, ни номеров карт.",
            ),
            (
                "список.pdf",
                "Звонки",
                b"%PDF-1.4".to_vec(),
                422,
                "Загружаются только файлы .xlsx, .xls, .csv и .txt.",
            ),
            (
                "чужие.txt",
                "Звонки",
                "+7 999 000-00-00\n".into(),
                422,
                "Ни одна строка файла не назвала покупателя: проверьте телефоны и номера карт.",
            ),
            (
                "большой.txt",
                "Звонки",
                "79161234501\n".repeat(10 * 1024 * 1024 / 12 + 1).into(),
                413,
                "Файл больше 10 МБ: разбейте его на части.",
            ),
        ];
        for (file_name, name, file, status, said) in refusals {
            let (got, html) = upload(&server, &cookie, name, file_name, &file).await;
            assert_eq!(got, status, "{engine:?} {file_name}: {html}");
            assert_eq!(text_of(&html, "file-error"), said, "{file_name}");
            assert!(
                html.contains(r#"name="name" value="Звонки""#),
                "{file_name}"
            );
            assert!(html.contains(r#"aria-invalid="true""#));
        }
        let (status, html) = upload(&server, &cookie, " ", "список.txt", card.as_bytes()).await;
        assert_eq!(status, 422);
        assert_eq!(text_of(&html, "name-error"), "Заполните это поле.");
        assert_eq!(segments_kept(&server).await, 0, "{engine:?}");

        // Phones as people write them, a card, a stranger, a word, a blank
        // line, and Анна twice.
        let file = format!(
            "+7 916 123-45-01\r\n89161234502\r\n{card}\r\n+7 999 000-00-00\r\nИванов\r\n\r\n8 (916) 123-45-01\r\n"
        );
        let (status, html) =
            upload(&server, &cookie, "Звонки", "звонки.txt", file.as_bytes()).await;
        assert_eq!(status, 200, "{engine:?}: {html}");
        assert!(html.contains("Сегмент «Звонки» создан из файла."), "{html}");
        assert_eq!(text_of(&html, "figure-lines"), "Строк в файле 6");
        assert_eq!(text_of(&html, "figure-named"), "Нашли покупателя 4");
        assert_eq!(text_of(&html, "figure-not-named"), "Не нашли 2");
        assert_eq!(text_of(&html, "figure-size"), "Размер 3");
        assert_eq!(
            text_of(&html, "missed"),
            "Не нашли 2 строки из 6: строка 4: +7 999 000-00-00 строка 5: Иванов"
        );
        let (_, listed) = server.get("/api/v1/segments").await;
        let made = &listed["items"][0];
        assert_eq!(
            (made["name"].as_str(), made["kind"].as_str()),
            (Some("Звонки"), Some("static"))
        );
        let id = made["id"].as_i64().unwrap();
        assert!(html.contains(&format!(r#"href="/segments/{id}">Открыть сегмент</a>"#)));
        assert_eq!(members(&server, id).await, ["Анна", "Борис", "Вера"]);
        let (_, log) = server.get("/api/v1/audit?user=owner&limit=500").await;
        let entity = id.to_string();
        let logged = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "segment.create" && e["entity_id"] == entity.as_str());
        assert!(logged, "{log}");

        // The same name again: refused beside it, nothing more made.
        let (status, html) =
            upload(&server, &cookie, "Звонки", "звонки.txt", file.as_bytes()).await;
        assert_eq!(status, 422);
        assert_eq!(
            text_of(&html, "name-error"),
            "Сегмент с таким названием уже есть."
        );
        assert_eq!(segments_kept(&server).await, 1);
        server.stop().await;
    }
}

#[tokio::test]
async fn a_workbook_names_its_card_column_and_a_long_list_is_read_at_once() {
    for engine in engines() {
        let server = TestServer::start(engine).await;
        let card = holders(&server).await;
        let cookie = signed_in(&server, "owner").await;
        // The card column by its header, the names beside it unread.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (row, [name, number]) in [
            ["ФИО", "Номер карты"],
            ["Вера", card.as_str()],
            ["Пётр", "CARD-404"],
        ]
        .into_iter()
        .enumerate()
        {
            sheet.write_string(row as u32, 0, name).unwrap();
            sheet.write_string(row as u32, 1, number).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        let (status, html) = upload(&server, &cookie, "Карты", "карты.xlsx", &bytes).await;
        assert_eq!(status, 200, "{engine:?}: {html}");
        assert_eq!(text_of(&html, "figure-size"), "Размер 1");
        assert_eq!(
            text_of(&html, "missed"),
            "Не нашли 1 строку из 2: строка 3: CARD-404"
        );

        // A hundred thousand lines, mostly strangers: counted, the first
        // ten strangers shown and the rest summed up.
        let mut long = String::from("Телефон\n+79161234501\n+79161234502\n");
        for n in 0..99_998 {
            long.push_str(&format!(
                "+7 999 {:03}-{:02}-{:02}\n",
                n / 10_000,
                n / 100 % 100,
                n % 100
            ));
        }
        let started = std::time::Instant::now();
        let (status, html) =
            upload(&server, &cookie, "Большой", "большой.csv", long.as_bytes()).await;
        let took = started.elapsed();
        assert_eq!(status, 200, "{engine:?}: {html}");
        assert_eq!(text_of(&html, "figure-lines"), "Строк в файле 100 000");
        assert_eq!(text_of(&html, "figure-size"), "Размер 2");
        assert!(
            text_of(&html, "missed")
                .starts_with("Не нашли 99 998 строк из 100 000: строка 4: +7 999 000-00-00"),
            "{html}"
        );
        assert!(html.contains("…и ещё 99\u{a0}988."), "{html}");
        eprintln!("{engine:?}: 100,000 lines made a segment in {took:?}");
        server.stop().await;
    }
}

#[tokio::test]
async fn roles_without_segments_are_refused_and_not_shown_them() {
    let server = TestServer::start(common::Engine::Sqlite).await;
    let id = segment(
        &server,
        json!({"name": "Все женщины", "rules": {"field": "gender", "op": "eq", "value": "female"}}),
    )
    .await;
    for role in ["support", "registration_desk", "cashier", "manager"] {
        common::staff_token(&server.app, role, role).await;
        let cookie = signed_in(&server, role).await;
        for path in [
            "/segments".to_owned(),
            "/segments/new".to_owned(),
            "/segments/upload".to_owned(),
            format!("/segments/{id}"),
            format!("/segments/{id}/edit"),
            "/segments/count?match=all".to_owned(),
        ] {
            let (status, html) = page(&server, &cookie, &path).await;
            assert_eq!(status, 403, "{role} {path}");
            assert!(html.contains("Нет доступа"), "{role} {path}");
        }
        let (_, home) = page(&server, &cookie, "/").await;
        assert!(
            !home.contains(r#"href="/segments""#),
            "{role} sees the menu item"
        );
    }
    // The marketer may.
    common::staff_token(&server.app, "marina", "marketer").await;
    let cookie = signed_in(&server, "marina").await;
    let (status, html) = page(&server, &cookie, &format!("/segments/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Пол — женский"));
    server.stop().await;
}
