//! The app's `tracing` lines on the Worker's console (`wrangler dev`'s output, `wrangler
//! tail`, the dashboard's logs), formatted as the server prints them but without a time,
//! which Cloudflare adds: errors through `console.error`, the rest through `console.log`.

use std::io::Write;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

/// Installs the subscriber once per isolate; later calls change nothing.
pub fn init() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(Level::INFO)
            .without_time()
            .with_target(false)
            .with_writer(Console)
            .finish();
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

struct Console;

/// One formatted line, written to the console when the formatter is done with it.
struct Line {
    text: Vec<u8>,
    error: bool,
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.text.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let text = String::from_utf8_lossy(&self.text);
        let text = text.trim_end();
        if self.error {
            worker::console_error!("{text}");
        } else {
            worker::console_log!("{text}");
        }
    }
}

impl<'a> MakeWriter<'a> for Console {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line { text: Vec::new(), error: false }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Line {
        Line { text: Vec::new(), error: *meta.level() == Level::ERROR }
    }
}
