//! The use cases, below every door: server functions (`api`), the routes outside Leptos
//! (`web`: files, exports, the e-mail preview) and what comes next (a REST API, scheduled
//! jobs) call these rather than each other. A service takes the state, the caller's scope
//! and domain types and answers with its own outcome; it knows no Leptos, no HTTP, no
//! cookies — those are `request`'s, one floor up.

pub mod api_keys;
pub mod contacts;
pub mod imports;
pub mod invitations;
pub mod members;
pub mod portal_records;
pub mod rounds;
pub mod templates;
pub mod webhooks;
