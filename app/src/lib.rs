//! Portico: staff invite their members by e-mail to a self-service portal.
//!
//! One Leptos app shared by the hydrated browser client (`hydrate`) and the servers
//! (`ssr`): the axum binary in `server/` and the Cloudflare Worker in `edge/`.

#![recursion_limit = "256"]

pub mod api;
pub mod domain;
pub mod error;
pub mod pages;
pub mod records;

#[cfg(feature = "ssr")]
pub mod mail;
#[cfg(feature = "ssr")]
pub mod passwords;
#[cfg(feature = "ssr")]
pub mod ports;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod secrets;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settings;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod web;

pub use pages::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
