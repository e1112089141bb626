//! Entry point of the CSV validation worker's WebAssembly binary. Trunk
//! builds it as a classic Web Worker (see `index.html`); the logic lives in
//! `gatehouse_console::csv_worker::handler` so tests can drive it.

use std::cell::RefCell;

use gatehouse_console::csv_worker::handler::CsvWorker;
use gatehouse_console::csv_worker::message;
use gatehouse_console::csv_worker::warm_up::{warm_up, WARM_UP_ROWS};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn main() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let worker = RefCell::new(CsvWorker::new());
    let reply_scope = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let mut post = |message: &JsValue, transfer: &Array| {
            if let Err(error) = reply_scope.post_message_with_transfer(message, transfer) {
                web_sys::console::error_2(&"Posting to the page failed:".into(), &error);
            }
        };
        worker.borrow_mut().handle_message(&event.data(), &mut post);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its handler, so the closure is never freed.
    on_message.forget();

    // Before the page hears that the worker is ready, so that its first
    // file runs on optimized code; messages that arrive meanwhile wait.
    warm_up(WARM_UP_ROWS);

    let ready = Object::new();
    let _ = Reflect::set(&ready, &message::KIND.into(), &message::READY.into());
    if let Err(error) = scope.post_message(&ready) {
        web_sys::console::error_2(&"Posting the ready message failed:".into(), &error);
    }
}
