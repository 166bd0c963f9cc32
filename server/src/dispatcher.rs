//! The outbox dispatcher as a tokio task: sends whatever is due, then sleeps until woken by
//! a new message or until the next poll.

use std::sync::Arc;
use std::time::Duration;

use portico_app::mail::Mailer;
use portico_app::mail::dispatch::{BatchOutcome, RetryPolicy, dispatch_next_batch};
use portico_app::ports::{AppConfig, Clock};
use portico_app::store::{Db, DbError};
use tokio::sync::Notify;

#[derive(Clone)]
pub struct Dispatcher {
    pub db: Arc<dyn Db>,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    pub config: Arc<AppConfig>,
    pub policy: RetryPolicy,
    pub wake: Arc<Notify>,
}

impl Dispatcher {
    /// Sends the next due batch; `None` when nothing is due.
    pub async fn run_once(&self) -> Result<Option<BatchOutcome>, DbError> {
        dispatch_next_batch(self.db.as_ref(), self.mailer.as_ref(), &self.config, &self.policy, self.clock.now()).await
    }

    pub async fn run_until_stopped(self, poll_every: Duration) {
        loop {
            match self.run_once().await {
                Ok(None) => {}
                Ok(Some(_)) => continue,
                Err(error) => tracing::error!(%error, "outbox dispatch failed"),
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll_every) => {}
            }
        }
    }
}
