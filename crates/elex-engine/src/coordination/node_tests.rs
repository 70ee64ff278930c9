use super::*;
use crate::agent::catalog::parse_catalog;
use crate::agent::swarm::{QueryInput, SwarmConfig};
use crate::qlearning::{QLearningConfig, QLearningOptions};
use std::collections::{BTreeMap, HashMap, VecDeque};

// Under wasm32-wasip1 the tests that build full-catalog swarms are ignored: Node 20's WASI
// segfaulted (the process, not a wasm trap) running them after the index tests. They are
// platform-independent logic run natively; the WebAssembly node is tested from JS
// (__test__/cluster/mixed.spec.mjs, browser.spec.mjs).
const CATALOG: &str = include_str!("../../../../data/catalog.json");
const START: u64 = 1_800_000_000_000;

fn swarm() -> Swarm {
    let (features, vocabulary) = parse_catalog(CATALOG).unwrap();
    let qlearning =
        QLearningConfig::new(&QLearningOptions { seed: Some(1), epsilon: Some(0.0), ..Default::default() })
            .unwrap();
    let cfg = SwarmConfig {
        dim: 128,
        cold_start_threshold: 0,
        qlearning,
        seed: 7,
        query_cache_size: 1000,
        safe_zones: BTreeMap::new(),
    };
    Swarm::new(features, vocabulary, cfg).unwrap()
}

struct Sim {
    nodes: Vec<Option<(Node, Swarm)>>,
    /// What each node last persisted (its raft state), kept across kills.
    images: Vec<Option<Vec<u8>>>,
    committed: Vec<Vec<u64>>,
    by_key: HashMap<[u8; 32], usize>,
    wire: VecDeque<(u64, usize, Vec<u8>)>,
    now: u64,
    anti_entropy_interval_ms: u64,
}

fn identity(i: usize) -> Identity {
    Identity::from_secret_key(&[i as u8 + 1; 32]).unwrap()
}

impl Sim {
    fn new(n: usize) -> Sim {
        let mut sim = Sim {
            nodes: Vec::new(),
            images: vec![None; n],
            committed: vec![Vec::new(); n],
            by_key: HashMap::new(),
            wire: VecDeque::new(),
            now: START,
            anti_entropy_interval_ms: 1000,
        };
        for i in 0..n {
            sim.by_key.insert(identity(i).public_key(), i);
            sim.nodes.push(None);
            sim.start(i, swarm());
        }
        for i in 1..n {
            sim.connect(i, 0);
        }
        sim
    }

    /// Node `i`'s configuration, with its saved raft state; node 0 founds the group.
    fn config(&self, i: usize) -> NodeConfig {
        NodeConfig {
            voter: true,
            url: Some(format!("ws://127.0.0.1:75{i:02}")),
            trust: None,
            gossip_interval_ms: 200,
            anti_entropy_interval_ms: self.anti_entropy_interval_ms,
            anti_entropy_budget: 32 * 1024,
            seed: [i as u8 + 1; 32],
            founder: i == 0,
            restored: self.images[i].clone(),
        }
    }

    /// Starts (or restarts) node `i`.
    fn start(&mut self, i: usize, swarm: Swarm) {
        let cfg = self.config(i);
        self.nodes[i] = Some((Node::new(identity(i), cfg, self.now).unwrap(), swarm));
    }

    /// A new connection between `i` and `j`: each says hello.
    fn connect(&mut self, i: usize, j: usize) {
        for (from, to) in [(i, j), (j, i)] {
            let hello = self.nodes[from].as_mut().unwrap().0.hello(self.now);
            self.wire.push_back((self.now + 1, to, hello));
        }
    }

    fn send(&mut self, from: usize, out: Output) {
        // The host writes the raft state before it sends anything of the same output.
        if out.persist.is_some() {
            self.images[from] = out.persist;
        }
        self.committed[from].extend(out.committed.iter().map(|c| c.0));
        for (to, bytes) in out.frames {
            if let Some(&j) = self.by_key.get(&to) {
                self.wire.push_back((self.now + 1, j, bytes));
            }
        }
    }

