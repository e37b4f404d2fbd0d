//! The few places the widget touches the browser: device storage, the
//! share link's fragment, a file download and upload, printing, focus and
//! the clipboard. None of them makes a network request. Every call
//! tolerates a missing API (private mode, a blocked storage) by doing
//! nothing.

use wasm_bindgen::{JsCast, JsValue};

use super::state::ImportError;
use crate::rules::Date;

/// The fragment key of a share link: `…#answers=<base64url JSON>`.
pub const FRAGMENT_KEY: &str = "answers=";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn storage() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The text stored under `key`, if any.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Store `value` under `key` (quietly does nothing when storage is unavailable or full).
pub fn save(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// Delete `key`.
pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The answers in the page's share fragment (decoded JSON text), if any.
/// The fragment is then removed from the address bar, so that a reload or a
/// bookmark does not bring back answers changed since.
pub fn take_shared() -> Option<String> {
    let w = window()?;
    let hash = w.location().hash().ok()?;
    let data = hash.strip_prefix('#')?.strip_prefix(FRAGMENT_KEY)?;
    let text = decode_b64url(data).and_then(|b| String::from_utf8(b).ok());
    let loc = w.location();
    if let (Ok(path), Ok(search), Ok(history)) = (loc.pathname(), loc.search(), w.history()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
    text
}

/// A link to this page carrying `json` in its fragment.
pub fn share_link(json: &str) -> String {
    let base = window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let base = base.split('#').next().unwrap_or_default();
    format!("{base}#{FRAGMENT_KEY}{}", encode_b64url(json.as_bytes()))
}

/// Offer `text` as a file download named `name` (a `blob:` URL; nothing is sent anywhere).
pub fn download(name: &str, text: &str, mime: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = doc.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Ok(a) = a.dyn_into::<web_sys::HtmlElement>() {
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Read the first file chosen in a file input, then call `done` with its
/// text (or an error message). Files over 1 MiB are refused.
pub fn read_file(input: &web_sys::HtmlInputElement, done: impl FnOnce(Result<String, ImportError>) + 'static) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    if file.size() > 1024.0 * 1024.0 {
        done(Err(ImportError::TooLarge));
        return;
    }
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        let r = wasm_bindgen_futures::JsFuture::from(promise).await;
        done(r.ok().and_then(|v| v.as_string()).ok_or(ImportError::Unreadable));
    });
}

/// Open the browser's print dialog.
pub fn print() {
    if let Some(w) = window() {
        let _ = w.print();
    }
}

/// The element with `id` in the tree the widget lives in: the shadow root
/// (inside a custom element) or the document. `anchor` is any node of the
/// widget (its root element, an event target); `document.getElementById`
/// alone would not see into a shadow root.
pub fn by_id(anchor: Option<&JsValue>, id: &str) -> Option<web_sys::Element> {
    let in_tree = anchor.and_then(|a| {
        let root = method(a, "getRootNode")?.call0(a).ok()?;
        let el = method(&root, "getElementById")?.call1(&root, &JsValue::from_str(id)).ok()?;
        el.dyn_into::<web_sys::Element>().ok()
    });
    in_tree.or_else(|| window()?.document()?.get_element_by_id(id))
}

/// A node of the widget as an anchor for [`by_id`] (`None` before it is rendered).
pub fn anchor(node: &yew::NodeRef) -> Option<JsValue> {
    node.get().map(JsValue::from)
}

fn method(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).ok()?.dyn_into::<js_sys::Function>().ok()
}

/// Scroll an element to the middle of the view and focus it (or its first
/// form control) without a second scroll ("jump to the question").
pub fn focus(anchor: Option<&JsValue>, id: &str) {
    let Some(el) = by_id(anchor, id) else { return };
    let center = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&center, &JsValue::from_str("block"), &JsValue::from_str("center"));
    call1(&el, "scrollIntoView", &center);
    focus_control(el, true);
}

/// Focus an element's first form control (or the element); the browser
/// scrolls only if it is out of view (the guided card's next question,
/// which is already on screen: no forced scroll, one layout).
pub fn focus_in(anchor: Option<&JsValue>, id: &str) {
    let Some(el) = by_id(anchor, id) else { return };
    focus_control(el, false);
}

/// Move focus to the element `id` itself (e.g. a `tabindex="-1"` container)
/// without scrolling. Used before an answer replaces the focused control:
/// removing a focused element makes the browser recompute style and layout
/// on the spot, in the middle of the re-render.
pub fn park_focus(anchor: Option<&JsValue>, id: &str) {
    let Some(el) = by_id(anchor, id) else { return };
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &JsValue::from_str("preventScroll"), &JsValue::from_bool(true));
    call1(&el, "focus", &opts);
}

fn focus_control(el: web_sys::Element, prevent_scroll: bool) {
    let target = el.query_selector("input, select, button, textarea").ok().flatten().unwrap_or(el);
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &JsValue::from_str("preventScroll"), &JsValue::from_bool(prevent_scroll));
    call1(&target, "focus", &opts);
}

