//! `policy-match`: check catalogues and match enterprise profiles from the
//! command line.
//!
//! Exit codes: 0 ok, 1 catalogue or profile errors (on stderr, with
//! locations), 2 usage.
//!
//! Native only: cargo also builds binaries when it builds the wasm32
//! browser tests, so on wasm32 this compiles to nothing.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use policy_match::catalogue::{Catalogue, Policy, MAX_CATALOGUE_BYTES};
use policy_match::matching::{self, format_quantity, Matcher, Profile, ProfileReport, Verdict, MAX_PROFILE_BYTES};
use policy_match::rules::{parse_decimal, Date};
use policy_match::Lang;
use serde_json::Value as Json;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The catalogue JSON Schema, shipped with the binary.
const SCHEMA: &str = include_str!("../../schema/catalogue.schema.json");

/// `println!` to stdout that does not panic when the reader has gone away
/// (`policy-match explain … | head`): a closed pipe ends the program quietly,
/// another write error is reported (exit code 1).
macro_rules! out {
    ($($t:tt)*) => { emit(&format!("{}\n", format_args!($($t)*))) };
}

/// Write `text` to stdout; see [`out!`].
fn emit(text: &str) {
    emit_bytes(text.as_bytes());
}

/// [`emit`] for output already rendered as bytes (UTF-8 text).
fn emit_bytes(bytes: &[u8]) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error[io]: stdout: {e}");
        std::process::exit(1);
    }
}

#[derive(Parser)]
#[command(name = "policy-match", version, about = "政策找人: check policy catalogues and match enterprise profiles against them")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate catalogue files: every error with policy, JSON path and line:column; warnings too.
    Check {
        /// Catalogue files (a zone catalogue together with the one it extends).
        #[arg(required = true)]
        files: Vec<String>,
        /// Date for the "already expired" warning (default: today in China, UTC+8).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Language of the error and warning messages in text output: zh or en (`--format json` gives both,
        /// `message` in English and `message_zh`).
        #[arg(long, default_value = "zh", value_parser = parse_lang)]
        lang: String,
    },
    /// Match profiles (JSON object, JSON array, or CSV with a header row) against catalogues.
    Match {
        /// Catalogue files.
        #[arg(long = "catalogue", required = true, num_args = 1..)]
        catalogues: Vec<String>,
        /// Profiles file (.json or .csv).
        #[arg(long)]
        profiles: String,
        /// Assessment date (default: today in China, UTC+8).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = MatchFormat::Json)]
        format: MatchFormat,
        /// Near-miss tolerance as a fraction of the required value.
        #[arg(long, default_value = "0.2", value_parser = parse_tolerance)]
        tolerance: rust_decimal::Decimal,
        /// Language of `table` output (titles, verdicts, criteria and field labels), of CSV near-miss texts and of the
        /// errors and warnings on stderr: zh or en.
        #[arg(long, default_value = "zh", value_parser = parse_lang)]
        lang: String,
    },
    /// Explain one policy's verdict for one profile, criterion by criterion.
    Explain {
        /// Catalogue files.
        #[arg(long = "catalogue", required = true, num_args = 1..)]
        catalogues: Vec<String>,
        /// Profile file: a JSON object, or a JSON array or CSV of profiles (see `--id`).
        #[arg(long)]
        profile: String,
        /// Which profile of an array or CSV to explain: its `id`, or its index as `match`
        /// numbers profiles without one (`0`, or `#0`). Default: the first.
        #[arg(long)]
        id: Option<String>,
        /// Policy id.
        #[arg(long)]
        policy: String,
        /// Assessment date (default: today in China, UTC+8).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
        /// Output format: `text`, the explanation as the self-check widget words it (labels,
        /// option names, units); `tree`, the evaluator's operator tree; `json`, that tree as JSON.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
        /// Language: zh or en.
        #[arg(long, default_value = "zh", value_parser = parse_lang)]
        lang: String,
    },
    /// Print the catalogue format's JSON Schema.
    Schema,
    /// Batch 政策找人: match an enterprise list (CSV or XLSX) against catalogues and export push lists.
    Batch(BatchArgs),
}

