// Every lint silenced where it fires: on the network, on a step and on a
// block; other `allow`s on the network still reach rustc.
#![deny(warnings)]

netshape::network! {
    #[allow(netshape::bias_before_norm)]
    block ConvBn(cin, cout) {
        conv: Conv2d(cin, cout, 3, padding = 1),
        bn: BatchNorm2d(cout),
    }

    #[allow(netshape::receptive_field_exceeds_input, dead_code)]
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
}

fn main() {}
