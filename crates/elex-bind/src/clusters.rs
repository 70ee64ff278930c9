//! Cluster nodes as the wrappers hold them: a registry of sans-IO nodes, each tied to the
//! swarm (by handle) whose learning it shares. The host (js/cluster*.mjs) owns sockets and
//! time; every step returns one binary [`Output`] image it decodes with a DataView:
//!
//! `u32 n × (key[32] | u16 url_len | url | u32 len | frame)` — frames to send, by member key,
//! with the member's URL when known (so the host can dial it);
//! `f64 wake_at` (NaN: none); `u32 persist_len | persist` (0xFFFFFFFF: nothing to write —
//! write it before sending the frames); `u32 json_len | json` (what happened: hello,
//! members up/down, committed proposals, agents whose learned view changed, a request id).

use crate::registry::with;
use crate::swarms::with_swarm;
use elex_engine::coordination::membership::MemberEvent;
use elex_engine::coordination::node::{Node, NodeConfig, Output};
use elex_engine::coordination::peer::Peer;
use elex_engine::error::{ElexError, Result};
use elex_engine::json::{self, Fields, Object, ToJson};
use elex_engine::security::{agent_id, random_bytes, Identity};

pub struct ClusterNode {
    node: Node,
    swarm: u32,
}

crate::registered!(ClusterNode, CLUSTERS);

fn bad(e: String) -> ElexError {
    ElexError::invalid_argument(e)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key_from_hex(at: &str, s: &str) -> Result<[u8; 32]> {
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect();
    bytes.and_then(|b| <[u8; 32]>::try_from(b).ok()).ok_or_else(|| {
        ElexError::InvalidKey(format!("{at}: a public key is 32 bytes (64 hex digits)").into())
    })
}

fn millis(at: &'static str, v: f64) -> Result<u64> {
    if (0.0..=9.0e15).contains(&v) {
        Ok(v as u64)
    } else {
        Err(ElexError::bad_argument(at, "a time in milliseconds", &v))
    }
}

/// A node for the identity and swarm behind the given handles. `options`: `{ voter, url,
/// trust: [hex key], gossipIntervalMs, founder, seed? }` (the JS layer checks the user's
/// `ClusterOptions` and derives these). `restored`: the raft state it persisted before.
pub fn new_node(
    identity: u32, swarm: u32, options: &str, restored: Option<&[u8]>, now_ms: f64,
) -> Result<ClusterNode> {
    let now = millis("nowMs", now_ms)?;
    // The swarm must exist now; a later call on a freed one fails with a clear error.
    crate::swarms::shared(swarm)?;
    let v = json::parse(options).map_err(|e| bad(format!("cluster options: {e}")))?;
    let mut f = Fields::new(&v, "cluster options").map_err(bad)?;
    let voter: Option<bool> = f.opt("voter").map_err(bad)?;
    let url: Option<String> = f.opt("url").map_err(bad)?;
    let trust: Option<Vec<String>> = f.opt("trust").map_err(bad)?;
    let gossip: Option<f64> = f.opt("gossipIntervalMs").map_err(bad)?;
    let founder: Option<bool> = f.opt("founder").map_err(bad)?;
    let seed: Option<f64> = f.opt("seed").map_err(bad)?;
    f.finish().map_err(bad)?;
    let trust = trust
        .map(|keys| keys.iter().enumerate().map(|(i, k)| key_from_hex(&format!("trust[{i}]"), k)).collect())
        .transpose()?;
    let gossip_interval_ms =
        u64::from(crate::args::whole("gossipIntervalMs", gossip.unwrap_or(200.0), 10, 60_000)?);
    let seed = match seed {
        Some(s) => {
            let mut b = [0u8; 32];
            b[..4].copy_from_slice(&crate::args::whole("seed", s, 0, u32::MAX)?.to_le_bytes());
            b
        }
        None => random_bytes::<32>()?,
    };
    let identity = with(identity, |id: &mut Identity| Identity::from_secret_key(&id.secret_key()[..]))?;
    let cfg = NodeConfig {
        voter: voter.unwrap_or(true),
        url,
        trust,
        gossip_interval_ms,
        anti_entropy_interval_ms: 1000,
        anti_entropy_budget: 32 * 1024,
        seed,
        founder: founder.unwrap_or(false) && restored.is_none(),
        restored: restored.map(<[u8]>::to_vec),
    };
    Ok(ClusterNode { node: Node::new(identity, cfg, now)?, swarm })
}

/// What a step does: 0 a frame arrived (`bytes`), 1 the timer fired, 2 one anti-entropy
/// round with everyone now, 3 leave, 4 propose the plan in `bytes` (JSON) within `arg` ms,
/// 5 a value from the shared store (NATS KV) arrived (`bytes`).
pub fn step(handle: u32, op: u32, bytes: &[u8], now_ms: f64, arg: f64) -> Result<Vec<u8>> {
    let now = millis("nowMs", now_ms)?;
    with(handle, |c: &mut ClusterNode| {
        let mut req = None;
        let out = match op {
            0 => with_swarm(c.swarm, |s| Ok(c.node.handle(bytes, now, s)))?,
            1 => with_swarm(c.swarm, |s| Ok(c.node.tick(now, s)))?,
            2 => c.node.sync(now),
            3 => c.node.leave(now),
            4 => {
                let plan = std::str::from_utf8(bytes).map_err(|_| bad("plan: not UTF-8".into()))?;
                match json::parse(plan).map_err(|e| bad(format!("plan: {e}")))? {
                    json::Json::Obj(_) => {}
                    other => return Err(bad(format!("plan: expected an object, got {}", other.kind()))),
                }
                let timeout = u64::from(crate::args::whole("timeoutMs", arg, 1, 3_600_000)?);
                let (r, out) = c.node.propose(plan, timeout, now)?;
                req = Some(r);
                out
            }
            5 => {
                let learned = with_swarm(c.swarm, |s| Ok(c.node.absorb_stored(bytes, s)))?;
                Output { learned_agents: learned, ..Output::default() }
            }
            other => return Err(bad(format!("unknown cluster step {other}"))),
        };
        Ok(encode(&c.node, out, req))
    })
}

/// Values for the shared store: `u32 n × (u16 len | agent | u32 len | signed value)`, one
/// per own agent whose slots changed since the last call (`all`: every own agent).
pub fn kv_values(handle: u32, all: bool, now_ms: f64) -> Result<Vec<u8>> {
    let now = millis("nowMs", now_ms)?;
    with(handle, |c: &mut ClusterNode| {
        let values = c.node.kv_values(all, now);
        let mut b = Vec::new();
        b.extend_from_slice(&(values.len() as u32).to_le_bytes());
        for (agent, value) in values {
            b.extend_from_slice(&(agent.len() as u16).to_le_bytes());
            b.extend_from_slice(agent.as_bytes());
            b.extend_from_slice(&(value.len() as u32).to_le_bytes());
            b.extend_from_slice(&value);
        }
        Ok(b)
    })
}

/// The first frame for a new connection (this node's signed hello).
pub fn hello(handle: u32, now_ms: f64) -> Result<Vec<u8>> {
    let now = millis("nowMs", now_ms)?;
    with(handle, |c: &mut ClusterNode| Ok(c.node.hello(now)))
}

struct PeerJson<'a>(&'a Peer, &'static str);

impl ToJson for PeerJson<'_> {
    fn write_json(&self, out: &mut String) {
        Object::new(out)
            .field("key", &hex(&self.0.key))
            .field("nodeId", &agent_id(&self.0.key))
            .field("address", &self.0.url)
            .field("state", self.1)
            .field("voter", &self.0.voter)
            .end();
    }
}