/// Arguments of `policy-match batch`.
#[derive(clap::Args)]
struct BatchArgs {
    /// Catalogue files.
    #[arg(long = "catalogue", required = true, num_args = 1..)]
    catalogues: Vec<String>,
    /// The enterprise list: CSV (UTF-8, GBK/GB18030 or UTF-16, found automatically) or XLSX.
    #[arg(long)]
    enterprises: String,
    /// XLSX: the sheet to read (default: the sheet whose columns match the most catalogue fields; the first sheet with data on a tie).
    #[arg(long)]
    sheet: Option<String>,
    /// Column mapping file (JSON); matched automatically from the headers when absent.
    #[arg(long)]
    mapping: Option<String>,
    /// Save the mapping (the automatic one when --mapping is absent) to this file for editing.
    #[arg(long)]
    write_mapping: Option<String>,
    /// A value for every enterprise whose cell for FIELD is blank or that has no column for it,
    /// written as a cell would be (repeat for several): --set entity_type=企业（公司） --set registered_in_zone=是
    /// (a zone's list of its own companies). Saved in the mapping's `defaults`.
    #[arg(long = "set", value_name = "FIELD=VALUE", value_parser = parse_default)]
    set: Vec<(String, String)>,
    /// Output directory for the summary, problems, matrix and push lists.
    #[arg(long)]
    out: Option<String>,
    /// Assessment date (default: today in China, UTC+8).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Export formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "csv,xlsx")]
    formats: Vec<ExportFormat>,
    /// Language of exported headers and texts, and of what is printed while it runs: zh or en.
    #[arg(long, default_value = "zh", value_parser = parse_lang)]
    lang: String,
    /// Print the time of each step on stderr.
    #[arg(long)]
    timings: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Tree,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum MatchFormat {
    Json,
    Table,
    Csv,
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// A unit enum variant as the JSON output names it (`take_higher`, `alias`).
fn json_name(x: impl serde::Serialize) -> String {
    serde_json::to_value(x).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// `FIELD=VALUE` for `batch --set`.
fn parse_default(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((f, v)) if !f.trim().is_empty() && !v.trim().is_empty() => Ok((f.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{s}`: write FIELD=VALUE, e.g. entity_type=企业（公司）")),
    }
}

/// `--lang`: Chinese (`zh`, `zh-CN`…) or English (`en`, `en-GB`…); any
/// other language is refused rather than answered in Chinese without a word.
fn parse_lang(s: &str) -> Result<String, String> {
    let t = s.trim().to_ascii_lowercase();
    let primary = t.split(['-', '_']).next().unwrap_or("");
    if matches!(primary, "zh" | "en") {
        Ok(t)
    } else {
        Err(format!("`{s}` is not a language the output has; use zh (中文) or en (English)"))
    }
}

fn parse_tolerance(s: &str) -> Result<rust_decimal::Decimal, String> {
    let d = parse_decimal(s)?;
    if d.is_sign_negative() || d > rust_decimal::Decimal::ONE {
        return Err("the tolerance is a fraction between 0 and 1".into());
    }
    Ok(d)
}

/// Today in China Standard Time (UTC+8), where the catalogues' policies
/// apply: from 00:00 to 08:00 in Beijing the date in UTC is still yesterday.
fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_unix_seconds(i64::try_from(secs).unwrap_or(i64::MAX), 8 * 3600)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check { files, as_of, format, lang } => check(&files, as_of.unwrap_or_else(today), format, Lang::from_tag(&lang)),
        Command::Match { catalogues, profiles, as_of, format, tolerance, lang } => {
            run_match(&catalogues, &profiles, as_of.unwrap_or_else(today), format, tolerance, &lang)
        }
        Command::Explain { catalogues, profile, id, policy, as_of, format, lang } => {
            explain(&catalogues, &profile, id.as_deref(), &policy, as_of.unwrap_or_else(today), format, &lang)
        }
        Command::Batch(args) => batch(args),
        Command::Schema => {
            emit(SCHEMA);
            ExitCode::SUCCESS
        }
    }
}

/// A file that could not be read, and why.
#[derive(Debug)]
struct FileError {
    path: String,
    why: Unreadable,
}

/// Why a file could not be read.
#[derive(Debug)]
enum Unreadable {
    /// The system's error: not found, permission denied, a directory…
    Io(std::io::Error),
    /// Larger than the limit, in bytes.
    TooLarge { size: u64, limit: usize },
    /// Not UTF-8 text: the first byte that is not.
    NotUtf8 { at: usize },
}

impl FileError {
    /// `FILE: why`, in `lang` (the system's own words for an unusual I/O
    /// error follow 无法读取文件).
    fn in_lang(&self, lang: Lang) -> String {
        use std::io::ErrorKind;
        let why = match (lang, &self.why) {
            (Lang::En, Unreadable::Io(e)) => e.to_string(),
            (Lang::En, Unreadable::TooLarge { size, limit }) => format!("{size} bytes; the limit is {limit} bytes"),
            (Lang::En, Unreadable::NotUtf8 { at }) => format!("not UTF-8 text (byte {at})"),
            (Lang::Zh, Unreadable::Io(e)) => match e.kind() {
                ErrorKind::NotFound => "文件不存在".to_string(),
                ErrorKind::PermissionDenied => "没有读取此文件的权限".to_string(),
                ErrorKind::IsADirectory => "这是一个目录，不是文件".to_string(),
                _ => format!("无法读取文件（{e}）"),
            },
            (Lang::Zh, Unreadable::TooLarge { size, limit }) => format!("文件有 {size} 字节，超过上限 {limit} 字节"),
            (Lang::Zh, Unreadable::NotUtf8 { at }) => format!("不是 UTF-8 文本（偏移 {at} 字节处）"),
        };
        format!("{}: {why}", self.path)
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.in_lang(Lang::En))
    }
}

/// A file's bytes, if it is no larger than `limit` (checked before it is read).
fn read_bytes(path: &str, limit: usize) -> Result<Vec<u8>, FileError> {
    let fail = |why| FileError { path: path.to_string(), why };
    let meta = fs::metadata(path).map_err(|e| fail(Unreadable::Io(e)))?;
    if meta.len() > limit as u64 {
        return Err(fail(Unreadable::TooLarge { size: meta.len(), limit }));
    }
    fs::read(path).map_err(|e| fail(Unreadable::Io(e)))
}

/// A UTF-8 text file, if it is no larger than `limit`.
fn read(path: &str, limit: usize) -> Result<String, FileError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|e| FileError { path: path.to_string(), why: Unreadable::NotUtf8 { at: e.utf8_error().valid_up_to() } })
}

/// (file name, text) of each catalogue file.
type Named = Vec<(String, String)>;

/// The catalogue files' texts, or why some could not be read (file and
/// message, for each). Bytes that are not UTF-8 (a file saved as GBK or UTF-16)
/// become U+FFFD, which the catalogue stage reports at its line:column
/// with what to do.
fn read_catalogues(files: &[String]) -> Result<Named, Vec<FileError>> {
    let mut texts = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        match read_bytes(f, MAX_CATALOGUE_BYTES) {
            Ok(bytes) => texts.push((f.clone(), String::from_utf8_lossy(&bytes).into_owned())),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(texts)
    } else {
        Err(errors)
    }
}

/// Print why catalogue files could not be read, in `lang`; exit code 1.
fn io_errors(errors: &[FileError], lang: Lang) -> ExitCode {
    for e in errors {
        eprintln!("error[io]: {}", e.in_lang(lang));
    }
    ExitCode::from(1)
}

/// Print catalogue errors on stderr, in `lang`, and how many there are.
fn print_errors(errs: &policy_match::catalogue::Errors, lang: Lang) {
    for e in &errs.0 {
        match lang {
            Lang::Zh => eprintln!("{}", e.to_string_zh()),
            Lang::En => eprintln!("{e}"),
        }
    }
    match lang {
        Lang::Zh => eprintln!("共 {} 处错误", errs.0.len()),
        Lang::En => eprintln!("{} error(s)", errs.0.len()),
    }
}

fn load(files: &[String], lang: Lang) -> Result<Catalogue, ExitCode> {
    let texts = read_catalogues(files).map_err(|e| io_errors(&e, lang))?;
    let refs: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
    Catalogue::from_sources(&refs).map_err(|errs| {
        print_errors(&errs, lang);
        ExitCode::from(1)
    })
}

/// An error or warning as `--format json` gives it: its own fields and
/// `message_zh` (keys are printed in sorted order).
fn with_message_zh(item: &impl serde::Serialize, zh: String) -> Json {
    let mut v = serde_json::to_value(item).unwrap_or(Json::Null);
    if let Json::Object(m) = &mut v {
        m.insert("message_zh".into(), Json::String(zh));
    }
    v
}

fn check(files: &[String], as_of: Date, format: CheckFormat, lang: Lang) -> ExitCode {
    let texts = match (read_catalogues(files), format) {
        (Ok(t), _) => t,
        (Err(e), CheckFormat::Text) => return io_errors(&e, lang),
        (Err(e), CheckFormat::Json) => {
            // The same shape as catalogue errors, so that a tool reading the
            // output needs no second parser.
            let errors: Vec<Json> = e
                .iter()
                .map(|e| {
                    let (m, zh) = (e.to_string(), e.in_lang(Lang::Zh));
                    serde_json::json!({"type": "io", "message": m, "message_zh": zh, "path": "", "file": e.path, "line": 0, "column": 0, "policy": null})
                })
                .collect();
            let out = serde_json::json!({"ok": false, "errors": errors, "warnings": []});
            out!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            return ExitCode::from(1);
        }
    };
    let refs: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
    let result = Catalogue::from_sources(&refs);
    match format {
        CheckFormat::Json => {
            let out = match &result {
                Ok(c) => {
                    let warnings: Vec<Json> = c.warnings(Some(as_of)).iter().map(|w| with_message_zh(w, w.message_zh())).collect();
                    serde_json::json!({"ok": true, "errors": [], "warnings": warnings})
                }
                Err(e) => {
                    let errors: Vec<Json> = e.0.iter().map(|x| with_message_zh(x, x.message_zh())).collect();
                    serde_json::json!({"ok": false, "errors": errors, "warnings": []})
                }
            };
            out!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        CheckFormat::Text => match &result {
            Ok(c) => {
                let warnings = c.warnings(Some(as_of));
                for w in &warnings {
                    match lang {
                        Lang::Zh => out!("{}", w.to_string_zh()),
                        Lang::En => out!("{w}"),
                    }
                }
                let (n, p, f, d, w) = (c.sources.len(), c.policies.len(), c.fields.len(), c.derived.len(), warnings.len());
                match lang {
                    Lang::Zh => out!("ok: {n} 个政策目录，{p} 项政策，{f} 个字段，{d} 个派生值；{w} 条警告"),
                    Lang::En => out!("ok: {n} catalogue(s), {p} policies, {f} fields, {d} derived values; {w} warning(s)"),
                }
            }
            Err(errs) => print_errors(errs, lang),
        },
    }
    if result.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The index of the profile `explain --id` names: by its `id`, else by its
/// index as `match` numbers profiles without one (`3` or `#3`); the first
/// without `--id`.
fn pick_profile(ps: &[Profile], id: Option<&str>) -> Option<usize> {
    let Some(id) = id else { return (!ps.is_empty()).then_some(0) };
    ps.iter().position(|p| p.id.as_deref() == Some(id)).or_else(|| {
        let i: usize = id.strip_prefix('#').unwrap_or(id).parse().ok()?;
        (i < ps.len() && ps[i].id.is_none()).then_some(i)
    })
}

/// A profile as messages name it: its `id`, or `#index`.
fn profile_name(p: &Profile, i: usize) -> String {
    p.id.clone().unwrap_or_else(|| format!("#{i}"))
}

fn read_profiles(cat: &Catalogue, path: &str, lang: Lang) -> Result<Vec<Profile>, String> {
    let text = read(path, MAX_PROFILE_BYTES).map_err(|e| match e.why {
        // A spreadsheet export in GBK (Excel's 中文 CSV): `batch` reads it.
        Unreadable::NotUtf8 { .. } if !path.to_ascii_lowercase().ends_with(".json") => match lang {
            Lang::Zh => format!("{}；请另存为 UTF-8；如果是表格导出的名单（GBK 编码、自有表头），请用 `policy-match batch --catalogue … --enterprises FILE --out DIR`，它能读 GBK 并对应各列", e.in_lang(lang)),
            Lang::En => format!("{e}; save it as UTF-8, or, for a spreadsheet export (GBK, its own headers), use `policy-match batch --catalogue … --enterprises FILE --out DIR`, which reads GBK and maps the columns"),
        },
        _ => e.in_lang(lang),
    })?;
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let is_json = !path.to_ascii_lowercase().ends_with(".csv") && (trimmed.starts_with('{') || trimmed.starts_with('['));
    let r = if is_json { matching::profiles_from_json(cat, &text) } else { matching::profiles_from_csv(cat, &text) };
    r.map_err(|e| format!("{path}: {e}"))
}

/// Print profile issues (`profiles` are numbered from `first`); return
/// whether any is an error (not just an ignored field).
fn report_issues(profiles: &[Profile], first: usize, lang: Lang) -> bool {
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = false;
    for (i, p) in profiles.iter().enumerate() {
        let name = profile_name(p, first + i);
        for issue in &p.issues {
            if issue.kind == "unknown-field" {
                *unknown.entry(issue.field.clone()).or_default() += 1;
            } else {
                errors = true;
                match lang {
                    Lang::Zh => eprintln!("error[{}]: 企业 {name}：{}", issue.kind, issue.to_string_zh()),
                    Lang::En => eprintln!("error[{}]: profile {name}: {issue}", issue.kind),
                }
            }
        }
    }
    // (A field named with a bad value was named right: its error says what is wrong.)
    let none_read =
        !unknown.is_empty() && profiles.iter().all(|p| p.values.iter().all(|v| !v.is_provided()) && p.issues.iter().all(|i| i.kind != "invalid-value"));
    for (f, n) in unknown {
        match lang {
            Lang::Zh => eprintln!("warning[unknown-field]: `{f}` 不是政策目录声明的字段，已忽略（{n} 个企业）"),
            Lang::En => eprintln!("warning[unknown-field]: `{f}` is not declared by the catalogue; ignored ({n} profile(s))"),
        }
    }
    if none_read {
        match lang {
            Lang::Zh => eprintln!(
                "hint: 没有一列（或一个键）是政策目录的字段名，所以什么也没有读到；自有表头的表格（企业名称、从业人数、资产总额（万元）……）\
                 请用 `policy-match batch --catalogue … --enterprises FILE --out DIR`，它会对应各列"
            ),
            Lang::En => eprintln!(
                "hint: no column or key is a catalogue field name, so nothing was read; for a spreadsheet with its own headers \
                 (企业名称, 从业人数, 资产总额（万元）…) use `policy-match batch --catalogue … --enterprises FILE --out DIR`, which maps the columns"
            ),
        }
    }
    // Results are keyed by id: two profiles with one id cannot be told apart in them.
    let mut seen: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in profiles.iter().enumerate() {
        if let Some(id) = p.id.as_deref() {
            seen.entry(id).or_default().push(i);
        }
    }
    for (id, at) in seen.into_iter().filter(|(_, at)| at.len() > 1) {
        let at: Vec<String> = at.iter().map(|i| format!("#{i}")).collect();
        match lang {
            Lang::Zh => eprintln!("warning[duplicate-id]: 企业 {} 的 id 都是 `{id}`，结果中无法区分", at.join("、")),
            Lang::En => eprintln!("warning[duplicate-id]: profiles {} all have the id `{id}`; their results cannot be told apart", at.join(", ")),
        }
    }
    errors
}

fn run_match(catalogues: &[String], profiles: &str, as_of: Date, format: MatchFormat, tolerance: rust_decimal::Decimal, lang: &str) -> ExitCode {
    let language = Lang::from_tag(lang);
    let cat = match load(catalogues, language) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let ps = match read_profiles(&cat, profiles, language) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error[profiles]: {e}");
            return ExitCode::from(1);
        }
    };
    let had_errors = report_issues(&ps, 0, language);
    let mut m = Matcher::new(&cat, as_of).with_tolerance(tolerance);
    let reports: Vec<ProfileReport> = ps.iter().enumerate().map(|(i, p)| m.evaluate(p).report(Json::from(i))).collect();
    // Rendered first, then written: a reader gone away (`match … | head`)
    // ends the program quietly, as for `explain` (see `out!`).
    let mut out = Vec::new();
    let written = match format {
        MatchFormat::Json => serde_json::to_writer_pretty(&mut out, &reports).map_err(|e| e.to_string()).and_then(|_| writeln!(out).map_err(|e| e.to_string())),
        MatchFormat::Csv => write_csv(&mut out, &cat, &reports, lang),
        MatchFormat::Table => write_table(&mut out, &cat, &reports, as_of, lang),
    };
    if let Err(e) = written {
        eprintln!("error[io]: {e}");
        return ExitCode::from(1);
    }
    emit_bytes(&out);
    if had_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn key(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn write_csv(out: &mut impl Write, cat: &Catalogue, reports: &[ProfileReport], lang: &str) -> Result<(), String> {
    use policy_match::batch::neutralise;
    let mut w = csv::Writer::from_writer(out);
    let e = |e: csv::Error| e.to_string();
    w.write_record([
        "profile",
        "policy",
        "verdict",
        "in_force",
        "failed",
        "undecided",
        "missing_fields",
        "within_reach",
        "near_misses",
        "benefit_amount",
        "benefit_conditional",
        "benefit_missing_fields",
        "conflicts",
    ])
    .map_err(e)?;
    for r in reports {
        for x in &r.results {
            // The amount as the JSON output writes it (no trailing zeros), and
            // whether it applies only if the undecided policy turns out to qualify.
            let amount = x.benefit.as_ref().and_then(|b| b.amount).map(|a| a.normalize().to_string()).unwrap_or_default();
            let conditional = x.benefit.as_ref().filter(|b| b.amount.is_some()).map(|b| b.conditional.to_string()).unwrap_or_default();
            let near: Vec<String> = x.near_misses.iter().map(|n| n.message().get(lang).to_string()).collect();
            // What the amount still waits for; each stacking conflict as rule:policy[:preferred|:not_preferred].
            let amount_needs: Vec<&str> = x.benefit.iter().flat_map(|b| &b.missing).filter_map(|&f| cat.fields.get(f as usize)).map(|f| f.name()).collect();
            let conflicts: Vec<String> = x
                .conflicts
                .iter()
                .map(|c| {
                    let rule = json_name(c.rule);
                    let preferred = match c.preferred {
                        Some(true) => ":preferred",
                        Some(false) => ":not_preferred",
                        None => "",
                    };
                    format!("{rule}:{}{preferred}", c.with)
                })
                .collect();
            w.write_record(
                [
                    key(&r.profile),
                    x.policy.clone(),
                    x.verdict.as_str().to_string(),
                    x.in_force.to_string(),
                    x.failed.join(";"),
                    x.undecided.join(";"),
                    x.missing_fields.join(";"),
                    x.within_reach.to_string(),
                    near.join(" | "),
                    amount,
                    conditional,
                    amount_needs.join(";"),
                    conflicts.join(";"),
                ]
                .map(|c| neutralise(&c).into_owned()),
            )
            .map_err(e)?;
        }
    }
    w.flush().map_err(|e| e.to_string())
}

/// Why a policy cannot be claimed on `as_of`, after its title: expired on a
/// date or in force from one (`（已于2026年12月31日失效）`), as the widget's
/// badges say.
fn out_of_force(policy: Option<&Policy>, as_of: Date, lang: Lang) -> String {
    let badges = policy.map(|p| policy_match::ui::view::badges(p, as_of, lang)).unwrap_or_default();
    match badges.into_iter().find(|b| b.kind == "expired" || b.kind == "future") {
        Some(b) => lang.either(format!("（{}）", b.text), format!(" ({})", b.text)),
        None => lang.either("（不在有效期内）", " (not in force)").to_string(),
    }
}

/// The `--format table` output, for a person: policy titles, verdicts in
/// words, the descriptions of failed criteria, the labels of missing fields
/// and of the next question, in `lang` (`zh`, the default, or `en`); the
/// policy id stays in brackets for looking it up. JSON and CSV keep codes.
fn write_table(out: &mut impl Write, cat: &Catalogue, reports: &[ProfileReport], as_of: Date, lang: &str) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    let lang = Lang::from_tag(lang);
    let colon = lang.either("：", ": ");
    let list_sep = lang.either("、", ", ");
    let field_label = |name: &str| cat.field(name).map_or_else(|| name.to_string(), |f| lang.pick(&f.def.label).to_string());
    for r in reports {
        writeln!(out, "== {} ==", key(&r.profile)).map_err(io)?;
        for x in &r.results {
            let policy = cat.policy(&x.policy);
            let title = policy.map_or(x.policy.as_str(), |p| lang.pick(&p.title));
            let (mark, verdict) = match x.verdict {
                Verdict::Qualifies => ("✓", lang.either("符合", "qualifies")),
                Verdict::DoesNotQualify if x.within_reach => ("≈", lang.either("差一点", "within reach")),
                Verdict::DoesNotQualify => ("✗", lang.either("不符合", "does not qualify")),
                Verdict::Undecided => ("?", lang.either("待定", "undecided")),
            };
            let mut line = format!("{mark} {verdict}{colon}{title} [{}]", x.policy);
            if let Some(a) = x.benefit.as_ref().and_then(|b| b.amount) {
                let amount = format_quantity(a, Some(policy_match::catalogue::Unit::Cny), lang.tag());
                let conditional = x.benefit.as_ref().is_some_and(|b| b.conditional);
                match (lang, conditional) {
                    (Lang::Zh, false) => line.push_str(&format!("，预计金额 {amount}")),
                    (Lang::Zh, true) => line.push_str(&format!("，如符合预计金额 {amount}")),
                    (_, false) => line.push_str(&format!(", estimated benefit {amount}")),
                    (_, true) => line.push_str(&format!(", estimated benefit if it qualifies {amount}")),
                }
            }
            if !x.in_force {
                line.push_str(&out_of_force(policy, as_of, lang));
            }
            writeln!(out, "{line}").map_err(io)?;
            for id in &x.failed {
                let text = policy.and_then(|p| p.criteria.iter().find(|c| &c.id == id)).map_or("", |c| lang.pick(&c.description));
                writeln!(out, "    {} {id}{colon}{text}", lang.either("未满足", "not met")).map_err(io)?;
            }
            for n in &x.near_misses {
                writeln!(out, "    ≈ {}{colon}{}", n.criterion, n.message().get(lang.tag())).map_err(io)?;
            }
            if !x.missing_fields.is_empty() {
                let labels: Vec<String> = x.missing_fields.iter().map(|f| field_label(f)).collect();
                writeln!(out, "    {}{colon}{}", lang.either("缺少", "missing"), labels.join(list_sep)).map_err(io)?;
            }
            for l in benefit_notes(cat, x.benefit.as_ref(), &x.conflicts, lang) {
                writeln!(out, "    {l}").map_err(io)?;
            }
        }
        match r.ask_next.first() {
            Some(a) if a.needed_by > 0 => writeln!(
                out,
                "{}",
                lang.either(
                    format!("下一个问题：{}（可判定 {} 项政策，{} 项政策需要）", field_label(&a.field), a.decides, a.needed_by),
                    format!("next question: {} (decides {}, needed by {})", field_label(&a.field), a.decides, a.needed_by)
                )
            )
            .map_err(io)?,
            Some(a) => writeln!(
                out,
                "{}",
                lang.either(
                    format!("下一个问题：{}（用于估算 {} 项政策的金额）", field_label(&a.field), a.amounts),
                    format!("next question: {} (gives the amount of {})", field_label(&a.field), a.amounts)
                )
            )
            .map_err(io)?,
            None => {}
        }
    }
    Ok(())
}

fn explain(catalogues: &[String], profile: &str, id: Option<&str>, policy: &str, as_of: Date, format: ExplainFormat, lang: &str) -> ExitCode {
    let language = Lang::from_tag(lang);
    let cat = match load(catalogues, language) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(pi) = cat.policy_index(policy) else {
        match language {
            Lang::Zh => eprintln!("error[unknown-policy]: 政策目录中没有编号为 `{policy}` 的政策"),
            Lang::En => eprintln!("error[unknown-policy]: no policy `{policy}` in the catalogue(s)"),
        }
        return ExitCode::from(1);
    };
    let ps = match read_profiles(&cat, profile, language) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error[profiles]: {e}");
            return ExitCode::from(1);
        }
    };
    let Some(i) = pick_profile(&ps, id) else {
        let names: Vec<String> = ps.iter().enumerate().take(10).map(|(i, p)| profile_name(p, i)).collect();
        let more = if ps.len() > names.len() { "…" } else { "" };
        match (id, language) {
            (None, _) => eprintln!("error[profiles]: {profile}: no profile"),
            (Some(id), Lang::Zh) => eprintln!("error[unknown-profile]: {profile} 中没有企业 `{id}`（共 {} 个：{}{more}）", ps.len(), names.join("、")),
            (Some(id), Lang::En) => eprintln!("error[unknown-profile]: no profile `{id}` in {profile} ({} profiles: {}{more})", ps.len(), names.join(", ")),
        }
        return ExitCode::from(1);
    };
    let p = &ps[i];
    if id.is_none() && ps.len() > 1 {
        let name = profile_name(p, i);
        match language {
            Lang::Zh => eprintln!("note: {profile} 中有 {} 个企业，这里说明第一个（{name}）；用 --id 选择其他企业", ps.len()),
            Lang::En => eprintln!("note: {profile} has {} profiles; explaining the first ({name}); choose another with --id", ps.len()),
        }
    }
    let had_errors = report_issues(std::slice::from_ref(p), i, language);
    let mut m = Matcher::new(&cat, as_of);
    let e = m.evaluate(p);
    let Some(x) = e.explain(pi) else { return ExitCode::from(1) };
    let title = cat.policies[pi as usize].title.get(lang);
    match format {
        ExplainFormat::Json => out!("{}", serde_json::to_string_pretty(&x).unwrap_or_default()),
        ExplainFormat::Tree => {
            out!("{} {title} — {}{}", x.policy, x.verdict.as_str(), if x.in_force { "" } else { " (not in force)" });
            for c in &x.criteria {
                out!("{} {} {}", c.outcome.symbol(), c.id, c.description.get(lang));
                print_node(&c.tree, 2, lang);
                if !c.missing_fields.is_empty() {
                    out!("    missing: {}", c.missing_fields.join(", "));
                }
                for n in &c.near_misses {
                    out!("    ≈ {}", n.message().get(lang));
                }
            }
        }
        ExplainFormat::Text => emit(&explanation_text(&cat, &x, &e.results[pi as usize].conflicts, as_of, language)),
    }
    if had_errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A policy's explanation as the self-check widget words it: each criterion,
/// then a line per fact tested (what, the enterprise's value, the
/// requirement), the answers still missing and how close a near miss is.
fn explanation_text(cat: &Catalogue, x: &matching::PolicyExplanation, conflicts: &[matching::Conflict], as_of: Date, lang: Lang) -> String {
    use std::fmt::Write as _;
    let s = lang.s();
    let field_labels = |slots: &[u32]| -> String {
        let labels = slots.iter().filter_map(|&f| cat.fields.get(f as usize)).map(|f| lang.pick(&f.def.label).to_string());
        policy_match::ui::format::join(labels, lang)
    };
    let verdict = match x.verdict {
        Verdict::Qualifies => s.qualifies,
        Verdict::DoesNotQualify => s.not_qualify,
        Verdict::Undecided => s.undecided,
    };
    let policy = cat.policy(&x.policy);
    let title = policy.map(|p| lang.pick(&p.title)).unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "{} {title} — {verdict}", x.policy);
    // Validity and application window on the as-of date, as the card's badges say.
    let badges: Vec<String> = policy.map(|p| policy_match::ui::view::badges(p, as_of, lang)).unwrap_or_default().into_iter().map(|b| b.text).collect();
    if !badges.is_empty() {
        let _ = writeln!(out, "  [{}]", badges.join(lang.either("；", "; ")));
    }
    if let Some((a, b)) = x.benefit.as_ref().and_then(|b| Some((b.amount?, b))) {
        let colon = lang.either("：", ": ");
        let when = if b.conditional { format!("{}{}", s.if_qualifies, lang.either("，", ", ")) } else { String::new() };
        let _ = writeln!(out, "  {}{colon}{when}{}", s.estimated, policy_match::ui::view::amount_text(a, lang));
    }
    for l in benefit_notes(cat, x.benefit.as_ref(), conflicts, lang) {
        let _ = writeln!(out, "  {l}");
    }
    for c in &x.criteria {
        let v = policy_match::ui::view::criterion_view(cat, c, lang);
        let _ = writeln!(out, "{} {} {}", v.mark.symbol(), v.id, v.description);
        for r in &v.rows {
            let indent = "  ".repeat(usize::from(r.depth) + 2);
            let mark = r.mark.map(|m| format!("{} ", m.symbol())).unwrap_or_default();
            let _ = write!(out, "{indent}{mark}{}", r.label);
            if let Some(a) = &r.actual {
                let _ = write!(out, "{}{a}", lang.either("：", ": "));
            }
            if let Some(q) = &r.required {
                let _ = write!(out, "{}{} {q}{}", lang.either("（", " ("), s.needs, lang.either("）", ")"));
            }
            out.push('\n');
        }
        if !v.missing.is_empty() {
            let _ = writeln!(out, "    {}{}{}", s.missing, lang.either("", " "), field_labels(&v.missing));
        }
        if let Some(n) = &v.note {
            let _ = writeln!(out, "    {}{}{n}", s.reading_note, lang.either("：", ": "));
        }
        for n in &v.near {
            let _ = writeln!(out, "    ≈ {n}");
        }
    }
    out
}

/// What a result's amount and its stacking still say (the table and the
/// worded explanation): an amount waiting for answers, and a policy that
/// does not add up with another one it qualifies for (互斥, 就高不重复).
fn benefit_notes(cat: &Catalogue, benefit: Option<&matching::Benefit>, conflicts: &[matching::Conflict], lang: Lang) -> Vec<String> {
    use policy_match::catalogue::StackRule;
    let mut out = Vec::new();
    if let Some(b) = benefit.filter(|b| b.amount.is_none() && !b.missing.is_empty()) {
        let labels = b.missing.iter().filter_map(|&f| cat.fields.get(f as usize)).map(|f| lang.pick(&f.def.label).to_string());
        let labels = policy_match::ui::format::join(labels, lang);
        out.push(lang.either(format!("预计金额还需回答：{labels}"), format!("the amount still needs: {labels}")));
    }
    for c in conflicts {
        let other = cat.policy(&c.with).map_or(c.with.as_str(), |p| lang.pick(&p.title));
        out.push(match (c.rule, c.preferred, lang) {
            (StackRule::TakeHigher, Some(true), Lang::Zh) => format!("就高不重复：与「{other}」只取金额较高的一项，本项较高"),
            (StackRule::TakeHigher, Some(false), Lang::Zh) => format!("就高不重复：与「{other}」只取金额较高的一项，「{other}」较高，本项不计"),
            (StackRule::TakeHigher, None, Lang::Zh) => format!("就高不重复：与「{other}」只取金额较高的一项"),
            (_, _, Lang::Zh) => format!("互斥：与「{other}」只能享受其一"),
            (StackRule::TakeHigher, Some(true), Lang::En) => format!("take the higher: with \"{other}\" only the higher amount is paid; this one is higher"),
            (StackRule::TakeHigher, Some(false), Lang::En) => {
                format!("take the higher: with \"{other}\" only the higher amount is paid; \"{other}\" is higher, so not this one")
            }
            (StackRule::TakeHigher, None, Lang::En) => format!("take the higher: with \"{other}\" only the higher amount is paid"),
            (_, _, Lang::En) => format!("exclusive: only one of this and \"{other}\" can be claimed"),
        });
    }
    out
}

fn print_node(n: &matching::ExplainNode, indent: usize, lang: &str) {
    let mut line = format!("{}{}", " ".repeat(indent * 2), n.outcome.map(|o| format!("{} ", o.symbol())).unwrap_or_default());
    line.push_str(&n.op);
    if let Some(name) = &n.name {
        line.push_str(&format!(" {name}"));
    }
    if let Some(l) = &n.label {
        line.push_str(&format!(" ({})", l.get(lang)));
    }
    if let Some(v) = &n.value {
        line.push_str(&format!(" = {v}"));
    }
    if let Some(d) = &n.detail {
        line.push_str(&format!(" [{d}]"));
    }
    out!("{line}");
    // The tree is bounded (64 levels, then "too deep to show"; rules nest at most 32).
    for c in &n.children {
        print_node(c, indent + 1, lang);
    }
}

fn batch(args: BatchArgs) -> ExitCode {
    use policy_match::batch::{self, BatchOptions, ExportOptions, Mapping, MAX_MAPPING_BYTES};
    let started = std::time::Instant::now();
    let mut lap = started;
    let mut timing = |what: &str| {
        if args.timings {
            let now = std::time::Instant::now();
            eprintln!("time: {what}: {:.3} s", (now - lap).as_secs_f64());
            lap = now;
        }
    };
    if args.out.is_none() && args.write_mapping.is_none() {
        eprintln!("error[usage]: give --out DIR for the results, or --write-mapping FILE to save the column mapping");
        return ExitCode::from(2);
    }
    let lang = Lang::from_tag(&args.lang);
    let cat = match load(&args.catalogues, lang) {
        Ok(c) => c,
        Err(code) => return code,
    };
    timing("load catalogues");
    let table = match read_enterprises(&cat, &args.enterprises, args.sheet.clone(), lang) {
        Ok(t) => t,
        Err(code) => return code,
    };
    timing("import");

    let mut mapping = match &args.mapping {
        Some(m) => match read(m, MAX_MAPPING_BYTES).map_err(|e| e.in_lang(lang)).and_then(|t| Mapping::from_json(&t).map_err(|e| format!("{m}: {e}"))) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("error[mapping]: {e}");
                return ExitCode::from(1);
            }
        },
        None => batch::auto_map_table(&cat, &table),
    };
    mapping.defaults.extend(args.set.iter().cloned());
    print_mapping(&mapping, args.mapping.is_some(), table.width(), lang);
    if let Some(w) = &args.write_mapping {
        if let Err(e) = fs::write(w, mapping.to_json() + "\n") {
            eprintln!("error[io]: {w}: {e}");
            return ExitCode::from(1);
        }
        match lang {
            Lang::Zh => eprintln!("已把列对应写入 {w}；修改后用 --mapping 传入"),
            Lang::En => eprintln!("wrote the mapping to {w}; edit it and pass it with --mapping"),
        }
    }
    let Some(out_dir) = args.out.as_deref() else { return ExitCode::SUCCESS };
    let resolved = match mapping.resolve(&cat, &table) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error[mapping]: {e}");
            return ExitCode::from(1);
        }
    };
    let warnings = if lang == Lang::Zh && resolved.warnings_zh.len() == resolved.warnings.len() { &resolved.warnings_zh } else { &resolved.warnings };
    for w in warnings {
        eprintln!("warning[mapping]: {w}");
    }
    timing("mapping");

    let as_of = args.as_of.unwrap_or_else(today);
    let result = batch::run(&cat, &table, &resolved, &BatchOptions::new(as_of));
    timing("evaluate");

    let opts = ExportOptions { lang, bom: true };
    let summary = result.summary(&cat);
    let json = serde_json::json!({"source": &table.source, "as_of": as_of, "notes": &table.notes, "mapping_warnings": &resolved.warnings, "summary": &summary});
    let files = match write_results(out_dir, &args.formats, &cat, &table, &result, &opts, &json) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error[io]: {e}");
            return ExitCode::from(1);
        }
    };
    timing("export");

    print_batch_summary(&cat, &summary, as_of, lang);
    match lang {
        Lang::Zh => out!("已写入 {files} 个文件到 {out_dir}"),
        Lang::En => out!("wrote {files} file(s) to {out_dir}"),
    }
    if args.timings {
        let evals = summary.rows_evaluated * cat.policies.len();
        let secs = started.elapsed().as_secs_f64();
        eprintln!("time: total {secs:.3} s; {evals} evaluations, {:.0} per second", evals as f64 / secs.max(1e-9));
    }
    ExitCode::SUCCESS
}

