use super::*;
use proptest::prelude::*;

fn table(opts: QLearningOptions) -> QTable {
    QTable::new(QLearningConfig::new(&opts).unwrap())
}

fn with_actions(actions: u32) -> QTable {
    table(QLearningOptions { actions: Some(actions), ..Default::default() })
}

fn values(t: &QTable, s: State<'_>) -> Vec<f32> {
    let mut out = vec![0.0; t.actions()];
    t.q_values_into(s, &mut out).unwrap();
    out
}

#[test]
fn update_follows_the_q_learning_rule() {
    let mut t = table(QLearningOptions { alpha: Some(0.5), gamma: Some(0.9), ..Default::default() });
    t.update(State::Num(1), 2, 1.0, None).unwrap(); // Q(1,2) = 0.5
    assert_eq!(values(&t, State::Num(1)), vec![0.0, 0.0, 0.5, 0.0, 0.0]);
    let td = t.update(State::Str("s"), 0, 1.0, Some(State::Num(1))).unwrap();
    // target = 1 + 0.9 * 0.5 = 1.45, TD error 1.45, Q = 0.725
    assert!((td - 1.45).abs() < 1e-6);
    assert!((values(&t, State::Str("s"))[0] - 0.725).abs() < 1e-6);
    let mut v = [0u32; 5];
    t.visits_into(State::Num(1), &mut v).unwrap();
    assert_eq!(v, [0, 0, 1, 0, 0]);
    assert_eq!((t.size(), t.stats().updates), (2, 2));
}

#[test]
fn failed_updates_change_nothing() {
    let mut t = with_actions(3);
    t.update(State::Num(0), 0, 1.0, None).unwrap();
    let before = t.to_bytes();
    assert_eq!(t.update(State::Num(9), 3, 1.0, None).unwrap_err().code(), "INVALID_ARGUMENT");
    assert_eq!(t.update(State::Num(9), 0, f64::NAN, None).unwrap_err().code(), "INVALID_REWARD");
    assert_eq!(t.update(State::Num(9), 0, 1e300, None).unwrap_err().code(), "INVALID_REWARD");
    let bad_batch =
        t.update_batch(&[State::Num(5), State::Num(6)], &[0, 1], &[1.0, f32::INFINITY], &[None, None]);
    assert_eq!(bad_batch.unwrap_err().code(), "INVALID_REWARD");
    let bad_batch = t.update_batch(&[State::Num(5)], &[0, 1], &[1.0, 1.0], &[None, None]);
    assert_eq!(bad_batch.unwrap_err().code(), "DIMENSION_MISMATCH");
    assert_eq!(t.update_batch(&[State::Num(7)], &[0], &[1.0], &[None]).map(|_| ()), Ok(()));
    let mut t2 = QTable::from_bytes(&before).unwrap();
    t2.update_batch(&[State::Num(7)], &[0], &[1.0], &[None]).unwrap();
    assert_eq!(t.to_bytes(), t2.to_bytes(), "only the valid batch changed the table");
}

#[test]
fn overflowing_updates_are_rejected_whole() {
    let mut t = table(QLearningOptions { actions: Some(1), alpha: Some(1.0), ..Default::default() });
    t.update(State::Num(8), 0, f64::from(f32::MAX), None).unwrap();
    let before = t.to_bytes();
    // r + γ·max Q(s') = MAX + 0.95·MAX does not fit in a float32.
    let e = t.update(State::Num(5), 0, f64::from(f32::MAX), Some(State::Num(8))).unwrap_err();
    assert_eq!(e.code(), "INVALID_REWARD");
    let e = t
        .update_batch(
            &[State::Num(6), State::Num(5)],
            &[0, 0],
            &[1.0, f32::MAX],
            &[None, Some(State::Num(8))],
        )
        .unwrap_err();
    assert_eq!(e.code(), "INVALID_REWARD");
    assert_eq!(t.to_bytes(), before, "neither call changed anything");
}

