//! A signal that follows another after it stops changing for a moment.

use std::time::Duration;

use leptos::prelude::*;

/// Returns a signal that takes `source`'s value once `source` has not
/// changed for `delay_ms` milliseconds, so costly work (a template check,
/// a draft write) runs once per pause in typing instead of per key.
pub fn debounce<T>(source: Signal<T>, delay_ms: u64) -> Signal<T>
where
    T: Clone + Send + Sync + 'static,
{
    let settled = RwSignal::new(source.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let value = source.get();
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle =
            set_timeout_with_handle(move || settled.set(value), Duration::from_millis(delay_ms));
        pending.set_value(handle.ok());
    });
    settled.into()
}
