//! argon2id off the async executor, a bounded number at a time, so a storm of sign-ins
//! queues up instead of stalling every other page.

use std::sync::Arc;

use async_trait::async_trait;
use portico_app::domain::Password;
use portico_app::error::AppError;
use portico_app::passwords::{hash_password, verify_or_dummy};
use portico_app::ports::PasswordHasher;
use tokio::sync::Semaphore;

pub struct BlockingHasher {
    permits: Arc<Semaphore>,
}

impl BlockingHasher {
    pub fn new(max_concurrent: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(max_concurrent.max(1))) }
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let _permit = self.permits.acquire().await.ok()?;
        tokio::task::spawn_blocking(work).await.ok()
    }
}

#[async_trait]
impl PasswordHasher for BlockingHasher {
    async fn hash(&self, password: Password) -> Result<String, AppError> {
        self.run(move || hash_password(&password)).await.ok_or(AppError::Internal)
    }

    async fn verify(&self, candidate: String, phc: Option<String>) -> bool {
        self.run(move || verify_or_dummy(&candidate, phc.as_deref())).await.unwrap_or(false)
    }
}
