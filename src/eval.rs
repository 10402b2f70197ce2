//! `sofia-bot eval`: how well understanding routes labelled messages to their topic, on a TSV
//! file or by cross-validation over the examples in `dialogs/`.
//!
//! A message counts as routed to a topic when the engine answers it with that topic or offers
//! that topic first in "Did you mean ...?" (`engine::decide`); otherwise it is `none`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;

use crate::engine::decide::decide;
use crate::engine::{Flows, Intent};
use crate::nlu::Classifier;

/// The labels an evaluation knows: the five topics, a request for a person, and the rest.
pub const LABELS: [&str; 7] = ["housing", "mobility", "health", "education", "jobs", "human", "none"];

#[derive(Debug, Serialize)]
pub struct Report {
    pub accuracy: f64,
    pub total: usize,
    pub per_label: BTreeMap<String, LabelScore>,
    pub per_style: BTreeMap<String, Score>,
    pub misclassified: Vec<Miss>,
}

#[derive(Debug, Serialize, Default, Clone)]
pub struct LabelScore {
    pub support: usize,
    pub accuracy: f64,
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
    pub predicted: String,
    pub style: Option<String>,
    /// The best intent and its score.
    pub why: String,
}

/// A topic as an evaluation label: anything that is not a topic or `human` is `none`.
pub fn label_of(topic: &str) -> &str {
    if LABELS.contains(&topic) { topic } else { "none" }
}

/// The label a text gets: the topic the citizen is sent to or offered first, else `none`;
/// with the intent (index) and score behind it.
pub fn predict(
    flows: &Flows,
    classifier: &Classifier,
    topics: &[String],
    text: &str,
) -> (String, Option<(usize, f32)>) {
    let u = classifier.understand(text);
    let decision = decide(flows, &u);
    let best = u.ranked.first().copied();
    match decision.first() {
        Some(i) => {
            (label_of(&topics[i]).to_string(), Some((i, u.ranked.iter().find(|r| r.0 == i).map_or(1.0, |r| r.1))))
        }
        None => ("none".to_string(), best),
    }
}

/// Evaluates a TSV file with `text` and `label` columns, and `style` if present.
pub fn eval_file(flows: &Flows, path: &Path) -> anyhow::Result<Report> {
    let source = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut lines = source.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(text_col), Some(label_col)) = (col("text"), col("label")) else {
        bail!("{}: the header must have text and label columns", path.display());
    };
    let style_col = col("style");
    let topics = topics(flows);
    let mut cases = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        let (Some(text), Some(label)) = (cells.get(text_col), cells.get(label_col)) else {
            bail!("{}:{}: too few columns", path.display(), n + 2);
        };
        let (predicted, why) = predict(flows, &flows.classifier, &topics, text);
        let style = style_col.and_then(|c| cells.get(c)).map(|s| s.trim().to_string());
        cases.push(Case {
            text: text.to_string(),
            label: label.trim().to_string(),
            predicted,
            style,
            why: explain(flows, why),
        });
    }
    Ok(report(cases))
}

/// K-fold cross-validation over the examples in `dialogs/`, labelled by their flow's topic.
/// Folds are stratified: the n-th example of each intent and language goes to fold n mod k.
pub fn cross_validate(flows: &Flows, k: usize) -> anyhow::Result<Report> {
    if k < 2 {
        bail!("--cv needs at least 2 folds");
    }
    let topics = topics(flows);
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
            for (lang, examples) in &intent.examples {
                for (_, text) in examples.iter().enumerate().filter(|(n, _)| n % k == fold) {
                    let (predicted, why) = predict(flows, &classifier, &topics, text);
                    cases.push(Case {
                        text: text.clone(),
                        label: label_of(&topics[i]).to_string(),
                        predicted,
                        style: Some(lang.code().to_string()),
                        why: explain(flows, why),
                    });
                }
            }
        }
    }
    Ok(report(cases))
}

struct Case {
    text: String,
    label: String,
    predicted: String,
    style: Option<String>,
    /// The best intent and its score, as `flow.intent 0.42`.
    why: String,
}

fn explain(flows: &Flows, why: Option<(usize, f32)>) -> String {
    why.map(|(i, s)| {
        let (flow, intent) = flows.intent(i);
        format!("{}.{} {s:.2}", flow.id, intent.id)
    })
    .unwrap_or_default()
}

fn topics(flows: &Flows) -> Vec<String> {
    (0..flows.intents.len()).map(|i| flows.intent(i).0.topic.clone()).collect()
}

fn report(cases: Vec<Case>) -> Report {
    let total = cases.len();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let correct = cases.iter().filter(|c| c.label == c.predicted).count();
    let mut per_label = BTreeMap::new();
    let labels: std::collections::BTreeSet<&String> = cases.iter().flat_map(|c| [&c.label, &c.predicted]).collect();
    for label in labels {
        let support = cases.iter().filter(|c| &c.label == label).count();
        let predicted = cases.iter().filter(|c| &c.predicted == label).count();
        let hits = cases.iter().filter(|c| &c.label == label && &c.predicted == label).count();
        per_label.insert(
            label.clone(),
            LabelScore {
                support,
                accuracy: ratio(hits, support),
                precision: ratio(hits, predicted),
                recall: ratio(hits, support),
            },
        );
    }
    let mut per_style = BTreeMap::new();
    for style in cases.iter().filter_map(|c| c.style.clone()).collect::<std::collections::BTreeSet<_>>() {
        let of: Vec<_> = cases.iter().filter(|c| c.style.as_ref() == Some(&style)).collect();
        let ok = of.iter().filter(|c| c.label == c.predicted).count();
        per_style.insert(style, Score { total: of.len(), accuracy: ratio(ok, of.len()) });
    }
    let misclassified = cases
        .iter()
        .filter(|c| c.label != c.predicted)
        .map(|c| Miss {
            text: c.text.clone(),
            label: c.label.clone(),
            predicted: c.predicted.clone(),
            style: c.style.clone(),
            why: c.why.clone(),
        })
        .collect();
    Report { accuracy: ratio(correct, total), total, per_label, per_style, misclassified }
}

impl Report {
    /// The report as a few readable lines.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "accuracy {:.3} over {} messages\n\nper label   support  precision  recall\n",
            self.accuracy, self.total
        );
        for (label, l) in &self.per_label {
            s += &format!("{label:<11} {:>7}  {:>9.3}  {:>6.3}\n", l.support, l.precision, l.recall);
        }
        if !self.per_style.is_empty() {
            s += "\nper style   total  accuracy\n";
            for (style, st) in &self.per_style {
                s += &format!("{style:<11} {:>5}  {:>8.3}\n", st.total, st.accuracy);
            }
        }
        if !self.misclassified.is_empty() {
            s += &format!("\nmisclassified ({}):\n", self.misclassified.len());
            for m in &self.misclassified {
                s += &format!("  {} -> {} ({})\t{}\n", m.label, m.predicted, m.why, m.text);
            }
        }
        s
    }
}
