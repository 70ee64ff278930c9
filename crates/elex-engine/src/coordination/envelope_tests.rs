use super::*;

const NOW: u64 = 1_800_000_000_000;

fn node(seed: u8) -> Sealer {
    Sealer::new(Identity::from_secret_key(&[seed; 32]).unwrap(), NOW)
}

fn guard_for(trusted: &[&Sealer]) -> Guard {
    Guard::new(Some(trusted.iter().map(|s| s.public_key()).collect()), DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS)
}

#[test]
fn a_sealed_frame_opens_with_its_sender_kind_and_payload() {
    let mut a = node(1);
    let mut g = guard_for(&[&a]);
    let frame = a.seal(3, b"gossip", NOW);
    let opened = g.open(&frame, NOW + 5).unwrap();
    assert_eq!((opened.sender, opened.kind, opened.payload), (a.public_key(), 3, &b"gossip"[..]));
    assert!(g.rejected().is_empty());
}

#[test]
fn forged_tampered_replayed_oversized_untrusted_stale_and_malformed_frames_are_dropped_and_counted() {
    let mut a = node(1);
    let mut outsider = node(2);
    let mut g = guard_for(&[&a]);
    let good = a.seal(1, b"payload", NOW);

    // Tampered: one bit of the payload flipped after signing.
    let mut tampered = good.clone();
    tampered[HEADER] ^= 1;
    assert_eq!(g.open(&tampered, NOW), Err(Reject::BadSignature));
    // Forged: claims to be `a` but is signed by the outsider's key.
    let mut forged = outsider.seal(1, b"payload", NOW);
    forged[6..38].copy_from_slice(&a.public_key());
    assert_eq!(g.open(&forged, NOW), Err(Reject::BadSignature));
    // Untrusted: a well-signed frame from a key outside `trust`.
    assert_eq!(g.open(&outsider.seal(1, b"hi", NOW), NOW), Err(Reject::Untrusted));
    // Oversized and malformed.
    assert_eq!(g.open(&vec![0u8; DEFAULT_MAX_FRAME + 1], NOW), Err(Reject::Oversized));
    assert_eq!(g.open(&good[..good.len() - 1], NOW), Err(Reject::Malformed));
    assert_eq!(g.open(b"ELXF", NOW), Err(Reject::Malformed));
    // Stale: the receiver's clock is past the window.
    assert_eq!(g.open(&good, NOW + DEFAULT_WINDOW_MS + 1), Err(Reject::Stale));
    // None of that moved the replay window: the genuine frame still opens, once.
    assert!(g.open(&good, NOW).is_ok());
    assert_eq!(g.open(&good, NOW), Err(Reject::Replayed));

    let counts = g.rejected();
    assert_eq!(counts["bad-signature"], 2);
    assert_eq!(counts["untrusted"], 1);
    assert_eq!(counts["oversized"], 1);
    assert_eq!(counts["malformed"], 2);
    assert_eq!(counts["stale"], 1);
    assert_eq!(counts["replayed"], 1);
}

#[test]
fn out_of_order_frames_within_the_window_are_accepted_once() {
    let mut a = node(1);
    let mut g = guard_for(&[&a]);
    let frames: Vec<Vec<u8>> = (0..100).map(|i| a.seal(0, &[i], NOW)).collect();
    assert!(g.open(&frames[99], NOW).is_ok());
    assert!(g.open(&frames[50], NOW).is_ok(), "49 behind: inside the window");
    assert_eq!(g.open(&frames[50], NOW), Err(Reject::Replayed));
    assert_eq!(g.open(&frames[10], NOW), Err(Reject::Replayed), "89 behind: outside the window");
    assert_eq!(g.open(&frames[99], NOW), Err(Reject::Replayed));
}

#[test]
fn a_restarted_sender_is_not_a_replay_of_itself() {
    let mut before = node(1);
    let mut g = guard_for(&[&before]);
    for _ in 0..1000 {
        assert!(g.open(&before.seal(0, b"x", NOW), NOW).is_ok());
    }
    let mut after = Sealer::new(Identity::from_secret_key(&[1; 32]).unwrap(), NOW + 1);
    assert!(g.open(&after.seal(0, b"x", NOW + 1), NOW + 1).is_ok());
}

#[test]
fn an_open_cluster_takes_any_signed_frame_but_still_checks_it() {
    let mut g = Guard::new(None, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS);
    let mut anyone = node(9);
    let frame = anyone.seal(2, b"", NOW);
    assert!(g.open(&frame, NOW).is_ok());
    let mut bad = frame;
    let last = bad.len() - 1;
    bad[last] ^= 0x80;
    assert_eq!(g.open(&bad, NOW), Err(Reject::BadSignature));
}

#[test]
fn any_bytes_are_checked_without_panicking() {
    let mut g = Guard::new(None, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS);
    let mut a = node(1);
    let good = a.seal(1, b"abc", NOW);
    for cut in 0..good.len() {
        assert!(g.open(&good[..cut], NOW).is_err());
    }
    let mut huge_len = good.clone();
    huge_len[HEADER - 4..HEADER].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(g.open(&huge_len, NOW), Err(Reject::Malformed));
}