#[test]
fn best_action_breaks_ties_low_and_unseen_states_are_zero() {
    let mut t = with_actions(4);
    assert_eq!(t.best_action(State::Str("new")), 0);
    t.update(State::Num(3), 2, 1.0, None).unwrap();
    t.update(State::Num(3), 1, 1.0, None).unwrap();
    assert_eq!(t.best_action(State::Num(3)), 1);
    assert_eq!(values(&t, State::Str("never")), vec![0.0; 4]);
    assert_eq!(t.confidence(State::Str("never")), 0.0);
}

#[test]
fn ucb_tries_every_action_first_then_balances() {
    let mut t = table(QLearningOptions { actions: Some(3), policy: Some(Policy::Ucb), ..Default::default() });
    let mut seen = vec![];
    for _ in 0..3 {
        let a = t.select_action(State::Num(0));
        seen.push(a);
        t.update(State::Num(0), a, if a == 1 { 1.0 } else { 0.0 }, None).unwrap();
    }
    assert_eq!(seen, vec![0, 1, 2]);
    let mut counts = [0; 3];
    for _ in 0..300 {
        let a = t.select_action(State::Num(0));
        counts[a as usize] += 1;
        t.update(State::Num(0), a, if a == 1 { 1.0 } else { 0.0 }, None).unwrap();
    }
    assert!(counts[1] > counts[0] && counts[1] > counts[2] && counts[0] > 0, "{counts:?}");
}

#[test]
fn epsilon_greedy_is_reproducible_and_decays_to_the_floor() {
    let opts = QLearningOptions {
        epsilon: Some(0.5),
        epsilon_decay: Some(0.5),
        min_epsilon: Some(0.1),
        seed: Some(42),
        ..Default::default()
    };
    let (mut a, mut b) = (table(opts.clone()), table(opts));
    let xs: Vec<u32> = (0..100).map(|_| a.select_action(State::Num(1))).collect();
    let ys: Vec<u32> = (0..100).map(|_| b.select_action(State::Num(1))).collect();
    assert_eq!(xs, ys);
    assert!(xs.iter().any(|x| *x != 0), "explores");
    for _ in 0..10 {
        a.end_episode();
    }
    assert_eq!(a.epsilon(), 0.1);
}

#[test]
fn confidence_grows_with_visits_and_margin() {
    let mut t = with_actions(2);
    t.update(State::Num(0), 0, 1.0, None).unwrap();
    let c1 = t.confidence(State::Num(0));
    for _ in 0..50 {
        t.update(State::Num(0), 0, 1.0, None).unwrap();
    }
    let c2 = t.confidence(State::Num(0));
    assert!(0.0 < c1 && c1 < c2 && c2 <= 1.0, "{c1} {c2}");
    let mut close = with_actions(2);
    let mut far = with_actions(2);
    for _ in 0..20 {
        close.update(State::Num(0), 0, 1.0, None).unwrap();
        close.update(State::Num(0), 1, 0.95, None).unwrap();
        far.update(State::Num(0), 0, 1.0, None).unwrap();
        far.update(State::Num(0), 1, -1.0, None).unwrap();
    }
    assert!(far.confidence(State::Num(0)) > close.confidence(State::Num(0)));
}

#[test]
fn merge_is_the_visit_weighted_average() {
    // 0.5 with 10 visits merged with 0.8 with 20 visits gives 0.7 with 30.
    let mut a = table(QLearningOptions { actions: Some(1), alpha: Some(1.0), ..Default::default() });
    let mut b = a.clone();
    for _ in 0..10 {
        a.update(State::Str("x"), 0, 0.5, None).unwrap();
    }
    for _ in 0..20 {
        b.update(State::Str("x"), 0, 0.8, None).unwrap();
    }
    a.merge(&b).unwrap();
    assert!((values(&a, State::Str("x"))[0] - 0.7).abs() < 1e-6);
    let mut v = [0u32];
    a.visits_into(State::Str("x"), &mut v).unwrap();
    assert_eq!(v, [30]);
    assert_eq!(a.merge(&with_actions(2)).unwrap_err().code(), "INVALID_ARGUMENT");
}

