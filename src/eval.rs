//! `sofia-bot eval`: what citizens get for labelled messages, on a TSV file, or how well
//! understanding routes the examples of `dialogs/` by cross-validation.
//!
//! Two figures, both per label, per style and (when the file has a `group` column) per group,
//! with every miss listed:
//! - **answered at once**: each message is the first message of a new citizen, sent through
//!   the whole loop (`Assistant::handle`, as `sofia-bot chat` does, on a scratch database); it
//!   counts when the first reply is already in the right area: the answer, the right form, or
//!   the hand-over for `human`; for `none`, an honest small-talk or out-of-scope reply. A
//!   "Did you mean ...?" menu or "not understood" is a miss whatever it offers.
//! - **routing**: the area of the intent the citizen is sent to, or offered first in "Did you
//!   mean ...?" (`engine::decide`); `none` when nothing is understood. It flatters: a menu
//!   counts as right when its first button is.
//!
//! Labels are areas (`dialogs/areas.toml`). In a set whose labels do not include an area's
//! own name, that area counts as its `counts_as` label (utilities as `housing`, an emergency
//! as `health`), so that older sets keep their labels.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;

use crate::assistant::{Assistant, Outgoing};
use crate::channels::console;
use crate::engine::decide::decide;
use crate::engine::{Flows, Intent, areas, epoch};
use crate::i18n::Locales;
use crate::nlu::Classifier;
use crate::store::{Durability, Store};

#[derive(Debug, Serialize)]
pub struct Report {
    pub total: usize,
    /// Messages whose first reply is already in the right place; not measured by `--cv`.
    pub at_once: Option<Figure>,
    /// Messages routed to the right area, a "Did you mean" counting by its first button.
    pub routing: Figure,
    /// Every message with what it got and the best intents' scores (in `--json`, for tuning).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cases: Vec<CaseShown>,
}

/// One message as `--json` shows it.
#[derive(Debug, Serialize, Clone)]
pub struct CaseShown {
    pub text: String,
    pub label: String,
    pub style: Option<String>,
    pub routed: String,
    pub first: Option<String>,
    /// The best intents with their scores and areas.
    pub top: Vec<(String, f32, String)>,
}

/// One way of counting a message as right, over a whole set.
#[derive(Debug, Serialize, Default)]
pub struct Figure {
    pub accuracy: f64,
    pub per_label: BTreeMap<String, LabelScore>,
    pub per_style: BTreeMap<String, Score>,
    pub per_group: BTreeMap<String, Score>,
    pub misses: Vec<Miss>,
}

#[derive(Debug, Serialize, Default, Clone)]
pub struct LabelScore {
    pub support: usize,
    pub precision: f64,
    pub recall: f64,
}

#[derive(Debug, Serialize, Default, Clone)]
pub struct Score {
    pub total: usize,
    pub accuracy: f64,
}

#[derive(Debug, Serialize, Clone)]
pub struct Miss {
    pub text: String,
    pub label: String,
    /// What the message got: a label, or `-` for a "Did you mean" / "not understood" reply.
    pub got: String,
    pub style: Option<String>,
    /// Why: the intent and score that won (routing), or the first reply (at once).
    pub why: String,
}

/// A labelled message and what each figure made of it.
struct Case {
    text: String,
    label: String,
    style: Option<String>,
    group: Option<String>,
    routed: String,
    why_routed: String,
    /// The label of the first reply's area, `-` when the reply is in no flow.
    first: Option<String>,
    why_first: String,
    top: Vec<(String, f32, String)>,
}

/// Labels as a set uses them: an area whose own name the set does not use counts as its
/// `counts_as` label.
struct Labels<'a> {
    flows: &'a Flows,
    used: BTreeSet<String>,
}

impl Labels<'_> {
    fn of_area<'b>(&'b self, area: &'b str) -> &'b str {
        if self.used.contains(area) { area } else { self.flows.areas.counts_as(area) }
    }
}

/// The label routing gives a text: the area of the intent it is sent to or offered first,
/// else `none`; with the intent (index) and score behind it.
fn route(flows: &Flows, classifier: &Classifier, labels: &Labels, text: &str) -> (String, String) {
    let u = classifier.understand(text);
    let decision = decide(flows, &u);
    let best = u.ranked.first().copied();
    match decision.first() {
        Some(i) => {
            let flow = &flows.intent(i).0.id;
            let score = u.ranked.iter().find(|r| r.0 == i).map_or(1.0, |r| r.1);
            (labels.of_area(flows.area_of(flow)).to_string(), explain(flows, Some((i, score))))
        }
        None => (areas::NONE.to_string(), explain(flows, best)),
    }
}

