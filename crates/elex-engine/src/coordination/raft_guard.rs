//! A non-recursive check of a raft message's protobuf bytes before protobuf 2 decodes them.
//!
//! protobuf < 3.7.2 recurses without bound when it skips unknown *groups* (RUSTSEC-2024-0437).
//! raft 0.7 needs protobuf 2, so no upgrade is possible. eraftpb has no groups, so any group
//! wire type is refused here, in every message the decoder will descend into (Message →
//! Entry, Snapshot → SnapshotMetadata → ConfState), and the number of fields is bounded.
//! Only frames that passed the envelope check (signed by a trusted key) get this far.

/// Fields a scan may visit in one message, nested ones included.
const MAX_FIELDS: usize = 1 << 16;

/// The eraftpb messages a raft `Message` contains, and which of their fields are messages.
#[derive(Clone, Copy)]
enum Shape {
    Message,
    Entry,
    Snapshot,
    SnapshotMetadata,
    ConfState,
}

impl Shape {
    fn nested(self, field: u64) -> Option<Shape> {
        match (self, field) {
            (Shape::Message, 7) => Some(Shape::Entry),
            (Shape::Message, 9) => Some(Shape::Snapshot),
            (Shape::Snapshot, 2) => Some(Shape::SnapshotMetadata),
            (Shape::SnapshotMetadata, 1) => Some(Shape::ConfState),
            _ => None,
        }
    }
}

fn varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// A raft message from a verified frame's payload: checked, then decoded.
pub fn parse(bytes: &[u8]) -> Option<raft::eraftpb::Message> {
    use protobuf::Message as _;
    if !well_formed(bytes) {
        return None;
    }
    raft::eraftpb::Message::parse_from_bytes(bytes).ok()
}

/// True when `bytes` is well-formed protobuf wire data for a raft `Message` with no groups.
pub fn well_formed(bytes: &[u8]) -> bool {
    let mut stack = vec![(Shape::Message, bytes)];
    let mut fields = 0usize;
    while let Some((shape, msg)) = stack.pop() {
        let mut at = 0;
        while at < msg.len() {
            fields += 1;
            if fields > MAX_FIELDS {
                return false;
            }
            let Some(key) = varint(msg, &mut at) else { return false };
            let (field, wire) = (key >> 3, key & 7);
            if field == 0 {
                return false;
            }
            let ok = match wire {
                0 => varint(msg, &mut at).is_some(),
                1 | 5 => {
                    at += if wire == 1 { 8 } else { 4 };
                    at <= msg.len()
                }
                2 => match varint(msg, &mut at).and_then(|n| usize::try_from(n).ok()) {
                    Some(n) if n <= msg.len() - at => {
                        if let Some(inner) = shape.nested(field) {
                            stack.push((inner, &msg[at..at + n]));
                        }
                        at += n;
                        true
                    }
                    _ => false,
                },
                // 3 and 4 start and end groups (the recursion); 6 and 7 do not exist.
                _ => false,
            };
            if !ok {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::well_formed;
    use protobuf::Message as _;
    use raft::eraftpb::{Entry, Message, MessageType};

    #[test]
    fn real_messages_pass() {
        let mut m = Message::default();
        m.set_msg_type(MessageType::MsgAppend);
        m.to = 3;
        m.from = 1;
        let e = Entry { index: 7, data: b"plan".to_vec().into(), ..Entry::default() };
        m.entries = vec![e.clone(), e].into();
        m.mut_snapshot().mut_metadata().mut_conf_state().voters = vec![1, 2, 3];
        assert!(well_formed(&m.write_to_bytes().unwrap()));
        assert!(well_formed(&[]));
    }

    #[test]
    fn groups_truncation_and_zero_fields_fail() {
        // Field 20, wire type 3 (start group) at the top level, and inside an entry.
        assert!(!well_formed(&[0xa3, 0x01]));
        assert!(!well_formed(&[0x3a, 0x02, 0x0b, 0x00]));
        // A length past the end, a truncated varint, a truncated fixed64, field number 0.
        assert!(!well_formed(&[0x3a, 0x05, 0x00]));
        assert!(!well_formed(&[0x10, 0xff]));
        assert!(!well_formed(&[0x09, 0, 0, 0]));
        assert!(!well_formed(&[0x00, 0x00]));
        // Deeply nested groups: the input that made protobuf recurse, refused at once.
        let deep: Vec<u8> = std::iter::repeat_n(0xa3u8, 100_000).collect();
        assert!(!well_formed(&deep));
    }
}
