//! Recall cross-check of the HNSW index against an independent implementation, the
//! `instant-distance` crate (whole-index builds only, no insert or delete), on the same seeded
//! unit vectors. Ground truth is an exact scan written here in plain loops, independent of the
//! engine's kernels.
//!
//!   cargo test -p elex-engine --test instant_distance -- --nocapture
//!
//! Native only: `instant-distance` needs threads (rayon), so the file is empty on wasm32.
#![cfg(not(target_arch = "wasm32"))]

mod reference;

use instant_distance::Search;
use reference::{
    cosine_distance, elex_index, exact_top_k, mean_recall, reference_index, reference_search, Rng, Settings,
};

const DIM: usize = 32;
const N: usize = 3000;
const QUERIES: usize = 100;
const K: usize = 10;
const SETTINGS: Settings = Settings { m: 16, ef_construction: 200, ef_search: 64, seed: 1 };

#[test]
fn recall_matches_or_beats_instant_distance() {
    let mut rng = Rng(SETTINGS.seed);
    let data: Vec<[f32; DIM]> = (0..N).map(|_| rng.unit_vector()).collect();
    let queries: Vec<[f32; DIM]> = (0..QUERIES).map(|_| rng.unit_vector()).collect();
    let truth: Vec<Vec<u32>> = queries.iter().map(|q| exact_top_k(&data, q, K)).collect();
    let ix = elex_index(&data, &SETTINGS);
    let map = reference_index(&data, &SETTINGS);

    let (mut elex_found, mut reference_found) = (Vec::new(), Vec::new());
    let mut search = Search::default();
    for q in &queries {
        let r = ix.search_graph(q, K, Some(SETTINGS.ef_search)).unwrap();
        assert_eq!(r.ids.len(), K);
        // Same metric as the scan here: the engine's distances agree with 1 - a·b.
        for (id, d) in r.ids.iter().zip(&r.distances) {
            let expected = cosine_distance(q, &data[*id as usize]);
            assert!((f64::from(*d) - expected).abs() < 1e-4, "id {id}: {d} vs {expected}");
        }
        assert!(r.distances.windows(2).all(|w| w[0] <= w[1]), "not nearest first");
        elex_found.push(r.ids);
        let found = reference_search(&map, q, K, &mut search);
        assert_eq!(found.len(), K);
        reference_found.push(found);
    }
    let elex = mean_recall(&elex_found, &truth, K);
    let reference = mean_recall(&reference_found, &truth, K);
    let ef = SETTINGS.ef_search;
    eprintln!(
        "recall@{K} over {QUERIES} queries, {N} unit vectors of dim {DIM}, ef {ef}: \
         elex {elex:.3}, instant-distance {reference:.3}"
    );
    assert!(reference >= 0.90, "reference recall {reference:.3} < 0.90: the cross-check itself is off");
    assert!(elex >= 0.95, "elex recall {elex:.3} < 0.95");
    assert!(
        elex >= reference - 0.02,
        "elex recall {elex:.3} is below instant-distance's {reference:.3} - 0.02"
    );
}
