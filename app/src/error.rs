//! The one error type every server function returns, and what the person sees for it.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// What was wrong with a submitted form: a message per field, and what was typed in the
/// fields that may be shown again (never passwords), so nothing is lost when the page
/// comes back without JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidForm {
    pub errors: Vec<FieldError>,
    pub values: Vec<(String, String)>,
}

/// A message for one form field, shown next to it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please correct the fields marked below.")]
    Invalid(InvalidForm),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("Page not found.")]
    NotFound,
    /// Carries the e-mail typed, to show again (never the password).
    #[error("The e-mail address or password is not right.")]
    BadCredentials { email: String },
    #[error("This link is no longer valid. Ask your organisation to send you a new one.")]
    InvalidLink,
    #[error("{0}")]
    Conflict(String),
    #[error("Something went wrong on our side; nothing was saved. Please try again.")]
    Internal,
    #[error("The request could not be read: {0}")]
    Request(String),
    /// Over a rate limit; `minutes` until the window ends.
    #[error("Too many attempts. Please try again in {minutes} min.")]
    TooManyAttempts { minutes: i64 },
}

impl AppError {
    pub fn invalid(field: &str, message: &str) -> Self {
        Self::Invalid(InvalidForm {
            errors: vec![FieldError { field: field.into(), message: message.into() }],
            values: Vec::new(),
        })
    }

    /// Every field's message, in the form's order; none for other errors.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Self::Invalid(form) => form.errors.clone(),
            _ => Vec::new(),
        }
    }

    /// The message for `field`, if this error has one.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid(form) => form.errors.iter().find(|e| e.field == field).map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// What was typed in `field`, when the form came back with errors.
    pub fn kept_value(&self, field: &str) -> Option<String> {
        match self {
            Self::Invalid(form) => form.values.iter().find(|(name, _)| name == field).map(|(_, v)| v.clone()),
            Self::BadCredentials { email } if field == "email" => Some(email.clone()),
            _ => None,
        }
    }

    pub fn http_status(&self) -> u16 {
        match self {
            Self::Invalid(_) => 422,
            Self::Unauthenticated | Self::BadCredentials { .. } => 401,
            Self::NotFound | Self::InvalidLink => 404,
            Self::Conflict(_) => 409,
            Self::Internal => 500,
            Self::Request(_) => 400,
            Self::TooManyAttempts { .. } => 429,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // What the client sent could not be decoded: its fault, answered 400.
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => Self::Request(msg),
            ServerFnErrorErr::MissingArg(field) => Self::Request(format!("the field {field} is missing")),
            _ => Self::Internal,
        }
    }
}

/// Collects field messages while a form is parsed, so every mistake is reported at once.
#[derive(Default)]
pub struct FormErrors(InvalidForm);

impl FormErrors {
    /// Parses one field that may be shown again, remembering what was typed.
    pub fn check<T>(&mut self, field: &str, typed: &str, parsed: Result<T, impl Into<String>>) -> Option<T> {
        self.0.values.push((field.into(), typed.into()));
        self.check_secret(field, parsed)
    }

    /// Remembers a choice that needs no check (a box ticked or not), to show it again as it
    /// was when another field sends the form back.
    pub fn keep(&mut self, field: &str, chosen: &str) {
        self.0.values.push((field.into(), chosen.into()));
    }

    /// Parses one field whose value must never be echoed back (a password).
    pub fn check_secret<T>(&mut self, field: &str, parsed: Result<T, impl Into<String>>) -> Option<T> {
        parsed.map_err(|message| self.0.errors.push(FieldError { field: field.into(), message: message.into() })).ok()
    }

    /// `Ok` when every field parsed; the value is only built then.
    pub fn finish<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, AppError> {
        if self.0.errors.is_empty() { build().ok_or(AppError::Internal) } else { Err(AppError::Invalid(self.0)) }
    }
}
