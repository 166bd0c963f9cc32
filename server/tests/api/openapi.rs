//! The OpenAPI document: the copy both targets serve is the one the code generates, valid
//! OpenAPI 3.1 to `openapi-spec-validator` (nobody here wrote it), every route is in it, and
//! every exchange of the API tests keeps to it — a request the server
//! took is one the document allows, and every answer has the documented shape.

use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::helpers::*;

const SERVED: &str = include_str!("../../../app/src/web/rest/openapi.json");
const ROUTER: &str = include_str!("../../../app/src/web/rest/mod.rs");

fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| serde_json::from_str(SERVED).expect("openapi.json is JSON"))
}

/// The documented path a request's path falls under (`/api/v1/members/12` →
/// `/api/v1/members/{id}`).
fn documented_path(path: &str) -> Option<&'static str> {
    let parts: Vec<&str> = path.split('/').collect();
    document()["paths"].as_object()?.keys().map(String::as_str).find(|template| {
        let pattern: Vec<&str> = template.split('/').collect();
        pattern.len() == parts.len()
            && pattern.iter().zip(&parts).all(|(p, part)| p == part || (p.starts_with('{') && !part.is_empty()))
    })
}

/// `instance` is valid for `schema`, whose `$ref`s point into the document.
fn check(schema: &Value, instance: &Value, what: &str) {
    let root = json!({ "components": document()["components"], "allOf": [schema] });
    let validator = jsonschema::draft202012::new(&root).expect("the document's schemas compile");
    if let Err(error) = validator.validate(instance) {
        panic!("{what} does not keep to the OpenAPI document: {error}\n{instance:#}");
    }
}

/// One exchange of the API tests, checked against the document: a request the server took
/// (2xx) has a documented method, path, query parameters and body; every answer's body has
/// the documented shape (a problem for a 4xx).
pub fn check_exchange(method: &str, path_and_query: &str, body: Option<&Value>, status: u16, answer: &Value) {
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let Some(template) = documented_path(path) else {
        assert!(status >= 400, "{method} {path} answered {status} but is not in the document");
        return;
    };
    let Some(operation) = document()["paths"][template].get(method.to_ascii_lowercase()) else {
        assert!(status >= 400, "{method} {template} answered {status} but is not in the document");
        return;
    };
    let what = format!("{method} {template} ({status})");
    if (200..300).contains(&status) {
        let known: Vec<&str> = operation["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query")
            .filter_map(|p| p["name"].as_str())
            .collect();
        let url = reqwest::Url::parse(&format!("http://api.test/?{query}")).unwrap();
        for (name, _) in url.query_pairs() {
            assert!(known.contains(&name.as_ref()), "{what}: query parameter `{name}` is not documented");
        }
        let request_schema = &operation["requestBody"]["content"]["application/json"]["schema"];
        match body {
            Some(body) => {
                assert!(!request_schema.is_null(), "{what}: took a body the document does not describe");
                check(request_schema, body, &format!("The request body of {what}"));
            }
            None => assert!(
                operation["requestBody"]["required"] != true,
                "{what}: answered without the body the document requires"
            ),
        }
    }
    let (key, kind) =
        if status >= 400 { ("4XX", "application/problem+json") } else { (&*status.to_string(), "application/json") };
    let response = &operation["responses"][key];
    assert!(!response.is_null(), "{what}: the status is not documented");
    if let Some(schema) = response["content"][kind].get("schema") {
        check(schema, answer, &format!("The answer of {what}"));
    }
}

/// `(method, path)` of every route the API's router declares, read from its source.
fn routed() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for line in ROUTER.lines().map(str::trim).filter(|l| l.starts_with(".route(\"/api/v1")) {
        let path = line.split('"').nth(1).unwrap().to_owned();
        for method in ["get", "post", "patch", "delete", "put"] {
            if [' ', '.', '('].iter().any(|before| line.contains(&format!("{before}{method}("))) {
                routes.push((method.to_owned(), path.clone()));
            }
        }
    }
    routes.sort();
    routes
}

#[tokio::test]
async fn the_served_document_is_the_one_the_code_generates() {
    assert!(
        portico_app::web::openapi_document() == SERVED,
        "app/src/web/rest/openapi.json is not what the code generates: run `make openapi` and commit it"
    );
    let app = spawn_app().await;
    let served = reqwest::get(format!("{}/api/v1/openapi.json", app.address)).await.unwrap();
    assert_eq!(served.status(), 200, "no key needed to read the document");
    assert_eq!(served.headers()["content-type"], "application/json");
    let served: Value = served.json().await.unwrap();
    assert_eq!(&served, document());
    assert_eq!(served["openapi"], "3.1.0");
}

#[test]
fn the_document_is_valid_openapi_to_an_independent_validator() {
    let script = "import json, sys\nfrom openapi_spec_validator import validate\n\
                  validate(json.load(sys.stdin))\nprint('valid')\n";
    let said = portico_harness::independent::run_python(script, SERVED);
    assert_eq!(said.trim(), "valid", "openapi-spec-validator refused the document (its reason is above)");
}

#[tokio::test]
async fn every_route_is_in_the_document_and_every_documented_route_answers() {
    let mut documented: Vec<(String, String)> = document()["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| item.as_object().unwrap().keys().map(move |m| (m.clone(), path.clone())))
        .collect();
    documented.sort();
    let routed = routed();
    assert!(routed.len() >= 20, "the router's routes were read: {routed:?}");
    assert_eq!(routed, documented, "the router and the document name the same routes");

    // Each documented route is routed: without a key it asks for one (not 404 or 405).
    let app = spawn_app().await;
    let client = reqwest::Client::new();
    for (method, path) in documented.iter().filter(|(_, path)| !path.ends_with("openapi.json")) {
        let url = format!("{}{}", app.address, path.replace("{id}", "1"));
        let answer = client.request(method.to_uppercase().parse().unwrap(), url).send().await.unwrap();
        assert_eq!(answer.status(), 401, "{method} {path}");
        let body: Value = answer.json().await.unwrap();
        check_exchange(&method.to_uppercase(), path, None, 401, &body);
    }
}

#[test]
fn an_exchange_off_the_document_is_caught() {
    let caught = |method: &'static str, path: &'static str, body: Value, status: u16, answer: Value| {
        std::panic::catch_unwind(move || check_exchange(method, path, Some(&body), status, &answer)).is_err()
    };
    let member = json!({"id": 1, "first_name": "A", "last_name": "B", "email": null, "phone": null, "address": null});
    assert!(!caught("POST", "/api/v1/members", json!({"first_name": "A", "last_name": "B"}), 201, member.clone()));
    assert!(caught("POST", "/api/v1/members", json!({"first_name": "A", "nickname": "B"}), 201, member.clone()));
    assert!(caught("POST", "/api/v1/members", json!({"first_name": "A", "last_name": "B"}), 201, json!({"id": "1"})));
    assert!(caught("GET", "/api/v1/members/1/photos", Value::Null, 200, json!({})));
    assert!(caught("POST", "/api/v1/members", json!({"first_name": "A", "last_name": "B"}), 422, json!({"oops": 1})));
}
