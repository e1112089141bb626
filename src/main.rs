//! Entry point of the console's WebAssembly binary: mounts the app.

use gatehouse_console::App;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
