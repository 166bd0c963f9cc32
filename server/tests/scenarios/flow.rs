//! The scenarios, written once over plain HTTP: a browser without JavaScript (HTML forms,
//! cookies, redirects not followed) and the JSON calls the hydrated client makes.

use std::time::{Duration, Instant};

use portico_harness::{Site, browser};
use reqwest::header::ORIGIN;
use reqwest::{Client, Response, StatusCode};

use crate::target::{OWNER_EMAIL, OWNER_PASSWORD, Target};

pub use portico_harness::location;

pub struct Session<'a> {
    target: &'a Target,
    site: Site,
    pub client: Client,
}

impl<'a> Session<'a> {
    pub fn new(target: &'a Target) -> Self {
        let site = Site { address: target.base_url.clone(), origin: target.base_url.clone() };
        Self { target, site, client: browser() }
    }

    pub fn kind(&self) -> crate::target::TargetKind {
        self.target.kind
    }

    /// `path` may also be a whole URL, as redirects back to a form are.
    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let page = self.site.get(&self.client, path).await;
        (page.status, page.body)
    }

    /// The page at `path` once it shows `text` (asked again every 250 ms), or as it is after
    /// `within`, for the caller's assertion to say what it showed instead.
    pub async fn page_showing(&self, path: &str, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let (_, page) = self.get(path).await;
            if page.contains(text) || Instant::now() > deadline {
                return page;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    async fn head(&self, path: &str) -> StatusCode {
        let url = format!("{}{path}", self.target.base_url);
        self.client.head(&url).send().await.expect("HEAD").status()
    }

    /// A form post as a browser sends it from `from_page`.
    pub async fn post_form(&self, endpoint: &str, from_page: &str, fields: &[(&str, &str)]) -> Response {
        self.site.post_form(&self.client, endpoint, from_page, fields).await
    }

    /// The settings page's form sent with `changes` made to what it shows.
    pub async fn change_settings(&self, changes: &[(&str, &str)]) -> Response {
        self.site.change_settings(&self.client, changes).await
    }

    /// A member's upload form, as a browser sends it from their profile.
    pub async fn upload(&self, member_id: &str, name: &str, content: &[u8], shared: bool) -> Response {
        self.site.upload(&self.client, member_id, name, content, shared).await
    }

    /// A spreadsheet sent from the imports page.
    pub async fn upload_import(&self, name: &str, content: &[u8]) -> Response {
        self.site.upload_import(&self.client, name, content).await
    }

    /// A file as the browser downloads it: status, Content-Disposition and bytes.
    pub async fn download(&self, path: &str) -> (StatusCode, String, Vec<u8>) {
        let response = self.client.get(format!("{}{path}", self.target.base_url)).send().await.expect("GET");
        let disposition = response.headers().get("content-disposition").and_then(|v| v.to_str().ok());
        let disposition = disposition.unwrap_or_default().to_owned();
        (response.status(), disposition, response.bytes().await.unwrap_or_default().to_vec())
    }

    /// A server function called as the hydrated client calls it.
    async fn call(&self, endpoint: &str, fields: &[(&str, &str)]) -> StatusCode {
        self.site.call(&self.client, endpoint, fields).await.status()
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        location(&self.post_form("/api/login", "/login", &[("email", email), ("password", password)]).await)
    }
}

/// Waits for the stand-in e-mail API to have received `count` messages; returns the last.
pub async fn email_number(target: &Target, count: usize) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(email) = target.sent_emails().await.get(count - 1) {
            return email.clone();
        }
        assert!(
            Instant::now() < deadline,
            "{:?}: e-mail {count} never reached the e-mail API\n{}",
            target.kind,
            target.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The path of the invitation link (`/invite/<token>`), which must be on the public URL.
pub fn invitation_link(target: &Target, email: &serde_json::Value) -> String {
    link_in(target, email, "/invite/")
}

/// The path of the e-mail's link to `kind` (`/join-staff/`, `/reset-password/`…), which must
/// be on the public URL.
pub fn link_in(target: &Target, email: &serde_json::Value, kind: &str) -> String {
    portico_harness::link_in(email, &target.base_url, kind)
}

/// The contacts on a profile page, by id: the member themself first, then representatives.
pub async fn contact_ids(staff: &Session<'_>, profile: &str) -> Vec<String> {
    let (_, page) = staff.get(profile).await;
    page.split("id=\"contact-").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect()
}

/// Staff add a profile for `email` and invite it; returns the profile's path and the link.
pub async fn invited(staff: &Session<'_>, target: &Target, first_name: &str, email: &str) -> (String, String) {
    let fields = [("first_name", first_name), ("last_name", "Case"), ("email", email), ("phone", ""), ("address", "")];
    let profile = location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await);
    let contact = contact_ids(staff, &profile).await.remove(0);
    let sent_before = target.sent_emails().await.len();
    let invite = [("contact_id", contact.as_str()), ("email", email), ("message", "")];
    let invite_page = format!("{profile}/contacts/{contact}/invite");
    assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, &invite).await), profile);
    let link = invitation_link(target, &email_number(target, sent_before + 1).await);
    (profile, link)
}

