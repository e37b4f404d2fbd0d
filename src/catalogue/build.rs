//! Composing and compiling: the [`Builder`] turns the documents read into
//! one [`Catalogue`], stage by stage; each stage reports what is wrong in
//! its part and carries on, so that one run finds every mistake it can.

use std::collections::HashSet;
use std::mem::take;
use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

use super::{
    locate_many, Application, Catalogue, CatalogueError, Criterion, Derived, DerivedDef, Document, Error, Errors, Field, FieldDef, FieldType, Location, Policy,
    PolicyMeta, Section, Source, Unit, Warning, MAX_POLICIES,
};
use crate::rules::{closest, did_you_mean, Compiler, ExprRef, FieldInfo, JsonPath, NodeId, Program, Scope, Seg, Ty, View};

fn field_ty(t: FieldType) -> Ty {
    match t {
        FieldType::Number | FieldType::Integer => Ty::Num,
        FieldType::Boolean => Ty::Bool,
        FieldType::Enum | FieldType::String => Ty::Str,
        FieldType::Date => Ty::Date,
        FieldType::DateList => Ty::Dates,
        FieldType::StringList => Ty::Strs,
    }
}

struct FieldSlot {
    ty: Ty,
    /// In percent (10 means 10 %).
    percent: bool,
    options: Vec<String>,
    min: Option<Decimal>,
    max: Option<Decimal>,
}

#[derive(Default)]
struct Names {
    field_index: HashMap<String, u32>,
    fields: Vec<FieldSlot>,
    /// Index, type and whether in percent.
    derived: HashMap<String, (u32, Ty, bool)>,
    derived_names: Vec<String>,
    policy_index: HashMap<String, u32>,
    /// Field names by slot and policy ids by index: "did you mean" scans
    /// these in declaration order, so a tie is always broken the same way.
    field_names: Vec<String>,
    policy_ids: Vec<String>,
}

impl Scope for Names {
    fn field(&self, name: &str) -> Option<FieldInfo<'_>> {
        let slot = *self.field_index.get(name)?;
        let f = &self.fields[slot as usize];
        Some(FieldInfo { slot, ty: f.ty, options: &f.options, min: f.min, max: f.max })
    }
    fn derived(&self, name: &str) -> Option<(u32, Ty)> {
        self.derived.get(name).map(|&(i, ty, _)| (i, ty))
    }
    fn policy(&self, id: &str) -> Option<u32> {
        self.policy_index.get(id).copied()
    }
    fn var_names(&self) -> Vec<&str> {
        self.field_names.iter().map(String::as_str).chain(self.derived_names.iter().map(String::as_str)).collect()
    }
    fn policy_ids(&self) -> Vec<&str> {
        self.policy_ids.iter().map(String::as_str).collect()
    }
    fn field_name(&self, slot: u32) -> Option<&str> {
        self.field_names.get(slot as usize).map(String::as_str)
    }
    fn percent(&self, name: &str) -> bool {
        match self.field_index.get(name) {
            Some(&slot) => self.fields.get(slot as usize).is_some_and(|f| f.percent),
            None => self.derived.get(name).is_some_and(|d| d.2),
        }
    }
}

/// What the compiled rules read and what compiling them warned of, gathered
/// while the catalogue is built, for the warnings kept with it.
#[derive(Default)]
struct Usage {
    /// The field slots a rule or a used derived value reads.
    fields: HashSet<u32>,
    /// Per compiled derived value: whether a rule or another derived value
    /// reads it.
    derived: Vec<bool>,
    /// Per compiled derived value: where it is declared (document, index).
    derived_at: Vec<(usize, usize)>,
    /// Per compiled derived value: the derived values it reads (used only
    /// if it is: a value only an unused one reads is unused too).
    derived_reads: Vec<Vec<u32>>,
    /// The compiler's warnings: (document, path, kind, message, policy).
    warnings: Vec<(usize, JsonPath, &'static str, String, Option<String>)>,
}

impl Usage {
    /// Keep the compiler's warnings for a rule of document `di` (and of
    /// `policy`).
    fn add_warnings(&mut self, di: usize, warnings: Vec<(JsonPath, &'static str, String)>, policy: Option<&str>) {
        self.warnings.extend(warnings.into_iter().map(|(path, kind, m)| (di, path, kind, m, policy.map(str::to_string))));
    }
}

/// Mark the derived values `reads` as used (see [`Usage::derived`]).
fn mark_used(used: &mut [bool], reads: impl Iterator<Item = u32>) {
    for d in reads {
        if let Some(u) = used.get_mut(d as usize) {
            *u = true;
        }
    }
}

/// A key of a JSON path.
fn key(name: &'static str) -> Seg {
    Seg::Key(name.into())
}

/// ` (did you mean `…`?)` for an unknown policy id close to a known one, or
/// nothing.
fn did_you_mean_policy(names: &Names, id: &str) -> String {
    did_you_mean(closest(id, names.policy_ids().into_iter()).as_deref())
}

#[derive(Default)]
pub(super) struct Builder {
    errors: Vec<Error>,
    /// Errors found but not yet located: located together by
    /// [`Builder::locate_pending`], one pass over each text.
    pending: Vec<(usize, JsonPath, CatalogueError, Option<String>)>,
    warnings: Vec<(usize, JsonPath, Warning)>,
    texts: Vec<(String, Arc<str>)>,
}

impl Builder {
    fn err(&mut self, doc: usize, path: JsonPath, error: CatalogueError, policy: Option<&str>) {
        self.pending.push((doc, path, error, policy.map(str::to_string)));
    }

