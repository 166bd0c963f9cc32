//! What a request carries, for the server functions and the routes outside Leptos alike:
//! the injected state, who is signed in, the guards, cookies, the client's address, the
//! one-time notice and signed form links, and how an error reaches the person. Below `api`
//! and `web`, which both stand on it; it imports neither.

mod cookies;
pub mod form_links;
pub mod limits;
pub mod new_link;
pub mod notices;

pub use cookies::{ClientIp, cookie_header, cookie_value};

use http::request::Parts;
use http::{HeaderValue, Method, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use server_fn::error::ServerFnUrlError;

use crate::domain::Role;
use crate::domain::dates::Zone;
use crate::error::AppError;
use crate::ports::AppState;
use crate::secrets::{new_session_id, session_id_hash};
use crate::store::DbError;
use crate::store::scope::StaffScope;
use crate::store::sessions::{self, SessionUser};
use notices::{NOTICE_COOKIE, NOTICE_SECONDS, signed_notice};

pub const SESSION_COOKIE: &str = "portico_session";
/// Refresh `last_seen_at` at most this often, not on every request.
const TOUCH_AFTER_SECONDS: i64 = 60;

pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or(AppError::Internal)
}

/// The id the request got on arrival (`web::trace`): in every log line of the request and
/// in its `x-request-id` header, so a person's report and the operator's log meet.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// This request's id, while a page or server function runs (Leptos context); `None` outside.
pub fn request_id() -> Option<String> {
    with_context::<Parts, _>(|parts| parts.extensions.get::<RequestId>().map(|id| id.0.clone())).flatten()
}

/// A storage error becomes a 500 where `?` meets it: logged here, once, with the statement that met it (file
/// and line, `store::Stmt`) and the request's id; the person is told only that it failed.
/// Inside the request's span the id is already on the line; a page's data, loaded in a task
/// of its own, names it from the request it renders.
impl From<DbError> for AppError {
    fn from(error: DbError) -> Self {
        if tracing::Span::current().is_none() {
            let request = request_id().unwrap_or_else(|| "none".into());
            tracing::error!(%request, %error, "storage failed");
        } else {
            tracing::error!(%error, "storage failed");
        }
        Self::Internal
    }
}

/// The signed-in login, with the hash of its session id.
pub async fn current_session(state: &AppState) -> Result<Option<(String, SessionUser)>, AppError> {
    let known = with_context::<Parts, _>(|parts| match parts.extensions.get::<SessionOfPage>() {
        Some(SessionOfPage(session)) => Ok(session.clone()),
        None => Err(parts.headers.clone()),
    });
    match known {
        None => Ok(None),
        Some(Ok(session)) => Ok(session),
        Some(Err(headers)) => session_of(state, &headers).await,
    }
}

/// The session a page is rendered for, read once before rendering (`web::read_session_once`)
/// however many of its parts ask: the header and the page's data both do. Given to reads
/// only (`GET`), which neither sign in nor out, so it cannot go stale within the request.
#[derive(Clone)]
pub struct SessionOfPage(pub Option<(String, SessionUser)>);