/// Staff add a profile with no e-mail of its own; returns its path.
pub async fn added(staff: &Session<'_>, first_name: &str) -> String {
    let fields = [("first_name", first_name), ("last_name", "Case"), ("email", ""), ("phone", ""), ("address", "")];
    location(&staff.post_form("/api/add_member", "/staff/members/new", &fields).await)
}

/// Staff add a representative to the profile with "Send the portal invitation now" ticked;
/// returns the new contact's id and the link e-mailed to them.
pub async fn representative_invited(
    staff: &Session<'_>,
    target: &Target,
    profile: &str,
    first_name: &str,
    email: &str,
) -> (String, String) {
    let sent_before = target.sent_emails().await.len();
    let member_id = profile.trim_start_matches("/staff/members/");
    let fields = [
        ("member_id", member_id),
        ("first_name", first_name),
        ("last_name", "Case"),
        ("relation", "parent"),
        ("email", email),
        ("primary", "true"),
        ("send_now", "true"),
        // When the address is on another profile already, staff are asked whether this is
        // that person; "no" keeps each profile to its own invitation (`households` says yes).
        ("same_person", "no"),
    ];
    let added = staff.post_form("/api/add_contact", &format!("{profile}/contacts/new"), &fields).await;
    assert_eq!(location(&added), profile, "{:?}", target.kind);
    let contact = contact_ids(staff, profile).await.pop().expect("the new contact, last");
    (contact, invitation_link(target, &email_number(target, sent_before + 1).await))
}

pub async fn staff_invites_and_the_member_accepts(target: &Target) {
    let staff = Session::new(target);
    let (status, home) = staff.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("Portico"));
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");

    let added = staff
        .post_form(
            "/api/add_member",
            "/staff/members/new",
            &[
                ("first_name", "Grace"),
                ("last_name", "Hopper"),
                ("email", "grace@example.org"),
                ("phone", "+44 20 7946 0000"),
                ("address", "1 Harbour Row\nPortsmouth"),
            ],
        )
        .await;
    let profile_path = location(&added);
    let contact = contact_ids(&staff, &profile_path).await.remove(0);
    let (_, list) = staff.get("/staff/members").await;
    assert!(list.contains("Grace") && list.contains("grace@example.org"), "{list}");

    let invite = &[("contact_id", contact.as_str()), ("email", "grace@example.org"), ("message", "See you on Monday!")];
    let invite_page = format!("{profile_path}/contacts/{contact}/invite");
    assert_eq!(location(&staff.post_form("/api/send_invitation", &invite_page, invite).await), profile_path);
    let (_, profile) = staff.get(&profile_path).await;
    assert!(profile.contains("Invitation sent just now"), "{profile}");

    let first = email_number(target, 1).await;
    assert_eq!(first["to"], serde_json::json!(["grace@example.org"]));
    assert_eq!(first["from"], "\"Riverside Martial Arts\" <hello@riverside.example.org>");
    assert!(first["text"].as_str().unwrap().contains("See you on Monday!"));
    let old_link = invitation_link(target, &first);

    // Opening the link (twice, and a link scanner's HEAD) changes nothing.
    let member = Session::new(target);
    for _ in 0..2 {
        let (status, page) = member.get(&old_link).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Riverside Martial Arts") && page.contains("password"), "{page}");
    }
    assert!(member.head(&old_link).await.is_success());
    let (_, profile) = staff.get(&profile_path).await;
    assert!(profile.contains("Invitation sent just now"), "still waiting after GET/HEAD: {profile}");

    // Resend: a new link arrives and the old one is dead.
    let resend = staff.post_form("/api/resend_invitation", &profile_path, &[("contact_id", contact.as_str())]).await;
    assert_eq!(location(&resend), profile_path);
    let link = invitation_link(target, &email_number(target, 2).await);
    assert_ne!(link, old_link);
    let (_, dead) = member.get(&old_link).await;
    assert!(dead.contains("This link is no longer valid"), "{dead}");

    // Accepting signs the member in and lands on their own profile.
    let token = link.trim_start_matches("/invite/");
    // A common password is refused, saying why, and uses nothing up.
    let common = [("token", token), ("password", "ILoveYou1"), ("confirm_password", "ILoveYou1")];
    let refused = member.post_form("/api/accept_invitation", &link, &common).await;
    let (_, page) = member.get(&location(&refused)).await;
    assert!(page.contains("This is one of the most common passwords"), "{:?}: {page}", target.kind);

    let password = "grace's own password";
    let accepted = member
        .post_form(
            "/api/accept_invitation",
            &link,
            &[("token", token), ("password", password), ("confirm_password", password)],
        )
        .await;
    assert_eq!(location(&accepted), "/portal");
    let (status, portal) = member.get("/portal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(portal.contains("Grace") && portal.contains("Hopper") && portal.contains("Portsmouth"), "{portal}");
    assert!(!portal.contains("Lovelace"), "another member's profile on the portal");
    let (_, used) = member.get(&link).await;
    assert!(
        used.contains("This invitation has been used") && !used.contains("Send me a new link"),
        "a used link is dead, and says to sign in: {used}"
    );

    // Signed out and in again, the member still sees only their own profile, and no staff page.
    assert_eq!(location(&member.post_form("/api/logout", "/portal", &[]).await), "/login");
    assert_eq!(member.sign_in("grace@example.org", password).await, "/portal");
    for page in ["/staff/members", &profile_path, &invite_page] {
        assert_eq!(member.get(page).await.0, StatusCode::NOT_FOUND, "{page}");
    }
    assert_eq!(member.call("/api/list_members", &[]).await, StatusCode::NOT_FOUND);
    assert_eq!(member.call("/api/member_profile", &[("member_id", "1")]).await, StatusCode::NOT_FOUND);

    let (_, profile) = staff.get(&profile_path).await;
    assert!(
        profile.contains("Linked login: </strong>grace@example.org") && profile.contains("Unlink login"),
        "{profile}"
    );
}

