//! The admin page's wasm exports (feature `admin`; built into
//! `www/pkg-admin` by `scripts/build-admin.sh`, its own bundle so that the
//! self-check embed stays small).
//!
//! [`AdminSession`] wraps [`crate::batch::session::Session`] for the page's
//! module Web Worker (`www/admin-worker.js`): the worker imports the file,
//! runs the matching a chunk at a time (posting progress, reading a cancel
//! message between chunks) and answers the page with small pages of data.
//! Errors reach JavaScript as `Error` objects whose `name` is the error's
//! kind (`too-large`, `encoding`, `csv`, `xlsx`, `mapping`, …).

use wasm_bindgen::prelude::*;

use crate::batch::session::{EnterpriseQuery, ExportKind, PushQuery, Session};
use crate::batch::{BatchError, MAX_INPUT_BYTES, MAX_ROWS};
use crate::embed::to_js;
use crate::rules::Date;

fn error(name: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name(name);
    e.into()
}

fn batch_error(e: BatchError) -> JsValue {
    let e2 = error(e.kind(), &e.to_string());
    if let BatchError::TooLarge { size, limit } = e {
        let _ = js_sys::Reflect::set(&e2, &"size".into(), &JsValue::from_f64(size as f64));
        let _ = js_sys::Reflect::set(&e2, &"limit".into(), &JsValue::from_f64(limit as f64));
    }
    if let BatchError::TooManyRows { limit } = e {
        let _ = js_sys::Reflect::set(&e2, &"limit".into(), &JsValue::from_f64(limit as f64));
    }
    if let BatchError::MixedEncoding { line } = e {
        let _ = js_sys::Reflect::set(&e2, &"line".into(), &JsValue::from_f64(line as f64));
    }
    e2
}

fn date(s: &str) -> Result<Date, JsValue> {
    s.parse().map_err(|e: crate::rules::DateError| error("bad-date", &e.to_string()))
}

/// The limits the page checks before sending a file: `{maxInputBytes, maxRows}`.
///
/// # Errors
/// Never in practice (conversion to a JS object).
#[wasm_bindgen(js_name = batchLimits)]
pub fn batch_limits() -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({"maxInputBytes": MAX_INPUT_BYTES, "maxRows": MAX_ROWS}))
}

/// A batch session: one catalogue, one imported file, one mapping, one run.
#[wasm_bindgen]
pub struct AdminSession {
    s: Session,
}

#[wasm_bindgen]
impl AdminSession {
    /// A session for catalogue texts (national, or national + zone) at an
    /// assessment date `YYYY-MM-DD`.
    ///
    /// # Errors
    /// A catalogue that does not compile (`name` = the first error's kind),
    /// or a bad date.
    #[wasm_bindgen(constructor)]
    pub fn new(catalogues: Vec<String>, as_of: &str) -> Result<AdminSession, JsValue> {
        let as_of = date(as_of)?;
        let refs: Vec<&str> = catalogues.iter().map(String::as_str).collect();
        let s = Session::new(&refs, as_of).map_err(|e| error(e.0.first().map_or("catalogue-error", |x| x.error.kind()), &e.to_string()))?;
        Ok(AdminSession { s })
    }

    /// Fields and policies of the catalogue (see [`Session::catalogue_info`]).
    ///
    /// # Errors
    /// Never in practice.
    #[wasm_bindgen(js_name = catalogueInfo)]
    pub fn catalogue_info(&self) -> Result<JsValue, JsValue> {
        to_js(&self.s.catalogue_info())
    }

    /// Change the assessment date (discards the run).
    ///
    /// # Errors
    /// A bad date.
    #[wasm_bindgen(js_name = setAsOf)]
    pub fn set_as_of(&mut self, as_of: &str) -> Result<(), JsValue> {
        self.s.set_as_of(date(as_of)?);
        Ok(())
    }

    /// Import CSV or XLSX bytes: `{headers, source, notes, rows, blank_rows, samples}`.
    ///
    /// # Errors
    /// `too-large`, `encoding`, `csv`, `xlsx`, `sheet-not-found`, `no-header`, `limit`.
    pub fn import(&mut self, bytes: &[u8], sheet: Option<String>) -> Result<JsValue, JsValue> {
        let info = self.s.import(bytes, sheet).map_err(batch_error)?;
        to_js(&info)
    }

    /// The automatic column mapping (a mapping-file object).
    ///
    /// # Errors
    /// `limit` when nothing is imported.
    #[wasm_bindgen(js_name = autoMap)]
    pub fn auto_map(&self) -> Result<JsValue, JsValue> {
        to_js(&self.s.auto_map().map_err(batch_error)?)
    }