/// `batch`: read and import the enterprise list (size checked before it is
/// read), saying on stderr how it was read.
fn read_enterprises(cat: &Catalogue, path: &str, sheet: Option<String>, lang: Lang) -> Result<policy_match::batch::Table, ExitCode> {
    use policy_match::batch::{self, ImportOptions};
    let io = |e| FileError { path: path.to_string(), why: Unreadable::Io(e) }.in_lang(lang);
    let bytes = match fs::metadata(path)
        .map_err(io)
        .and_then(|m| batch::check_size(m.len()).map_err(|e| format!("{path}: {e}")))
        .and_then(|_| fs::read(path).map_err(io))
    {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error[enterprises]: {e}");
            return Err(ExitCode::from(1));
        }
    };
    let table = match batch::import_for(cat, &bytes, &ImportOptions { format: None, sheet }) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error[{}]: {path}: {e}", e.kind());
            return Err(ExitCode::from(1));
        }
    };
    drop(bytes);
    let src = &table.source;
    let how = match (&src.sheet, src.encoding, src.delimiter) {
        (Some(sheet), _, _) => format!("XLSX, {} `{sheet}`", lang.either("工作表", "sheet")),
        (None, Some(enc), Some(d)) => format!("CSV, {enc}, {} {:?}", lang.either("分隔符", "delimiter"), d),
        _ => "CSV".to_string(),
    };
    let (rows, cols, blank) = (table.len(), table.width(), table.blank_rows);
    match lang {
        Lang::Zh => eprintln!("读取 {path}（{how}）：{rows} 行，{cols} 列；跳过空行 {blank} 行"),
        Lang::En => eprintln!("read {path} ({how}): {rows} rows, {cols} columns; {blank} blank row(s) skipped"),
    }
    let notes = if lang == Lang::Zh && table.notes_zh.len() == table.notes.len() { &table.notes_zh } else { &table.notes };
    for n in notes {
        eprintln!("note: {n}");
    }
    Ok(table)
}