/// Evaluates a TSV file with `text` and `label` columns, and `style` and `group` if present:
/// routing, and what a new citizen gets through the whole loop.
pub async fn eval_file(assistant: &Assistant, path: &Path) -> anyhow::Result<Report> {
    let source = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = source.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(text_col), Some(label_col)) = (col("text"), col("label")) else {
        bail!("{}: the header must have text and label columns", path.display());
    };
    let (style_col, group_col) = (col("style"), col("group"));
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let (Some(text), Some(label)) = (cells.get(text_col), cells.get(label_col)) else {
            bail!("{}:{}: too few columns", path.display(), n + 2);
        };
        let cell = |c: Option<usize>| c.and_then(|c| cells.get(c)).map(|s| s.trim().to_string());
        rows.push((text.to_string(), label.trim().to_string(), cell(style_col), cell(group_col)));
    }
    let flows = &assistant.flows;
    let labels = Labels { flows, used: rows.iter().map(|r| r.1.clone()).collect() };
    let mut cases = Vec::new();
    for (n, (text, label, style, group)) in rows.into_iter().enumerate() {
        let (routed, why_routed) = route(flows, &flows.classifier, &labels, &text);
        let chat = format!("eval-{n}");
        let out = assistant.handle(console::CHANNEL, &chat, console::parse_line(&text), None, epoch()).await?;
        let (first, why_first) = match out.first() {
            Some(o) => (Some(first_label(o, &labels)), shown(o)),
            None => (None, "(no reply)".to_string()),
        };
        let top = flows
            .classifier
            .understand(&text)
            .ranked
            .iter()
            .take(3)
            .map(|&(i, s)| {
                let (f, intent) = flows.intent(i);
                (format!("{}.{}", f.id, intent.id), s, flows.area_of(&f.id).to_string())
            })
            .collect();
        cases.push(Case { text, label, style, group, routed, why_routed, first, why_first, top });
    }
    let at_once = figure(&cases, |c| (c.first.clone().unwrap_or_else(|| "-".into()), c.why_first.clone()));
    let routing = figure(&cases, |c| (c.routed.clone(), c.why_routed.clone()));
    let shown = cases
        .iter()
        .map(|c| CaseShown {
            text: c.text.clone(),
            label: c.label.clone(),
            style: c.style.clone(),
            routed: c.routed.clone(),
            first: c.first.clone(),
            top: c.top.clone(),
        })
        .collect();
    Ok(Report { total: cases.len(), at_once: Some(at_once), routing, cases: shown })
}

