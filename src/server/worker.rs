//! The analysis thread: every analysis runs on this one thread, in the order
//! asked for.
//!
//! Tokio's blocking pool would run each analysis on whichever of its threads
//! is free, and glibc's malloc gives every thread that allocates an arena of
//! its own, keeping freed memory in it: on a 30,000-line packet the server
//! grew from 26 MB to 69 MB over 1,000 keystrokes. On one thread resident
//! memory stays flat (docs/performance.md), and the async workers stay free
//! to read messages while an analysis runs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::Mutex;

type Job = Box<dyn FnOnce() + Send>;

pub struct Worker {
    jobs: Mutex<mpsc::Sender<Job>>,
}

/// The job panicked (the panic is reported on stderr) or the thread is gone.
#[derive(Debug)]
pub struct Failed;

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the analysis panicked")
    }
}

impl Worker {
    pub fn start() -> Worker {
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new().name("packet-ls-analysis".into()).spawn(move || {
            for job in rx {
                // A panicking job drops its answer channel: the caller sees `Failed`.
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
        });
        if let Err(e) = spawned {
            // Jobs then fail at once (their channel has no receiver).
            eprintln!("packet-ls: cannot start the analysis thread: {e}");
        }
        Worker { jobs: Mutex::new(tx) }
    }

    /// Runs `f` on the analysis thread, not waiting for it (a panic is reported on stderr).
    pub fn spawn(&self, f: impl FnOnce() + Send + 'static) {
        let _ = self.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(Box::new(f));
    }

    /// Runs `f` on the analysis thread and waits for its result.
    pub async fn run<R: Send + 'static>(&self, f: impl FnOnce() -> R + Send + 'static) -> Result<R, Failed> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).send(job).map_err(|_| Failed)?;
        rx.await.map_err(|_| Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_in_order_and_survives_a_panic() {
        let w = Worker::start();
        assert_eq!(w.run(|| 1 + 1).await.unwrap(), 2);
        let name = w.run(|| std::thread::current().name().map(str::to_string)).await.unwrap();
        assert_eq!(name.as_deref(), Some("packet-ls-analysis"));
        assert!(w.run(|| -> u8 { panic!("boom") }).await.is_err());
        assert_eq!(w.run(|| "still here").await.unwrap(), "still here");
    }
}
