use std::sync::Arc;
use std::time::Duration;

use portico_app::ports::AppState;
use portico_app::seed::{DEMO_OWNER_EMAIL, ensure_demo_organisation};
use portico_app::stmt;
pub use portico_harness::{Page, Site, browser, location};
use portico_server::clock::ManualClock;
use portico_server::config::{Config, MailConfig};
use portico_server::dispatcher::Dispatcher;
use portico_server::startup::Application;
use portico_server::webhooks::WebhookSender;
use reqwest::header::{ACCEPT, ORIGIN};
use reqwest::{Client, Response};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The configured public address: links must use it whatever Host the request had.
pub const BASE_URL: &str = "http://portal.portico.test";
pub const OWNER_PASSWORD: &str = "owner-password-1";
/// 22 November 2026, 00:00 UTC.
pub const START: i64 = 1_795_305_600;
pub const DAY: i64 = 86_400;

pub struct TestApp {
    /// Where the app answers, and its public URL as the pages' origin.
    pub site: Site,
    pub staff: Client,
    pub email_api: MockServer,
    pub clock: Arc<ManualClock>,
    pub dispatcher: Dispatcher,
    pub webhooks: WebhookSender,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

#[derive(Default)]
pub struct Options {
    pub dev_mailbox: bool,
    pub production: bool,
    pub background_dispatcher: bool,
    /// A Worker-like budget for a round's invitations per request.
    pub invitations_per_request: Option<usize>,
    pub import_rows_per_request: Option<usize>,
    /// PORTICO_EMAIL_WEBHOOK_SECRET: the provider's delivery reports are taken.
    pub email_webhook_secret: Option<&'static str>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options::default()).await
}

pub async fn spawn_app_with(options: Options) -> TestApp {
    let email_api = MockServer::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        database: dir.path().join("portico.db"),
        public_base_url: BASE_URL.into(),
        site_root: concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site").into(),
        mail: if options.dev_mailbox {
            MailConfig::DevMailbox
        } else {
            MailConfig::Http { base_url: email_api.uri(), api_key: "test-key".into() }
        },
        mail_timeout: Duration::from_secs(2),
        dev_mode: !options.production,
        rate_limits: true,
        secret_key: None,
        outbox_poll: Duration::from_millis(200),
        session_idle: Duration::from_secs(2 * 3600),
        session_absolute: Duration::from_secs(12 * 3600),
        demo_password: None,
        invitations_per_request: options.invitations_per_request.unwrap_or(usize::MAX),
        import_rows_per_request: options.import_rows_per_request.unwrap_or(usize::MAX),
        email_webhook_secret: options.email_webhook_secret.map(str::to_owned),
    };
    let clock = Arc::new(ManualClock::new(START));
    let app = Application::build(config, clock.clone()).await.expect("app builds");
    ensure_demo_organisation(&app.state, Some(OWNER_PASSWORD.into())).await.expect("seed");
    let address = format!("http://127.0.0.1:{}", app.port());
    let (dispatcher, webhooks, state) = (app.dispatcher.clone(), app.webhooks.clone(), app.state.clone());
    tokio::spawn(app.run_until_stopped(options.background_dispatcher));
    let site = Site { address, origin: BASE_URL.into() };
    TestApp { site, staff: browser(), email_api, clock, dispatcher, webhooks, state, _dir: dir }
}

/// The e-mail API's batch endpoint accepts everything, giving each message an id.
pub async fn email_api_accepts(app: &TestApp) {
    Mock::given(path("/emails/batch"))
        .and(method("POST"))
        .respond_with(AcceptsBatch::default())
        .mount(&app.email_api)
        .await;
}

/// The e-mail API refuses (422, "Invalid `to` field") every batch that carries `address`,
/// as a provider refuses a bad recipient; mount before `email_api_accepts`.
pub async fn email_api_refuses(app: &TestApp, address: &str) {
    Mock::given(path("/emails/batch"))
        .and(method("POST"))
        .and(wiremock::matchers::body_string_contains(address))
        .respond_with(ResponseTemplate::new(422).set_body_json(serde_json::json!({"message": "Invalid `to` field"})))
        .with_priority(1)
        .mount(&app.email_api)
        .await;
}

/// Answers a batch as the provider does: `{"data": [{"id": "msg_<n>"}, …]}`, one a message,
/// numbered from 0 across every batch it takes (ids are the provider's, and unique).
#[derive(Default)]
pub struct AcceptsBatch(std::sync::atomic::AtomicUsize);

