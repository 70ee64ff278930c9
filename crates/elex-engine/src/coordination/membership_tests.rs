use super::*;
use foca::{Codec, Header, Member, Message, State};
use std::collections::VecDeque;

fn peer(i: u8, epoch: u64) -> Peer {
    Peer { key: [i; 32], epoch, voter: true, url: Some(format!("ws://127.0.0.1:74{i:02}")) }
}

/// Nodes on an in-memory network: a packet arrives 1 ms after it is sent, unless its
/// sender or receiver is down.
struct Net {
    nodes: Vec<Option<Membership>>,
    wire: VecDeque<(u64, usize, Vec<u8>)>,
    now: u64,
    events: Vec<(usize, MemberEvent)>,
}

impl Net {
    fn new(n: u8) -> Net {
        let nodes =
            (0..n).map(|i| Some(Membership::new(peer(i, 1), config(200), [i.wrapping_add(1); 32]))).collect();
        Net { nodes, wire: VecDeque::new(), now: 0, events: Vec::new() }
    }

    fn index(key: &[u8; 32]) -> usize {
        key[0] as usize
    }

    fn absorb(&mut self, from: usize, step: Step) {
        for (to, data) in step.packets {
            self.wire.push_back((self.now + 1, Self::index(&to.key), data));
        }
        self.events.extend(step.events.into_iter().map(|e| (from, e)));
        let _ = from;
    }

    fn join(&mut self, i: usize, seed: usize) {
        let seed_peer = self.nodes[seed].as_ref().unwrap().me().clone();
        let step = self.nodes[i].as_mut().unwrap().announce(seed_peer, self.now);
        self.absorb(i, step);
    }

    /// Runs the network for `ms` milliseconds in 10 ms ticks.
    fn run(&mut self, ms: u64) {
        let end = self.now + ms;
        while self.now < end {
            self.now += 10;
            while self.wire.front().is_some_and(|p| p.0 <= self.now) {
                let (_, to, data) = self.wire.pop_front().unwrap();
                if let Some(node) = self.nodes[to].as_mut() {
                    let step = node.handle(&data, self.now);
                    self.absorb(to, step);
                }
            }
            for i in 0..self.nodes.len() {
                if let Some(node) = self.nodes[i].as_mut() {
                    let step = node.tick(self.now);
                    self.absorb(i, step);
                }
            }
        }
    }

    fn seen_by(&self, i: usize) -> Vec<u8> {
        let mut keys: Vec<u8> = self.nodes[i].as_ref().unwrap().members().iter().map(|p| p.key[0]).collect();
        keys.sort_unstable();
        keys
    }
}

#[test]
fn five_nodes_join_see_a_killed_one_leave_and_a_restarted_one_return() {
    let mut net = Net::new(5);
    for i in 1..5 {
        net.join(i, 0);
    }
    net.run(5_000);
    for i in 0..5 {
        let expected: Vec<u8> = (0..5).filter(|&j| j != i as u8).collect();
        assert_eq!(net.seen_by(i), expected, "node {i} after joining");
    }
    // Killed: no more packets to or from node 4.
    net.nodes[4] = None;
    let killed_at = net.now;
    net.run(10_000);
    for i in 0..4 {
        assert_eq!(
            net.seen_by(i),
            (0..4).filter(|&j| j != i as u8).collect::<Vec<_>>(),
            "node {i} after the kill"
        );
        let down_at =
            net.events.iter().any(|(n, e)| *n == i && matches!(e, MemberEvent::Down(p) if p.key[0] == 4));
        assert!(down_at, "node {i} was told node 4 went down");
    }
    let _ = killed_at;
    // Restarted: a newer identity (later epoch) at the same key rejoins through node 1.
    net.nodes[4] = Some(Membership::new(peer(4, 2), config(200), [99; 32]));
    net.join(4, 1);
    net.run(5_000);
    for i in 0..5 {
        assert_eq!(net.seen_by(i).len(), 4, "node {i} after the restart");
    }
    let epoch_seen =
        net.nodes[0].as_ref().unwrap().members().into_iter().find(|p| p.key[0] == 4).unwrap().epoch;
    assert_eq!(epoch_seen, 2, "the restarted identity replaced the old one");
}

#[test]
fn the_codec_round_trips_every_message_and_refuses_damage() {
    let mut codec = PeerCodec;
    let (a, b) = (peer(1, 7), Peer { url: None, voter: false, ..peer(2, 9) });
    let messages = vec![
        Message::Ping(3),
        Message::Ack(4),
        Message::PingReq { target: b.clone(), probe_number: 5 },
        Message::IndirectPing { origin: a.clone(), probe_number: 6 },
        Message::IndirectAck { target: b.clone(), probe_number: 7 },
        Message::ForwardedAck { origin: a.clone(), probe_number: 8 },
        Message::Announce,
        Message::Feed,
        Message::Gossip,
        Message::Broadcast,
        Message::TurnUndead,
    ];
    for message in messages {
        let header = Header { src: a.clone(), src_incarnation: 12, dst: b.clone(), message };
        let mut bytes = Vec::new();
        codec.encode_header(&header, &mut bytes).unwrap();
        assert_eq!(codec.decode_header(&bytes[..]).unwrap(), header);
        for cut in 0..bytes.len() {
            assert!(codec.decode_header(&bytes[..cut]).is_err(), "cut at {cut}");
        }
    }
    for state in [State::Alive, State::Suspect, State::Down] {
        let m = Member::new(b.clone(), 3, state);
        let mut bytes = Vec::new();
        codec.encode_member(&m, &mut bytes).unwrap();
        assert_eq!(codec.decode_member(&bytes[..]).unwrap(), m);
    }
    let long = Peer { url: Some("x".repeat(crate::coordination::peer::MAX_URL + 1)), ..a };
    assert!(codec.encode_member(&Member::new(long, 0, State::Alive), &mut Vec::new()).is_err());
}
