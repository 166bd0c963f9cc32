//! Starting a target as a user would: the built `portico` binary, or `wrangler dev` on the
//! built Worker with a local D1 migrated by `wrangler d1 migrations apply`. Each gets a
//! temporary database, its own loopback ports and a wiremock e-mail API; it is stopped
//! (its whole process group) when dropped.

use std::collections::HashSet;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const OWNER_EMAIL: &str = "owner@example.org";
pub const OWNER_PASSWORD: &str = "scenario-owner-password";
pub const EMAIL_API_KEY: &str = "scenario-key";
/// The secret the stand-in provider signs its delivery reports with.
pub const EMAIL_WEBHOOK_SECRET: &str = "whsec_c2NlbmFyaW8gZGVsaXZlcnkgcmVwb3J0cyEh";
/// A fixed key for the test Worker (the server keeps its own beside the database).
const SECRET_KEY: &str = "cG9ydGljby1zY2VuYXJpby1zZWNyZXQta2V5LTMyYnk";

#[derive(Debug, Clone, Copy)]
pub enum TargetKind {
    Server,
    Worker,
}

pub struct Target {
    pub kind: TargetKind,
    /// `http://127.0.0.1:<port>`: where requests go, and the public URL links are built on.
    pub base_url: String,
    pub email_api: MockServer,
    process: Child,
    _dir: tempfile::TempDir,
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port").port()
}

impl Target {
    /// The target as deployed: production settings, an e-mail API, an empty database.
    pub async fn start(kind: TargetKind) -> Self {
        Self::start_with(kind, &[]).await
    }

    /// With `changed` settings in place of (or beside) the usual ones; ready once it answers
    /// anything at all.
    pub async fn start_with(kind: TargetKind, changed: &[(&str, &str)]) -> Self {
        let email_api = MockServer::start().await;
        let provider = Provider::default();
        Mock::given(method("POST")).and(path("/emails/batch")).respond_with(provider).mount(&email_api).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let base_url = format!("http://127.0.0.1:{port}");
        let mut settings = vec![
            ("PORTICO_PUBLIC_URL", base_url.clone()),
            ("PORTICO_EMAIL_API_URL", email_api.uri()),
            ("PORTICO_EMAIL_API_KEY", EMAIL_API_KEY.to_owned()),
            ("PORTICO_EMAIL_WEBHOOK_SECRET", EMAIL_WEBHOOK_SECRET.to_owned()),
            // Ignored in production: there the first visitor sets up the organisation.
            ("PORTICO_DEMO_PASSWORD", OWNER_PASSWORD.to_owned()),
        ];
        settings.retain(|(name, _)| !changed.iter().any(|(changed, _)| changed == name));
        settings.extend(changed.iter().map(|(name, value)| (*name, value.to_string())));
        let mut command = match kind {
            TargetKind::Server => server_command(port, dir.path(), &settings),
            TargetKind::Worker => worker_command(port, dir.path(), &settings),
        };
        let log = std::fs::File::create(dir.path().join("target.log")).expect("log file");
        command.stdout(log.try_clone().unwrap()).stderr(log).stdin(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let process = command.spawn().unwrap_or_else(|e| panic!("could not start {kind:?}: {e}"));
        let target = Self { kind, base_url, email_api, process, _dir: dir };
        target.wait_until_serving().await;
        target
    }

    async fn wait_until_serving(&self) {
        let deadline = Instant::now() + Duration::from_secs(90);
        let client = reqwest::Client::new();
        while Instant::now() < deadline {
            if client.get(&self.base_url).send().await.is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        panic!("{:?} did not start serving {} within 90 s:\n{}", self.kind, self.base_url, self.log());
    }

    /// Every message of every batch the stand-in e-mail API accepted, in order; each batch
    /// signed with the API key, under an idempotency key, of at most 100 messages.
    pub async fn sent_emails(&self) -> Vec<serde_json::Value> {
        let mut emails = Vec::new();
        let mut seen = HashSet::new();
        for request in self.email_api.received_requests().await.unwrap_or_default() {
            assert_eq!(request.headers.get("authorization").unwrap(), &format!("Bearer {EMAIL_API_KEY}"));
            assert!(request.headers.get("idempotency-key").is_some(), "an idempotency key");
            let batch: Vec<serde_json::Value> = serde_json::from_slice(&request.body).expect("a JSON list");
            assert!((1..=100).contains(&batch.len()), "{:?}: a batch of {}", self.kind, batch.len());
            if answer(&batch, &mut seen) == 200 {
                emails.extend(batch);
            }
        }
        emails
    }

    /// What the target printed, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("target.log")).unwrap_or_default()
    }
}

/// Addresses at this domain are refused by the stand-in provider, as a real one refuses a
/// recipient it will not deliver to.
pub const REFUSED_DOMAIN: &str = "@refused.example.org";
/// A batch holding an address at this domain for the first time is answered 429 (with a
/// `Retry-After`), as a provider over its rate limit does; the retry is accepted.
pub const BUSY_DOMAIN: &str = "@busy.example.org";
/// The same with a 503, as a provider having an outage.
pub const DOWN_DOMAIN: &str = "@down.example.org";

/// The e-mail API as the provider answers: `{"data": [{"id": …}, …]}`, an id a message; a
/// batch holding a refused address is refused whole (422, naming the field), as the
/// provider's batch endpoint does; busy and down addresses as their domains say.
#[derive(Default)]
struct Provider {
    seen: Mutex<HashSet<String>>,
}

impl Respond for Provider {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let messages: Vec<serde_json::Value> = serde_json::from_slice(&request.body).unwrap_or_default();
        match answer(&messages, &mut self.seen.lock().unwrap()) {
            422 => ResponseTemplate::new(422)
                .set_body_json(serde_json::json!({"name": "validation_error", "message": "Invalid `to` field."})),
            429 => ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(serde_json::json!({"name": "rate_limit_exceeded", "message": "Too many requests."})),
            503 => ResponseTemplate::new(503).set_body_string("upstream unavailable"),
            _ => {
                let ids: Vec<_> = messages.iter().map(|m| serde_json::json!({"id": provider_id(m)})).collect();
                ResponseTemplate::new(200).set_body_json(serde_json::json!({ "data": ids }))
            }
        }
    }
}

