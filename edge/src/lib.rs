//! The Cloudflare Worker target (D1 executor, fetch mailer, scheduled outbox drain).
//!
//! Not built yet: the self-hosted server (`server/`) is the only target so far. The store,
//! sessions and outbox in `portico-app` are already shaped for D1 — one atomic batch per
//! multi-statement write, guards in SQL, no interactive transactions, no global state — so
//! this crate will be an adapter over the same SQL, pages and server functions.