impl Respond for AcceptsBatch {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let messages: Vec<serde_json::Value> = serde_json::from_slice(&request.body).expect("a JSON list");
        let first = self.0.fetch_add(messages.len(), std::sync::atomic::Ordering::SeqCst);
        let ids: Vec<_> =
            (first..first + messages.len()).map(|n| serde_json::json!({"id": format!("msg_{n}")})).collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "data": ids }))
    }
}

/// What became of one message in a dispatcher's run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    WillRetry,
    GaveUp,
}

/// The requests a browser sends (`portico_harness::Site`), at this app's address.
impl std::ops::Deref for TestApp {
    type Target = Site;

    fn deref(&self) -> &Site {
        &self.site
    }
}

impl TestApp {
    /// "Preview" on the invite page of the member's `contact`: the form posted, and the page
    /// it comes back to.
    pub async fn preview(
        &self,
        client: &Client,
        member_id: i64,
        contact: i64,
        email: &str,
        template_id: i64,
        message: &str,
    ) -> Page {
        let page = format!("/staff/members/{member_id}/contacts/{contact}/invite");
        let (contact, template_id) = (contact.to_string(), template_id.to_string());
        let fields =
            [("contact_id", contact.as_str()), ("email", email), ("template_id", &template_id), ("message", message)];
        let posted = self.post_form(client, "/api/preview_invitation_draft", &page, &fields).await;
        let back = location(&posted);
        assert!(back.starts_with(&format!("{page}?")), "{}: {back}", posted.status());
        self.get(client, &back).await
    }

    pub async fn login(&self, client: &Client, email: &str, password: &str) -> Response {
        self.post_form(client, "/api/login", "/login", &[("email", email), ("password", password)]).await
    }

    pub async fn staff_login(&self) {
        let response = self.login(&self.staff, DEMO_OWNER_EMAIL, OWNER_PASSWORD).await;
        assert_eq!(location(&response), "/staff/members");
    }

    /// Adds a member as the signed-in staff and returns its id.
    pub async fn add_member(&self, first: &str, last: &str, email: &str) -> i64 {
        let response = self
            .post_form(
                &self.staff,
                "/api/add_member",
                "/staff/members/new",
                &[("first_name", first), ("last_name", last), ("email", email), ("phone", ""), ("address", "")],
            )
            .await;
        let location = location(&response);
        location.strip_prefix("/staff/members/").and_then(|id| id.parse().ok()).unwrap_or_else(|| panic!("{location}"))
    }

    /// Invites the member themself (their own contact).
    pub async fn invite(&self, member_id: i64, email: &str, message: &str) -> Response {
        let contact = self.self_contact(member_id).await.to_string();
        self.post_form(
            &self.staff,
            "/api/send_invitation",
            &format!("/staff/members/{member_id}/contacts/{contact}/invite"),
            &[("contact_id", contact.as_str()), ("email", email), ("message", message)],
        )
        .await
    }

    /// The id of the member's own contact (invitations, links and declines belong to it).
    pub async fn self_contact(&self, member_id: i64) -> i64 {
        let rows = self
            .state
            .db
            .fetch_all(stmt!("SELECT id FROM contacts WHERE member_id = ? AND is_self = 1", member_id))
            .await
            .unwrap();
        rows[0]["id"].as_i64().expect("the member has their own contact")
    }

    /// Runs the dispatcher until nothing is due: what became of each message tried.
    pub async fn dispatch_pending_emails(&self) -> Vec<Outcome> {
        let mut outcomes = Vec::new();
        while let Some(batch) = self.dispatcher.run_once().await.expect("dispatch") {
            outcomes.extend(std::iter::repeat_n(Outcome::Sent, batch.sent));
            outcomes.extend(std::iter::repeat_n(Outcome::WillRetry, batch.will_retry));
            outcomes.extend(std::iter::repeat_n(Outcome::GaveUp, batch.gave_up));
        }
        outcomes
    }

    /// Every message of every batch the e-mail API received, in order.
    pub async fn sent_emails(&self) -> Vec<serde_json::Value> {
        let requests = self.email_api.received_requests().await.unwrap_or_default();
        requests.iter().flat_map(|r| serde_json::from_slice::<Vec<serde_json::Value>>(&r.body).unwrap()).collect()
    }

    /// The invitation links in every e-mail the API received, in order.
    pub async fn invitation_links(&self) -> Vec<String> {
        self.sent_emails().await.iter().map(invitation_link).collect()
    }

    /// Invites a new member and delivers the e-mail; returns (member id, link path).
    pub async fn invited_member(&self, first: &str, email: &str) -> (i64, String) {
        let id = self.add_member(first, "Example", email).await;
        assert_eq!(location(&self.invite(id, email, "").await), format!("/staff/members/{id}"));
        self.dispatch_pending_emails().await;
        let link = self.invitation_links().await.pop().expect("an e-mail was sent");
        (id, link)
    }