/// `batch`: the column mapping on stderr; an automatic one column by column
/// (field, unit, how it was matched, or the candidates), to check or save.
fn print_mapping(mapping: &policy_match::batch::Mapping, from_file: bool, width: usize, lang: Lang) {
    for (f, v) in &mapping.defaults {
        match lang {
            Lang::Zh => eprintln!("统一填写：{f} = {v}（单元格空白或没有该列的企业）"),
            Lang::En => eprintln!("for every enterprise: {f} = {v} (where its cell is blank or there is no column)"),
        }
    }
    let mapped = mapping.columns.iter().filter(|c| c.field.is_some()).count();
    match lang {
        Lang::Zh => eprintln!(
            "列对应（{}）：{width} 列中 {mapped} 列对应到字段{}",
            if from_file { "来自文件" } else { "自动" },
            mapping.key_column.as_ref().map(|k| format!("；企业名称取自“{k}”列")).unwrap_or_default()
        ),
        Lang::En => eprintln!(
            "mapping ({}): {mapped} of {width} columns mapped to fields{}",
            if from_file { "from file" } else { "automatic" },
            mapping.key_column.as_ref().map(|k| format!("; enterprises named by `{k}`")).unwrap_or_default()
        ),
    }
    if from_file {
        return;
    }
    for c in &mapping.columns {
        match (&c.field, c.candidates.is_empty()) {
            (Some(f), _) => {
                let unit = c.unit.map(|u| format!("{}{}", lang.either("，单位 ", ", unit "), u.as_str())).unwrap_or_default();
                let by = c.matched_by.map(|k| format!(" [{}]", json_name(k))).unwrap_or_default();
                eprintln!("  {} → {f}{unit}{by}", c.column);
            }
            (None, false) => eprintln!("  {} → ? ({}{})", c.column, lang.either("可能是：", "could be: "), c.candidates.join(", ")),
            (None, true) => eprintln!("  {} → {}", c.column, lang.either("（未对应）", "(not mapped)")),
        }
    }
}

