//! What to do with free text once it is understood: answer at once, ask "Did you mean ...?",
//! or say it was not understood. One function, so that `eval` measures what citizens get.

use super::Flows;
use crate::nlu::Understanding;

/// How far below the best score a topic may be and still be offered in "Did you mean ...?".
const SUGGEST_SPREAD: f32 = 0.15;
/// At most this many topics are offered.
const MAX_SUGGESTIONS: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    /// Go where this intent leads.
    Answer {
        intent: usize,
        score: f32,
    },
    /// Offer these intents (of different flows), best first.
    Suggest {
        intents: Vec<usize>,
        score: f32,
    },
    Missed {
        score: f32,
    },
}

impl Decision {
    /// The intent the citizen is sent to or offered first.
    pub(crate) fn first(&self) -> Option<usize> {
        match self {
            Decision::Answer { intent, .. } => Some(*intent),
            Decision::Suggest { intents, .. } => intents.first().copied(),
            Decision::Missed { .. } => None,
        }
    }
}

pub(crate) fn decide(flows: &Flows, u: &Understanding) -> Decision {
    let settings = &flows.settings;
    let topic = |i: usize| flows.intent(i).0.topic.as_str();
    let flow_of = |i: usize| flows.intents[i].0;
    if let Some(i) = u.guard {
        return Decision::Answer { intent: i, score: 1.0 };
    }
    // Asking for a person outright is always honoured, whatever else the message names.
    if let Some(&i) = u.patterns.iter().find(|&&i| topic(i) == "human") {
        return Decision::Answer { intent: i, score: 1.0 };
    }
    let ranked = &u.ranked;
    let Some(mut best) = ranked.first().copied() else { return Decision::Missed { score: 0.0 } };
    // Small talk ("good morning, ...") gives way to a real question in the same message; not
    // to what is out of scope (topic "none"), which is no more a question for the city than
    // the small talk is ("what can you do" is help, not a question about the bot itself).
    let real_question = |i: usize| !matches!(topic(i), "general" | "none");
    if topic(best.0) == "general"
        && let Some(real) =
            ranked.iter().find(|(i, s)| real_question(*i) && *s >= settings.suggest && *s >= 0.6 * best.1)
    {
        best = *real;
    }
    let (i1, s1) = best;
    let runner_up = ranked.iter().find(|(i, _)| flow_of(*i) != flow_of(i1)).map_or(0.0, |r| r.1.min(s1));
    // Sure enough, or far ahead of every other flow: a long message scores low on every
    // intent, and what counts there is how clearly one leads. Not for a guard (danger to
    // life): sending someone to 112 on a weak likeness ("вход Б, етаж 4, апартамент 12" is
    // near "гори апартамент на третия етаж") alarms them; its patterns catch the real ones.
    let sure = s1 >= settings.accept && s1 - runner_up >= settings.margin;
    let leads = s1 >= settings.suggest && runner_up <= settings.lead * s1 && !flows.intent(i1).1.guard;
    if sure || leads {
        return Decision::Answer { intent: i1, score: s1 };
    }
    if s1 < settings.suggest {
        return Decision::Missed { score: s1 };
    }
    let mut intents = vec![i1];
    for &(i, s) in ranked {
        if intents.len() == MAX_SUGGESTIONS || s < settings.suggest || s1 - s > SUGGEST_SPREAD {
            break;
        }
        if intents.iter().all(|&j| flow_of(j) != flow_of(i)) {
            intents.push(i);
        }
    }
    Decision::Suggest { intents, score: s1 }
}
