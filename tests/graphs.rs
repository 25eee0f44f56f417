//! Graph features beyond a chain, and what they expand to: reused modules,
//! frozen layers, several inputs and outputs, conditional values, and blocks
//! brought in from another `network!`.

use netshape::{network, Network};

network! {
    /// A module called twice: two rows, one set of parameters.
    pub struct Reuse {
        input: [16],
        fc: Linear(16, 16),
        act: ReLU(),
        fc,
        act,
    }
}

#[test]
fn a_reused_module_is_counted_once() {
    assert_eq!(Reuse::TOTAL_PARAMS, 16 * 16 + 16);
    let rows: Vec<_> = Reuse::SUMMARY.rows().map(|layer| (layer.kind, layer.name, layer.params)).collect();
    assert_eq!(rows, [("Linear", "fc", 272), ("ReLU", "act", 0), ("Linear", "fc", 272), ("ReLU", "act", 0)]);
    // torchsummary's own total counts the module per call, as its table shows.
    assert_eq!(Reuse::SUMMARY.total_params(), 2 * 272);
    assert_eq!(Reuse::STATE_DICT.len(), 2);
}

network! {
    /// A frozen backbone and a trainable head.
    pub struct Frozen {
        input: [3, 32, 32],
        #[frozen]
        #[allow(netshape::bias_before_norm)]
        backbone: [
            Conv2d(3, 8, 3, padding = 1),
            BatchNorm2d(8),
            ReLU(),
        ],
        flatten(1),
        head: Linear(8 * 32 * 32, 10),
    }
}

#[test]
fn frozen_layers_are_not_trainable() {
    let backbone = 3 * 8 * 9 + 8 + 2 * 8;
    let head = 8 * 32 * 32 * 10 + 10;
    assert_eq!(Frozen::TOTAL_PARAMS, backbone + head);
    assert_eq!(Frozen::TRAINABLE_PARAMS, head);
    assert_eq!(Frozen::NON_TRAINABLE_PARAMS, backbone);
    let table = Frozen::SUMMARY.to_string();
    assert!(table.contains("Non-trainable params: 240\n"), "{table}");
    let conv = Frozen::LAYERS.iter().find(|layer| layer.name == "backbone.0").expect("the conv");
    assert_eq!((conv.params, conv.trainable), (224, 0));
}

network! {
    /// Two inputs and two outputs: an image tower, a tag tower, and a head on both.
    pub struct TwoTowers {
        input image: [3, 32, 32],
        input tags: [20] as i64,
        conv: Conv2d(3, 16, 3, stride = 2, padding = 1),
        let pooled = [adaptive_avg_pool2d(1), flatten(1)],
        let words = tags -> [embed: Embedding(1000, 16), mean(dim = 1)],
        let both = cat(dim = 1, pooled, words),
        both,
        head: Linear(32, 10),
        let logits = [],
        let aux = words -> aux: Linear(16, 2),
        output: (logits, aux),
    }
}

#[test]
fn several_inputs_and_outputs() {
    assert_eq!(TwoTowers::INPUT_SHAPES, [&[3, 32, 32][..], &[20][..]]);
    assert_eq!(TwoTowers::OUTPUT_SHAPES, [&[10][..], &[2][..]]);
    assert_eq!(TwoTowers::INPUT_SHAPE, [3, 32, 32]);
    assert_eq!(TwoTowers::OUTPUT_SHAPE, [10]);
    let _: <TwoTowers as Network>::Input = (netshape::Tensor3::<3, 32, 32>, netshape::Tensor1::<20>);
    let _: <TwoTowers as Network>::Output = (netshape::Tensor1::<10>, netshape::Tensor1::<2>);
    // torchsummary multiplies the dimensions of all inputs together.
    let elements = 3 * 32 * 32 * 20;
    assert_eq!(TwoTowers::SUMMARY.input_size_mb(), elements as f64 * 4.0 / (1024.0 * 1024.0));
}

network! {
    /// A branch width chosen by a conditional value, as ShuffleNet needs.
    pub block Branch(inp, oup, stride) {
        conv: Conv2d(if stride > 1 { inp } else { oup / 2 }, oup / 2, 1),
    }

    pub struct Conditional {
        input: [24, 8, 8],
        one: Branch(24, 32, 2),
        // With stride 1 the branch takes `oup / 2` channels, whatever `inp` says.
        two: Branch(7, 32, 1),
    }
}

#[test]
fn conditional_values_choose_arguments() {
    let shapes: Vec<_> = Conditional::STATE_DICT.iter().map(|entry| (entry.key, entry.shape)).collect();
    assert_eq!(shapes[0], ("one.conv.weight", &[16, 24, 1, 1][..]));
    assert_eq!(shapes[2], ("two.conv.weight", &[16, 16, 1, 1][..]));
}

mod blocks {
    netshape::network! {
        /// Defined here, used by `network!`s in other modules.
        #[allow(netshape::bias_before_norm)]
        pub block Residual(channels) {
            add([conv: Conv2d(channels, channels, 3, padding = 1), bn: BatchNorm2d(channels)], []),
            ReLU(),
        }
    }
}

mod model {
    netshape::network! {
        use crate::blocks::Residual;

        pub struct Imported {
            input: [8, 16, 16],
            first: Residual(8),
            second: Residual(8),
        }
    }
}

#[test]
fn blocks_from_another_invocation() {
    use model::Imported;
    assert_eq!(Imported::TOTAL_PARAMS, 2 * (8 * 8 * 9 + 8 + 16));
    let rows: Vec<_> = Imported::SUMMARY.rows().map(|layer| (layer.kind, layer.name)).collect();
    assert_eq!(rows[2], ("ReLU", "first.2"));
    assert_eq!(rows[3], ("Residual", "first"));
    assert_eq!(Imported::STATE_DICT[0].key, "first.conv.weight");
}

mod from_another_crate {
    netshape::network! {
        use netshape_exported_blocks::Residual;

        #[allow(netshape::receptive_field_exceeds_input)]
        pub struct Tower {
            input: [16, 8, 8],
            stage: [Residual(16), Residual(16)],
        }
    }
}

#[test]
fn blocks_from_another_crate() {
    use from_another_crate::Tower;
    assert_eq!(Tower::TOTAL_PARAMS, 2 * (2 * 16 * 16 * 9 + 2 * 32));
    assert_eq!(Tower::STATE_DICT[0].key, "stage.0.conv1.weight");
    let blocks: Vec<_> =
        Tower::SUMMARY.rows().filter(|layer| layer.kind == "Residual").map(|layer| layer.name).collect();
    assert_eq!(blocks, ["stage.0", "stage.1"]);
}