pub async fn bad_input_is_refused_with_messages_and_writes_nothing(target: &Target) {
    let staff = Session::new(target);
    let wrong = staff.sign_in(OWNER_EMAIL, "not the password").await;
    assert!(wrong.contains("/login?") && wrong.contains("__err"), "{wrong}");
    assert_eq!(staff.sign_in(OWNER_EMAIL, OWNER_PASSWORD).await, "/staff/members");
    let before = member_count(&staff).await;

    let fields =
        [("first_name", ""), ("last_name", "Nevermade"), ("email", "not-an-email"), ("phone", ""), ("address", "")];
    let refused = staff.post_form("/api/add_member", "/staff/members/new", &fields).await;
    let back = location(&refused);
    assert!(back.contains("/staff/members/new?"), "{back}");
    let (_, form) = staff.get(&back).await;
    assert!(
        form.contains("Enter a name.") && form.contains("Enter an e-mail address like name@example.org."),
        "{form}"
    );
    assert!(form.contains("value=\"Nevermade\""), "what was typed is kept");

    assert_eq!(member_count(&staff).await, before, "no member was added");
    let (_, found) = staff.get("/staff/members?q=nevermade").await;
    assert!(found.contains("0 members found."), "{found}");
}

/// How many members the organisation has, as the member list's first line counts them (all
/// of them, not the 50 of a page).
pub async fn member_count(staff: &Session<'_>) -> usize {
    let (_, list) = staff.get("/staff/members").await;
    let line = list.split("<p").find(|p| p.contains(" members.") || p.contains(" member.")).unwrap_or_default();
    let text = line.split('>').nth(1).unwrap_or_default();
    text.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no count in the list: {list}"))
}

/// Requests Portico answers without using their body — a refused cross-site post, a body over
/// the limit, a post to a page that does not exist — leave the connection fit for the next
/// request. Under `wrangler dev` an answer sent before the body was read made the next request
/// on the same connection hang, or get a 503 "Your worker restarted mid-request".
pub async fn early_answers_leave_the_connection_usable(target: &Target) {
    // One keep-alive connection; a hang fails the request after 10 s.
    let client = Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let base = &target.base_url;
    let password = "x".repeat(4000);
    let form = [("email", OWNER_EMAIL), ("password", password.as_str())];
    let oversized = vec![b'a'; 3 << 20];
    let early_answers = || {
        [
            (
                "a refused cross-site post",
                client
                    .post(format!("{base}/api/login"))
                    .header(ORIGIN, "https://elsewhere.example")
                    .header("sec-fetch-site", "cross-site")
                    .form(&form),
                StatusCode::FORBIDDEN,
            ),
            (
                "a body over the limit",
                client
                    .post(format!("{base}/api/login"))
                    .header(ORIGIN, base.as_str())
                    .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(oversized.clone()),
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
            (
                "a post to a missing page",
                client.post(format!("{base}/no/such/page")).header(ORIGIN, base.as_str()).form(&form),
                StatusCode::NOT_FOUND,
            ),
        ]
    };
    for round in 0..5 {
        for (after, request, status) in early_answers() {
            let answer = request.send().await.unwrap_or_else(|e| panic!("{after}: {e}"));
            assert_eq!(answer.status(), status, "{:?}, round {round}: {after}", target.kind);
            next_page_loads(&client, target, round, after).await;
        }
    }
}

async fn next_page_loads(client: &Client, target: &Target, round: usize, after: &str) {
    let page = client.get(format!("{}/login", target.base_url)).send().await;
    let page = page.unwrap_or_else(|e| panic!("{:?}, round {round}: GET /login after {after}: {e}", target.kind));
    assert_eq!(page.status(), StatusCode::OK, "{:?}, round {round}, after {after}", target.kind);
    page.text().await.unwrap_or_else(|e| panic!("{:?}: the page after {after} did not finish: {e}", target.kind));
}
