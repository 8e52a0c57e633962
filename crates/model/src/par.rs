//! The one parallel map of the workspace: reading chapters, parsing them and
//! running lint rules all hand out work the same way.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `items.iter().map(f).collect()`, on every core when `worth_it` (the
/// caller knows whether there is enough work to pay for the threads).
/// Items are handed out one at a time from a shared counter, so a slow item
/// (a large file, the AM013 rule) or a thread the busy machine does not
/// schedule for a while leaves the rest to the others. The results are in
/// the order of `items`; a panic in `f` is raised again here.
pub fn par_map<T: Sync, R: Send>(
    items: &[T],
    worth_it: bool,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || items.len() < 2 || !worth_it {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            done.push((i, f(item)));
        }
        done
    };
    let mut all = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads.min(items.len()))
            .map(|_| s.spawn(work))
            .collect();
        let mut all = work();
        for h in handles {
            match h.join() {
                Ok(done) => all.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    });
    all.sort_unstable_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work, so threads finish out of order.
        let out = par_map(&items, true, |&n| {
            if n % 7 == 0 {
                std::thread::sleep(std::time::Duration::from_micros(50));
            }
            n * n
        });
        assert_eq!(out, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert_eq!(par_map(&items[..3], false, |n| n + 1), vec![1, 2, 3]);
        assert!(par_map(&[] as &[u8], true, |n| *n).is_empty());
    }

    #[test]
    #[should_panic(expected = "item 3")]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..100).collect();
        par_map(&items, true, |&n| assert!(n != 3, "item {n}"));
    }
}