    /// Read a mapping file's text: the mapping object.
    ///
    /// # Errors
    /// `mapping` (invalid JSON, unknown keys, wrong format), `too-large`.
    #[wasm_bindgen(js_name = parseMapping)]
    pub fn parse_mapping(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&Session::parse_mapping(text).map_err(batch_error)?)
    }

    /// Apply a mapping (JSON text); returns its warnings.
    ///
    /// # Errors
    /// `mapping` with every problem.
    #[wasm_bindgen(js_name = setMapping)]
    pub fn set_mapping(&mut self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&self.s.set_mapping(text).map_err(batch_error)?)
    }

    /// The warnings of the mapping applied last, in Chinese.
    ///
    /// # Errors
    /// Only if they cannot be converted to JavaScript.
    #[wasm_bindgen(js_name = mappingWarningsZh)]
    pub fn mapping_warnings_zh(&self) -> Result<JsValue, JsValue> {
        to_js(&self.s.mapping_warnings_zh())
    }

    /// Start the run: `{rows, total, issues, done}`.
    ///
    /// # Errors
    /// `limit` without a mapping.
    #[wasm_bindgen(js_name = startRun)]
    pub fn start_run(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.s.start_run().map_err(batch_error)?)
    }

    /// Evaluate up to `max_rows` more rows: `{rows, total, issues, done}`.
    ///
    /// # Errors
    /// `limit` when no run is under way.
    pub fn step(&mut self, max_rows: usize) -> Result<JsValue, JsValue> {
        to_js(&self.s.step(max_rows).map_err(batch_error)?)
    }

    /// Stop the run under way.
    pub fn cancel(&mut self) {
        self.s.cancel();
    }

    /// The summary: row counts and per-policy verdict counts.
    ///
    /// # Errors
    /// `limit` before a run completes.
    pub fn summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.s.summary().map_err(batch_error)?)
    }

    /// A page of problems: `{total, offset, rows: [{type, row, column, field, raw, message}]}`.
    ///
    /// # Errors
    /// `limit` before a run completes.
    #[wasm_bindgen(js_name = issuesPage)]
    pub fn issues_page(&self, offset: usize, limit: usize, column: Option<String>) -> Result<JsValue, JsValue> {
        to_js(&self.s.issues_page(offset, limit, column.as_deref()).map_err(batch_error)?)
    }

    /// A page of a policy's push list; `query` is
    /// `{verdict, filter, sort, desc, offset, limit}` (all optional).
    ///
    /// # Errors
    /// `limit` before a run completes; `query` for an invalid query.
    #[wasm_bindgen(js_name = pushPage)]
    pub fn push_page(&self, policy: usize, query: JsValue) -> Result<JsValue, JsValue> {
        let q: PushQuery = if query.is_undefined() || query.is_null() {
            PushQuery::default()
        } else {
            serde_wasm_bindgen::from_value(query).map_err(|e| error("query", &e.to_string()))?
        };
        to_js(&self.s.push_page(policy, &q).map_err(batch_error)?)
    }

    /// A page of every enterprise of the run (see
    /// [`Session::enterprises_page`]); `query` is `{filter, sort, desc,
    /// offset, limit}` (all optional).
    ///
    /// # Errors
    /// `limit` before a run completes; `query` for an invalid query.
    #[wasm_bindgen(js_name = enterprisesPage)]
    pub fn enterprises_page(&self, query: JsValue) -> Result<JsValue, JsValue> {
        let q: EnterpriseQuery = if query.is_undefined() || query.is_null() {
            EnterpriseQuery::default()
        } else {
            serde_wasm_bindgen::from_value(query).map_err(|e| error("query", &e.to_string()))?
        };
        to_js(&self.s.enterprises_page(&q).map_err(batch_error)?)
    }

    /// One enterprise's full report (see [`Session::enterprise`]).
    ///
    /// # Errors
    /// `limit` for a row out of range or before a mapping is set.
    pub fn enterprise(&self, row: usize) -> Result<JsValue, JsValue> {
        to_js(&self.s.enterprise(row).map_err(batch_error)?)
    }

    /// An export: `{name, mime, bytes: Uint8Array}`. `kind` is `push-csv`,
    /// `push-xlsx` (with `policy`, and `query` as for [`Self::push_page`]
    /// to export the list as the page shows it), `matrix-csv`,
    /// `summary-csv`, `problems-csv`, `results-xlsx` or `all-xlsx`; `lang`
    /// `zh` or `en`.
    ///
    /// # Errors
    /// `limit` before a run completes; `export` for a bad kind or policy;
    /// `query` for an invalid query.
    pub fn export(&self, kind: &str, policy: Option<usize>, lang: &str, query: JsValue) -> Result<JsValue, JsValue> {
        let kind: ExportKind = serde_json::from_value(serde_json::Value::String(kind.to_string())).map_err(|e| error("export", &e.to_string()))?;
        let q: Option<PushQuery> = if query.is_undefined() || query.is_null() {
            None
        } else {
            Some(serde_wasm_bindgen::from_value(query).map_err(|e| error("query", &e.to_string()))?)
        };
        let f = self.s.export(kind, policy, q.as_ref(), lang).map_err(batch_error)?;
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"name".into(), &f.name.into())?;
        js_sys::Reflect::set(&o, &"mime".into(), &f.mime.into())?;
        js_sys::Reflect::set(&o, &"bytes".into(), &js_sys::Uint8Array::from(f.bytes.as_slice()).into())?;
        Ok(o.into())
    }
}