    /// Locate the pending errors in the current texts (a catalogue with many
    /// mistakes is read once per text, not once per mistake).
    fn locate_pending(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        let paths: Vec<(usize, &JsonPath)> = pending.iter().map(|(doc, path, _, _)| (*doc, path)).collect();
        let locations = locate_many(&self.texts, &paths);
        for ((_, _, error, policy), location) in pending.into_iter().zip(locations) {
            self.errors.push(Error { error, location, policy });
        }
    }

    /// The errors so far, located.
    fn failed(mut self) -> Errors {
        self.locate_pending();
        Errors(self.errors)
    }

    /// Compose the documents into one catalogue, stage by stage: each stage
    /// reports what is wrong in its part and carries on, so that one run
    /// finds every mistake it can.
    pub(super) fn build(mut self, docs: Vec<(String, Arc<str>, Document)>) -> Result<Catalogue, Errors> {
        let mut docs = self.order(docs);
        self.texts = docs.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect();
        if !self.errors.is_empty() {
            return Err(self.failed());
        }
        let (sources, sections) = self.sources_and_sections(&docs);
        let mut names = Names::default();
        let (fields, field_origin) = self.declare_fields(&docs, &sections, &mut names);
        let policy_refs = self.declare_policies(&docs, &mut names);
        let mut program = Program::default();
        // The fields whose strings rules read as the city they name.
        for (slot, f) in fields.iter().enumerate() {
            if f.def.reads_city() {
                program.city_slots.push(slot as u32);
            }
        }
        let mut usage = Usage::default();
        let derived = self.compile_derived(&docs, &mut names, &mut program, &mut usage);
        let mut policies = self.compile_policies(&mut docs, &policy_refs, &names, &mut program, &derived, &mut usage);
        self.suggest_option_values(&fields);
        // `policies[i]` is the policy of `policy_refs[i]`.
        for i in 0..policies.len() {
            let ids = policies[i].deps.iter().map(|&d| policies.get(d as usize).map(|q| q.id.clone()).unwrap_or_default()).collect();
            policies[i].depends_on = ids;
        }
        self.apply_overrides(&docs, &names, &mut policies);
        let order = self.policy_order(&policies, &docs);
        self.unused_warnings(&fields, &field_origin, &derived, usage);

        if !self.errors.is_empty() || !self.pending.is_empty() {
            return Err(self.failed());
        }
        let field_index = names.field_index;
        let policy_index = names.policy_index;
        let mut crit_nodes = Vec::new();
        let mut crit_start = vec![0];
        for p in &policies {
            crit_nodes.extend(p.criteria.iter().map(|c| c.node));
            crit_start.push(crit_nodes.len() as u32);
        }
        let crit_cost: Vec<u32> = crit_nodes.iter().map(|&n| program.cost(n).max(1)).collect();
        let mut crit_fast = Vec::with_capacity(crit_nodes.len());
        for w in crit_start.windows(2) {
            let mut roots: Vec<usize> = (w[0] as usize..w[1] as usize).collect();
            roots.sort_by_key(|&c| crit_cost[c]);
            crit_fast.extend(roots.into_iter().map(|c| crit_nodes[c]));
        }
        let plan = order.iter().map(|&pi| (pi, crit_start[pi as usize], crit_start[pi as usize + 1])).collect();
        let meta = policies.iter().map(|p| PolicyMeta { amount: p.amount, valid_from: p.valid_from, valid_until: p.valid_until }).collect();
        Ok(Catalogue {
            sources,
            sections,
            fields,
            derived,
            policies,
            program,
            crit_nodes,
            crit_start,
            crit_cost,
            crit_fast,
            plan,
            meta,
            field_index,
            policy_index,
            static_warnings: self.warnings,
            texts: self.texts,
        })
    }

    /// Each document's description, and the questionnaire sections of all
    /// (a section repeated with other content is an error).
    fn sources_and_sections(&mut self, docs: &[(String, Arc<str>, Document)]) -> (Vec<Source>, Vec<Section>) {
        let mut sources = Vec::new();
        let mut sections: Vec<Section> = Vec::new();
        for (di, (file, _, d)) in docs.iter().enumerate() {
            sources.push(Source {
                id: d.id.0.clone(),
                file: file.clone(),
                title: d.title.clone(),
                description: d.description.clone(),
                publisher: d.publisher.clone(),
                version: d.version.clone(),
                updated: d.updated.0,
                region: d.region.clone(),
                example: d.example,
                extends: d.extends.iter().map(|s| s.0.clone()).collect(),
            });
            for (si, s) in d.sections.iter().enumerate() {
                match sections.iter().find(|x| x.id == s.id) {
                    Some(x) if x == s => {}
                    Some(_) => self.err(
                        di,
                        JsonPath(vec![key("sections"), Seg::Index(si)]),
                        CatalogueError::Duplicate { what: "section", id: s.id.0.clone(), first: None },
                        None,
                    ),
                    None => sections.push(s.clone()),
                }
            }
        }
        (sources, sections)
    }

