//! Staff working side by side: pages and posts in flight together, some of them queueing an
//! e-mail that is sent once the answer has gone (on the Worker, in the request's
//! `waitUntil`). Every request gets its own answer; none waits on another's.

use futures::future::join_all;
use reqwest::StatusCode;

use crate::flow::{Session, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

const DESKS: usize = 4;
const PEOPLE_A_DESK: usize = 6;

pub async fn staff_at_several_desks_are_each_answered(target: &Target) {
    let kind = target.kind;
    let desks: Vec<Session> = (0..DESKS).map(|_| Session::new(target)).collect();
    for desk in &desks {
        assert_eq!(desk.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    }
    let work = desks.iter().enumerate().map(|(desk_number, desk)| async move {
        let mut refused = Vec::new();
        for person in 0..PEOPLE_A_DESK {
            let tag = format!("{desk_number}-{person}");
            let first_name = format!("Desk{tag}");
            let member = [
                ("first_name", first_name.as_str()),
                ("last_name", "Case"),
                ("email", ""),
                ("phone", ""),
                ("address", ""),
            ];
            let added = desk.post_form("/api/add_member", "/staff/members/new", &member).await;
            if !added.status().is_redirection() {
                refused.push(format!("add_member {tag}: {} {}", added.status(), added.text().await.unwrap()));
                continue;
            }
            let profile = location(&added);
            let member_id = profile.trim_start_matches("/staff/members/").to_owned();
            let email = format!("desk.{tag}@example.org");
            let representative = [
                ("member_id", member_id.as_str()),
                ("first_name", "Pat"),
                ("last_name", "Case"),
                ("relation", "parent"),
                ("email", email.as_str()),
                ("send_now", "true"),
            ];
            let invited = desk.post_form("/api/add_contact", &format!("{profile}/contacts/new"), &representative).await;
            if !invited.status().is_redirection() {
                refused.push(format!("add_contact {tag}: {} {}", invited.status(), invited.text().await.unwrap()));
            }
            let (status, page) = desk.get(&profile).await;
            if status != StatusCode::OK || !page.contains(&email) {
                refused.push(format!("{profile}: {status}"));
            }
        }
        refused
    });
    let refused: Vec<String> = join_all(work).await.into_iter().flatten().collect();
    assert!(refused.is_empty(), "{kind:?}: {} requests not answered:\n{}", refused.len(), refused.join("\n"));
}