/// The login whose session cookie these request headers carry (a route outside Leptos).
pub async fn session_of(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<(String, SessionUser)>, AppError> {
    let Some(session_id) = cookie_value(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let id_hash = session_id_hash(&session_id);
    let times = state.session_times();
    let Some(user) = sessions::session_user(state.db.as_ref(), &id_hash, &times).await? else {
        return Ok(None);
    };
    if times.now - user.last_seen_at >= TOUCH_AFTER_SECONDS {
        sessions::touch_session(state.db.as_ref(), &id_hash, times.now).await?;
    }
    Ok(Some((id_hash, user)))
}

/// Staff only. No session: sign in. Signed in but not staff: this does not exist (404).
pub async fn require_staff() -> Result<(AppState, StaffScope), AppError> {
    let state = app_state()?;
    let (_, user) = current_session(&state).await?.ok_or(AppError::Unauthenticated)?;
    Ok((state, staff_scope(&user)?))
}

/// What a staff login may reach; any other login: this does not exist (404). Who manages
/// the team sees every member, whatever its row says.
pub fn staff_scope(user: &SessionUser) -> Result<StaffScope, AppError> {
    let organisation_id = user.staff_organisation_id.ok_or(AppError::NotFound)?;
    let role = user.staff_role.ok_or(AppError::NotFound)?;
    let all_members = user.staff_all_members == Some(1) || role.manages_organisation();
    let zone = Zone::stored(user.organisation_time_zone.as_deref());
    tracing::Span::current().record("organisation", organisation_id);
    Ok(StaffScope { organisation_id, user_id: user.user_id, all_members, role, zone })
}

/// Staff whose role may do this (`allowed`); anyone else: this does not exist (404).
pub async fn require_role(allowed: fn(Role) -> bool) -> Result<(AppState, StaffScope), AppError> {
    let (state, scope) = require_staff().await?;
    if !allowed(scope.role) {
        return Err(AppError::NotFound);
    }
    Ok((state, scope))
}

/// Any signed-in login.
pub async fn require_login() -> Result<(AppState, SessionUser), AppError> {
    let state = app_state()?;
    let (_, user) = current_session(&state).await?.ok_or(AppError::Unauthenticated)?;
    Ok((state, user))
}

/// Signs the browser in as `user_id`: a new session id, in the batch that also ends the
/// session the browser had, and its cookie.
pub async fn sign_in(state: &AppState, user_id: i64) -> Result<(), AppError> {
    let previous = current_session(state).await?.map(|(id_hash, _)| id_hash);
    let session_id = new_session_id();
    let times = state.session_times();
    sessions::start_session(state.db.as_ref(), &session_id_hash(&session_id), user_id, &times, previous.as_deref())
        .await?;
    set_session_cookie(state, &session_id);
    Ok(())
}

pub fn set_session_cookie(state: &AppState, session_id: &str) {
    set_cookie(state, SESSION_COOKIE, session_id, state.config.session_absolute_seconds);
}

pub fn clear_session_cookie(state: &AppState) {
    set_cookie(state, SESSION_COOKIE, "", 0);
}

/// One of our cookies on the response: HttpOnly, SameSite=Lax, Path=/, Secure outside
/// plain-http local dev; `max_age` 0 clears it.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) {
    append_header(header::SET_COOKIE, &cookie_header(state, name, value, max_age));
}

/// Redirects to `path`, and the page there says `notice` once (`web::notices`).
pub fn redirect_with_notice(state: &AppState, path: &str, notice: &str) {
    set_cookie(state, NOTICE_COOKIE, &signed_notice(state, notice), NOTICE_SECONDS);
    leptos_axum::redirect(path);
}

/// A cookie the request carries.
pub fn request_cookie(name: &str) -> Option<String> {
    with_context::<Parts, _>(|parts| cookie_value(&parts.headers, name)).flatten()
}

fn append_header(name: header::HeaderName, value: &str) {
    if let (Some(response), Ok(value)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        response.append_header(name, value);
    }
}

/// A `<form>` posted by a browser without JavaScript: it gets redirects, not status codes.
pub fn is_plain_form_post() -> bool {
    with_context::<Parts, _>(|parts| {
        parts.method == Method::POST
            && parts
                .headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
    })
    .unwrap_or(false)
}

/// Every server function ends here: an error gets its HTTP status (404 for what this login
/// may not see, 422 for bad input…) unless a plain form post is being redirected back.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        if !is_plain_form_post() {
            if let (Some(response), Ok(status)) =
                (use_context::<ResponseOptions>(), StatusCode::from_u16(error.http_status()))
            {
                response.set_status(status);
            }
        }
    }
    result
}

/// For a form on a page that sends no Referer (the invitation page): a plain form post that
/// fails goes back to `page_path` carrying the error, as Leptos does for other forms.
pub fn redirect_back_on_error<T>(
    state: &AppState,
    endpoint: &str,
    page_path: &str,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    if let Err(error) = &result {
        if is_plain_form_post() {
            let page = format!("{}{page_path}", state.config.public_base_url);
            if let Ok(url) = ServerFnUrlError::new(endpoint, error.clone()).to_url(&page) {
                let location = match url.query() {
                    Some(query) => format!("{}?{query}", url.path()),
                    None => url.path().to_owned(),
                };
                leptos_axum::redirect(&location);
            }
        }
    }
    respond(result)
}
