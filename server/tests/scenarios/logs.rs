//! An operator reading the target's log (the server's stdout, the Worker's console) finds each
//! request as one line under the id its answer carried, with its route — never a link's
//! token — and how it ended.

use std::time::{Duration, Instant};

use crate::target::Target;

pub async fn each_request_is_logged_under_the_id_it_answered_with(target: &Target) {
    let token = "b".repeat(43);
    let response = reqwest::get(format!("{}/invite/{token}", target.base_url)).await.expect("GET");
    let status = response.status().as_u16();
    let id = response.headers().get("x-request-id").expect("the answer names its request").to_str().unwrap().to_owned();
    // The Worker's console reaches wrangler's output a moment after the answer.
    let deadline = Instant::now() + Duration::from_secs(10);
    let line = loop {
        let log = target.log();
        if let Some(line) = log.lines().find(|line| line.contains(&id) && line.contains("answered")) {
            break line.to_owned();
        }
        assert!(Instant::now() < deadline, "{:?}: no line for request {id} in:\n{log}", target.kind);
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(line.contains("method=GET") && line.contains("route=/invite/…"), "{line}");
    assert!(line.contains(&format!("status={status}")), "{line}");
    // (wrangler dev prints its own line for each request, address and all; ours never do.)
    let ours = target.log().lines().filter(|line| line.contains("request{")).any(|line| line.contains(&token));
    assert!(!ours, "a link's token is never in our lines");
}