/// The stand-in's id of a message: the same for the same message (a retried batch), unique
/// otherwise (each message carries its own link). FNV-1a of its JSON.
pub fn provider_id(message: &serde_json::Value) -> String {
    let hash = message
        .to_string()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("msg_{hash:016x}")
}

/// The stand-in's status for a batch, given the addresses it has seen before (updated):
/// what `Provider` answers and what `sent_emails` counts as sent.
fn answer(batch: &[serde_json::Value], seen: &mut HashSet<String>) -> u16 {
    let to: Vec<String> = batch.iter().map(|m| m["to"].to_string()).collect();
    if to.iter().any(|t| t.contains(REFUSED_DOMAIN)) {
        return 422;
    }
    let first_time = |domain: &str| to.iter().any(|t| t.contains(domain) && !seen.contains(t));
    let status = if first_time(BUSY_DOMAIN) {
        429
    } else if first_time(DOWN_DOMAIN) {
        503
    } else {
        200
    };
    seen.extend(to);
    status
}

impl Drop for Target {
    fn drop(&mut self) {
        // wrangler runs workerd as a child: stop the whole group.
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.process.wait();
    }
}

pub fn server_command(port: u16, dir: &Path, settings: &[(&str, String)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_portico"));
    command
        .current_dir(dir)
        .env("PORTICO_ADDR", format!("127.0.0.1:{port}"))
        .env("PORTICO_DATABASE", dir.join("portico.db"))
        .env("LEPTOS_SITE_ROOT", workspace().join("target/site"))
        .envs(settings.iter().map(|(k, v)| (*k, v.as_str())));
    command
}

/// `wrangler dev` in local mode on the Worker `make edge-build` produced, with the local D1
/// kept in `dir` and migrated first, exactly as `make edge` does.
fn worker_command(port: u16, dir: &Path, settings: &[(&str, String)]) -> Command {
    let root = workspace();
    let wrangler = root.join("node_modules/.bin/wrangler");
    assert!(wrangler.exists(), "wrangler is not installed: run `make test` (or `npm ci`) first");
    assert!(root.join("edge/build/index.js").exists(), "the Worker is not built: run `make edge-build` first");
    let state = dir.join("wrangler-state");
    let migrate = Command::new(&wrangler)
        .current_dir(&root)
        .args(["d1", "migrations", "apply", "DB", "--local", "--persist-to"])
        .arg(&state)
        .env("CI", "1")
        .env("WRANGLER_SEND_METRICS", "false")
        .output()
        .expect("wrangler d1 migrations apply");
    assert!(migrate.status.success(), "migrations failed:\n{}", String::from_utf8_lossy(&migrate.stderr));
    let mut command = Command::new(&wrangler);
    command
        .current_dir(&root)
        .args(["dev", "--local", "--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &free_port().to_string(), "--show-interactive-dev-session=false"])
        .arg("--persist-to")
        .arg(&state)
        .args(["--var", &format!("PORTICO_SECRET_KEY:{SECRET_KEY}")])
        .args(settings.iter().flat_map(|(k, v)| ["--var".to_owned(), format!("{k}:{v}")]))
        .env("CI", "1")
        .env("WRANGLER_SEND_METRICS", "false");
    command
}
