//! The console over plain HTTP, as a browser without scripts uses it: a
//! session cookie, the forms' hidden fields, redirects not followed.

use reqwest::redirect::Policy;

use super::TestServer;

/// A client that shows redirects rather than following them.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// The session cookie a response sets, whole.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("clientele_session="))
        .map(str::to_owned)
}

/// A signed-in browser's cookie pair for `login`.
pub async fn signed_in(server: &TestServer, login: &str) -> String {
    let signed = browser()
        .post(server.url("/login"))
        .form(&[
            ("login", login),
            ("password", "correct horse battery"),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = session_cookie(&signed).expect("a session cookie");
    cookie.split(';').next().unwrap().to_owned()
}

/// A hidden field's value in a page.
pub fn hidden(html: &str, name: &str) -> String {
    html.split(&format!(r#"name="{name}" value=""#))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

/// A hidden field's value in the form (or other element) with this id,
/// for a page with several forms.
pub fn hidden_in(html: &str, id: &str, name: &str) -> String {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    hidden(&html[at..], name)
}

/// A page as the signed-in browser gets it: its status and its text.
pub async fn page(server: &TestServer, cookie: &str, path: &str) -> (u16, String) {
    let response = browser()
        .get(server.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Posts a console form as the signed-in browser does: the status, the
/// redirect's target (empty: none) and the page.
pub async fn post(
    server: &TestServer,
    cookie: &str,
    path: &str,
    fields: &[(&str, String)],
) -> (u16, String, String) {
    let response = browser()
        .post(server.url(path))
        .header("cookie", cookie)
        .form(fields)
        .send()
        .await
        .unwrap();
    answered(response).await
}

/// A form's answer: its status, the redirect's target (empty: none) and
/// the page.
pub async fn answered(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

/// A `multipart/form-data` body as a browser sends a form with a file:
/// its content type and its bytes.
pub fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----clientele-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(file);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The text of the element with this id, its tags dropped (up to its first
/// closing tag of the same name).
pub fn text_of(html: &str, id: &str) -> String {
    let at = html
        .find(&format!(r#"id="{id}""#))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let start = at + html[at..].find('>').unwrap() + 1;
    let tag = html[..at].rsplit('<').next().unwrap();
    let name = tag.split_whitespace().next().unwrap();
    let end = start + html[start..].find(&format!("</{name}>")).unwrap();
    let mut text = String::new();
    let mut inside = false;
    for c in html[start..end].chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                text.push(' ');
            }
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
