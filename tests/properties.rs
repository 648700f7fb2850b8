//! Property tests of the invariants: similarity bounds and symmetry, identity, and a report
//! that depends only on the corpus and options (not on threads or argument order).

mod util;

use proptest::prelude::*;
use reprint::cluster::{measure, Fingerprint};
use reprint::minhash::MinHasher;
use reprint::shingle::shingle_set;
use reprint::{normalize, Config, NoProgress, ShingleSpec};

fn fingerprint(text: &str, hasher: &MinHasher) -> Fingerprint {
    let norm = normalize::normalize(text);
    let set = shingle_set(&norm, ShingleSpec::Words(3), 7);
    Fingerprint {
        quoted_lanes: 0,
        signature: hasher.signature(&set).into(),
        simhash: None,
        shingles: set.len() as u32,
        length: norm.chars().count() as u32,
        numbers: reprint::shingle::number_sketch(&norm, 7).0.into(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn similarity_is_symmetric_and_bounded(a in "[a-z ]{0,400}", b in "[a-z ]{0,400}") {
        let h = MinHasher::new(64, 3);
        let (fa, fb) = (fingerprint(&a, &h), fingerprint(&b, &h));
        let ab = measure(&fa, &fb);
        let ba = measure(&fb, &fa);
        prop_assert_eq!(ab, ba);
        prop_assert!((0.0..=1.0).contains(&ab.jaccard));
        prop_assert!((0.0..=1.0).contains(&ab.containment));
    }

    #[test]
    fn identical_texts_have_similarity_one(a in "[a-zA-Zé ,.]{1,400}") {
        let h = MinHasher::new(64, 3);
        let f = fingerprint(&a, &h);
        prop_assume!(f.shingles > 0);
        let m = measure(&f, &fingerprint(&a, &h));
        prop_assert_eq!(m.jaccard, 1.0);
        prop_assert_eq!(m.containment, 1.0);
    }

    #[test]
    fn report_is_independent_of_threads_and_argument_order(seeds in proptest::collection::vec(0u64..6, 4..12)) {
        let dir = util::Dir::new();
        let mut paths = Vec::new();
        for (i, s) in seeds.iter().enumerate() {
            paths.push(dir.write(&format!("d{i}.txt"), util::prose(*s, 120)));
        }
        let mut config = Config::new(paths.clone());
        config.threads = 1;
        let one = reprint::dedup(&config, &NoProgress).unwrap().to_json();
        config.threads = 2;
        paths.reverse();
        config.paths = paths;
        let two = reprint::dedup(&config, &NoProgress).unwrap().to_json();
        prop_assert_eq!(one, two);
    }
}
