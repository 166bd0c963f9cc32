use serde::Deserialize;

use super::{Batch, Db, DbError, fetch_optional};
use crate::stmt;

#[derive(Debug, Clone, Deserialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub sender_name: String,
    pub sender_email: String,
    pub invitation_validity_days: i64,
    /// People may sign up at the portal without an invitation.
    #[serde(deserialize_with = "super::flag")]
    pub self_sign_up: bool,
    /// 'always', 'ask' or 'never': linking a login to a contact with the same e-mail.
    pub auto_link: String,
    /// The add-representative form's "Send the portal invitation now" starts ticked.
    #[serde(deserialize_with = "super::flag")]
    pub invite_at_once: bool,
    /// The template every form that sends invitations starts with.
    pub default_template_id: Option<i64>,
    /// Members see their bookings on the portal.
    #[serde(deserialize_with = "super::flag")]
    pub bookings_shown: bool,
    /// Members see the files staff share with them.
    #[serde(deserialize_with = "super::flag")]
    pub files_shown: bool,
    /// "#1d4ed8"; none: Portico's own.
    pub accent_colour: Option<String>,
    /// The logo's digest, which names its address; none without a logo.
    pub logo_digest: Option<String>,
    /// "Europe/Zurich": the clock its pages and e-mails show.
    pub time_zone: String,
}

pub async fn organisation(db: &dyn Db, id: i64) -> Result<Option<Organisation>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT id, name, sender_name, sender_email, invitation_validity_days, self_sign_up, auto_link,
                    invite_at_once, default_template_id, bookings_shown, files_shown, accent_colour, time_zone,
                    (SELECT digest FROM organisation_logos WHERE organisation_id = organisations.id) AS logo_digest
             FROM organisations WHERE id = ?",
            id
        ),
    )
    .await
}

/// Whether the database has any organisation yet (a fresh database has none).
pub async fn any_organisation(db: &dyn Db) -> Result<bool, DbError> {
    super::exists(db, stmt!("SELECT 1 FROM organisations LIMIT 1")).await
}

pub struct FirstOrganisation<'a> {
    pub name: &'a str,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub owner_name: &'a str,
    pub owner_email: &'a str,
    pub owner_password_hash: &'a str,
}

/// Creates an organisation and its owner login, only while the database has no
/// organisation at all. Returns false when one already existed (nothing written).
pub async fn create_first_organisation(db: &dyn Db, first: FirstOrganisation<'_>, now: i64) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let created = batch.add(stmt!(
        "INSERT INTO organisations (name, sender_name, sender_email, created_at)
                 SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM organisations)",
        first.name,
        first.sender_name,
        first.sender_email,
        now
    ));
    batch.add_all([
        stmt!(
            "INSERT INTO users (email, password_hash, created_at)
                 SELECT ?, ?, ? WHERE (SELECT count(*) FROM organisations) = 1
                   AND NOT EXISTS (SELECT 1 FROM staff)",
            first.owner_email,
            first.owner_password_hash,
            now
        ),
        stmt!(
            "INSERT INTO staff (user_id, organisation_id, role, all_members, name)
                 SELECT u.id, o.id, 'owner', 1, ? FROM users u, organisations o
                 WHERE u.email = ? AND NOT EXISTS (SELECT 1 FROM staff)",
            first.owner_name,
            first.owner_email
        ),
    ]);
    let changes = batch.run(db).await?;
    Ok(changes[created].rows_affected == 1)
}

/// How people reach the portal: the settings an owner or administrator changes.
#[derive(PartialEq)]
pub struct PortalSettings<'a> {
    pub self_sign_up: bool,
    pub auto_link: &'a str,
    pub invite_at_once: bool,
    pub bookings_shown: bool,
    pub files_shown: bool,
}

impl PortalSettings<'_> {
    /// As the organisation's timeline says them.
    pub fn in_words(&self) -> String {
        let on = |yes: bool| if yes { "on" } else { "off" };
        format!(
            "Portal settings: self-service sign-up {}, auto-link {}, invite representatives as they are added {}, \
             bookings shown {}, files shown {}",
            on(self.self_sign_up),
            self.auto_link,
            on(self.invite_at_once),
            on(self.bookings_shown),
            on(self.files_shown)
        )
    }
}

/// What the organisation is called, whom its e-mail comes from, how long its links work and
/// which template its invitations start with.
pub struct OrganisationSettings<'a> {
    pub name: &'a str,
    pub sender_name: &'a str,
    pub sender_email: &'a str,
    pub validity_days: i64,
    pub default_template_id: Option<i64>,
    pub accent_colour: Option<&'a str>,
    pub time_zone: &'a str,
}

