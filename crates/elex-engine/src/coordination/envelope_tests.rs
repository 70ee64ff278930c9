use super::*;

const NOW: u64 = 1_800_000_000_000;

fn node(seed: u8) -> Sealer {
    Sealer::new(Identity::from_secret_key(&[seed; 32]).unwrap(), NOW)
}

/// The guard of node `me`, trusting `trusted`.
fn guard_for(me: &Sealer, trusted: &[&Sealer]) -> Guard {
    let trust = trusted.iter().map(|s| s.public_key()).collect();
    Guard::new(me.public_key(), Some(trust), DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS)
}

/// Recomputes the CRC after an edit, as an attacker who knows the layout would.
fn recrc(frame: &mut [u8]) {
    let at = frame.len() - 4;
    let crc = crate::crc32::hash(&frame[..at]);
    frame[at..].copy_from_slice(&crc.to_le_bytes());
}

#[test]
fn a_sealed_frame_opens_with_its_sender_recipient_kind_and_payload() {
    let (mut a, b) = (node(1), node(2));
    let mut g = guard_for(&b, &[&a]);
    let frame = a.seal(3, &b.public_key(), b"gossip", NOW);
    let opened = g.open(&frame, NOW + 5).unwrap();
    assert_eq!((opened.sender, opened.recipient, opened.kind), (a.public_key(), b.public_key(), 3));
    assert_eq!(opened.payload, b"gossip");
    assert!(g.rejected().is_empty());
}

#[test]
fn forged_tampered_replayed_oversized_untrusted_stale_and_malformed_frames_are_dropped_and_counted() {
    let (mut a, b, c) = (node(1), node(2), node(3));
    let mut outsider = node(4);
    let mut g = guard_for(&b, &[&a, &c]);
    let to_b = b.public_key();
    let good = a.seal(1, &to_b, b"payload", NOW);

    // Tampered: one bit of the payload flipped after sealing.
    let mut tampered = good.clone();
    tampered[HEADER] ^= 1;
    assert_eq!(g.open(&tampered, NOW), Err(Reject::Tampered));
    // Forged: the same edit with the CRC made to match; the signature still fails.
    recrc(&mut tampered);
    assert_eq!(g.open(&tampered, NOW), Err(Reject::Forged));
    // Forged: claims to be `a` but is signed by the outsider's key.
    let mut forged = outsider.seal(1, &to_b, b"payload", NOW);
    forged[6..38].copy_from_slice(&a.public_key());
    recrc(&mut forged);
    assert_eq!(g.open(&forged, NOW), Err(Reject::Forged));
    // Untrusted: a well-signed frame from a key outside `trust`.
    assert_eq!(g.open(&outsider.seal(1, &to_b, b"hi", NOW), NOW), Err(Reject::Untrusted));
    // Replayed to another node: a's frame for c, sent on to b.
    let for_c = a.seal(1, &c.public_key(), b"payload", NOW);
    assert_eq!(g.open(&for_c, NOW), Err(Reject::Replayed));
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
    assert_eq!(counts["tampered"], 1);
    assert_eq!(counts["forged"], 2);
    assert_eq!(counts["untrusted"], 1);
    assert_eq!(counts["replayed"], 2);
    assert_eq!(counts["oversized"], 1);
    assert_eq!(counts["malformed"], 2);
    assert_eq!(counts["stale"], 1);
}

#[test]
fn out_of_order_frames_within_the_window_are_accepted_once() {
    let (mut a, b) = (node(1), node(2));
    let mut g = guard_for(&b, &[&a]);
    let frames: Vec<Vec<u8>> = (0..100).map(|i| a.seal(0, &b.public_key(), &[i], NOW)).collect();
    assert!(g.open(&frames[99], NOW).is_ok());
    assert!(g.open(&frames[50], NOW).is_ok(), "49 behind: inside the window");
    assert_eq!(g.open(&frames[50], NOW), Err(Reject::Replayed));
    assert_eq!(g.open(&frames[10], NOW), Err(Reject::Replayed), "89 behind: outside the window");
    assert_eq!(g.open(&frames[99], NOW), Err(Reject::Replayed));
}

#[test]
fn a_restarted_sender_is_not_a_replay_of_itself() {
    let (mut before, b) = (node(1), node(2));
    let mut g = guard_for(&b, &[&before]);
    for _ in 0..1000 {
        assert!(g.open(&before.seal(0, &b.public_key(), b"x", NOW), NOW).is_ok());
    }
    let mut after = Sealer::new(Identity::from_secret_key(&[1; 32]).unwrap(), NOW + 1);
    assert!(g.open(&after.seal(0, &b.public_key(), b"x", NOW + 1), NOW + 1).is_ok());
}

#[test]
fn an_open_cluster_takes_any_signed_frame_but_still_checks_it() {
    let me = node(2);
    let mut g = Guard::new(me.public_key(), None, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS);
    let mut anyone = node(9);
    let hello = anyone.seal(2, &ANYONE, b"", NOW);
    assert!(g.open(&hello, NOW).is_ok(), "a frame for anyone is welcome");
    let mut bad = anyone.seal(2, &me.public_key(), b"", NOW);
    let sig_end = bad.len() - 5;
    bad[sig_end] ^= 0x80;
    recrc(&mut bad);
    assert_eq!(g.open(&bad, NOW), Err(Reject::Forged));
}

#[test]
fn any_bytes_are_checked_without_panicking() {
    let me = node(2);
    let mut g = Guard::new(me.public_key(), None, DEFAULT_MAX_FRAME, DEFAULT_WINDOW_MS);
    let mut a = node(1);
    let good = a.seal(1, &me.public_key(), b"abc", NOW);
    for cut in 0..good.len() {
        assert!(g.open(&good[..cut], NOW).is_err());
    }
    let mut huge_len = good.clone();
    huge_len[HEADER - 4..HEADER].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(g.open(&huge_len, NOW), Err(Reject::Malformed));
    for i in 0..good.len() {
        let mut flipped = good.clone();
        flipped[i] ^= 0x01;
        assert!(g.open(&flipped, NOW).is_err(), "byte {i}");
    }
}