/// A JSON text already checked (a plan), written as it is.
struct Raw<'a>(&'a str);

impl ToJson for Raw<'_> {
    fn write_json(&self, out: &mut String) {
        out.push_str(self.0);
    }
}

/// `members`, `log` or `stats` as JSON.
pub fn info(handle: u32, what: &str) -> Result<String> {
    with(handle, |c: &mut ClusterNode| {
        let n = &c.node;
        let mut s = String::new();
        match what {
            "members" => {
                let mut all = vec![PeerJson(n.me(), "alive")];
                let roster = n.roster();
                all.extend(roster.iter().map(|(p, state)| PeerJson(p, state)));
                all.write_json(&mut s);
            }
            "log" => {
                s.push('[');
                for (i, e) in n.log().iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    Object::new(&mut s)
                        .field("index", &e.index)
                        .field("term", &e.term)
                        .field("plan", &Raw(&e.plan))
                        .field("proposedBy", &agent_id(&e.proposed_by))
                        .field("committedAt", &e.committed_at)
                        .end();
                }
                s.push(']');
            }
            "stats" => {
                let rejected: std::collections::BTreeMap<String, u64> =
                    n.rejected().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
                Object::new(&mut s)
                    .field("rejected", &rejected)
                    .field("leader", &n.leader().map(|k| agent_id(&k)))
                    .field("term", &n.term())
                    .field("rounds", &n.rounds())
                    .field("slots", &n.learned_state().len())
                    .end();
            }
            other => return Err(bad(format!("unknown cluster info {other:?}"))),
        }
        Ok(s)
    })
}

fn encode(node: &Node, out: Output, req: Option<u64>) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&(out.frames.len() as u32).to_le_bytes());
    for (key, frame) in &out.frames {
        b.extend_from_slice(key);
        let url = node.url_of(key).unwrap_or_default();
        b.extend_from_slice(&(url.len() as u16).to_le_bytes());
        b.extend_from_slice(url.as_bytes());
        b.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        b.extend_from_slice(frame);
    }
    b.extend_from_slice(&out.wake_at.map_or(f64::NAN, |w| w as f64).to_le_bytes());
    match &out.persist {
        Some(p) => {
            b.extend_from_slice(&(p.len() as u32).to_le_bytes());
            b.extend_from_slice(p);
        }
        None => b.extend_from_slice(&u32::MAX.to_le_bytes()),
    }
    let mut up = Vec::new();
    let mut down = Vec::new();
    for e in &out.events {
        match e {
            MemberEvent::Up(p) => up.push(agent_id(&p.key)),
            MemberEvent::Down(p) => down.push(agent_id(&p.key)),
            MemberEvent::Renamed(_, p) => up.push(agent_id(&p.key)),
            MemberEvent::Active | MemberEvent::Idle => {}
        }
    }
    let mut j = String::new();
    let hello = out.hello.as_ref().map(|p| PeerJson(p, "alive"));
    Object::new(&mut j)
        .some("hello", &hello)
        .nonempty("up", &up)
        .nonempty("down", &down)
        .nonempty("committed", &out.committed.iter().map(|(r, i)| vec![*r, *i]).collect::<Vec<_>>())
        .field("learned", &out.learned_agents)
        .some("req", &req)
        .end();
    b.extend_from_slice(&(j.len() as u32).to_le_bytes());
    b.extend_from_slice(j.as_bytes());
    b
}
