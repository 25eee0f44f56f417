//! Every netshape lint silenced where it fires: on the network, on a step and
//! on a block; other `allow`s on the network still reach rustc. Under
//! `deny(warnings)`, a lint that still fired, or a rustc lint the network's
//! `allow` failed to silence, would stop this test from compiling.
#![deny(warnings)]

netshape::network! {
    #[allow(netshape::bias_before_norm)]
    block ConvBn(cin, cout) {
        conv: Conv2d(cin, cout, 3, padding = 1),
        bn: BatchNorm2d(cout),
    }

    #[allow(netshape::receptive_field_exceeds_input)]
    pub struct Net {
        input: [3, 12, 12],
        #[allow(netshape::uncovered_input)]
        stem: Conv2d(3, 8, 3, stride = 2),
        block: ConvBn(8, 8),
        Conv2d(8, 8, 5, padding = 2),
        #[allow(netshape::upsampling_adaptive_pool)]
        pool: AdaptiveAvgPool2d(7),
        flatten(1),
        fc: Linear(8 * 7 * 7, 10),
        #[allow(netshape::dropout_before_softmax)]
        drop: Dropout(),
        Softmax(dim = 1),
    }

    /// Lints that would be noise stay quiet without an `allow`: the receptive
    /// field past the input is off unless asked for, and the only row the
    /// stride-2 conv leaves unread is the zero a pad added.
    pub struct Quiet {
        input: [3, 31, 31],
        pad((0, 1, 0, 1)),
        conv: Conv2d(3, 8, 3, stride = 2),
        Conv2d(8, 8, 7, padding = 3),
        Conv2d(8, 8, 7, padding = 3),
        Conv2d(8, 8, 7, padding = 3),
    }

    /// A lower-case name: only the `non_camel_case_types` beside the netshape
    /// lint, which must reach rustc, keeps this crate compiling.
    #[allow(netshape::bias_before_norm, non_camel_case_types)]
    pub struct conv_bn_net {
        input: [3, 8, 8],
        conv: Conv2d(3, 4, 3, padding = 1),
        bn: BatchNorm2d(4),
    }
}

#[test]
fn silenced_lints_leave_the_network_intact() {
    // The unread row of `stem` and the upsampling `pool`, both allowed.
    assert_eq!(Net::LAYERS[0].output, [8, 5, 5]);
    assert_eq!(Net::OUTPUT_SHAPE, [10]);
    assert_eq!(conv_bn_net::TOTAL_PARAMS, 3 * 4 * 9 + 4 + 2 * 4);
    // 32 padded rows, 15 windows of 3 with stride 2: the last row, a zero, unread.
    assert_eq!(Quiet::LAYERS[1].output, [8, 15, 15]);
    // Three 7×7 convs on the 3×3 after it: the field is far past the input.
    assert!(Quiet::LAYERS[4].receptive_field[0].size > 31.0);
}