#[test]
fn a_thousand_entries_fit_in_under_40_kb() {
    let mut t = table(QLearningOptions::default()); // 5 actions
    for s in 0..200 {
        let name = format!("feature-FAJ-121-{s:04}/query-type-parameter");
        for a in 0..5 {
            t.update(State::Str(&name), a, 1.0, None).unwrap();
        }
    }
    let stats = t.stats();
    assert_eq!(stats.entries, 1000);
    assert!(stats.memory_bytes < 40 * 1024, "{stats:?}");
    // Honest: at least the bytes the entries and keys need.
    assert!(stats.memory_bytes >= 1000 * 12 + 200 * 42, "{stats:?}");
}

fn arb_state() -> impl Strategy<Value = (bool, u32)> {
    (any::<bool>(), 0u32..40)
}

/// (state, action, reward × 10, next state); a state is (is a string, number).
type Op = ((bool, u32), u8, i8, Option<(bool, u32)>);

fn build(ops: &[Op], actions: u8) -> QTable {
    let mut t = table(QLearningOptions { actions: Some(u32::from(actions)), ..Default::default() });
    let names: Vec<String> = (0..40).map(|i| format!("s{i}")).collect();
    let st =
        |(is_str, n): (bool, u32)| if is_str { State::Str(&names[n as usize]) } else { State::Num(n * 1000) };
    for (s, a, r, next) in ops {
        t.update(st(*s), u32::from(*a % actions), f64::from(*r) / 10.0, next.map(st)).unwrap();
    }
    t
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec((arb_state(), any::<u8>(), any::<i8>(), prop::option::of(arb_state())), 0..60)
}

