//! A message template: staff save one, preview the exact e-mail on the invite page (its HTML
//! rendered in a sandboxed frame with its own policy; nothing is sent), then send with it;
//! the e-mail is the template's subject and words, filled in.

use crate::flow::{Session, contact_ids, email_number, location};
use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub async fn staff_preview_and_send_an_invitation_from_a_template(target: &Target) {
    let kind = target.kind;
    let staff = Session::new(target);
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let template = [
        ("name", "Welcome"),
        ("subject", "Welcome aboard, {first_name}"),
        ("body", "Hello {first_name} from {organisation}!\n\n{link}"),
    ];
    assert_eq!(
        location(&staff.post_form("/api/save_template", "/staff/templates", &template).await),
        "/staff/templates"
    );
    let (_, list) = staff.get("/staff/templates").await;
    let link = "href=\"/staff/templates/";
    let at = list.find(link).expect("the template's link") + link.len();
    let template_id = list[at..].split('"').next().unwrap().to_owned();

    let fields = [
        ("first_name", "Tia"),
        ("last_name", "Case"),
        ("email", "tia.case@example.org"),
        ("phone", ""),
        ("address", ""),
    ];
    let profile = location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await);
    let contact = contact_ids(&staff, &profile).await.remove(0);
    let sent_before = target.sent_emails().await.len();
    let page = format!("{profile}/contacts/{contact}/invite");
    let draft = [
        ("contact_id", contact.as_str()),
        ("email", "tia.case@example.org"),
        ("message", ""),
        ("template_id", template_id.as_str()),
    ];
    let back = location(&staff.post_form("/api/preview_invitation_draft", &page, &draft).await);
    assert!(back.starts_with(&format!("{page}?")) && back.contains("__sig="), "{kind:?}: {back}");
    let (_, preview) = staff.get(&back).await;
    // The organisation's name is the first-run scenario's winner: "Riverside Martial Arts…".
    assert!(preview.contains("Hello Tia from Riverside Martial Arts"), "{kind:?}: {preview}");
    assert!(preview.contains("Welcome aboard, Tia"), "{kind:?}");
    let at = preview.find("<iframe").expect("the preview's frame");
    let src = &preview[at..];
    let src = src[src.find("src=\"").unwrap() + 5..].split('"').next().unwrap().replace("&amp;", "&");
    let frame = staff.client.get(format!("{}{src}", target.base_url)).send().await.expect("GET");
    assert_eq!(frame.status(), 200, "{kind:?}: {src}");
    let policy = frame.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(policy.starts_with("default-src 'none'") && policy.ends_with("sandbox"), "{kind:?}: {policy}");
    let html = frame.text().await.unwrap();
    assert!(html.contains("<p>Hello Tia from Riverside Martial Arts"), "{kind:?}: {html}");
    assert!(html.contains(">Set your password</a>") && !html.contains("{link}"), "{kind:?}: {html}");
    // The preview invited no one: the card still says so.
    let (_, card) = staff.get(&profile).await;
    assert!(card.contains("Not invited yet"), "{kind:?}: {card}");

    let invite = [
        ("contact_id", contact.as_str()),
        ("email", "tia.case@example.org"),
        ("message", ""),
        ("template_id", template_id.as_str()),
    ];
    assert_eq!(location(&staff.post_form("/api/send_invitation", &page, &invite).await), profile, "{kind:?}");
    let email = email_number(target, sent_before + 1).await;
    // One e-mail, the invitation's: the preview queued none.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(target.sent_emails().await.len(), sent_before + 1, "{kind:?}");
    let subject = email["subject"].as_str().unwrap();
    assert_eq!(subject, "Welcome aboard, Tia", "{kind:?}");
    let text = email["text"].as_str().unwrap();
    assert!(
        text.starts_with("Hello Tia from Riverside Martial Arts") && text.contains("!\n\nhttp"),
        "{kind:?}: {text}"
    );
}