    fn run(&mut self, ms: u64) {
        let end = self.now + ms;
        while self.now < end {
            self.now += 10;
            while self.wire.front().is_some_and(|f| f.0 <= self.now) {
                let (_, to, bytes) = self.wire.pop_front().unwrap();
                if let Some((node, swarm)) = self.nodes[to].as_mut() {
                    let out = node.handle(&bytes, self.now, swarm);
                    self.send(to, out);
                }
            }
            for i in 0..self.nodes.len() {
                if let Some((node, swarm)) = self.nodes[i].as_mut() {
                    let out = node.tick(self.now, swarm);
                    self.send(i, out);
                }
            }
        }
    }

    fn node(&mut self, i: usize) -> &mut Node {
        &mut self.nodes[i].as_mut().unwrap().0
    }

    fn propose(&mut self, i: usize, plan: &str) -> u64 {
        let now = self.now;
        let (req, out) = self.node(i).propose(plan, 5_000, now).unwrap();
        self.send(i, out);
        req
    }

    fn plans(&mut self, i: usize) -> Vec<(u64, String)> {
        self.node(i).log().iter().map(|e| (e.index, e.plan.clone())).collect()
    }

    /// Node `i` asks `text` and rates the answer `times` times; the feature it was about.
    fn teach(&mut self, i: usize, text: &str, times: usize) -> String {
        let (_, swarm) = self.nodes[i].as_mut().unwrap();
        let mut faj = String::new();
        for _ in 0..times {
            let r = swarm.query(&QueryInput { text: text.into(), ..Default::default() }, &|| 0.0).unwrap();
            swarm.feedback(&r.query_id, 1.0).unwrap();
            faj = r.faj_code;
        }
        faj
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn five_nodes_that_learn_different_features_end_up_with_the_same_learned_values() {
    let mut sim = Sim::new(5);
    let questions = [
        "How do I activate MIMO Sleep Mode?",
        "what does pmAnrNeighbrelAdd count?",
        "is IFLB worth switching on here?",
        "UL CoMP gains are low",
        "which parameters control inter-frequency load balancing?",
    ];
    let taught: Vec<String> = questions.iter().enumerate().map(|(i, q)| sim.teach(i, q, 3 + i)).collect();
    sim.run(30_000);
    for (i, faj) in taught.iter().enumerate() {
        let want = sim.nodes[i].as_ref().unwrap().1.learned(faj).unwrap();
        assert!(!want.is_empty(), "node {i} learned {faj}");
        for j in 0..5 {
            let got = sim.nodes[j].as_ref().unwrap().1.learned(faj).unwrap();
            assert_eq!(got, want, "node {j} sees what node {i} learned about {faj}");
        }
    }
    for (i, slot) in sim.nodes.iter().enumerate() {
        let (node, _) = slot.as_ref().unwrap();
        assert_eq!(node.members().len(), 4, "node {i} sees the other four");
        assert!(node.rounds() > 0, "node {i} had digests answered");
        assert!(node.rejected().is_empty(), "node {i} dropped nothing: {:?}", node.rejected());
    }
    // A stranger's empty answer changes nothing, and its replay is dropped and counted.
    let (node0, swarm0) = sim.nodes[0].as_mut().unwrap();
    let mut stranger = Sealer::new(Identity::from_secret_key(&[42; 32]).unwrap(), START);
    let forged = stranger.seal(KIND_SLOTS, &node0.me().key, &Delta::default().to_bytes(), sim.now);
    let before = node0.learned_state().clone();
    node0.handle(&forged, sim.now, swarm0);
    node0.handle(&forged, sim.now, swarm0);
    assert_eq!(node0.learned_state(), &before);
    assert_eq!(node0.rejected().get("replayed"), Some(&1));
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn learning_spreads_on_the_gossip_alone_when_anti_entropy_is_off() {
    let mut sim = Sim::new(0);
    sim.anti_entropy_interval_ms = u64::MAX / 4;
    for i in 0..5 {
        sim.by_key.insert(identity(i).public_key(), i);
        sim.nodes.push(None);
        sim.images.push(None);
        sim.committed.push(Vec::new());
        sim.start(i, swarm());
    }
    for i in 1..5 {
        sim.connect(i, 0);
    }
    sim.run(5_000);
    let faj = sim.teach(3, "How do I activate MIMO Sleep Mode?", 5);
    sim.run(5_000);
    let want = sim.nodes[3].as_ref().unwrap().1.learned(&faj).unwrap();
    for i in 0..5 {
        assert_eq!(sim.nodes[i].as_ref().unwrap().1.learned(&faj).unwrap(), want, "node {i}");
        assert_eq!(sim.node(i).rounds(), 0, "node {i} had no anti-entropy");
    }
    // Items that are not one origin's slots for one agent are refused by the handler.
    assert!(crate::coordination::membership::Deltas::key_of(b"junk").is_none());
    assert!(crate::coordination::membership::Deltas::key_of(&Delta::default().to_bytes()).is_none());
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn plans_commit_at_the_same_index_with_a_majority_and_never_without_one() {
    let mut sim = Sim::new(5);
    sim.run(15_000);
    let leader = sim.node(0).leader();
    assert!(leader.is_some(), "a leader was elected");
    for i in 0..5 {
        assert_eq!(sim.node(i).leader(), leader, "node {i} follows the same leader");
    }
    // Proposed on a follower, committed on all five at the same index.
    let follower = (0..5).find(|&i| Some(sim.node(i).me().key) != leader).unwrap();
    let req = sim.propose(follower, r#"{"plan":1}"#);
    sim.run(3_000);
    assert_eq!(sim.committed[follower], vec![req]);
    let first = sim.plans(0);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].1, r#"{"plan":1}"#);
    for i in 1..5 {
        assert_eq!(sim.plans(i), first, "node {i}'s log");
    }
    // Four of five alive (the leader among the dead, to make it harder): still commits.
    let leader_at = (0..5).find(|&i| Some(sim.node(i).me().key) == leader).unwrap();
    sim.nodes[leader_at] = None;
    let alive: Vec<usize> = (0..5).filter(|&i| i != leader_at).collect();
    let req = sim.propose(alive[0], r#"{"plan":2}"#);
    sim.run(8_000);
    assert_eq!(sim.committed[alive[0]].last(), Some(&req));
    let second = sim.plans(alive[0]);
    assert_eq!(second.len(), 2);
    for &i in &alive {
        assert_eq!(sim.plans(i), second, "node {i}'s log after a loss");
    }
    // Two of five: nothing commits, however long it waits.
    sim.nodes[alive[1]] = None;
    sim.nodes[alive[2]] = None;
    let before = sim.committed[alive[0]].len();
    sim.propose(alive[0], r#"{"plan":3}"#);
    sim.run(10_000);
    assert_eq!(sim.committed[alive[0]].len(), before, "no majority, no commit");
    assert_eq!(sim.plans(alive[0]), second);
    assert_eq!(sim.plans(alive[3]), second);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn a_restarted_node_catches_up_on_the_log_and_gets_its_own_learning_back() {
    let mut sim = Sim::new(3);
    sim.run(10_000);
    let faj = sim.teach(2, "How do I activate MIMO Sleep Mode?", 6);
    sim.propose(1, r#"{"before":true}"#);
    sim.run(10_000);
    let learned = sim.nodes[2].as_ref().unwrap().1.learned(&faj).unwrap();
    assert!(!learned.is_empty());
    let log = sim.plans(0);
    assert_eq!(log.len(), 1);
    // Killed, and a plan commits while it is away.
    sim.nodes[2] = None;
    sim.run(1_000);
    sim.propose(0, r#"{"while-away":true}"#);
    sim.run(5_000);
    assert_eq!(sim.plans(0).len(), 2);
    // Back with its raft state and an empty swarm: it takes back its own learning from the
    // copy its peers kept, instead of overwriting that with nothing.
    sim.start(2, swarm());
    sim.connect(2, 0);
    sim.run(20_000);
    assert_eq!(sim.plans(2), sim.plans(0));
    for i in 0..3 {
        assert_eq!(sim.nodes[i].as_ref().unwrap().1.learned(&faj).unwrap(), learned, "node {i}");
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn a_corrupt_raft_state_refuses_to_start() {
    let mut sim = Sim::new(1);
    sim.run(3_000);
    let mut image = sim.images[0].clone().expect("the founder persisted its state");
    let last = image.len() - 1;
    image[last] ^= 1;
    sim.images[0] = Some(image);
    assert_eq!(Node::new(identity(0), sim.config(0), START).err().map(|e| e.code()), Some("CORRUPT_DATA"));
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn one_nodes_raft_state_does_not_start_another() {
    let mut sim = Sim::new(1);
    sim.run(3_000);
    // Node 0's state, given to node 1.
    let cfg = NodeConfig { founder: false, ..sim.config(0) };
    let e = Node::new(identity(1), cfg, START).err().unwrap();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    assert!(e.to_string().contains("its own data directory"), "{e}");
}

#[test]
fn digests_decode_only_what_they_encode() {
    let mut d = Digest::new();
    d.insert([1; 16], (5, vec![7, 9]));
    d.insert([2; 16], (0, vec![]));
    d.insert([3; 16], (2, (10..300).chain([400, 401, u64::MAX]).collect()));
    let bytes = encode_digest(&d);
    assert_eq!(decode_digest(&bytes).unwrap(), d);
    // Consecutive versions travel as runs: 5 runs, not 294 versions.
    // Runs: [7] [9] for origin 1, none for origin 2, [10..300) [400, 401] [MAX] for origin 3.
    assert_eq!(bytes.len(), 4 + 3 * (16 + 8 + 4) + 5 * 12);
    // A run claiming more versions than a digest may hold expands only so far.
    let mut w = Writer::default();
    w.u32(1);
    w.bytes.extend_from_slice(&[9; 16]);
    w.u64(0);
    w.u32(1);
    w.u64(u64::MAX - 5);
    w.u32(u32::MAX);
    assert_eq!(decode_digest(&w.bytes).unwrap()[&[9; 16]].1.len(), 6);
    for cut in 0..bytes.len() {
        assert!(decode_digest(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "full-catalog swarms: see the note at the top")]
fn learning_travels_through_a_shared_store_signed_and_only_for_its_own_origin() {
    // Two nodes that never meet: what one learned reaches the other through store values.
    let mut sim = Sim::new(0);
    for i in 0..2 {
        sim.by_key.insert(identity(i).public_key(), i);
        sim.nodes.push(None);
        sim.images.push(None);
        sim.committed.push(Vec::new());
        sim.start(i, swarm());
    }
    let faj = sim.teach(0, "How do I activate MIMO Sleep Mode?", 4);
    sim.run(4_000);
    let now = sim.now;
    let values = sim.node(0).kv_values(false, now);
    assert_eq!(values.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(), vec![faj.as_str()]);
    assert!(sim.node(0).kv_values(false, now).is_empty(), "nothing new since");
    assert_eq!(sim.node(0).kv_values(true, now).len(), 1, "everything, to resynchronise");
    let value = &values[0].1;
    let (b, swarm_b) = sim.nodes[1].as_mut().unwrap();
    // Damaged or foreign values change nothing.
    let mut tampered = value.clone();
    tampered[100] ^= 1;
    assert_eq!(b.absorb_stored(&tampered, swarm_b), 0);
    assert_eq!(b.absorb_stored(b"junk", swarm_b), 0);
    assert!(swarm_b.learned(&faj).unwrap().is_empty());
    // The real one, twice: the same result as once.
    assert_eq!(b.absorb_stored(value, swarm_b), 1);
    assert_eq!(b.absorb_stored(value, swarm_b), 0);
    let want = sim.nodes[0].as_ref().unwrap().1.learned(&faj).unwrap();
    assert_eq!(sim.nodes[1].as_ref().unwrap().1.learned(&faj).unwrap(), want);
    // A trusted node writing another origin's slots is refused.
    let mut forger = Sealer::new(identity(1), START);
    let theirs = sim.node(0).learned_state().origin_slots(&faj, &origin_of(&identity(0).public_key()));
    let forged = forger.seal(KIND_KV, &ANYONE, &theirs.to_bytes(), now);
    let (a, swarm_a) = sim.nodes[0].as_mut().unwrap();
    assert_eq!(a.absorb_stored(&forged, swarm_a), 0);
    let rejected = sim.node(0).rejected();
    assert_eq!(rejected.get("forged"), Some(&1));
    let rejected = sim.node(1).rejected();
    assert_eq!((rejected.get("tampered"), rejected.get("malformed")), (Some(&1), Some(&1)));
}

#[test]
fn a_digest_says_whether_the_asker_holds_something_new() {
    let mut mine = Digest::new();
    mine.insert([1; 16], (10, vec![12, 13]));
    let mut theirs = Digest::new();
    theirs.insert([1; 16], (9, vec![12]));
    assert!(!lacks(&mine, &theirs), "nothing new");
    theirs.insert([1; 16], (10, vec![14]));
    assert!(lacks(&mine, &theirs), "version 14");
    theirs.insert([1; 16], (u64::MAX, vec![]));
    assert!(lacks(&mine, &theirs), "complete further, and answered at once however far");
    let mut other = Digest::new();
    other.insert([2; 16], (0, vec![1]));
    assert!(lacks(&mine, &other), "an origin not held at all");
}