/// Every (state, values, visits) of a table, in a canonical order.
fn contents(t: &QTable) -> Vec<(String, Vec<f32>, Vec<u32>)> {
    let mut out: Vec<_> = (0..t.size())
        .map(|row| {
            let s = t.states.state_of(row);
            let mut v = vec![0u32; t.actions()];
            t.visits_into(s, &mut v).unwrap();
            (format!("{s:?}"), values(t, s), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merge_is_commutative(x in ops(), y in ops()) {
        let (a, b) = (build(&x, 3), build(&y, 3));
        let mut ab = a.clone();
        ab.merge(&b).unwrap();
        let mut ba = b.clone();
        ba.merge(&a).unwrap();
        prop_assert_eq!(contents(&ab), contents(&ba));
    }

    #[test]
    fn merging_with_itself_keeps_every_value(x in ops()) {
        let a = build(&x, 4);
        let mut aa = a.clone();
        aa.merge(&a).unwrap();
        for ((sa, va, na), (sb, vb, nb)) in contents(&a).into_iter().zip(contents(&aa)) {
            prop_assert_eq!(sa, sb);
            prop_assert_eq!(va, vb);
            prop_assert_eq!(na.iter().map(|n| n * 2).collect::<Vec<_>>(), nb);
        }
    }

    #[test]
    fn bytes_round_trip_to_an_identical_table(x in ops(), picks in prop::collection::vec(any::<u8>(), 8)) {
        let mut a = build(&x, 5);
        let mut b = QTable::from_bytes(&a.to_bytes()).unwrap();
        prop_assert_eq!(a.to_bytes(), b.to_bytes());
        prop_assert_eq!(a.stats().updates, b.stats().updates);
        // Same answers, same random stream afterwards.
        for p in picks {
            let s = State::Num(u32::from(p % 40) * 1000);
            prop_assert_eq!(a.select_action(s), b.select_action(s));
            prop_assert_eq!(a.best_action(s), b.best_action(s));
        }
    }

    #[test]
    fn batch_equals_sequential_updates_for_distinct_pairs(x in ops()) {
        let base = build(&x, 3);
        // Distinct (state, action) pairs; next states outside the batch.
        let states: Vec<State> = (0..30u32).map(State::Num).collect();
        let actions: Vec<u32> = (0..30).map(|i| i % 3).collect();
        let rewards: Vec<f32> = (0..30).map(|i| i as f32 / 7.0 - 2.0).collect();
        let next: Vec<Option<State>> = (0..30u32).map(|i| if i % 4 == 0 { None } else { Some(State::Num(i * 1000)) }).collect();
        let mut batched = base.clone();
        batched.update_batch(&states, &actions, &rewards, &next).unwrap();
        let mut one_by_one = base.clone();
        for i in 0..30 {
            one_by_one.update(states[i], actions[i], f64::from(rewards[i]), next[i]).unwrap();
        }
        for s in &states {
            for (p, q) in values(&batched, *s).iter().zip(values(&one_by_one, *s)) {
                prop_assert!((p - q).abs() < 1e-5);
            }
        }
        prop_assert_eq!(batched.stats().updates, one_by_one.stats().updates);
    }
}

#[test]
fn repeated_pairs_in_a_batch_apply_in_order() {
    let mut t = table(QLearningOptions { actions: Some(1), alpha: Some(0.5), ..Default::default() });
    t.update_batch(&[State::Num(1); 3], &[0; 3], &[1.0; 3], &[None; 3]).unwrap();
    // 0 -> 0.5 -> 0.75 -> 0.875
    assert!((values(&t, State::Num(1))[0] - 0.875).abs() < 1e-6);
    let mut v = [0u32];
    t.visits_into(State::Num(1), &mut v).unwrap();
    assert_eq!(v, [3]);
}

#[test]
fn every_single_bit_flip_of_a_saved_table_is_rejected() {
    let t = build(&[((false, 1), 0, 5, Some((true, 2))), ((true, 2), 1, -3, None)], 2);
    let bytes = t.to_bytes();
    for bit in 0..bytes.len() * 8 {
        let mut damaged = bytes.clone();
        damaged[bit / 8] ^= 1 << (bit % 8);
        let code = QTable::from_bytes(&damaged).unwrap_err().code();
        assert!(code == "CORRUPT_DATA" || code == "UNSUPPORTED_VERSION", "bit {bit}: {code}");
    }
    for n in 0..bytes.len() {
        assert!(QTable::from_bytes(&bytes[..n]).is_err());
    }
}

#[test]
fn fuzzer_findings_stay_fixed() {
    // Inputs that once crashed a fuzz target (fuzz/regressions): each must decode to an
    // error or to a table that survives the same checks the target runs.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/regressions");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        for bytes in [data.clone(), crate::snapshot::encode(crate::snapshot::Kind::QTable, &data)] {
            if let Ok(mut t) = QTable::from_bytes(&bytes) {
                let copy = t.clone();
                t.merge(&copy).unwrap();
                let _ = t.update(State::Num(1), 0, 1.0, None);
            }
        }
        seen += 1;
    }
    assert!(seen > 0);
}

#[test]
fn speculation_never_changes_what_selection_returns() {
    let opts = QLearningOptions { epsilon: Some(0.4), seed: Some(5), ..Default::default() };
    let (mut plain, mut spec) = (table(opts.clone()), table(opts));
    for i in 0..300u32 {
        let s = State::Num(i % 13);
        plain.update(s, i % 5, f64::from(i % 3) - 1.0, Some(State::Num(i % 7))).unwrap();
        spec.update(s, i % 5, f64::from(i % 3) - 1.0, Some(State::Num(i % 7))).unwrap();
        // Speculate on one state; then either take it (consume) or select another state.
        let guess = spec.speculate(State::Num(i % 7));
        if i % 3 == 0 {
            assert_eq!(plain.select_action(State::Num(i % 7)), guess);
            spec.consume_pending();
        } else {
            assert_eq!(plain.select_action(State::Num(i % 11)), spec.select_action(State::Num(i % 11)));
        }
        if i % 50 == 0 {
            // A snapshot taken with draws pending restores to the same future.
            let restored = QTable::from_bytes(&spec.to_bytes()).unwrap();
            assert_eq!(restored.to_bytes(), plain.to_bytes());
        }
    }
    assert_eq!(plain.to_bytes(), spec.to_bytes());
}
