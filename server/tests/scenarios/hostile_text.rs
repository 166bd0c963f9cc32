//! Every text a person types, stored or reflected, filled with markup meant to break out of
//! where it is shown (a `<textarea>`, a `<title>`, a `<script>`, a comment, a quoted
//! attribute) — and every page that shows it, and every HTML e-mail, parsed with a real
//! HTML5 parser (html5ever): no element or attribute of the text's may appear, and the text
//! must stand whole, as text.
//!
//! The fields, each under its own tag: a member's first and last name and postal address
//! (added, then edited), a representative's first and last name and relation, an
//! invitation's personal message (sent, and previewed), a decline's reason, a group's name,
//! a template's name, subject and body (and its e-mail in the preview frame), the
//! organisation's name and sender name, a staff invitation's name, a membership's programme
//! and level, a booking's title and place, a file's name, the member list's, Not yet
//! registered's and a group's search (reflected), an API key's name, a spreadsheet's headers
//! and cells on its import page, a webhook endpoint's address, and what a refused form keeps
//! (reflected through the signed error link).

use scraper::{Html, Node};

use crate::flow::{Session, contact_ids, email_number, invitation_link, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

/// Ends a textarea, a title, a script; opens a comment; closes a quoted attribute either
/// way; an element with an event handler; a template's braces; a JavaScript line break.
/// 56 characters: with a tag of up to 4 it fits the shortest field (60).
const HOSTILE: &str = "</textarea></title></script><!--\"'><svg onload=x>{{x}}\u{2028}!";

fn tagged(tag: &str) -> String {
    format!("{tag}{HOSTILE}")
}

pub async fn hostile_text_is_shown_as_text_everywhere(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let field = |tag: &str| tagged(tag);

    // A member, with an address of two lines, and the e-mail they are invited at.
    let (first, last, address) = (field("mf"), field("ml"), format!("{}\n{}", field("ma"), field("mb")));
    let member = [
        ("first_name", first.as_str()),
        ("last_name", last.as_str()),
        ("email", "o'hara&{x}@example.org"),
        ("phone", ""),
        ("address", address.as_str()),
    ];
    let profile = location(&staff.post_form("/api/add_member", "/staff/members/new", &member).await);
    assert!(profile.starts_with("/staff/members/"), "{kind:?}: {profile}");
    let member_id = profile.trim_start_matches("/staff/members/").to_owned();
    let edited_address = format!("{}\n{}", field("me"), field("mf2"));
    let edit = [
        ("member_id", member_id.as_str()),
        ("first_name", first.as_str()),
        ("last_name", last.as_str()),
        ("email", "o'hara&{x}@example.org"),
        ("phone", ""),
        ("address", edited_address.as_str()),
    ];
    assert_eq!(location(&staff.post_form("/api/update_member", &format!("{profile}/edit"), &edit).await), profile);

    // A representative, invited with a personal message after a preview of it.
    let (rep_first, rep_last, relation) = (field("rf"), field("rl"), field("rel"));
    let representative = [
        ("member_id", member_id.as_str()),
        ("first_name", rep_first.as_str()),
        ("last_name", rep_last.as_str()),
        ("relation", relation.as_str()),
        ("email", "rep.hostile@example.org"),
        ("primary", "true"),
    ];
    let added = staff.post_form("/api/add_contact", &format!("{profile}/contacts/new"), &representative).await;
    assert_eq!(location(&added), profile, "{kind:?}");
    let contacts = contact_ids(&staff, &profile).await;
    let (own, rep) = (contacts[0].clone(), contacts[1].clone());
    let message = format!("{}\n{}", field("pm"), field("pm2"));
    let invite_page = format!("{profile}/contacts/{rep}/invite");
    let draft = [
        ("contact_id", rep.as_str()),
        ("email", "rep.hostile@example.org"),
        ("template_id", "0"),
        ("message", message.as_str()),
    ];
    let previewed = location(&staff.post_form("/api/preview_invitation_draft", &invite_page, &draft).await);
    let sent_before = target.sent_emails().await.len();
    let invite = [("contact_id", rep.as_str()), ("email", "rep.hostile@example.org"), ("message", message.as_str())];
    assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, &invite).await), profile);
    let rep_email = email_number(target, sent_before + 1).await;
    let rep_link = invitation_link(target, &rep_email);

    // The member themself: invited, then recorded as declined, with a reason.
    let own_invite = [("contact_id", own.as_str()), ("email", "o'hara&{x}@example.org"), ("message", "")];
    let own_page = format!("{profile}/contacts/{own}/invite");
    assert_eq!(location(&staff.post_form("/api/send_invitation", &own_page, &own_invite).await), profile);
    let reason = format!("{}\n{}", field("dr"), field("dr2"));
    let decline = [("contact_id", own.as_str()), ("reason", reason.as_str())];
    assert_eq!(location(&staff.post_form("/api/record_decline", &profile, &decline).await), profile, "{kind:?}");

    // What the member's portal shows: a membership, a booking, a shared file.
    let (programme, level) = (field("pg"), field("lv"));
    let membership = [("member_id", member_id.as_str()), ("programme", programme.as_str()), ("level", level.as_str())];
    assert_eq!(location(&staff.post_form("/api/add_membership", &profile, &membership).await), profile);
    let (title, place) = (field("bt"), field("bp"));
    let booking = [
        ("member_id", member_id.as_str()),
        ("title", title.as_str()),
        ("starts", "2026-12-24T18:00"),
        ("place", place.as_str()),
    ];
    assert_eq!(location(&staff.post_form("/api/add_booking", &profile, &booking).await), profile);
    let file_name = format!("{}.txt", field("fn").replace(['/', '\\'], "_"));
    assert_eq!(location(&staff.upload(&member_id, &file_name, b"hello", true).await), profile, "{kind:?}");

    // A group, a template, a staff invitation, the organisation's own names.
    let group = field("gr");
    let created = staff.post_form("/api/create_group", "/staff/groups", &[("name", group.as_str())]).await;
    let group_page = location(&created);
    let group_id = group_page.trim_start_matches("/staff/groups/").to_owned();
    let add = [("group_id", group_id.as_str()), ("member_id", member_id.as_str())];
    staff.post_form("/api/add_to_group", &group_page, &add).await;
    // A template may hold no braces but its placeholders (refused, saying so), and its link.
    let body_words = field("tb").replace("{{x}}", "");
    let body = format!("Dear {{first_name}}, {body_words}\n\n{{link}}");
    let (template_name, subject) = (field("tn"), field("ts").replace("{{x}}", ""));
    let template = [("name", template_name.as_str()), ("subject", subject.as_str()), ("body", body.as_str())];
    assert_eq!(
        location(&staff.post_form("/api/save_template", "/staff/templates", &template).await),
        "/staff/templates"
    );
    let (_, templates) = staff.get("/staff/templates").await;
    let at = templates.find("href=\"/staff/templates/").expect("the template's link") + 23;
    let template_id = templates[at..].split('"').next().unwrap().to_owned();
    let template_page = format!("/staff/templates/{template_id}");
    let staff_name = field("sn");
    let team = [("name", staff_name.as_str()), ("email", "new.staff.hostile@example.org"), ("role", "staff")];
    assert_eq!(location(&staff.post_form("/api/invite_staff", "/staff/team", &team).await), "/staff/team");
    let (organisation, sender) = (field("on"), field("os"));
    let settings =
        [("name", organisation.as_str()), ("sender_name", sender.as_str()), ("sender_email", "hello@example.org")];
    let saved = staff.change_settings(&settings).await;
    assert_eq!(location(&saved), "/staff/settings", "{kind:?}");

    // An API key's name, a spreadsheet's headers and cells (as the import's page shows them),
    // a webhook endpoint's address (no spaces in an address: the rest of the markup is there).
    let key_name = field("ak");
    let key = [("name", key_name.as_str()), ("access", "read")];
    assert_eq!(location(&staff.post_form("/api/create_api_key", "/staff/api-keys", &key).await), "/staff/api-keys");
    let (header, cell) = (field("ih"), field("ic"));
    let quoted = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let csv = format!("First name,Last name,{}\n{},Import,x\n", quoted(&header), quoted(&cell));
    let import_page = location(&staff.upload_import("hostile.csv", csv.as_bytes()).await);
    assert!(import_page.starts_with("/staff/imports/"), "{kind:?}: {import_page}");
    let hook = "https://hooks.example.org/wh</textarea></title></script><!--\"'><svg/onload=x>".to_owned();
    let endpoint = [("url", hook.as_str()), ("invitation_sent", "true")];
    assert_eq!(location(&staff.post_form("/api/add_webhook", "/staff/webhooks", &endpoint).await), "/staff/webhooks");
    // Disabled at once: nothing later in the run is sent to a host that does not exist.
    let disable = [("endpoint_id", "1")];
    let disabled = staff.post_form("/api/set_webhook_enabled", "/staff/webhooks/1", &disable).await;
    assert_eq!(location(&disabled), "/staff/webhooks/1", "{kind:?}");

    // Reflected: a search, and what a refused form keeps (a name too long beside the text).
    let search = field("q");
    let mut url = reqwest::Url::parse("http://query.test/").unwrap();
    url.query_pairs_mut().append_pair("q", &search);
    let query = url.query().unwrap_or_default().to_owned();
    let too_long = "x".repeat(101);
    let refused_fields = [
        ("first_name", too_long.as_str()),
        ("last_name", last.as_str()),
        ("email", ""),
        ("phone", ""),
        ("address", address.as_str()),
    ];
    let refused = location(&staff.post_form("/api/add_member", "/staff/members/new", &refused_fields).await);
    assert!(refused.contains("__err="), "{kind:?}: {refused}");

    // A round's dry run and report: another member, invited by a round.
    let (round_first, round_last) = (field("nf"), field("nl"));
    let second = [
        ("first_name", round_first.as_str()),
        ("last_name", round_last.as_str()),
        ("email", "round.hostile@example.org"),
        ("phone", ""),
        ("address", ""),
    ];
    let second_profile = location(&staff.post_form("/api/add_member", "/staff/members/new", &second).await);
    let second_id = second_profile.trim_start_matches("/staff/members/").to_owned();
    let dry_run = format!("/staff/invite-round?members={second_id}");
    let (_, plan) = staff.get(&dry_run).await;
    let key_at = plan.find("name=\"request_key\" value=\"").expect("the round's key") + 26;
    let key = plan[key_at..].split('"').next().unwrap().to_owned();
    let round = [("request_key", key.as_str()), ("members", second_id.as_str())];
    let report = location(&staff.post_form("/api/send_round", &dry_run, &round).await);
    assert!(report.starts_with("/staff/bulk-sends/"), "{kind:?}: {report}");

    // Every page that shows them, parsed.
    let everyone: Vec<&String> = vec![&first, &last];
    let pages: Vec<(String, Vec<&String>)> = vec![
        (profile.clone(), vec![&first, &last, &rep_first, &rep_last, &relation, &programme, &level, &title, &place]),
        (format!("{profile}/edit"), vec![&first, &last, &edited_address]),
        (format!("{profile}/contacts/{rep}/edit"), vec![&rep_first, &rep_last, &relation]),
        (previewed.clone(), vec![&message]),
        (format!("/staff/members?{query}"), vec![&search]),
        (format!("/staff/not-registered?{query}"), vec![&search]),
        // The group page's "Find a member" keeps the search in its box.
        (format!("{group_page}?{}", query.replacen("q=", "find=", 1)), vec![&search]),
        // Found by the e-mail's beginning: the list has more than a page of members by now.
        ("/staff/members?q=o%27hara".into(), everyone.clone()),
        ("/staff/not-registered?q=o%27hara".into(), vec![&rep_first]),
        ("/staff/groups".into(), vec![&group]),
        (group_page.clone(), vec![&group, &first]),
        ("/staff/templates".into(), vec![&template_name]),
        (template_page, vec![&template_name, &subject, &body]),
        // The e-mail itself, as its preview frame shows it.
        (format!("/staff/email-preview?template={template_id}"), vec![&body_words]),
        ("/staff/team".into(), vec![&staff_name]),
        ("/staff/settings".into(), vec![&organisation, &sender, &template_name]),
        (format!("/staff/invite-round?members={member_id}"), everyone.clone()),
        (report, vec![&round_first, &round_last]),
        ("/staff/bulk-sends".into(), vec![]),
        (refused, vec![&last, &address]),
        (rep_link.clone(), vec![&organisation, &rep_first]),
        ("/staff/api-keys".into(), vec![&key_name]),
        (import_page, vec![&header, &cell]),
        ("/staff/webhooks".into(), vec![&hook]),
        ("/staff/webhooks/1".into(), vec![&hook]),
    ];
    for (path, shown) in &pages {
        let (status, page) = staff.get(path).await;
        assert!(status.is_success(), "{kind:?}: {path} answered {status}");
        assert_only_our_markup(&format!("{kind:?} {path}"), &page, shown);
    }
    let (status, profile_page) = staff.get(&profile).await;
    assert!(status.is_success());
    assert!(texts(&profile_page).iter().any(|t| t.contains(&file_name)), "{kind:?}: the file's name, whole");
    assert!(texts(&profile_page).iter().any(|t| t.contains(&reason)), "{kind:?}: the decline's reason, whole");

    // The representative accepts; their portal shows the member's records.
    let member = Session::new(target);
    let token = rep_link.trim_start_matches("/invite/");
    let password = "a-hostile-test-password";
    let accepted = member
        .post_form(
            "/api/accept_invitation",
            &rep_link,
            &[("token", token), ("password", password), ("confirm_password", password)],
        )
        .await;
    assert_eq!(location(&accepted), "/portal", "{kind:?}");
    let (_, portal) = member.get("/portal").await;
    assert_only_our_markup(&format!("{kind:?} /portal"), &portal, &[&first, &last, &programme, &level, &title, &place]);

    // Every HTML e-mail sent meanwhile: the invitations (with the message and the template),
    // the staff invitation. Their subjects keep to one line.
    for _ in 0..100 {
        if target.sent_emails().await.len() >= sent_before + 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let emails = target.sent_emails().await;
    assert!(emails.len() >= sent_before + 4, "{kind:?}: the e-mails were sent");
    for email in &emails[sent_before..] {
        let subject = email["subject"].as_str().unwrap_or_default();
        assert!(!subject.contains(['\r', '\n']), "{kind:?}: {subject:?}");
        let html = email["html"].as_str().expect("an HTML body");
        assert_only_our_markup(&format!("{kind:?} e-mail {subject:?}"), html, &[] as &[&str]);
    }
    let rep_html = rep_email["html"].as_str().unwrap();
    assert_only_our_markup(&format!("{kind:?} the representative's e-mail"), rep_html, &[&rep_first, &message]);
}

