//! Lanes: work keyed by chat, done one item at a time per chat and in order, with different
//! chats in parallel. A chat's lane is a task that lives while it has work and ends when its
//! queue is empty, so idle chats cost nothing.
//!
//! It knows nothing of Telegram or the store: the processor and the sender each run their
//! own lanes with their own work.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use tokio::sync::watch;

type Work<T> = dyn Fn(i64, T) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync;

/// Per-chat ordered queues with a task per busy chat.
pub(super) struct Lanes<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Clone for Lanes<T> {
    fn clone(&self) -> Self {
        Lanes { shared: self.shared.clone() }
    }
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// How many lanes are running; watched to wait for all of them to finish.
    running: watch::Sender<usize>,
    work: Box<Work<T>>,
}

struct State<T> {
    queues: HashMap<i64, VecDeque<T>>,
    queued: usize,
    closed: bool,
}

impl<T: Send + 'static> Lanes<T> {
    /// Lanes that run `work` for each item, in order per chat.
    pub(super) fn new<F, Fut>(work: F) -> Lanes<T>
    where
        F: Fn(i64, T) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (running, _) = watch::channel(0);
        Lanes {
            shared: Arc::new(Shared {
                state: Mutex::new(State { queues: HashMap::new(), queued: 0, closed: false }),
                running,
                work: Box::new(move |chat, item| Box::pin(work(chat, item))),
            }),
        }
    }

    /// Queues an item for a chat, starting its lane if it is idle. False once closed.
    pub(super) fn push(&self, chat: i64, item: T) -> bool {
        let start = {
            let mut state = self.lock();
            if state.closed {
                return false;
            }
            state.queued += 1;
            match state.queues.get_mut(&chat) {
                Some(queue) => {
                    queue.push_back(item);
                    false
                }
                None => {
                    state.queues.insert(chat, VecDeque::from([item]));
                    self.shared.running.send_modify(|n| *n += 1);
                    true
                }
            }
        };
        if start {
            let lanes = self.clone();
            tokio::spawn(async move { lanes.run(chat).await });
        }
        true
    }

    /// Items queued and not yet started, over all chats.
    pub(super) fn queued(&self) -> usize {
        self.lock().queued
    }

    /// Items queued for one chat and not yet started.
    pub(super) fn queued_for(&self, chat: i64) -> usize {
        self.lock().queues.get(&chat).map_or(0, VecDeque::len)
    }

    /// Takes the items queued next for a chat, in order, while `take` accepts them (it stops at
    /// the first it refuses, which stays queued).
    pub(super) fn take_front_while(&self, chat: i64, mut take: impl FnMut(&T) -> bool) -> Vec<T> {
        let mut state = self.lock();
        let mut taken = Vec::new();
        if let Some(queue) = state.queues.get_mut(&chat) {
            while queue.front().is_some_and(&mut take) {
                taken.extend(queue.pop_front());
            }
        }
        state.queued -= taken.len();
        taken
    }

    /// Drops what is queued for one chat (its current item, if any, goes on).
    pub(super) fn clear(&self, chat: i64) {
        let mut state = self.lock();
        if let Some(queue) = state.queues.get_mut(&chat) {
            let n = queue.len();
            queue.clear();
            state.queued -= n;
        }
    }

    /// Takes no more items; with `drop_queued`, forgets the ones not started.
    pub(super) fn close(&self, drop_queued: bool) {
        let mut state = self.lock();
        state.closed = true;
        if drop_queued {
            state.queues.values_mut().for_each(VecDeque::clear);
            state.queued = 0;
        }
    }

    /// Waits until no lane is running.
    pub(super) async fn idle(&self) {
        let mut running = self.shared.running.subscribe();
        let _ = running.wait_for(|n| *n == 0).await;
    }

    async fn run(&self, chat: i64) {
        loop {
            let item = {
                let mut state = self.lock();
                match state.queues.get_mut(&chat).and_then(VecDeque::pop_front) {
                    Some(item) => {
                        state.queued -= 1;
                        item
                    }
                    None => {
                        state.queues.remove(&chat);
                        self.shared.running.send_modify(|n| *n -= 1);
                        return;
                    }
                }
            };
            // A panic in the work would end this lane with the chat still marked busy; run
            // the work as its own task so that a panic stays with that one item.
            let work = (self.shared.work)(chat, item);
            if let Err(e) = tokio::spawn(work).await {
                tracing::error!(chat = %crate::privacy::pseudonym(chat), error = %e, "a chat's work item failed");
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<T>> {
        self.shared.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_chat_in_order_and_every_item_once() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let lanes = Lanes::new(move |chat, n: u32| {
            let s = s.clone();
            async move {
                tokio::task::yield_now().await;
                s.lock().unwrap().push((chat, n));
            }
        });
        for n in 0..100 {
            lanes.push((n % 3) as i64, n);
        }
        lanes.idle().await;
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 100);
        for chat in 0..3 {
            let order: Vec<u32> = seen.iter().filter(|(c, _)| *c == chat).map(|(_, n)| *n).collect();
            let mut sorted = order.clone();
            sorted.sort();
            assert_eq!(order, sorted);
        }
    }

    #[tokio::test]
    async fn items_taken_from_the_front_are_not_worked_on_again() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (s, gate) = (seen.clone(), Arc::new(tokio::sync::Notify::new()));
        let g = gate.clone();
        let lanes = Lanes::new(move |_, n: u32| {
            let (s, g) = (s.clone(), g.clone());
            async move {
                if n == 0 {
                    g.notified().await;
                }
                s.lock().unwrap().push(n);
            }
        });
        for n in 0..5 {
            lanes.push(7, n);
        }
        tokio::task::yield_now().await;
        // Item 0 is under way; 1 and 2 are taken; 3 is refused, so it and 4 stay.
        assert_eq!(lanes.take_front_while(7, |n| *n < 3), vec![1, 2]);
        assert_eq!(lanes.queued_for(7), 2);
        gate.notify_one();
        lanes.idle().await;
        assert_eq!(*seen.lock().unwrap(), vec![0, 3, 4]);
    }

    #[tokio::test]
    async fn a_panicking_item_does_not_stop_its_chat() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let lanes = Lanes::new(move |_, n: u32| {
            let s = s.clone();
            async move {
                assert_ne!(n, 1, "boom");
                s.lock().unwrap().push(n);
            }
        });
        for n in 0..3 {
            lanes.push(7, n);
        }
        lanes.idle().await;
        assert_eq!(*seen.lock().unwrap(), vec![0, 2]);
    }
}