    /// The fields of all documents, each given its slot in `names` (a field
    /// a zone repeats unchanged from its base is the same field), with where
    /// each is declared (document, index).
    fn declare_fields(&mut self, docs: &[(String, Arc<str>, Document)], sections: &[Section], names: &mut Names) -> (Vec<Field>, Vec<(usize, usize)>) {
        let mut fields: Vec<Field> = Vec::new();
        let mut field_origin: Vec<(usize, usize)> = Vec::new();
        for (di, (_, _, d)) in docs.iter().enumerate() {
            for (fi, f) in d.fields.iter().enumerate() {
                let at = JsonPath(vec![key("fields"), Seg::Index(fi)]);
                let name = f.name.0.clone();
                if let Some(&slot) = names.field_index.get(&name) {
                    let prev = &fields[slot as usize];
                    if prev.def != *f {
                        let first = Some(format!("catalogue `{}`", prev.catalogue));
                        self.err(di, at, CatalogueError::Duplicate { what: "field", id: name, first }, None);
                    }
                    continue;
                }
                self.check_field(di, &at, f, sections);
                let ty = field_ty(f.ty);
                let slot = fields.len() as u32;
                names.field_names.push(name.clone());
                names.field_index.insert(name, slot);
                names.fields.push(FieldSlot {
                    ty,
                    percent: f.unit == Some(Unit::Percent),
                    options: f.options.iter().map(|o| o.value.clone()).collect(),
                    min: f.min.map(|m| m.0),
                    max: f.max.map(|m| m.0),
                });
                fields.push(Field { def: f.clone(), ty, catalogue: d.id.0.clone() });
                field_origin.push((di, fi));
            }
        }
        (fields, field_origin)
    }

    /// The policy ids of all documents, declared in `names` before any rule
    /// is compiled, so that references resolve in any order. Returns where
    /// each policy is declared (document, index); a repeated id is an error
    /// that names the first declaration's file and line.
    fn declare_policies(&mut self, docs: &[(String, Arc<str>, Document)], names: &mut Names) -> Vec<(usize, usize)> {
        let mut policy_refs: Vec<(usize, usize)> = Vec::new();
        let mut policy_cat: Vec<String> = Vec::new();
        // (document, index) of each repeated id and the index of its first declaration.
        let mut repeats: Vec<(usize, usize, usize)> = Vec::new();
        for (di, (_, _, d)) in docs.iter().enumerate() {
            for (pi, pd) in d.policies.iter().enumerate() {
                let id = pd.id.0.clone();
                if let Some(&prev) = names.policy_index.get(&id) {
                    repeats.push((di, pi, prev as usize));
                    continue;
                }
                names.policy_ids.push(id.clone());
                names.policy_index.insert(id, policy_refs.len() as u32);
                policy_refs.push((di, pi));
                policy_cat.push(d.id.0.clone());
            }
        }
        // Where each first declaration is: the file and line to compare with
        // (all found in one pass over each text).
        let id_at = |pi: usize| JsonPath(vec![key("policies"), Seg::Index(pi), key("id")]);
        let firsts: Vec<(usize, JsonPath)> = repeats.iter().map(|&(_, _, prev)| (policy_refs[prev].0, id_at(policy_refs[prev].1))).collect();
        let there = locate_many(&self.texts, &firsts.iter().map(|(d, path)| (*d, path)).collect::<Vec<_>>());
        for (&(di, pi, prev), there) in repeats.iter().zip(there) {
            let id = docs[di].2.policies[pi].id.0.clone();
            let first = Some(format!("catalogue `{}`, {}:{}", policy_cat[prev], there.file, there.line));
            self.err(di, id_at(pi), CatalogueError::Duplicate { what: "policy", id: id.clone(), first }, Some(&id));
        }
        if policy_refs.len() > MAX_POLICIES {
            self.err(0, JsonPath::default(), CatalogueError::Invalid(format!("{} policies; at most {MAX_POLICIES} are supported", policy_refs.len())), None);
        }
        policy_refs
    }

