use super::*;
use crate::agent::catalog::parse_catalog;
use crate::agent::swarm::{QueryInput, SwarmConfig};
use crate::qlearning::{QLearningConfig, QLearningOptions};
use std::collections::{BTreeMap, HashMap, VecDeque};

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
    by_key: HashMap<[u8; 32], usize>,
    wire: VecDeque<(u64, usize, Vec<u8>)>,
    now: u64,
}

impl Sim {
    fn new(n: u8) -> Sim {
        let mut nodes = Vec::new();
        let mut by_key = HashMap::new();
        for i in 0..n {
            let identity = Identity::from_secret_key(&[i + 1; 32]).unwrap();
            by_key.insert(identity.public_key(), i as usize);
            let cfg = NodeConfig {
                voter: true,
                url: Some(format!("ws://127.0.0.1:75{i:02}")),
                trust: None,
                gossip_interval_ms: 200,
                anti_entropy_interval_ms: 1000,
                anti_entropy_budget: 32 * 1024,
                seed: [i + 1; 32],
            };
            nodes.push(Some((Node::new(identity, cfg, START), swarm())));
        }
        Sim { nodes, by_key, wire: VecDeque::new(), now: START }
    }

    fn send(&mut self, out: Output) {
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
                    self.send(out);
                }
            }
            for i in 0..self.nodes.len() {
                if let Some((node, swarm)) = self.nodes[i].as_mut() {
                    let out = node.tick(self.now, swarm);
                    self.send(out);
                }
            }
        }
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
fn five_nodes_that_learn_different_features_end_up_with_the_same_learned_values() {
    let mut sim = Sim::new(5);
    let seed = sim.nodes[0].as_ref().unwrap().0.me().clone();
    for i in 1..5 {
        let out = sim.nodes[i].as_mut().unwrap().0.join(seed.clone(), sim.now);
        sim.send(out);
    }
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
fn digests_decode_only_what_they_encode() {
    let mut d = Digest::new();
    d.insert([1; 16], (5, vec![7, 9]));
    d.insert([2; 16], (0, vec![]));
    let bytes = encode_digest(&d);
    assert_eq!(decode_digest(&bytes).unwrap(), d);
    for cut in 0..bytes.len() {
        assert!(decode_digest(&bytes[..cut]).is_err(), "cut at {cut}");
    }
}
