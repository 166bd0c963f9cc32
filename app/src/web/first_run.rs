//! A production database with no organisation yet sends its visitors to the setup page.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::ports::AppState;
use crate::store::organisations::any_organisation;

/// The app's state, and whether an organisation was already seen (once set up, always set
/// up: no more queries after that, for as long as this router lives).
pub type FirstRun = (AppState, Arc<AtomicBool>);

/// The start page and the sign-in page lead to /setup while there is nothing to sign in to.
pub async fn set_up_first(State((state, set_up)): State<FirstRun>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if state.config.dev_mode || set_up.load(Ordering::Relaxed) || !(path == "/" || path == "/login") {
        return next.run(request).await;
    }
    match any_organisation(state.db.as_ref()).await {
        Ok(false) => Redirect::to("/setup").into_response(),
        Ok(true) => {
            set_up.store(true, Ordering::Relaxed);
            next.run(request).await
        }
        Err(_) => next.run(request).await,
    }
}
