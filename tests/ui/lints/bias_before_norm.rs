// The conv's bias is cancelled by the batch norm's mean subtraction.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [3, 32, 32],
        conv: Conv2d(3, 16, 3, padding = 1),
        bn: BatchNorm2d(16),
    }
}

fn main() {}
