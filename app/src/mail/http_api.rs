//! The Resend-style HTTP e-mail API's batch endpoint, minus the HTTP client: what is sent
//! and what each answer means. The server sends it with reqwest, the Worker with fetch.

use super::{OutgoingEmail, SendError};

/// `POST {base}/emails/batch`: up to 100 messages a call, accepted or refused together.
pub fn endpoint(base_url: &str) -> String {
    format!("{}/emails/batch", base_url.trim_end_matches('/'))
}

/// The JSON body, one object a message; send it with `Authorization: Bearer <api key>` and
/// `Idempotency-Key: <the batch's key>`.
pub fn request_body(emails: &[OutgoingEmail]) -> serde_json::Value {
    emails
        .iter()
        .map(|email| {
            serde_json::json!({
                "from": email.from_header(),
                "to": [email.to],
                "subject": email.subject,
                "text": email.text,
                "html": email.html,
            })
        })
        .collect()
}

/// What an answer means: the provider's id for each message (`{"data": [{"id": …}, …]}`,
/// in the order sent), or why the batch failed and whether to retry. 429 and 5xx are
/// temporary (honouring a Retry-After in seconds); any other failure is final.
pub fn interpret_answer(status: u16, retry_after: Option<&str>, body: &str) -> Result<Vec<Option<String>>, SendError> {
    let reply: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    if (200..300).contains(&status) {
        let ids = reply.get("data").and_then(|data| data.as_array()).map(Vec::as_slice).unwrap_or_default();
        return Ok(ids.iter().map(|entry| entry.get("id").and_then(|id| id.as_str()).map(str::to_owned)).collect());
    }
    // "422 Unprocessable Entity": the code and its name, as staff will read it.
    let named = http::StatusCode::from_u16(status).map_or_else(|_| status.to_string(), |s| s.to_string());
    // The provider's own explanation (`{"message": …}`), short, for the staff who see it.
    let detail = reply
        .get("message")
        .and_then(|m| m.as_str())
        .map(|m| format!(": {}", m.chars().take(200).collect::<String>()))
        .unwrap_or_default();
    if status == 429 || (500..600).contains(&status) {
        let retry_after_seconds = retry_after.and_then(|v| v.trim().parse::<i64>().ok());
        Err(SendError::Retryable {
            reason: format!("the e-mail service answered {named}{detail}"),
            retry_after_seconds,
        })
    } else {
        Err(SendError::Permanent(format!("the e-mail service refused it ({named}){detail}")))
    }
}

/// The message for a request that got no answer at all.
pub fn unreachable(timed_out: bool) -> SendError {
    let reason =
        if timed_out { "the e-mail service did not answer in time" } else { "the e-mail service could not be reached" };
    SendError::Retryable { reason: reason.into(), retry_after_seconds: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_sent_retried_or_final() {
        assert_eq!(
            interpret_answer(200, None, r#"{"data":[{"id":"m1"},{"id":"m2"}]}"#),
            Ok(vec![Some("m1".into()), Some("m2".into())])
        );
        assert_eq!(interpret_answer(202, None, ""), Ok(vec![]));
        assert_eq!(
            interpret_answer(429, Some(" 7 "), ""),
            Err(SendError::Retryable {
                reason: "the e-mail service answered 429 Too Many Requests".into(),
                retry_after_seconds: Some(7)
            })
        );
        assert!(matches!(
            interpret_answer(503, None, "oops"),
            Err(SendError::Retryable { retry_after_seconds: None, .. })
        ));
        assert_eq!(
            interpret_answer(422, None, r#"{"message":"bad to"}"#),
            Err(SendError::Permanent("the e-mail service refused it (422 Unprocessable Entity): bad to".into()))
        );
        assert!(matches!(interpret_answer(401, Some("5"), ""), Err(SendError::Permanent(_))));
    }
}
