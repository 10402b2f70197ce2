//! Loading `dialogs/` into `Flows`: every flow file, the places, cross-checks between flows,
//! and the classifier built from the intents. Reports every problem, each at its file:line.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

pub use super::flow::MessageUse;
use super::flow::{PendingTarget, StepKind, parse_flow};
use super::{Areas, Flows, LoadError, Places, Settings, Target};
use crate::nlu::Classifier;

/// Loads every `*.toml` in `dir` (flows, and `places.toml`). All problems are returned at
/// once, so that a content editor can fix them in one go.
pub fn load_flows(dir: &Path, settings: Settings) -> Result<Flows, Vec<LoadError>> {
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let mut places = Places::default();
    let mut areas = None;
    let mut paths: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => return Err(vec![LoadError::at(dir, 0, format!("cannot read the folder: {e}"))]),
    };
    paths.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    paths.sort();
    for path in &paths {
        let source = match std::fs::read_to_string(path) {
            Ok(s) => s,
            Err(e) => {
                errors.push(LoadError::at(path, 0, format!("cannot read: {e}")));
                continue;
            }
        };
        if path.file_name().is_some_and(|n| n == "areas.toml") {
            match Areas::parse(path, &source) {
                Ok(a) => areas = Some(a),
                Err(e) => errors.push(e),
            }
            continue;
        }
        if path.file_name().is_some_and(|n| n == "places.toml") {
            match Places::parse(path, &source) {
                Ok(p) => places = p,
                Err(e) => errors.push(e),
            }
            continue;
        }
        match parse_flow(path, &source) {
            Ok(p) => parsed.push(p),
            Err(e) => errors.push(e),
        }
    }

    let mut flows: Vec<_> = parsed.iter().map(|p| p.flow.clone()).collect();
    let areas = match areas {
        Some(a) => a,
        None => {
            errors.push(LoadError::at(&dir.join("areas.toml"), 0, "the list of topic areas is missing"));
            Areas::default()
        }
    };
    for p in &parsed {
        if !areas.allows_topic(&p.flow.topic) {
            let known: Vec<&str> = areas.names().collect();
            errors.push(LoadError::at(
                &p.flow.file,
                p.topic_line,
                format!(
                    "topic \"{}\" is not an area of areas.toml ({}), nor \"general\"",
                    p.flow.topic,
                    known.join(", ")
                ),
            ));
        }
    }
    let ids: BTreeSet<String> = flows.iter().map(|f| f.id.clone()).collect();
    for required in ["main", "human"] {
        if !ids.contains(required) {
            errors.push(LoadError::at(dir, 0, format!("the flow \"{required}\" is missing: every bot needs it")));
        }
    }
    if let Some(main) = parsed.iter().find(|p| p.flow.id == "main") {
        for step in ["welcome", "menu", "help"] {
            if !main.flow.steps.contains_key(step) {
                errors.push(LoadError::at(&main.flow.file, 1, format!("the flow \"main\" needs a step \"{step}\"")));
            }
        }
    }

    // Resolve "flow:" to the flow's start, and check that every target exists.
    let starts: std::collections::BTreeMap<String, String> =
        flows.iter().map(|f| (f.id.clone(), f.start.clone())).collect();
    let fill = |t: &mut Target| {
        if t.step.is_empty()
            && let Some(s) = starts.get(&t.flow)
        {
            t.step = s.clone();
        }
    };
    for flow in &mut flows {
        for intent in &mut flow.intents {
            fill(&mut intent.goto);
        }
        for step in flow.steps.values_mut() {
            for_each_target(&mut step.kind, &fill);
        }
    }
    for p in &parsed {
        for PendingTarget { target, flow_start, line, from_step } in &p.targets {
            let Some(flow) = flows.iter().find(|f| f.id == target.flow) else {
                errors.push(LoadError::at(
                    &p.flow.file,
                    *line,
                    format!("{} goes to unknown flow \"{}\"", from(from_step), target.flow),
                ));
                continue;
            };
            if !flow_start && !flow.steps.contains_key(&target.step) {
                errors.push(LoadError::at(
                    &p.flow.file,
                    *line,
                    format!("{} goes to unknown step \"{}\"", from(from_step), target),
                ));
            }
        }
        if let Some(flow) = flows.iter().find(|f| f.id == p.flow.id) {
            let start = Target { flow: flow.id.clone(), step: flow.start.clone() };
            if !flow.steps.contains_key(&flow.start) {
                errors.push(LoadError::at(
                    &p.flow.file,
                    1,
                    format!("flow \"{}\" starts at unknown step \"{start}\"", flow.id),
                ));
            }
        }
    }
    // An intent may fill a choice only with a value that some question of its flow offers.
    for flow in &flows {
        for intent in &flow.intents {
            let Some(target_flow) = flows.iter().find(|f| f.id == intent.goto.flow) else { continue };
            for (slot, value) in &intent.set {
                let offered = target_flow.steps.values().any(|st| match &st.kind {
                    StepKind::Ask(a) => a.slot == *slot && a.choices.iter().any(|c| c.value == *value),
                    _ => false,
                });
                if !offered {
                    errors.push(LoadError::at(
                        &flow.file,
                        intent.line,
                        format!("intent \"{}\" sets {slot} = \"{value}\", but no question of flow \"{}\" offers that choice", intent.id, target_flow.id),
                    ));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Where a conversation can begin afresh: a flow's start, or where an intent leads.
    let entries = flows
        .iter()
        .flat_map(|f| {
            std::iter::once(Target { flow: f.id.clone(), step: f.start.clone() })
                .chain(f.intents.iter().map(|i| i.goto.clone()))
        })
        .collect();

    let messages = parsed.into_iter().flat_map(|p| p.messages).collect();
    let intents: Vec<(usize, usize)> =
        flows.iter().enumerate().flat_map(|(f, flow)| (0..flow.intents.len()).map(move |i| (f, i))).collect();
    let classifier = Classifier::build(intents.iter().map(|&(f, i)| &flows[f].intents[i]), places.words());
    Ok(Flows { flows, places, classifier, settings, messages, intents, entries, areas })
}

fn from(step: &Option<String>) -> String {
    match step {
        Some(s) => format!("step \"{s}\""),
        None => "the flow".to_string(),
    }
}

fn for_each_target(kind: &mut StepKind, f: &dyn Fn(&mut Target)) {
    match kind {
        StepKind::Say { buttons, next, .. } => {
            buttons.iter_mut().for_each(|b| f(&mut b.goto));
            next.iter_mut().for_each(f);
        }
        StepKind::Ask(a) => {
            f(&mut a.next);
            f(&mut a.on_fail);
        }
        StepKind::Branch { cases, default, .. } => {
            cases.iter_mut().for_each(|(_, t)| f(t));
            f(default);
        }
        StepKind::Escalate { next, .. } => next.iter_mut().for_each(f),
        StepKind::End { .. } => {}
    }
}

/// Every step that no start, intent, command or other step leads to, as (file, line, text).
pub fn unreachable_steps(flows: &Flows) -> Vec<LoadError> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<Target> = VecDeque::new();
    let t = |f: &str, s: &str| Target { flow: f.to_string(), step: s.to_string() };
    for flow in &flows.flows {
        queue.push_back(t(&flow.id, &flow.start));
        queue.extend(flow.intents.iter().map(|i| i.goto.clone()));
    }
    queue.extend([t("main", "welcome"), t("main", "menu"), t("main", "help")]);
    while let Some(target) = queue.pop_front() {
        if !seen.insert(target.clone()) {
            continue;
        }
        let Some(step) = flows.step_at(&target) else { continue };
        let mut kind = step.kind.clone();
        let next = std::cell::RefCell::new(Vec::new());
        for_each_target(&mut kind, &|t: &mut Target| next.borrow_mut().push(t.clone()));
        queue.extend(next.into_inner());
    }
    let mut out = Vec::new();
    for flow in &flows.flows {
        for step in flow.steps.values() {
            if !seen.contains(&t(&flow.id, &step.name)) {
                out.push(LoadError::at(&flow.file, step.line, format!("step \"{}\" is never reached", step.name)));
            }
        }
    }
    out
}
