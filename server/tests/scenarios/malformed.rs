//! Every server function × every way its request can be malformed, with each `Accept` a
//! client may send: a 4xx naming the problem in a short sentence — never a 500, never a
//! redirect — and nothing written. Signed in as the owner, so a malformed request that got
//! through would be able to write.

use futures::StreamExt;
use reqwest::header::{ACCEPT, CONTENT_TYPE, LOCATION, ORIGIN};
use reqwest::{Method, StatusCode};

use crate::flow::Session;
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};
use portico_harness::endpoints::{ENDPOINTS, NUMBER_FIELDS};

const FORM: &str = "application/x-www-form-urlencoded";
/// Requests in flight at once.
const AT_ONCE: usize = 4;

#[derive(Clone)]
struct Malformed {
    what: &'static str,
    method: Method,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: StatusCode,
}

/// Well-formed fields: `value` for text, 1 for numbers.
fn fields(names: &[&str]) -> Vec<String> {
    names.iter().map(|&name| format!("{name}={}", if NUMBER_FIELDS.contains(&name) { "1" } else { "x" })).collect()
}

/// `listed`: the table's names, where `name?` is a field the function may go without.
fn malformations(listed: &[&'static str]) -> Vec<Malformed> {
    let names: Vec<&'static str> = listed.iter().map(|name| name.trim_end_matches('?')).collect();
    let names = names.as_slice();
    let form = |what, body: String, status| Malformed {
        what,
        method: Method::POST,
        content_type: Some(FORM),
        body: body.into_bytes(),
        status,
    };
    let valid = fields(names).join("&");
    let mut table = vec![
        Malformed {
            what: "GET instead of POST",
            method: Method::GET,
            content_type: None,
            body: Vec::new(),
            status: StatusCode::METHOD_NOT_ALLOWED,
        },
        Malformed {
            what: "a JSON body",
            method: Method::POST,
            content_type: Some("application/json"),
            body: br#"{"email":"a@example.org"}"#.to_vec(),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        },
        Malformed {
            what: "a multipart body",
            method: Method::POST,
            content_type: Some("multipart/form-data; boundary=x"),
            body: b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--\r\n".to_vec(),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        },
        Malformed {
            what: "no content type",
            method: Method::POST,
            content_type: None,
            body: valid.clone().into_bytes(),
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        },
        Malformed {
            what: "raw bytes that are not UTF-8",
            method: Method::POST,
            content_type: Some(FORM),
            body: [b"x=".as_slice(), &[0xff, 0xfe]].concat(),
            status: StatusCode::BAD_REQUEST,
        },
        form("percent-encoded bytes that are not UTF-8", format!("{valid}&note=%FF%FE"), StatusCode::BAD_REQUEST),
    ];
    let Some(&first) = names.first() else { return table };
    table.push(form("a field given twice", format!("{valid}&{first}=x"), StatusCode::BAD_REQUEST));
    if let Some(required) = listed.iter().position(|name| !name.ends_with('?')) {
        let others: Vec<&str> = names.iter().enumerate().filter(|(i, _)| *i != required).map(|(_, n)| *n).collect();
        table.push(form("a field missing", fields(&others).join("&"), StatusCode::BAD_REQUEST));
        table.push(form("no fields at all", String::new(), StatusCode::BAD_REQUEST));
    }
    for number in names.iter().filter(|name| NUMBER_FIELDS.contains(name)) {
        let others =
            fields(names).into_iter().filter(|f| !f.starts_with(&format!("{number}="))).collect::<Vec<_>>().join("&");
        table.push(form("a number that is not one", format!("{others}&{number}=abc"), StatusCode::BAD_REQUEST));
        table.push(form(
            "a number too large",
            format!("{others}&{number}=99999999999999999999999"),
            StatusCode::BAD_REQUEST,
        ));
    }
    table
}

pub async fn every_malformed_call_is_a_client_error_and_writes_nothing(target: &Target) {
    let owner = Session::new(target);
    assert_eq!(owner.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let members_before = crate::flow::member_count(&owner).await;
    let mail_before = target.sent_emails().await.len();
    let base = &target.base_url;

    // A few at a time: each answer is read alone, and nothing is written whatever the order.
    let cases: Vec<(&str, Malformed, &str)> = ENDPOINTS
        .iter()
        .flat_map(|&(endpoint, names)| malformations(names).into_iter().map(move |malformed| (endpoint, malformed)))
        .flat_map(|(endpoint, malformed)| {
            ["text/html", "application/json", "*/*"].map(|accept| (endpoint, malformed.clone(), accept))
        })
        .collect();
    let answered = futures::stream::iter(cases)
        .map(|(endpoint, malformed, accept)| {
            let mut request = owner
                .client
                .request(malformed.method.clone(), format!("{base}{endpoint}"))
                .header(ACCEPT, accept)
                .header(ORIGIN, base.as_str())
                .body(malformed.body.clone());
            if let Some(content_type) = malformed.content_type {
                request = request.header(CONTENT_TYPE, content_type);
            }
            async move {
                let answer = request.send().await.expect("an answer");
                let (status, location) = (answer.status(), answer.headers().get(LOCATION).cloned());
                let message = answer.text().await.unwrap_or_default();
                let case = format!("{:?}: {endpoint} with {} (Accept: {accept})", target.kind, malformed.what);
                assert_eq!(status, malformed.status, "{case}: {message}");
                assert!(location.is_none(), "{case}: redirected to {location:?}");
                assert!(!message.trim().is_empty() && message.len() < 300, "{case}: a short message, got {message:?}");
            }
        })
        .buffer_unordered(AT_ONCE)
        .count()
        .await;
    assert!(answered > ENDPOINTS.len() * 3, "every case was sent: {answered}");

    let oversized = vec![b'a'; 3 << 20];
    futures::stream::iter(ENDPOINTS)
        .map(|&(endpoint, _)| {
            let request = owner
                .client
                .post(format!("{base}{endpoint}"))
                .header(ORIGIN, base.as_str())
                .header(CONTENT_TYPE, FORM)
                .body(oversized.clone());
            async move {
                let answer = request.send().await.expect("an answer");
                assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE, "{:?}: {endpoint} with 3 MiB", target.kind);
            }
        })
        .buffer_unordered(AT_ONCE)
        .count()
        .await;

    let members_after = crate::flow::member_count(&owner).await;
    assert_eq!(members_before, members_after, "{:?}: a member was added", target.kind);
    let mail_after = target.sent_emails().await.len();
    assert_eq!(mail_before, mail_after, "{:?}: e-mail was sent", target.kind);
}
