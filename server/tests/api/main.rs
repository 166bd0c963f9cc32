//! The real app on port 0 with a temporary SQLite file, a local HTTP server standing in for
//! the e-mail API, and a clock the tests set. Requests are what a browser without
//! JavaScript sends: form posts to the fixed server-function endpoints.

mod accept;
mod access;
mod api_v1;
mod api_v1_resources;
mod auth;
mod brand;
mod confirmations;
mod connections;
mod contacts;
mod declines;
mod delivery;
mod delivery_reports;
mod edit_member;
mod errors;
mod groups;
mod helpers;
mod households;
mod imports;
mod invitations;
mod layering;
mod logins;
mod member_list;
mod members;
mod migrations;
mod new_link;
mod openapi;
mod pages;
mod password_reset;
mod portal_records;
mod rate_limits;
mod roles;
mod rounds;
mod settings;
mod sign_up;
mod sqlite;
mod team;
mod templates;
mod timeline;
mod webhooks;