/// `batch`: write `summary.json` and the exports in `formats` (summary,
/// problems, matrix and one push list per policy) to `out_dir`. Returns how
/// many files were written.
fn write_results(
    out_dir: &str,
    formats: &[ExportFormat],
    cat: &Catalogue,
    table: &policy_match::batch::Table,
    result: &policy_match::batch::BatchResult,
    opts: &policy_match::batch::ExportOptions,
    summary_json: &Json,
) -> Result<usize, String> {
    use policy_match::batch::export;
    let dir = std::path::Path::new(out_dir);
    fs::create_dir_all(dir.join("push")).map_err(|e| format!("{out_dir}: {e}"))?;
    let mut files = 0usize;
    let create = |name: &std::path::Path| fs::File::create(name).map(std::io::BufWriter::new).map_err(|e| format!("{}: {e}", name.display()));
    fs::write(dir.join("summary.json"), serde_json::to_string_pretty(summary_json).unwrap_or_default() + "\n").map_err(|e| format!("summary.json: {e}"))?;
    files += 1;
    if formats.contains(&ExportFormat::Csv) {
        export::summary_csv(cat, result, opts, create(&dir.join("summary.csv"))?).map_err(|e| e.to_string())?;
        export::issues_csv(result, opts, create(&dir.join("problems.csv"))?).map_err(|e| e.to_string())?;
        export::matrix_csv(cat, table, result, opts, create(&dir.join("matrix.csv"))?).map_err(|e| e.to_string())?;
        files += 3;
        for pi in 0..cat.policies.len() {
            let name = dir.join("push").join(format!("{}.csv", export::push_file_stem(cat, pi)));
            export::push_list_csv(cat, table, result, pi, opts, create(&name)?).map_err(|e| e.to_string())?;
            files += 1;
        }
    }
    if formats.contains(&ExportFormat::Xlsx) {
        let bytes = export::results_xlsx(cat, table, result, opts, false).map_err(|e| e.to_string())?;
        fs::write(dir.join("results.xlsx"), bytes).map_err(|e| format!("results.xlsx: {e}"))?;
        files += 1;
        for pi in 0..cat.policies.len() {
            let name = dir.join("push").join(format!("{}.xlsx", export::push_file_stem(cat, pi)));
            let bytes = export::push_list_xlsx(cat, table, result, pi, opts).map_err(|e| e.to_string())?;
            fs::write(&name, bytes).map_err(|e| format!("{}: {e}", name.display()))?;
            files += 1;
        }
    }
    Ok(files)
}

