//! Nodes that learn together (sans-IO: the caller owns sockets and clocks).
//!
//! `learned.rs`: the learned state as a CRDT of per-origin slots, with digests and bounded
//! deltas for anti-entropy. `envelope.rs`: signed frames with replay protection; every frame
//! between nodes travels in one, and frames that fail a check are dropped and counted.
//! `peer.rs` and `membership.rs`: who is in the cluster, by SWIM (the crate foca), with our
//! identity and codec. `consensus.rs`: the replicated log of change plans (raft-rs), with
//! `raft_guard.rs` (checks protobuf before it is decoded) and `raft_store.rs` (its file). The design: docs/cluster-design.md.

pub mod consensus;
pub mod envelope;
pub mod learned;
pub mod membership;
pub mod node;
pub mod peer;
pub mod raft_guard;
pub mod raft_store;
