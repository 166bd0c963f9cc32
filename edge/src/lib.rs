//! Portico as a Cloudflare Worker: the very same router, pages, server functions and SQL as
//! the self-hosted server, over D1 and a fetch-based HTTP e-mail client. This crate only
//! adapts: D1 and fetch futures are not `Send`, and are wrapped here and nowhere else.

mod console;
mod d1;
mod mailer;
mod platform;
mod webhooks;

use std::sync::Arc;

use axum::body::Body;
use axum::http::Response;
use portico_app::mail::dispatch::{BATCHES_AN_INVOCATION, RetryPolicy, drain};
use portico_app::ports::Clock;
use portico_app::service::webhooks::{deliver_due, note_expired_invitations};
use tower_service::Service;
use worker::{Context, Env, HttpRequest, ScheduleContext, ScheduledEvent, event};

use platform::Edge;

#[event(fetch)]
async fn fetch(mut request: HttpRequest, env: Env, ctx: Context) -> worker::Result<Response<Body>> {
    console_error_panic_hook::set_once();
    console::init();
    let edge = match Edge::from_env(&env) {
        Ok(edge) => edge,
        Err(message) => return Ok(after_reading(request, platform::misconfigured(&message)).await),
    };
    if let Err(error) = edge.seed_demo_once().await {
        let message = format!("could not create the demo organisation: {error}");
        return Ok(after_reading(request, platform::misconfigured(&message)).await);
    }
    // After a response that queued e-mail or may have written an event, send what is due
    // straight away; the cron trigger retries.
    let ctx = Arc::new(worker::send::SendWrapper::new(ctx));
    let wake_outbox = {
        let (edge, ctx) = (edge.clone(), ctx.clone());
        Arc::new(move || ctx.wait_until(send_due_mail(edge.clone())))
    };
    let wake_webhooks = {
        let (edge, ctx) = (edge.clone(), ctx.clone());
        Arc::new(move || ctx.wait_until(send_due_webhooks(edge.clone(), false)))
    };
    // Set by Cloudflare for the client it got the request from; a client cannot set it.
    let address =
        request.headers().get("cf-connecting-ip").and_then(|v| v.to_str().ok()).unwrap_or("unknown").to_owned();
    request.extensions_mut().insert(portico_app::request::ClientIp(address));
    let mut router = portico_app::web::router(
        edge.leptos_options(),
        edge.app_state(wake_outbox, wake_webhooks),
        axum::Router::new(),
    );
    Ok(router.call(request).await?)
}

/// An answer given without the app still reads the request's body first, as the app does
/// (`portico_app::web::read_body_first`): an unread body breaks the next request on the
/// connection under `wrangler dev`.
async fn after_reading(request: HttpRequest, response: Response<Body>) -> Response<Body> {
    portico_app::web::discard_body(Body::new(request.into_body())).await;
    response
}

/// The cron trigger (wrangler.toml): sends whatever is due, retries included, and notes
/// invitations that expired.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    console_error_panic_hook::set_once();
    match Edge::from_env(&env) {
        Ok(edge) => {
            send_due_mail(edge.clone()).await;
            send_due_webhooks(edge, true).await;
        }
        Err(message) => worker::console_error!("portico: {message}"),
    }
}

/// Webhook messages one invocation sends at most: each is a fetch and a D1 write, within
/// the subrequests an invocation may make.
const WEBHOOKS_AN_INVOCATION: usize = 100;

async fn send_due_webhooks(edge: Edge, with_expiries: bool) {
    let now = edge.clock.now();
    let db = edge.db.as_ref();
    if with_expiries && let Err(error) = note_expired_invitations(db, now).await {
        worker::console_error!("portico: noting expired invitations failed: {error}");
    }
    let client = webhooks::FetchWebhookClient;
    if let Err(error) = deliver_due(db, &client, edge.config.dev_mode, now, WEBHOOKS_AN_INVOCATION).await {
        worker::console_error!("portico: webhook delivery failed: {error}");
    }
}

async fn send_due_mail(edge: Edge) {
    let now = edge.clock.now();
    let policy = RetryPolicy::default();
    let result = drain(edge.db.as_ref(), edge.mailer.as_ref(), &edge.config, &policy, now, BATCHES_AN_INVOCATION).await;
    if let Err(error) = result {
        worker::console_error!("portico: outbox dispatch failed: {error}");
    }
}
