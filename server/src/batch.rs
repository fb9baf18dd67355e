//! Reads that the requests arriving together share. The first request reads alone; those that arrive while a read
//! runs queue for the next one, which answers all of them with one query. That read starts after each of them
//! arrived, so each still sees everything committed before it, on any replica: nothing is served from a cache.
//!
//! Under load this saves most of the round trips to the database (on SQLite, each hands the query to the connection's
//! thread and the answer back). Used for the session that every request reads (`auth::user_for_token`).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What one read answers: the value of each key it found, or why it failed (given to every request of the batch).
pub type Found<V> = Result<HashMap<String, V>, String>;

/// The keys queued for one read, and its answer once it is in.
struct Batch<V> {
    keys: Mutex<Vec<String>>,
    answer: tokio::sync::OnceCell<Found<V>>,
}

impl<V> Batch<V> {
    fn new() -> Arc<Self> {
        Arc::new(Batch { keys: Mutex::new(Vec::new()), answer: tokio::sync::OnceCell::new() })
    }
}

/// Reads of values by key (a session's token hash…), batched as the module says.
pub struct Batched<V> {
    /// The batch that arriving requests join: closed, and replaced, when its read starts.
    open: Mutex<Arc<Batch<V>>>,
    /// Held by the read that runs: one at a time, so that the requests arriving meanwhile make up the next batch.
    reading: tokio::sync::Mutex<()>,
    reads: AtomicU64,
}

impl<V> Default for Batched<V> {
    fn default() -> Self {
        Batched { open: Mutex::new(Batch::new()), reading: tokio::sync::Mutex::new(()), reads: AtomicU64::new(0) }
    }
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<V: Clone> Batched<V> {
    /// The value of `key` (`None`: there is none), read by `read` with the keys of the requests that wait with it.
    ///
    /// If the request whose task runs a read is dropped (its client went away), another request of the same batch
    /// runs it again, with the same keys.
    pub async fn get<F, Fut>(&self, key: &str, read: F) -> Result<Option<V>, String>
    where
        F: FnOnce(Vec<String>) -> Fut,
        Fut: Future<Output = Found<V>>,
    {
        let batch = {
            let open = locked(&self.open);
            let mut keys = locked(&open.keys);
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_owned());
            }
            Arc::clone(&open)
        };
        let found = batch
            .answer
            .get_or_init(|| async {
                let _reading = self.reading.lock().await;
                {
                    let mut open = locked(&self.open);
                    if Arc::ptr_eq(&open, &batch) {
                        *open = Batch::new();
                    }
                }
                let keys = locked(&batch.keys).clone();
                self.reads.fetch_add(1, Ordering::SeqCst);
                read(keys).await
            })
            .await;
        match found {
            Ok(values) => Ok(values.get(key).cloned()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Holds the reads back until the guard is dropped, as a running read does: the requests that arrive meanwhile
    /// queue for one read (tests: a read that takes long, made certain).
    pub async fn hold(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.reading.lock().await
    }

    /// How many reads have started (tests: how many requests shared one).
    pub fn reads(&self) -> u64 {
        self.reads.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;

    /// Keys read, read by read; values are the keys' lengths.
    #[derive(Default)]
    struct Store {
        reads: Mutex<Vec<Vec<String>>>,
    }

    impl Store {
        fn read(&self, keys: Vec<String>) -> Found<usize> {
            locked(&self.reads).push(keys.clone());
            Ok(keys.into_iter().filter(|k| k != "absent").map(|k| (k.clone(), k.len())).collect())
        }
        fn reads(&self) -> Vec<Vec<String>> {
            locked(&self.reads).clone()
        }
    }

    /// Lets the tasks spawned so far run until each waits.
    async fn settle() {
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
    }

    #[tokio::test]
    async fn requests_arriving_during_a_read_share_the_next() {
        let batched = Arc::new(Batched::<usize>::default());
        let store = Arc::new(Store::default());
        let gate = Arc::new(tokio::sync::Notify::new());

        let first = {
            let (batched, store, gate) = (batched.clone(), store.clone(), gate.clone());
            tokio::spawn(async move {
                batched
                    .get("a", |keys| async move {
                        gate.notified().await;
                        store.read(keys)
                    })
                    .await
            })
        };
        settle().await;
        assert_eq!(batched.reads(), 1, "the first request reads at once");

        let others: Vec<_> = ["bb", "ccc", "bb", "absent", "a"]
            .into_iter()
            .map(|key| {
                let (batched, store) = (batched.clone(), store.clone());
                tokio::spawn(async move { batched.get(key, |keys| async move { store.read(keys) }).await })
            })
            .collect();
        settle().await;
        assert_eq!(batched.reads(), 1, "the others wait for the read that runs");
        gate.notify_one();

        assert_eq!(first.await.expect("task"), Ok(Some(1)));
        let mut answers = Vec::new();
        for other in others {
            answers.push(other.await.expect("task"));
        }
        assert_eq!(answers, [Ok(Some(2)), Ok(Some(3)), Ok(Some(2)), Ok(None), Ok(Some(1))]);
        assert_eq!(
            store.reads(),
            [vec!["a"], vec!["bb", "ccc", "absent", "a"]],
            "one read for the five, each key once"
        );

        // Alone, a request reads for itself.
        assert_eq!(batched.get("dddd", |keys| async move { store.read(keys) }).await, Ok(Some(4)));
        assert_eq!(batched.reads(), 3);
    }

    #[tokio::test]
    async fn a_read_whose_request_went_away_is_run_again_for_the_others() {
        let batched = Arc::new(Batched::<usize>::default());
        let store = Arc::new(Store::default());
        let gate = Arc::new(tokio::sync::Notify::new());
        let hang_once = Arc::new(AtomicBool::new(true));
        let spawn = |key: &'static str| {
            let (batched, store, gate, hang_once) = (batched.clone(), store.clone(), gate.clone(), hang_once.clone());
            tokio::spawn(async move {
                batched
                    .get(key, |keys| async move {
                        if keys == ["first"] {
                            gate.notified().await;
                        } else if hang_once.swap(false, Ordering::SeqCst) {
                            std::future::pending::<()>().await;
                        }
                        store.read(keys)
                    })
                    .await
            })
        };

        let first = spawn("first");
        settle().await;
        // Queued behind the first read, in this order: « x » runs the next read, « y » waits for it.
        let x = spawn("x");
        settle().await;
        let y = spawn("yy");
        settle().await;
        gate.notify_one();
        assert_eq!(first.await.expect("task"), Ok(Some(5)));
        settle().await;
        assert_eq!(batched.reads(), 2, "« x » reads for both, and that read hangs");

        x.abort();
        assert!(x.await.expect_err("aborted").is_cancelled());
        assert_eq!(y.await.expect("task"), Ok(Some(2)), "« y » ran the read again");
        assert_eq!(batched.reads(), 3);
        assert_eq!(store.reads(), [vec!["first"], vec!["x", "yy"]], "the same keys: the batch was closed");
    }

    #[tokio::test]
    async fn a_failed_read_fails_its_batch_and_the_next_reads_again() {
        let batched = Batched::<usize>::default();
        let failing = batched.get("a", |_| async { Err("la base ne répond pas".to_owned()) }).await;
        assert_eq!(failing, Err("la base ne répond pas".to_owned()));
        let store = Store::default();
        assert_eq!(batched.get("a", |keys| async { store.read(keys) }).await, Ok(Some(1)));
        assert_eq!(batched.reads(), 2);
    }
}