/// `batch`: the counts on stdout, and per policy how many qualify, are
/// undecided and do not qualify.
fn print_batch_summary(cat: &Catalogue, summary: &policy_match::batch::Summary, as_of: Date, lang: Lang) {
    let s = summary;
    match lang {
        Lang::Zh => out!(
            "读取 {} 行，有问题 {} 行，已评估 {} 行；跳过空行 {} 行；列出问题 {} 条",
            s.rows_read,
            s.rows_with_problems,
            s.rows_evaluated,
            s.blank_rows,
            s.issues
        ),
        Lang::En => out!(
            "rows read {}, with problems {}, evaluated {}; blank rows skipped {}; problems listed {}",
            s.rows_read,
            s.rows_with_problems,
            s.rows_evaluated,
            s.blank_rows,
            s.issues
        ),
    }
    out!("{:>7} {:>7} {:>7}  {}", "✓", "?", "✗", lang.either("政策", "policy"));
    for p in &summary.policies {
        out!(
            "{:>7} {:>7} {:>7}  {} {}{}",
            p.qualifies,
            p.undecided,
            p.does_not_qualify,
            p.policy,
            p.title.get(lang.tag()),
            if p.in_force { String::new() } else { out_of_force(cat.policy(&p.policy), as_of, lang) }
        );
    }
}
