// The Worker's entry point (wrangler.toml `main`): hands every request and cron tick to
// Portico's Rust build in edge/build (`make edge-build`). wrangler bundles this file with
// the glue and the WASM, for `wrangler dev` and `wrangler deploy` alike.
import { WorkerEntrypoint } from "cloudflare:workers";
import * as portico from "./build/index.js";

// Set by the Rust side when it panics: that WASM instance may be left half-way through a
// change, so the next call starts on a fresh one instead of failing every request after it.
const state = portico.__worker_init_state();

async function run(call) {
  if (state.criticalError) {
    console.log("Reinitializing Wasm application");
    portico.__wbg_reset_state();
    state.criticalError = false;
  }
  try {
    return await call();
  } catch (error) {
    // A trap (out of bounds, unreachable) aborts the instance just as a panic does.
    if (error instanceof WebAssembly.RuntimeError) {
      console.error("Critical", error);
      state.criticalError = true;
    }
    throw error;
  }
}

export default class Portico extends WorkerEntrypoint {
  fetch(request) {
    return run(() => portico.fetch(request, this.env, this.ctx));
  }

  scheduled(controller) {
    return run(() => portico.scheduled(controller, this.env, this.ctx));
  }
}