/// `target[method](arg)`, ignoring a missing method or an exception.
fn call1(target: &JsValue, name: &str, arg: &JsValue) {
    if let Some(f) = method(target, name) {
        let _ = f.call1(target, arg);
    }
}

/// Whether focus is in a part (`selector`, e.g. `.pm-guided`) of the
/// widget whose root element is `anchor` (in the document or a shadow root).
pub fn focus_within(anchor: Option<&JsValue>, selector: &str) -> bool {
    // Through `Reflect` like the rest of this file: no new JS glue in the bundle.
    fn part(a: &JsValue, selector: &str) -> Option<JsValue> {
        let root = method(a, "getRootNode")?.call0(a).ok()?;
        let active = js_sys::Reflect::get(&root, &JsValue::from_str("activeElement")).ok()?;
        let part = method(&active, "closest")?.call1(&active, &JsValue::from_str(selector)).ok()?;
        method(a, "contains")?.call1(a, &part).ok()
    }
    anchor.and_then(|a| part(a, selector)).is_some_and(|x| x.is_truthy())
}

/// Focus a heading (or any element with `tabindex="-1"`, or a button); the
/// browser scrolls it into view if needed (its `scroll-margin` counts).
pub fn focus_heading(anchor: Option<&JsValue>, id: &str) {
    if let Some(h) = by_id(anchor, id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = h.focus();
    }
}

/// Copy the text of the input `id` (the share link) to the clipboard, and
/// leave it selected (what was copied shows, and can be copied by hand).
/// The clipboard API exists only on pages served over https (or from this
/// computer); on a plain-http portal the selection is copied the older
/// way, `document.execCommand("copy")`, which browsers still allow there.
/// Whether it was copied (as far as the page can tell: the clipboard API
/// answers later, and refuses only where the user has said no).
pub fn copy(anchor: Option<&JsValue>, id: &str) -> bool {
    let Some(input) = by_id(anchor, id) else { return false };
    if let Some(f) = method(&input, "select") {
        let _ = f.call0(&input);
    }
    let text = js_sys::Reflect::get(&input, &JsValue::from_str("value")).unwrap_or_default();
    let nav = window().and_then(|w| js_sys::Reflect::get(&w, &JsValue::from_str("navigator")).ok());
    let clip = nav.and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("clipboard")).ok()).filter(JsValue::is_object);
    match clip.as_ref().and_then(|c| Some((c, method(c, "writeText")?))) {
        Some((c, write)) => write.call1(c, &text).is_ok(),
        None => {
            let doc = window().and_then(|w| w.document()).map(JsValue::from);
            doc.as_ref()
                .and_then(|d| Some((d, method(d, "execCommand")?)))
                .and_then(|(doc, exec)| exec.call1(doc, &JsValue::from_str("copy")).ok())
                .is_some_and(|done| done.is_truthy())
        }
    }
}

/// The `value` of an event's target (input, select).
pub fn target_value(e: &web_sys::Event) -> String {
    e.target().and_then(|t| value(&t)).unwrap_or_default()
}

/// The `value` of the element with `id` (input, select) in the widget's tree
/// (see [`by_id`]).
pub fn value_of(anchor: Option<&JsValue>, id: &str) -> Option<String> {
    value(&by_id(anchor, id)?.into())
}

/// An element's `value`. A date box holding a day that does not exist (2月31日)
/// gives `""`, as if cleared: it reads as `?`, an answer that is not a date,
/// so that the person is told instead of the answer silently vanishing.
fn value(el: &JsValue) -> Option<String> {
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok();
    let v = get(el, "value")?.as_string()?;
    let bad = || get(el, "validity").and_then(|x| get(&x, "badInput")).is_some_and(|b| b.is_truthy());
    Some(if v.is_empty() && bad() { "?".into() } else { v })
}

/// Today in the browser's time zone.
pub fn today() -> Date {
    let d = js_sys::Date::new_0();
    Date::from_ymd(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).unwrap_or(Date::EPOCH)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
///
/// ```
/// use policy_match::ui::browser::{decode_b64url, encode_b64url};
/// let s = "政策 {\"a\": 1}";
/// assert_eq!(decode_b64url(&encode_b64url(s.as_bytes())).unwrap(), s.as_bytes());
/// ```
pub fn encode_b64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decode base64url (padding and standard `+` `/` also accepted); `None` when malformed.
pub fn decode_b64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..40 {
            let enc = encode_b64url(&data[..n]);
            assert!(enc.bytes().all(|b| B64.contains(&b)), "{enc}");
            assert_eq!(decode_b64url(&enc).unwrap(), &data[..n]);
        }
        assert_eq!(encode_b64url(b"Man"), "TWFu");
        assert_eq!(encode_b64url(b"Ma"), "TWE");
        assert_eq!(decode_b64url("TWE="), Some(b"Ma".to_vec()));
        assert_eq!(decode_b64url("T W"), None);
    }
}