/// Fails on any element or attribute in `html` that Portico does not write — an `svg` (it
/// writes none), an event-handler attribute, a comment holding what was typed — and unless
/// each of `shown` stands whole in one text (line breaks as typed) or attribute value.
pub fn assert_only_our_markup<S: AsRef<str>>(what: &str, html: &str, shown: &[S]) {
    let document = Html::parse_document(html);
    let mut values = Vec::new();
    for node in document.tree.nodes() {
        match node.value() {
            Node::Element(element) => {
                assert_ne!(element.name(), "svg", "{what}: an <svg> element came from the text:\n{html}");
                for (name, value) in element.attrs() {
                    assert!(
                        !name.starts_with("on"),
                        "{what}: an attribute {name}={value:?} came from the text:\n{html}"
                    );
                    values.push(value.to_owned());
                }
            }
            Node::Comment(comment) => {
                assert!(!comment.contains("svg"), "{what}: the text opened a comment: {:?}", &**comment);
            }
            _ => {}
        }
    }
    values.extend(texts_of(&document));
    for expected in shown {
        assert!(
            values.iter().any(|value| value.contains(expected.as_ref())),
            "{what}: {:?} is not shown whole, as text:\n{html}",
            expected.as_ref()
        );
    }
}

fn texts(html: &str) -> Vec<String> {
    texts_of(&Html::parse_document(html))
}

/// Each text node, and each element's text joined (a value shown across a line break).
fn texts_of(document: &Html) -> Vec<String> {
    let mut texts: Vec<String> =
        document.tree.nodes().filter_map(|node| node.value().as_text().map(|t| t.to_string())).collect();
    texts.extend(document.tree.nodes().filter_map(scraper::ElementRef::wrap).map(|e| e.text().collect::<String>()));
    texts
}