    /// The signed-in owner adds a member with their own e-mail and invites it: a link for a
    /// login that exists already. Returns the member id and the link.
    pub async fn owner_invited_as_member(&self) -> (i64, String) {
        email_api_accepts(self).await;
        self.staff_login().await;
        let id = self.add_member("Olive", "Owner", DEMO_OWNER_EMAIL).await;
        self.invite(id, DEMO_OWNER_EMAIL, "").await;
        self.dispatch_pending_emails().await;
        (id, self.invitation_links().await.pop().unwrap())
    }

    /// The form on the invitation page, posted as Chromium posts it from a page with
    /// `Referrer-Policy: no-referrer`: `Origin: null`, no Referer.
    pub async fn accept(&self, client: &Client, link_path: &str, password: &str) -> Response {
        let token = link_path.trim_start_matches("/invite/");
        client
            .post(format!("{}/api/accept_invitation", self.address))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(ORIGIN, "null")
            .header("sec-fetch-site", "same-origin")
            .form(&[("token", token), ("password", password), ("confirm_password", password)])
            .send()
            .await
            .expect("POST")
    }

    /// A staff login made directly in the database, in `organisation` (created if new),
    /// seeing every member or only those it is given.
    pub async fn add_staff_login(&self, email: &str, password: &str, organisation: &str, all_members: bool) {
        let parsed = portico_app::domain::Password::parse(password).unwrap();
        let hash = self.state.passwords.hash(parsed).await.unwrap();
        self.state
            .db
            .batch(vec![
                stmt!(
                    "INSERT INTO organisations (name, sender_name, sender_email, created_at)
                     SELECT ?, ?, 'hello@example.org', 0 WHERE NOT EXISTS (SELECT 1 FROM organisations WHERE name = ?)",
                    organisation,
                    organisation,
                    organisation
                ),
                stmt!("INSERT INTO users (email, password_hash, created_at) VALUES (?, ?, 0)", email, hash),
                stmt!(
                    "INSERT INTO staff (user_id, organisation_id, role, all_members)
                     SELECT u.id, o.id, 'staff', ? FROM users u, organisations o WHERE u.email = ? AND o.name = ?",
                    all_members,
                    email,
                    organisation
                ),
            ])
            .await
            .unwrap();
    }

    /// A staff login of the demo organisation in `role` ("owner", "administrator",
    /// "security_administrator", "staff"), seeing every member; signed in on the returned
    /// browser.
    pub async fn staff_in_role(&self, email: &str, role: &str) -> Client {
        self.add_staff_login(email, "role-password-1", "Riverside Martial Arts", true).await;
        self.state
            .db
            .execute(stmt!(
                "UPDATE staff SET role = ? WHERE user_id = (SELECT id FROM users WHERE email = ?)",
                role,
                email
            ))
            .await
            .unwrap();
        let client = browser();
        assert_eq!(location(&self.login(&client, email, "role-password-1").await), "/staff/members");
        client
    }

    /// What SQLite says it will do for `stmt`: one line per step ("SEARCH m USING INDEX …").
    pub async fn query_plan(&self, stmt: portico_app::store::Stmt) -> Vec<String> {
        let explain = portico_app::store::Stmt { sql: format!("EXPLAIN QUERY PLAN {}", stmt.sql).into(), ..stmt };
        let rows = self.state.db.fetch_all(explain).await.unwrap();
        rows.iter().map(|row| row["detail"].as_str().unwrap_or_default().to_owned()).collect()
    }

    /// Saves a message template as the signed-in staff; returns its id.
    pub async fn template(&self, name: &str, subject: &str, body: &str) -> i64 {
        let fields = [("name", name), ("subject", subject), ("body", body)];
        let saved = self.post_form(&self.staff, "/api/save_template", "/staff/templates", &fields).await;
        assert_eq!(location(&saved), "/staff/templates");
        self.count("SELECT max(id) FROM message_templates").await
    }

    /// The path a form post was sent back to (its Location names this app's address or the
    /// configured base URL, whole).
    pub fn sent_back_to(&self, response: &Response) -> String {
        location(response).replace(&self.address, "").replace(BASE_URL, "")
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        let rows = self.state.db.fetch_all(stmt!(sql)).await.unwrap();
        rows[0].values().next().and_then(|v| v.as_i64()).unwrap()
    }

