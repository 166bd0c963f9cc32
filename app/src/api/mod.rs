//! Server functions, one module per feature, each at a fixed endpoint under /api so the
//! hydrated client, both servers and the tests agree on the URLs. They are thin: parse the
//! input into domain types, check who may do it, call the store, map errors once.

pub mod api_keys;
pub mod auth;
pub mod contacts;
pub mod dev;
pub mod groups;
pub mod imports;
pub mod invitations;
pub mod logins;
pub mod member_list;
pub mod members;
pub mod password_reset;
pub mod portal;
pub mod portal_records;
pub mod rounds;
pub mod settings;
pub mod setup;
pub mod sign_up;
pub mod staff_join;
pub mod team;
pub mod templates;
pub mod webhooks;