    /// Compile the derived values in dependency order (each reads only
    /// earlier ones), declaring each in `names` for the rules after it.
    fn compile_derived(&mut self, docs: &[(String, Arc<str>, Document)], names: &mut Names, program: &mut Program, usage: &mut Usage) -> Vec<Derived> {
        let mut derived: Vec<Derived> = Vec::new();
        let derived_defs: Vec<(usize, usize, &DerivedDef)> =
            docs.iter().enumerate().flat_map(|(di, (_, _, d))| d.derived.iter().enumerate().map(move |(i, x)| (di, i, x))).collect();
        names.derived_names = derived_defs.iter().map(|(_, _, d)| d.name.0.clone()).collect();
        let order = self.derived_order(&derived_defs, names);
        for i in order {
            let (di, xi, def) = derived_defs[i];
            let at = JsonPath(vec![key("derived"), Seg::Index(xi), key("expr")]);
            let derived_fields: Vec<Vec<u32>> = derived.iter().map(|d| d.fields.clone()).collect();
            let mut c = Compiler::new(program, names);
            let compiled = c.compile(&def.expr, &at, None, false);
            let fl = c.fields_read(&derived_fields);
            let reads: Vec<u32> = c.derived_read().collect();
            let (errs, warns, used) = (std::mem::take(&mut c.errors), std::mem::take(&mut c.warnings), std::mem::take(&mut c.used_fields));
            for e in errs {
                let path = e.path().clone();
                self.err(di, path, e.into(), None);
            }
            usage.add_warnings(di, warns, None);
            let t = match compiled {
                Some(t) if matches!(t.ty, Ty::Bool | Ty::Num | Ty::Date) => t,
                other => {
                    if let Some(t) = other {
                        let m = format!("a derived value is a number, boolean or date; this one is a {}", t.ty);
                        self.err(di, at, CatalogueError::Invalid(m), None);
                    }
                    // With an error here, what it reads is not reported unused too.
                    mark_used(&mut usage.derived, reads.into_iter());
                    continue;
                }
            };
            let idx = derived.len() as u32;
            usage.derived_reads.push(reads);
            usage.derived.push(false);
            usage.derived_at.push((di, xi));
            usage.fields.extend(used.iter().copied());
            names.derived.insert(def.name.0.clone(), (idx, t.ty, def.unit == Some(Unit::Percent)));
            derived.push(Derived {
                name: def.name.0.clone(),
                label: def.label.clone(),
                help: def.help.clone(),
                unit: def.unit,
                node: t.id,
                ty: t.ty,
                fields: fl,
            });
        }
        derived
    }

