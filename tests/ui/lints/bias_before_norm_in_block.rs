// A block's lint is reported once, at the block, however often it is called.
#![deny(warnings)]

netshape::network! {
    block ConvBn(cin, cout) {
        conv: Conv2d(cin, cout, 3, padding = 1),
        bn: BatchNorm2d(cout),
    }

    pub struct Net {
        input: [3, 32, 32],
        first: ConvBn(3, 16),
        second: ConvBn(16, 16),
    }
}

fn main() {}
