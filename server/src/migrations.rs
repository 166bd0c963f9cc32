//! The schema's migrations, compiled into the binary: the very files `wrangler d1 migrations
//! apply` runs on D1. Listed by hand rather than by `sqlx::migrate!`, whose macro crate
//! builds sqlx, SQLite and tokio a second time for the compiler (over a minute of every
//! clean build on 2 cores). The API tests check that this list is the migrations folder.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType};

/// Every file in `migrations/`, in order: `NNNN_description.sql`.
pub const FILES: &[(&str, &str)] = &[
    ("0001_initial.sql", include_str!("../../migrations/0001_initial.sql")),
    ("0002_rate_limits.sql", include_str!("../../migrations/0002_rate_limits.sql")),
    ("0003_staff_names.sql", include_str!("../../migrations/0003_staff_names.sql")),
    ("0004_invitation_outcomes.sql", include_str!("../../migrations/0004_invitation_outcomes.sql")),
    ("0005_contacts.sql", include_str!("../../migrations/0005_contacts.sql")),
    ("0006_groups.sql", include_str!("../../migrations/0006_groups.sql")),
    ("0007_sign_up_and_linking.sql", include_str!("../../migrations/0007_sign_up_and_linking.sql")),
    ("0008_message_templates.sql", include_str!("../../migrations/0008_message_templates.sql")),
    ("0009_round_invitations.sql", include_str!("../../migrations/0009_round_invitations.sql")),
    ("0010_member_list.sql", include_str!("../../migrations/0010_member_list.sql")),
    ("0011_rounds_from_the_member_list.sql", include_str!("../../migrations/0011_rounds_from_the_member_list.sql")),
    ("0012_outbox_batches.sql", include_str!("../../migrations/0012_outbox_batches.sql")),
    ("0013_password_resets.sql", include_str!("../../migrations/0013_password_resets.sql")),
    ("0014_timeline.sql", include_str!("../../migrations/0014_timeline.sql")),
    ("0015_organisation_settings.sql", include_str!("../../migrations/0015_organisation_settings.sql")),
    ("0016_staff_and_roles.sql", include_str!("../../migrations/0016_staff_and_roles.sql")),
    ("0017_portal_sections.sql", include_str!("../../migrations/0017_portal_sections.sql")),
    ("0018_staff_invitation_access.sql", include_str!("../../migrations/0018_staff_invitation_access.sql")),
    ("0019_whole_templates.sql", include_str!("../../migrations/0019_whole_templates.sql")),
    ("0020_same_person.sql", include_str!("../../migrations/0020_same_person.sql")),
    ("0021_brand.sql", include_str!("../../migrations/0021_brand.sql")),
    ("0022_time_zone.sql", include_str!("../../migrations/0022_time_zone.sql")),
    ("0023_api_keys.sql", include_str!("../../migrations/0023_api_keys.sql")),
    ("0024_imports.sql", include_str!("../../migrations/0024_imports.sql")),
    ("0025_webhooks.sql", include_str!("../../migrations/0025_webhooks.sql")),
    ("0026_new_link.sql", include_str!("../../migrations/0026_new_link.sql")),
    ("0027_delivery_reports.sql", include_str!("../../migrations/0027_delivery_reports.sql")),
];

/// Migrations as sqlx numbers and checks them (`0001_initial.sql`: version 1, "initial"),
/// so databases migrated by earlier builds are recognised: `Embedded(FILES)`, or the first
/// few of them to make a database as an older build left it (the migration tests).
#[derive(Debug)]
pub struct Embedded(pub &'static [(&'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send>> {
        Box::pin(async move { self.0.iter().map(|(name, sql)| migration(name, sql)).collect() })
    }
}

fn migration(name: &str, sql: &'static str) -> Result<Migration, BoxDynError> {
    let stem = name.strip_suffix(".sql").ok_or_else(|| format!("{name} is not an .sql file"))?;
    let (version, description) = stem.split_once('_').ok_or_else(|| format!("{name} is not NNNN_description.sql"))?;
    let version = version.parse().map_err(|_| format!("{name} does not start with a version number"))?;
    let description = Cow::Owned(description.replace('_', " "));
    Ok(Migration::new(version, description, MigrationType::Simple, Cow::Borrowed(sql), false))
}