    /// Compile every policy (`policy_refs` in order): its criteria, its
    /// benefit formula and its stacking rules, checked as it goes. The
    /// policy's texts are moved, not copied, out of `docs`.
    fn compile_policies(
        &mut self,
        docs: &mut [(String, Arc<str>, Document)],
        policy_refs: &[(usize, usize)],
        names: &Names,
        program: &mut Program,
        derived: &[Derived],
        usage: &mut Usage,
    ) -> Vec<Policy> {
        let derived_fields: Vec<Vec<u32>> = derived.iter().map(|d| d.fields.clone()).collect();
        let mut policies: Vec<Policy> = Vec::with_capacity(policy_refs.len());
        // One compiler (and one rule path, updated in place) for every
        // criterion and benefit formula.
        let mut c = Compiler::new(program, names);
        let mut rule_at = JsonPath(vec![key("policies"), Seg::Index(0), key("criteria"), Seg::Index(0), key("rule")]);
        for &(di, pi) in policy_refs {
            let catalogue = docs[di].2.id.0.clone();
            let pd = &mut docs[di].2.policies[pi];
            let pid = pd.id.0.as_str();
            let base = [key("policies"), Seg::Index(pi)];
            let at = |extra: Vec<Seg>| JsonPath(base.iter().cloned().chain(extra).collect());
            if pd.criteria.is_empty() {
                self.err(di, at(vec![key("criteria")]), CatalogueError::Invalid("a policy needs at least one criterion".into()), Some(pid));
            }
            if let (Some(a), Some(b)) = (pd.valid_from, pd.valid_until) {
                if a > b {
                    self.err(di, at(vec![key("valid_until")]), CatalogueError::Invalid(format!("valid_until {} is before valid_from {}", b.0, a.0)), Some(pid));
                }
            }
            if let Some(app) = &pd.application {
                self.check_application(di, at(vec![key("application")]), app, Some(pid));
            }
            let mut compiled_criteria = Vec::with_capacity(pd.criteria.len());
            let mut deps = Vec::new();
            for (ci, cd) in pd.criteria.iter().enumerate() {
                if pd.criteria[..ci].iter().any(|x| x.id == cd.id) {
                    self.err(
                        di,
                        at(vec![key("criteria"), Seg::Index(ci), key("id")]),
                        CatalogueError::Duplicate { what: "criterion", id: cd.id.0.clone(), first: None },
                        Some(pid),
                    );
                }
                rule_at.0[1] = Seg::Index(pi);
                rule_at.0[3] = Seg::Index(ci);
                let compiled = c.compile(&cd.rule, &rule_at, Some(Ty::Bool), true);
                if compiled.is_some() {
                    deps.extend(c.policies_read());
                }
                let fl = c.fields_read(&derived_fields);
                self.take_rule_findings(&mut c, di, pid, usage);
                if let Some(t) = compiled {
                    compiled_criteria.push((ci, t.id, fl));
                }
            }
            // Criteria must all be met: two that bound one field to no value
            // make the policy unreachable.
            let roots: Vec<NodeId> = compiled_criteria.iter().map(|&(_, node, _)| node).collect();
            let index: Vec<usize> = compiled_criteria.iter().map(|&(ci, _, _)| ci).collect();
            let criterion_id = |i: usize| index.get(i).map_or("?", |&ci| pd.criteria[ci].id.0.as_str());
            c.check_conjunction(
                &roots,
                |i| format!("criterion {}", criterion_id(i)),
                |i| at(vec![key("criteria"), Seg::Index(index.get(i).copied().unwrap_or(0)), key("rule")]),
            );
            usage.add_warnings(di, take(&mut c.warnings), Some(pid));
            let mut amount = None;
            if let Some(formula) = pd.benefit.as_ref().and_then(|b| b.amount.as_ref()) {
                let amount_at = at(vec![key("benefit"), key("amount")]);
                // A formula may read other policies' verdicts (a saving at the
                // rate of the regime that applies): they are evaluated first.
                let compiled = c.compile(formula, &amount_at, Some(Ty::Num), true);
                if compiled.is_some() {
                    deps.extend(c.policies_read());
                }
                // A band row no value reaches, a percent written as a fraction:
                // as wrong in an amount as in a criterion.
                self.take_rule_findings(&mut c, di, pid, usage);
                amount = compiled.map(|t| t.id);
            }
            for (si, s) in pd.stacking.iter().enumerate() {
                let q = &s.policy.0;
                let at = at(vec![key("stacking"), Seg::Index(si), key("policy")]);
                if names.policy(q).is_none() {
                    let hint = did_you_mean_policy(names, q);
                    self.err(di, at, CatalogueError::Reference(format!("stacking refers to unknown policy `{q}`{hint}")), Some(pid));
                } else if q == pid {
                    self.err(di, at, CatalogueError::Invalid("a policy cannot be stacked with itself".into()), Some(pid));
                } else if pd.stacking[..si].iter().any(|o| o.policy.0 == *q)
                    || policies.iter().any(|o| o.id == *q && o.stacking.iter().any(|x| x.policy.0 == pid && x.rule != s.rule))
                {
                    // Two rules for one pair: which one applies would be a guess.
                    let m = format!("the stacking of `{pid}` with `{q}` is already given (here or in `{q}`): keep one rule for the pair");
                    self.err(di, at, CatalogueError::Invalid(m), Some(pid));
                }
            }
            deps.sort_unstable();
            deps.dedup();
            let criteria = compiled_criteria
                .into_iter()
                .map(|(ci, node, fields)| {
                    let cd = &mut pd.criteria[ci];
                    Criterion { id: take(&mut cd.id.0), description: take(&mut cd.description), note: cd.note.take(), node, fields }
                })
                .collect();
            let (benefit, benefit_label) = match pd.benefit.as_mut() {
                Some(b) => (Some(take(&mut b.text)), b.amount_label.take()),
                None => (None, None),
            };
            policies.push(Policy {
                id: take(&mut pd.id.0),
                title: take(&mut pd.title),
                summary: pd.summary.take(),
                issuer: take(&mut pd.issuer),
                documents: take(&mut pd.documents),
                category: pd.category,
                tags: take(&mut pd.tags),
                region: pd.region.take(),
                valid_from: pd.valid_from.map(|d| d.0),
                valid_until: pd.valid_until.map(|d| d.0),
                application: pd.application.take(),
                benefit,
                benefit_label,
                has_amount: amount.is_some(),
                amount,
                stacking: take(&mut pd.stacking),
                notes: take(&mut pd.notes),
                sources: take(&mut pd.sources),
                criteria,
                catalogue,
                depends_on: Vec::new(),
                deps,
                origin: (di, pi),
            });
        }
        policies
    }

    /// What compiling one criterion or benefit formula of policy `pid`
    /// found: its errors, its warnings, and the fields and derived values it
    /// reads (so that they are not reported unused).
    fn take_rule_findings(&mut self, c: &mut Compiler<'_, '_>, di: usize, pid: &str, usage: &mut Usage) {
        for e in take(&mut c.errors) {
            let path = e.path().clone();
            self.err(di, path, e.into(), Some(pid));
        }
        usage.add_warnings(di, take(&mut c.warnings), Some(pid));
        usage.fields.extend(c.used_fields.iter().copied());
        c.used_fields.clear();
        mark_used(&mut usage.derived, c.derived_read());
    }