    /// Every member's kept standing is what the `member_standing` view decides from the rows
    /// now: no write left one stale.
    pub async fn assert_standings_fresh(&self) {
        let stale = self
            .dump(
                "SELECT m.id, m.standing, s.standing AS decided FROM members m
                 JOIN member_standing s ON s.member_id = m.id
                 WHERE m.standing IS NOT s.standing OR m.standing_expires_at IS NOT s.expires_at
                    OR m.latest_invited_at IS NOT s.invited_at OR m.latest_login_at IS NOT s.login_at",
            )
            .await;
        assert_eq!(stale, "[]", "members whose kept standing is stale");
    }

    /// Every row a query finds, as JSON text: to compare before and after, or search.
    pub async fn dump(&self, sql: &'static str) -> String {
        serde_json::to_string(&self.state.db.fetch_all(stmt!(sql)).await.unwrap()).unwrap()
    }
}

/// The path of the invitation link in an e-mail API request body (`/invite/<token>`),
/// checking it is built from the configured base URL.
pub fn invitation_link(body: &serde_json::Value) -> String {
    link_in(body, "/invite/")
}

/// The path of the link to `kind` (`/join-staff/`, `/reset-password/`…) in an e-mail.
pub fn link_in(body: &serde_json::Value, kind: &str) -> String {
    portico_harness::link_in(body, BASE_URL, kind)
}

impl TestApp {
    /// The owner's device cookie as `client` holds it: a right password renews it, and the
    /// answer carries its value (reqwest's cookie store cannot be read).
    pub async fn device_cookie_of(&self, client: &Client) -> String {
        let answer =
            self.call(client, "/api/login", &[("email", DEMO_OWNER_EMAIL), ("password", OWNER_PASSWORD)]).await;
        let cookie = set_cookie_named(&answer, "portico_device").expect("a right password renews the device cookie");
        let cookie = cookie.trim_start_matches("portico_device=").split(';').next().unwrap_or_default().to_owned();
        assert_eq!(self.call(client, "/api/logout", &[]).await.status(), 200);
        cookie
    }
}

/// An e-mail as the outbox keeps it, under `idempotency_key`, for statements called directly.
pub fn queued_email(idempotency_key: &str) -> portico_app::store::invitations::QueuedEmail {
    portico_app::store::invitations::QueuedEmail {
        idempotency_key: idempotency_key.to_owned(),
        from_name: "Riverside".into(),
        from_email: "hello@example.org".into(),
        subject: "s".into(),
        text_body: "t".into(),
        html_body: "h".into(),
        sealed_token: String::new(),
    }
}

/// The `Set-Cookie` header of the answer's session cookie, whole.
pub fn session_cookie(response: &Response) -> String {
    set_cookie_named(response, "portico_session").expect("a session cookie")
}

/// The `Set-Cookie` header that sets cookie `name`, whole.
pub fn set_cookie_named(response: &Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|cookie| cookie.starts_with(&prefix))
        .map(str::to_owned)
}

/// Whether the answer signs the browser in (a failed form may still set other cookies).
pub fn sets_session_cookie(response: &Response) -> bool {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .any(|cookie| cookie.to_str().is_ok_and(|c| c.starts_with("portico_session=")))
}

/// The member list's row (`<tr>…</tr>`) that names `name`.
pub fn list_row(page: &str, name: &str) -> String {
    page.split("<tr")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap_or_default())
        .find(|row| row.contains(name))
        .unwrap_or_else(|| panic!("no row names {name}: {page}"))
        .to_owned()
}

/// The error a plain form post was sent back to its page with (`__err`, as Leptos writes
/// it): `"InvalidLink"`, or the text of a conflict's message. Fails unless the answer is
/// such a redirect — a 500 or a sign-in is no refusal.
pub fn refusal(response: &Response) -> String {
    let back = location(response);
    let query = back.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let error = reqwest::Url::parse(&format!("http://x/?{query}"))
        .ok()
        .and_then(|url| url.query_pairs().find(|(name, _)| name == "__err").map(|(_, v)| v.into_owned()));
    let error = error.unwrap_or_else(|| panic!("{}: not sent back with an error: {back:?}", response.status()));
    use base64::Engine;
    let json = base64::engine::general_purpose::STANDARD.decode(&error).expect("__err is base64");
    let json: serde_json::Value = serde_json::from_slice(&json).expect("__err is JSON");
    json.as_str().map(str::to_owned).unwrap_or_else(|| json.to_string())
}

/// The one-time notice a page shows ("Settings saved."), if it shows one.
pub fn notice(page: &str) -> Option<String> {
    let (_, rest) = page.split_once("<p role=\"status\" class=\"notice\">")?;
    rest.split_once("</p>").map(|(text, _)| text.to_owned())
}
