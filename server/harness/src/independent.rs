//! Implementations of the standards Portico follows that nobody here wrote, to check ours
//! against: Python packages `make py-deps` puts in target/py.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// `python3` with the packages in target/py (not the user's site).
pub fn python() -> Command {
    let packages = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/py");
    assert!(std::path::Path::new(packages).exists(), "run `make py-deps` first: {packages} is missing");
    let mut command = Command::new("python3");
    command.arg("-s").env("PYTHONPATH", packages);
    command
}

/// Runs `script` with `input` on its standard input; what it printed.
pub fn run_python(script: &str, input: &str) -> String {
    let mut python =
        python().args(["-c", script]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("python3");
    python.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    String::from_utf8(python.wait_with_output().unwrap().stdout).unwrap()
}

/// The `standardwebhooks` package's verdict on a message: its payload, or why it refused.
/// `headers` holds `webhook-id`, `webhook-timestamp` and `webhook-signature`.
pub fn standard_webhooks_verdict(secret: &str, headers: &Value, body: &str) -> Result<Value, String> {
    let script = "import json, sys\nfrom standardwebhooks.webhooks import Webhook\ngiven = json.load(sys.stdin)\n\
                  try:\n    print(json.dumps(Webhook(given['secret']).verify(given['body'], given['headers'])))\n\
                  except Exception as refused:\n    print('REFUSED: ' + str(refused))\n";
    let said = run_python(script, &json!({"secret": secret, "headers": headers, "body": body}).to_string());
    match said.strip_prefix("REFUSED: ") {
        Some(refused) => Err(refused.trim().to_owned()),
        None => serde_json::from_str(said.trim()).map_err(|e| format!("{e}: {said}")),
    }
}

/// The `standardwebhooks` package's signature of a message (`v1,…`), as a provider signs
/// the reports it posts (Svix, behind Resend, signs the same way).
pub fn standard_webhooks_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let script = "import json, sys\nfrom datetime import datetime, timezone\n\
                  from standardwebhooks.webhooks import Webhook\ngiven = json.load(sys.stdin)\n\
                  at = datetime.fromtimestamp(given['timestamp'], tz=timezone.utc)\n\
                  print(Webhook(given['secret']).sign(given['id'], at, given['body']))\n";
    let said =
        run_python(script, &json!({"secret": secret, "id": id, "timestamp": timestamp, "body": body}).to_string());
    assert!(said.starts_with("v1,"), "standardwebhooks signed: {said}");
    said.trim().to_owned()
}
