use super::*;
use proptest::prelude::*;

fn origin(i: u8) -> Origin {
    [i; 16]
}

/// Three origins, each recording its own ops in one history (only an origin writes its
/// slots); `home[o]` is origin o's own state.
fn homes(ops: &[(u8, u8, u32, u8, f64, u32)]) -> Vec<LearnedState> {
    let mut homes = vec![LearnedState::new(); 3];
    for &(o, agent, state, action, q, n) in ops {
        homes[o as usize].record(origin(o), &format!("FAJ 121 000{agent}"), state, action, q, n, 0);
    }
    homes
}

/// A replica: all of its own origin's history, and the broadcasts `mask` lets through from
/// the others (as gossip would, in any order and with gaps).
fn replica(homes: &[LearnedState], own: usize, mask: u64) -> LearnedState {
    let mut r = homes[own].clone();
    let mut bit = 0;
    for (o, home) in homes.iter().enumerate() {
        for (k, s) in &home.slots {
            if o != own && mask >> (bit % 64) & 1 == 1 {
                r.apply(k.clone(), *s);
            }
            bit += 1;
        }
    }
    r
}

fn merged(a: &LearnedState, b: &LearnedState) -> LearnedState {
    let mut m = a.clone();
    m.merge(b);
    m
}

fn ops() -> impl Strategy<Value = Vec<(u8, u8, u32, u8, f64, u32)>> {
    prop::collection::vec((0u8..3, 0u8..3, 0u32..4, 0u8..5, -1.0f64..1.0, 1u32..50), 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn merge_is_commutative_associative_and_idempotent(ops in ops(), masks in any::<[u64; 3]>()) {
        let h = homes(&ops);
        let (a, b, c) = (replica(&h, 0, masks[0]), replica(&h, 1, masks[1]), replica(&h, 2, masks[2]));
        prop_assert_eq!(merged(&a, &b), merged(&b, &a));
        prop_assert_eq!(merged(&merged(&a, &b), &c), merged(&a, &merged(&b, &c)));
        let ab = merged(&a, &b);
        prop_assert_eq!(merged(&ab, &b), ab.clone());
        prop_assert_eq!(merged(&ab, &ab), ab.clone());
        // All three together know every origin's whole history.
        let all = merged(&ab, &c);
        for (o, home) in h.iter().enumerate() {
            for (k, s) in &home.slots {
                prop_assert_eq!(all.slots.get(k), Some(s), "origin {}", o);
            }
        }
    }

    #[test]
    fn anti_entropy_converges_within_any_budget(ops in ops(), masks in any::<[u64; 2]>(), budget in 1usize..400) {
        let h = homes(&ops);
        let (mut a, mut b) = (replica(&h, 0, masks[0]), replica(&h, 1, masks[1]));
        let union = merged(&a, &b);
        // Rounds both ways; each moves at least one slot while any is missing.
        for _ in 0..=(union.len() + 2) {
            let for_b = a.delta_for(&b.digest(), budget);
            let for_a = b.delta_for(&a.digest(), budget);
            b.absorb(&Delta::from_bytes(&for_b.to_bytes()).unwrap());
            a.absorb(&Delta::from_bytes(&for_a.to_bytes()).unwrap());
        }
        prop_assert_eq!(&a.slots, &union.slots);
        prop_assert_eq!(&b.slots, &union.slots);
        prop_assert_eq!(a.digest(), b.digest());
    }
}

#[test]
fn reading_is_the_visit_weighted_mean_over_origins() {
    let mut s = LearnedState::new();
    s.record(origin(1), "FAJ 121 3094", 7, 0, 1.0, 3, 0);
    s.record(origin(2), "FAJ 121 3094", 7, 0, 0.0, 1, 0);
    s.record(origin(2), "FAJ 121 3094", 7, 1, -0.5, 2, 0);
    assert_eq!(s.read("FAJ 121 3094", 7, 0), Some((0.75, 4)));
    assert_eq!(s.read("FAJ 121 3094", 7, 2), None);
    assert_eq!(s.read_agent("FAJ 121 3094"), vec![(7, 0, 0.75, 4), (7, 1, -0.5, 2)]);
    assert!(s.read_agent("FAJ 121 0001").is_empty());
}

#[test]
fn receiving_an_update_twice_counts_it_once() {
    let mut a = LearnedState::new();
    let (key, slot) = a.record(origin(1), "FAJ 121 3094", 7, 0, 1.0, 3, 0).unwrap();
    let mut b = LearnedState::new();
    assert!(b.apply(key.clone(), slot));
    assert!(!b.apply(key.clone(), slot), "the same version again changes nothing");
    assert_eq!(b.read("FAJ 121 3094", 7, 0), Some((1.0, 3)));
    // An older version arriving late does not roll back a newer one.
    let (key2, newer) = a.record(origin(1), "FAJ 121 3094", 7, 0, 0.5, 4, 0).unwrap();
    assert_eq!(key, key2);
    assert!(b.apply(key.clone(), newer));
    assert!(!b.apply(key, slot));
    assert_eq!(b.read("FAJ 121 3094", 7, 0), Some((0.5, 4)));
}

#[test]
fn an_unchanged_value_is_not_a_new_version() {
    let mut s = LearnedState::new();
    assert!(s.record(origin(1), "FAJ 121 3094", 1, 0, 0.5, 2, 0).is_some());
    assert!(s.record(origin(1), "FAJ 121 3094", 1, 0, 0.5, 2, 0).is_none());
    assert_eq!(s.digest()[&origin(1)], (1, vec![]));
    assert!(s.record(origin(1), "FAJ 121 3094", 1, 0, f64::NAN, 2, 0).is_none(), "never a non-finite sum");
}

#[test]
fn a_broadcast_out_of_order_leaves_the_gap_to_anti_entropy() {
    let mut a = LearnedState::new();
    let first = a.record(origin(1), "FAJ 121 3094", 1, 0, 0.5, 2, 0).unwrap();
    let second = a.record(origin(1), "FAJ 121 3094", 2, 0, 0.5, 2, 0).unwrap();
    let mut b = LearnedState::new();
    b.apply(second.0, second.1);
    assert_eq!(b.digest()[&origin(1)], (0, vec![2]), "a broadcast out of order is held, not complete");
    let delta = a.delta_for(&b.digest(), 1 << 20);
    assert_eq!(delta.slots.len(), 1, "only the slot b lacks");
    b.absorb(&delta);
    assert_eq!(b.digest()[&origin(1)], (2, vec![]));
    assert_eq!(b.read("FAJ 121 3094", 1, 0), Some((0.5, 2)));
    let _ = first;
}

#[test]
fn a_small_budget_sends_the_oldest_first_and_says_how_far() {
    let mut a = LearnedState::new();
    for state in 0..10 {
        a.record(origin(1), "FAJ 121 3094", state, 0, 0.1, 1, 0);
    }
    let delta = a.delta_for(&Digest::new(), 3 * (SLOT_BYTES + 4 + 12));
    assert_eq!(delta.slots.iter().map(|(_, s)| s.version).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(delta.through[&origin(1)], 3);
    let tiny = a.delta_for(&Digest::new(), 1);
    assert_eq!(tiny.slots.len(), 1, "always at least one slot, so rounds progress");
}

#[test]
fn what_a_restarted_node_learns_beats_what_it_learned_before() {
    let mut before = LearnedState::new();
    let (key, old) = before.record(origin(1), "FAJ 121 3094", 1, 0, 0.9, 500, 1_000).unwrap();
    // Restarted empty, later: its first record must win over the old slot peers still hold.
    let mut after = LearnedState::new();
    let (_, new) = after.record(origin(1), "FAJ 121 3094", 1, 0, 0.1, 1, 2_000).unwrap();
    assert!(new.version > old.version);
    let mut peer = before.clone();
    assert!(peer.apply(key.clone(), new));
    assert!(!peer.apply(key, old));
    // The gap between its two lives is allowed: the digest keeps holding the later version.
    assert_eq!(after.digest()[&origin(1)], (0, vec![new.version]));
}

#[test]
fn damaged_deltas_are_errors_not_panics() {
    let mut a = LearnedState::new();
    a.record(origin(1), "FAJ 121 3094", 1, 0, 0.5, 2, 0);
    let bytes = a.delta_for(&Digest::new(), 1 << 20).to_bytes();
    for cut in 0..bytes.len() {
        assert!(Delta::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut huge = bytes.clone();
    huge[0..4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(Delta::from_bytes(&huge).unwrap_err().code(), "CORRUPT_DATA");
    let mut nan = bytes;
    let at = 4 + 4 + 12 + 4 + 1 + 16;
    nan[at..at + 8].copy_from_slice(&f64::NAN.to_bits().to_le_bytes());
    assert!(Delta::from_bytes(&nan).is_err());
}

#[test]
fn extreme_versions_from_a_peer_do_not_overflow() {
    let mut s = LearnedState::new();
    let delta = Delta {
        slots: vec![(("FAJ 121 3094".into(), 1, 0, origin(1)), Slot { sum: 1.0, n: 1, version: u64::MAX })],
        through: [(origin(1), u64::MAX), (origin(2), u64::MAX - 1)].into_iter().collect(),
    };
    s.absorb(&delta);
    assert_eq!(s.digest()[&origin(1)].0, u64::MAX);
    assert!(s.record(origin(1), "FAJ 121 3094", 2, 0, 0.5, 1, 0).is_some());
}
