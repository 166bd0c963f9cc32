//! `portico-bindgen front|worker INPUT.wasm OUT_DIR`: turns a WASM file cargo built into
//! the JS glue and WASM a browser or the Workers runtime loads.
//!
//! - `front`: the hydrate bundle, `OUT_DIR/portico.js` and `OUT_DIR/portico.wasm`, the names
//!   the pages refer to.
//! - `worker`: `OUT_DIR/index.js` and `OUT_DIR/index_bg.wasm`, imported by `edge/worker.js`.
//!   It can reset the WASM instance after a panic, so one request's panic does not break
//!   every request after it. Without the `name` section (function names in stack traces:
//!   about 880 KiB of the gzipped Worker, against a 3 MiB budget); a panic's message still
//!   says where it happened.

use std::{fs, path::Path, process::ExitCode};

use anyhow::{Context, Result, bail};
use wasm_bindgen_cli_support::Bindgen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [kind, input, out_dir] if kind == "front" => front(Path::new(input), Path::new(out_dir)),
        [kind, input, out_dir] if kind == "worker" => worker(Path::new(input), Path::new(out_dir)),
        _ => {
            eprintln!("usage: portico-bindgen front|worker INPUT.wasm OUT_DIR");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("portico-bindgen: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn front(input: &Path, out_dir: &Path) -> Result<()> {
    let mut bindgen = Bindgen::new();
    bindgen.input_path(input).out_name("portico").typescript(false).web(true)?;
    generate(&mut bindgen, out_dir)?;
    let (generated, served) = (out_dir.join("portico_bg.wasm"), out_dir.join("portico.wasm"));
    fs::rename(&generated, &served).with_context(|| format!("renaming {}", generated.display()))
}

fn worker(input: &Path, out_dir: &Path) -> Result<()> {
    let mut bindgen = Bindgen::new();
    bindgen
        .input_path(input)
        .out_name("index")
        .typescript(false)
        .reset_state_function(true)
        .force_enable_abort_handler(true)
        .remove_name_section(true)
        .module(true)?;
    generate(&mut bindgen, out_dir)?;
    // The module target imports the WASM in the source phase (`import source`), which the
    // bundler wrangler runs does not read; a plain import gives the Workers runtime the same
    // compiled module.
    let glue = out_dir.join("index.js");
    let js = fs::read_to_string(&glue).with_context(|| format!("reading {}", glue.display()))?;
    if !js.contains("import source ") {
        bail!("{} no longer imports its WASM with `import source`: check the Worker still loads", glue.display());
    }
    fs::write(&glue, js.replace("import source ", "import ")).with_context(|| format!("writing {}", glue.display()))
}

fn generate(bindgen: &mut Bindgen, out_dir: &Path) -> Result<()> {
    fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    bindgen.generate(out_dir).with_context(|| format!("generating the bindings into {}", out_dir.display()))
}