/// Changes every setting at once when `user_id` is the owner or an administrator, with each
/// of `changed` (what changed, in words) on the organisation's timeline. False (nothing
/// written) otherwise.
pub async fn update_settings(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    (organisation, portal): (&OrganisationSettings<'_>, &PortalSettings<'_>),
    changed: &[String],
    now: i64,
) -> Result<bool, DbError> {
    let update = stmt!(
        "UPDATE organisations SET name = ?, sender_name = ?, sender_email = ?, invitation_validity_days = ?,
             default_template_id = ?, accent_colour = ?, time_zone = ?, self_sign_up = ?, auto_link = ?, invite_at_once = ?,
             bookings_shown = ?, files_shown = ?
         WHERE id = ? AND EXISTS (SELECT 1 FROM staff s WHERE s.user_id = ? AND s.organisation_id = organisations.id
                                    AND s.role IN ('owner', 'administrator'))",
        organisation.name,
        organisation.sender_name,
        organisation.sender_email,
        organisation.validity_days,
        organisation.default_template_id,
        organisation.accent_colour,
        organisation.time_zone,
        portal.self_sign_up,
        portal.auto_link,
        portal.invite_at_once,
        portal.bookings_shown,
        portal.files_shown,
        organisation_id,
        user_id
    );
    let events = changed.iter().map(|detail| super::events::settings_changed(organisation_id, user_id, detail, now));
    let mut batch = Batch::default();
    let updated = batch.add(update);
    batch.add_all(events);
    Ok(batch.run(db).await?[updated].rows_affected == 1)
}

/// `user_id` (bound first) is an owner or administrator of organisation (bound next).
macro_rules! manages {
    () => {
        "EXISTS (SELECT 1 FROM staff s WHERE s.user_id = ? AND s.organisation_id = ?
                   AND s.role IN ('owner', 'administrator'))"
    };
}

/// An organisation's logo as kept: its type, its bytes as base64, and its digest.
#[derive(Debug, Clone, Deserialize)]
pub struct Logo {
    pub content_type: String,
    pub content: String,
}

/// The logo at the address its digest names; none for an old digest or no logo.
pub async fn logo(db: &dyn Db, organisation_id: i64, digest: &str) -> Result<Option<Logo>, DbError> {
    fetch_optional(
        db,
        stmt!(
            "SELECT content_type, content FROM organisation_logos WHERE organisation_id = ? AND digest = ?",
            organisation_id,
            digest
        ),
    )
    .await
}

pub struct NewLogo<'a> {
    pub content_type: &'a str,
    pub content: &'a str,
    pub digest: &'a str,
}

/// Keeps (or replaces) the logo when `user_id` is the owner or an administrator, with the
/// change on the timeline. False (nothing written) otherwise.
pub async fn save_logo(
    db: &dyn Db,
    organisation_id: i64,
    user_id: i64,
    logo: &NewLogo<'_>,
    now: i64,
) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let saved = batch.add(stmt!(
        concat!(
            "INSERT INTO organisation_logos (organisation_id, content_type, content, digest, uploaded_at)
                     SELECT ?, ?, ?, ?, ? WHERE ",
            manages!(),
            " ON CONFLICT (organisation_id) DO UPDATE SET content_type = excluded.content_type,
                       content = excluded.content, digest = excluded.digest, uploaded_at = excluded.uploaded_at"
        ),
        organisation_id,
        logo.content_type,
        logo.content,
        logo.digest,
        now,
        user_id,
        organisation_id
    ));
    batch.add(logo_event(organisation_id, user_id, "Logo: a new image", now));
    let changes = batch.run(db).await?;
    Ok(changes[saved].rows_affected == 1)
}

/// Takes the logo away (owner or administrator); false when there was none to take.
pub async fn remove_logo(db: &dyn Db, organisation_id: i64, user_id: i64, now: i64) -> Result<bool, DbError> {
    let mut batch = Batch::default();
    let removed = batch.add(stmt!(
        concat!("DELETE FROM organisation_logos WHERE organisation_id = ? AND ", manages!()),
        organisation_id,
        user_id,
        organisation_id
    ));
    batch.add(logo_event(organisation_id, user_id, "Logo: removed", now));
    let changes = batch.run(db).await?;
    Ok(changes[removed].rows_affected == 1)
}

/// The timeline line of a logo change, written only when the change before it wrote a row.
fn logo_event(organisation_id: i64, user_id: i64, detail: &str, now: i64) -> super::Stmt {
    super::events::settings_changed_if_changed(organisation_id, user_id, detail, now)
}