/// Evaluates a file through a fresh assistant on a scratch database, removed afterwards.
pub async fn eval_file_scratch(flows: Flows, locales: Locales, path: &Path) -> anyhow::Result<Report> {
    let dir = std::env::temp_dir().join(format!("sofia-bot-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let store = Store::open(&dir.join("eval.db"), Durability::Normal).await?;
    let assistant = Assistant { flows, locales, store, cases: Default::default(), privacy: Default::default() };
    let report = eval_file(&assistant, path).await;
    assistant.store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    report
}

/// The label of a first reply: its area's, or `-` for a reply in no flow.
fn first_label(o: &Outgoing, labels: &Labels) -> String {
    match o.flow {
        Some(_) => labels.of_area(&o.area).to_string(),
        None => "-".to_string(),
    }
}

/// A first reply as a miss shows it: flow, step and the start of its text.
fn shown(o: &Outgoing) -> String {
    let start: String = o.text.lines().next().unwrap_or_default().chars().take(60).collect();
    let place = match (&o.flow, &o.step) {
        (Some(f), Some(s)) => format!("{f}:{s}"),
        (Some(f), None) => f.clone(),
        _ => "-".into(),
    };
    format!("{place} \"{start}\"")
}

/// K-fold cross-validation over the examples in `dialogs/`, labelled by their flow's area.
/// Folds are stratified: the n-th example of each intent and language goes to fold n mod k.
/// Only routing is measured: the examples are no citizens' first messages.
pub fn cross_validate(flows: &Flows, k: usize) -> anyhow::Result<Report> {
    if k < 2 {
        bail!("--cv needs at least 2 folds");
    }
    let labels = Labels { flows, used: BTreeSet::new() };
    let intents: Vec<&Intent> = (0..flows.intents.len()).map(|i| flows.intent(i).1).collect();
    let mut cases = Vec::new();
    for fold in 0..k {
        let train: Vec<Intent> = intents
            .iter()
            .map(|intent| {
                let mut copy = (*intent).clone();
                for ex in copy.examples.values_mut() {
                    *ex = ex.iter().enumerate().filter(|(n, _)| n % k != fold).map(|(_, e)| e.clone()).collect();
                }
                copy
            })
            .collect();
        let classifier = Classifier::build(train.iter(), flows.places.words());
        for (i, intent) in intents.iter().enumerate() {
            let label = labels.of_area(flows.area_of(&flows.intent(i).0.id)).to_string();
            for (lang, examples) in &intent.examples {
                for (_, text) in examples.iter().enumerate().filter(|(n, _)| n % k == fold) {
                    let (routed, why_routed) = route(flows, &classifier, &labels, text);
                    cases.push(Case {
                        text: text.clone(),
                        label: label.clone(),
                        style: Some(lang.code().to_string()),
                        group: None,
                        routed,
                        why_routed,
                        first: None,
                        why_first: String::new(),
                        top: Vec::new(),
                    });
                }
            }
        }
    }
    let routing = figure(&cases, |c| (c.routed.clone(), c.why_routed.clone()));
    Ok(Report { total: cases.len(), at_once: None, routing, cases: Vec::new() })
}

fn explain(flows: &Flows, why: Option<(usize, f32)>) -> String {
    why.map(|(i, s)| {
        let (flow, intent) = flows.intent(i);
        format!("{}.{} {s:.2}", flow.id, intent.id)
    })
    .unwrap_or_default()
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One figure over the cases, from what `got` says each case got (a label, and why).
fn figure(cases: &[Case], got: impl Fn(&Case) -> (String, String)) -> Figure {
    let got: Vec<(String, String)> = cases.iter().map(got).collect();
    let right = |i: usize| got[i].0 == cases[i].label;
    let mut per_label = BTreeMap::new();
    let labels: BTreeSet<&str> = cases.iter().map(|c| c.label.as_str()).collect();
    for label in labels {
        let support = cases.iter().filter(|c| c.label == label).count();
        let predicted = got.iter().filter(|g| g.0 == label).count();
        let hits = (0..cases.len()).filter(|&i| cases[i].label == label && right(i)).count();
        per_label.insert(
            label.to_string(),
            LabelScore { support, precision: ratio(hits, predicted), recall: ratio(hits, support) },
        );
    }
    let share = |key: &dyn Fn(&Case) -> Option<String>| {
        let mut out = BTreeMap::new();
        for k in cases.iter().filter_map(key).collect::<BTreeSet<_>>() {
            let of: Vec<usize> = (0..cases.len()).filter(|&i| key(&cases[i]).as_ref() == Some(&k)).collect();
            let ok = of.iter().filter(|&&i| right(i)).count();
            out.insert(k, Score { total: of.len(), accuracy: ratio(ok, of.len()) });
        }
        out
    };
    let per_style = share(&|c: &Case| c.style.clone());
    let per_group = share(&|c: &Case| c.group.clone());
    let misses = (0..cases.len())
        .filter(|&i| !right(i))
        .map(|i| Miss {
            text: cases[i].text.clone(),
            label: cases[i].label.clone(),
            got: got[i].0.clone(),
            style: cases[i].style.clone(),
            why: got[i].1.clone(),
        })
        .collect();
    let correct = (0..cases.len()).filter(|&i| right(i)).count();
    Figure { accuracy: ratio(correct, cases.len()), per_label, per_style, per_group, misses }
}

impl Figure {
    fn to_text(&self, name: &str, total: usize) -> String {
        let mut s =
            format!("{name} {:.3} over {total} messages\n\nper label   support  precision  recall\n", self.accuracy);
        for (label, l) in &self.per_label {
            s += &format!("{label:<11} {:>7}  {:>9.3}  {:>6.3}\n", l.support, l.precision, l.recall);
        }
        for (title, scores) in [("style", &self.per_style), ("group", &self.per_group)] {
            if !scores.is_empty() {
                s += &format!("\nper {title:<7} total  accuracy\n");
                for (key, st) in scores {
                    s += &format!("{key:<11} {:>5}  {:>8.3}\n", st.total, st.accuracy);
                }
            }
        }
        if !self.misses.is_empty() {
            s += &format!("\nmisses ({}):\n", self.misses.len());
            for m in &self.misses {
                s += &format!("  {} -> {} ({})\t{}\n", m.label, m.got, m.why, m.text);
            }
        }
        s
    }
}

impl Report {
    /// The report as readable lines: answered at once first, then routing.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        if let Some(f) = &self.at_once {
            s += "== answered at once: the first reply, as a new citizen sees it, is already the answer, the right form or the hand-over\n";
            s += &f.to_text("answered at once", self.total);
            s += "\n";
        }
        s += "== routing: the area answered, or offered first in \"Did you mean\"\n";
        s += &self.routing.to_text("routing", self.total);
        s
    }
}