    /// An option a rule names by its label or alias (`国家级`): its value
    /// (`national`) is what the rule must say, suggested in the error.
    fn suggest_option_values(&mut self, fields: &[Field]) {
        for (_, _, e, _) in &mut self.pending {
            if let CatalogueError::Rule(crate::rules::CompileError::UnknownOption { value, field, suggestion, .. }) = e {
                let options = fields.iter().find(|f| f.def.name.0 == *field).map_or(&[][..], |f| &f.def.options);
                if let Some(o) = options.iter().find(|o| o.label.zh == *value || o.label.en == *value || o.aliases.contains(value)) {
                    *suggestion = Some(o.value.clone());
                }
            }
        }
    }

    /// A zone catalogue's overrides of its bases' policies: the application
    /// details replaced, notes added.
    fn apply_overrides(&mut self, docs: &[(String, Arc<str>, Document)], names: &Names, policies: &mut [Policy]) {
        for (di, (_, _, d)) in docs.iter().enumerate() {
            for (oi, o) in d.overrides.iter().enumerate() {
                let at = JsonPath(vec![key("overrides"), Seg::Index(oi), key("policy")]);
                let Some(&idx) = names.policy_index.get(&o.policy.0) else {
                    let hint = did_you_mean_policy(names, &o.policy.0);
                    self.err(di, at, CatalogueError::Reference(format!("override of unknown policy `{}`{hint}", o.policy.0)), None);
                    continue;
                };
                let target = &mut policies[idx as usize];
                if target.origin.0 >= di {
                    self.err(
                        di,
                        at,
                        CatalogueError::Reference(format!(
                            "a catalogue may override only policies of catalogues it extends; `{}` is declared in `{}`",
                            o.policy.0, target.catalogue
                        )),
                        Some(&o.policy.0),
                    );
                    continue;
                }
                if let Some(app) = &o.application {
                    let app_at = JsonPath(vec![key("overrides"), Seg::Index(oi), key("application")]);
                    self.check_application(di, app_at, app, Some(&o.policy.0));
                    target.application = Some(app.clone());
                }
                target.notes.extend(o.notes.iter().cloned());
            }
        }
    }

    /// The warnings kept with the catalogue: fields and derived values no
    /// rule uses, then what compiling the rules found.
    fn unused_warnings(&mut self, fields: &[Field], field_origin: &[(usize, usize)], derived: &[Derived], mut usage: Usage) {
        for (slot, f) in fields.iter().enumerate() {
            if !usage.fields.contains(&(slot as u32)) {
                let (di, fi) = field_origin[slot];
                let warning = Warning {
                    kind: "unused-field",
                    message: format!("field `{}` is declared but no rule uses it", f.name()),
                    location: Location::default(),
                    policy: None,
                };
                self.warnings.push((di, JsonPath(vec![key("fields"), Seg::Index(fi)]), warning));
            }
        }
        // Derived values come in dependency order (each reads only earlier
        // ones), so one pass from the last marks every value a used one
        // needs, through chains.
        for i in (0..usage.derived_reads.len()).rev() {
            if usage.derived.get(i).copied().unwrap_or(false) {
                mark_used(&mut usage.derived, usage.derived_reads[i].iter().copied());
            }
        }
        for ((used, (di, xi)), d) in usage.derived.iter().zip(&usage.derived_at).zip(derived) {
            if !used {
                let warning = Warning {
                    kind: "unused-derived",
                    message: format!("derived value `{}` is declared but no rule uses it", d.name),
                    location: Location::default(),
                    policy: None,
                };
                self.warnings.push((*di, JsonPath(vec![key("derived"), Seg::Index(*xi)]), warning));
            }
        }
        for (di, path, kind, message, policy) in usage.warnings {
            self.warnings.push((di, path, Warning { kind, message, location: Location::default(), policy }));
        }
    }

    /// Order documents so that each comes after the catalogues it extends.
    fn order(&mut self, docs: Vec<(String, Arc<str>, Document)>) -> Vec<(String, Arc<str>, Document)> {
        self.texts = docs.iter().map(|(f, t, _)| (f.clone(), t.clone())).collect();
        let mut seen: HashMap<String, usize> = HashMap::default();
        for (i, (_, _, d)) in docs.iter().enumerate() {
            if let Some(&first) = seen.get(&d.id.0) {
                let first = Some(self.texts[first].0.clone());
                self.err(i, JsonPath(vec![Seg::Key("id".into())]), CatalogueError::Duplicate { what: "catalogue", id: d.id.0.clone(), first }, None);
            }
            seen.insert(d.id.0.clone(), i);
        }
        let mut placed: Vec<usize> = Vec::new();
        let mut placed_ids: HashSet<String> = HashSet::new();
        while placed.len() < docs.len() {
            let next = (0..docs.len()).find(|i| !placed.contains(i) && docs[*i].2.extends.iter().all(|e| placed_ids.contains(&e.0)));
            match next {
                Some(i) => {
                    placed_ids.insert(docs[i].2.id.0.clone());
                    placed.push(i);
                }
                None => {
                    for i in (0..docs.len()).filter(|i| !placed.contains(i)) {
                        for (ei, e) in docs[i].2.extends.iter().enumerate() {
                            if !placed_ids.contains(&e.0) {
                                let why = if seen.contains_key(&e.0) {
                                    "which in turn extends this one (a cycle)"
                                } else {
                                    "which was not loaded; load it together with this one"
                                };
                                self.err(
                                    i,
                                    JsonPath(vec![Seg::Key("extends".into()), Seg::Index(ei)]),
                                    CatalogueError::Reference(format!("extends `{}`, {why}", e.0)),
                                    None,
                                );
                            }
                        }
                    }
                    self.locate_pending();
                    return docs;
                }
            }
        }
        // Located now: the texts are about to be put in dependency order.
        self.locate_pending();
        let mut slots: Vec<Option<(String, Arc<str>, Document)>> = docs.into_iter().map(Some).collect();
        placed.into_iter().filter_map(|i| slots[i].take()).collect()
    }

