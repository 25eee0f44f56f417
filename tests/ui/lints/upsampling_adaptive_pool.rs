// An adaptive pool asked for 7×7 from 4×4 repeats values.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [8, 4, 4],
        pool: AdaptiveAvgPool2d(7),
    }
}

fn main() {}
