//! A member's portal records (memberships, bookings, files) as a page shows them: staff see
//! every section and file, a member what the organisation shares.

use crate::domain::dates::Zone;
use crate::domain::portal_records::{self as rules, BookingTime};
use crate::error::AppError;
use crate::ports::AppState;
use crate::records::{BookingView, FileView, MembershipView, PortalRecords};
use crate::store::portal_records::{self as store, Sections};

/// The member's records as `sections` allow; only shared files when `shared_only`.
pub async fn records_of(
    state: &AppState,
    member_id: i64,
    sections: Sections,
    shared_only: bool,
    zone: &Zone,
) -> Result<PortalRecords, AppError> {
    let db = state.db.as_ref();
    let from_day = rules::upcoming_from(state.clock.now());
    let memberships = store::memberships(db, member_id).await?;
    let bookings = if sections.bookings_shown { Some(store::bookings(db, member_id, &from_day).await?) } else { None };
    let files = if sections.files_shown { Some(store::files(db, member_id, shared_only).await?) } else { None };
    Ok(PortalRecords {
        memberships: memberships
            .into_iter()
            .map(|m| MembershipView { id: m.id, programme: m.programme, level: m.level })
            .collect(),
        bookings: bookings.map(|rows| rows.into_iter().map(booking_view).collect()),
        files: files.map(|rows| {
            rows.into_iter()
                .map(|f| FileView {
                    id: f.id,
                    url: format!("/files/{}", f.id),
                    name: f.name,
                    size: size_in_words(f.size),
                    added_on: zone.date(f.added_at),
                    shared: f.shared,
                })
                .collect()
        }),
    })
}

pub fn booking_view(b: store::BookingRow) -> BookingView {
    BookingView {
        id: b.id,
        title: b.title,
        when: BookingTime::stored(b.starts).in_words(),
        place: b.place,
        cancelled: b.cancelled_at.is_some(),
    }
}

/// "512 bytes", "34 KB", "1.0 MB".
fn size_in_words(bytes: i64) -> String {
    match bytes {
        ..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{} KB", (bytes + 500) / 1_000),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}