    fn check_field(&mut self, di: usize, at: &JsonPath, f: &FieldDef, sections: &[Section]) {
        let sub = |s: &'static str| JsonPath(at.0.iter().cloned().chain([Seg::Key(s.into())]).collect());
        let invalid = |m: String| CatalogueError::Invalid(m);
        if matches!(f.ty, FieldType::Enum | FieldType::StringList) {
            if f.options.is_empty() && f.ty == FieldType::Enum {
                self.err(di, sub("options"), invalid(format!("enum field `{}` needs at least one option", f.name.0)), None);
            }
            let mut seen = HashSet::new();
            for (i, o) in f.options.iter().enumerate() {
                if !seen.insert(&o.value) {
                    let path = JsonPath(sub("options").0.into_iter().chain([Seg::Index(i)]).collect());
                    self.err(di, path, CatalogueError::Duplicate { what: "option", id: o.value.clone(), first: None }, None);
                }
            }
        } else if !f.options.is_empty() {
            self.err(
                di,
                sub("options"),
                invalid(format!("only enum and string_list fields have options; `{}` has \"type\": {}", f.name.0, type_name(f.ty))),
                None,
            );
        }
        match &f.format {
            Some(x) if x.0 != "city" => self.err(di, sub("format"), invalid(format!("unknown value `{}` (expected one of: city)", x.0)), None),
            Some(_) if f.ty != FieldType::String => {
                self.err(di, sub("format"), invalid(format!("format applies to string fields only; `{}` has \"type\": {}", f.name.0, type_name(f.ty))), None)
            }
            _ => {}
        }
        let numeric = matches!(f.ty, FieldType::Number | FieldType::Integer);
        if !numeric && (f.min.is_some() || f.max.is_some() || f.unit.is_some()) {
            self.err(di, at.clone(), invalid(format!("min, max and unit apply to number and integer fields only; `{}` is not one", f.name.0)), None);
        }
        if let (Some(a), Some(b)) = (f.min, f.max) {
            if a > b {
                self.err(di, sub("max"), invalid(format!("max {} is below min {}", b.0, a.0)), None);
            }
        }
        if let Some(s) = &f.section {
            if !sections.iter().any(|x| x.id == *s) {
                let known: Vec<&str> = sections.iter().map(|x| x.id.0.as_str()).collect();
                self.err(di, sub("section"), CatalogueError::Reference(format!("unknown section `{}` (sections: {})", s.0, known.join(", "))), None);
            }
        }
    }

    fn check_application(&mut self, di: usize, at: JsonPath, app: &Application, policy: Option<&str>) {
        if let (Some(a), Some(b)) = (app.opens, app.closes) {
            if a > b {
                let path = JsonPath(at.0.into_iter().chain([Seg::Key("closes".into())]).collect());
                self.err(di, path, CatalogueError::Invalid(format!("closes {} is before opens {}", b.0, a.0)), policy);
            }
        }
    }

    /// Topological order of derived values; cycles are errors.
    fn derived_order(&mut self, defs: &[(usize, usize, &DerivedDef)], names: &Names) -> Vec<usize> {
        let index: HashMap<&str, usize> = defs.iter().enumerate().map(|(i, (_, _, d))| (d.name.0.as_str(), i)).collect();
        let mut seen_names: HashMap<&str, usize> = HashMap::default();
        for (i, (di, xi, d)) in defs.iter().enumerate() {
            if names.field_index.contains_key(&d.name.0) || seen_names.insert(d.name.0.as_str(), i).is_some() {
                let path = JsonPath(vec![Seg::Key("derived".into()), Seg::Index(*xi), Seg::Key("name".into())]);
                self.err(*di, path, CatalogueError::Duplicate { what: "name", id: d.name.0.clone(), first: None }, None);
            }
        }
        let deps: Vec<Vec<usize>> = defs
            .iter()
            .map(|(_, _, d)| {
                let mut out = Vec::new();
                collect_vars(d.expr.root(), &mut |v| {
                    if let Some(&j) = index.get(v) {
                        out.push(j);
                    }
                });
                out
            })
            .collect();
        let mut state = vec![0u8; defs.len()];
        let mut order = Vec::new();
        for i in 0..defs.len() {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(i, &deps, &mut state, &mut order, &mut stack) {
                let (di, xi, _) = defs[cycle[0]];
                let names: Vec<&str> = cycle.iter().map(|&j| defs[j].2.name.0.as_str()).collect();
                let path = JsonPath(vec![Seg::Key("derived".into()), Seg::Index(xi), Seg::Key("expr".into())]);
                self.err(di, path, CatalogueError::Cycle(names.join(" → ")), None);
                return Vec::new();
            }
        }
        order
    }

    /// Evaluation order of policies (referenced first); cycles are errors.
    /// The error points at the reference that closes the cycle: in the
    /// first policy of the cycle, its `{"policy": …}` naming the next one.
    fn policy_order(&mut self, policies: &[Policy], docs: &[(String, Arc<str>, Document)]) -> Vec<u32> {
        let deps: Vec<Vec<usize>> = policies.iter().map(|p| p.deps.iter().map(|&d| d as usize).collect()).collect();
        let mut state = vec![0u8; policies.len()];
        let mut order = Vec::new();
        for i in 0..policies.len() {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(i, &deps, &mut state, &mut order, &mut stack) {
                let first = &policies[cycle[0]];
                let ids: Vec<&str> = cycle.iter().map(|&j| policies[j].id.as_str()).collect();
                let mut path = vec![Seg::Key("policies".into()), Seg::Index(first.origin.1), Seg::Key("criteria".into())];
                let next = ids.get(1).copied().unwrap_or_default();
                let criteria = docs.get(first.origin.0).and_then(|d| d.2.policies.get(first.origin.1)).map_or(&[][..], |p| &p.criteria[..]);
                let mut found = false;
                for (ci, c) in criteria.iter().enumerate() {
                    let mut at = vec![Seg::Index(ci), Seg::Key("rule".into())];
                    if find_policy_ref(c.rule.root(), next, &mut at) {
                        path.extend(at);
                        found = true;
                        break;
                    }
                }
                // Or in the benefit formula.
                let amount = docs.get(first.origin.0).and_then(|d| d.2.policies.get(first.origin.1)).and_then(|p| p.benefit.as_ref()?.amount.as_ref());
                if let (false, Some(formula)) = (found, amount) {
                    let mut at = vec![Seg::Key("benefit".into()), Seg::Key("amount".into())];
                    if find_policy_ref(formula.root(), next, &mut at) {
                        path.truncate(2);
                        path.extend(at);
                    }
                }
                let path = JsonPath(path);
                self.err(first.origin.0, path, CatalogueError::Cycle(ids.join(" → ")), Some(&first.id));
                return Vec::new();
            }
        }
        order.into_iter().map(|i| i as u32).collect()
    }
}

/// Depth-first post-order; returns a cycle (first node repeated last) if found.
fn visit(i: usize, deps: &[Vec<usize>], state: &mut [u8], order: &mut Vec<usize>, stack: &mut Vec<usize>) -> Option<Vec<usize>> {
    match state[i] {
        2 => return None,
        1 => {
            let start = stack.iter().position(|&x| x == i).unwrap_or(0);
            let mut cycle = stack[start..].to_vec();
            cycle.push(i);
            return Some(cycle);
        }
        _ => {}
    }
    state[i] = 1;
    stack.push(i);
    for &d in &deps[i] {
        if let Some(c) = visit(d, deps, state, order, stack) {
            return Some(c);
        }
    }
    stack.pop();
    state[i] = 2;
    order.push(i);
    None
}

/// Extend `path` to the `policy` key of the first `{"policy": id}` in `v`;
/// false (and `path` unchanged) when there is none.
fn find_policy_ref(v: ExprRef<'_>, id: &str, path: &mut Vec<Seg>) -> bool {
    let depth = path.len();
    let found = match v.view() {
        View::Obj(m) => m.iter().any(|(k, x)| {
            path.push(Seg::Key(k.to_cow()));
            let hit = (k.as_str() == "policy" && x.as_str() == Some(id)) || find_policy_ref(x, id, path);
            if !hit {
                path.pop();
            }
            hit
        }),
        View::Arr(a) => a.iter().enumerate().any(|(i, x)| {
            path.push(Seg::Index(i));
            let hit = find_policy_ref(x, id, path);
            if !hit {
                path.pop();
            }
            hit
        }),
        _ => false,
    };
    debug_assert!(found || path.len() == depth);
    found
}

fn collect_vars<'a>(v: ExprRef<'a>, f: &mut impl FnMut(&'a str)) {
    match v.view() {
        View::Obj(m) => {
            for (k, x) in m.iter() {
                if k.as_str() == "var" {
                    if let Some(s) = x.as_str() {
                        f(s);
                    }
                }
                collect_vars(x, f);
            }
        }
        View::Arr(a) => a.iter().for_each(|x| collect_vars(x, f)),
        _ => {}
    }
}

/// A field type as the catalogue writes it, quoted (`"enum"`).
fn type_name(ty: FieldType) -> String {
    serde_json::to_string(&ty).unwrap_or_default()
}
