// A 2×2 pool that moves by 3 skips a row and a column between windows.
#![deny(warnings)]

netshape::network! {
    pub struct Net {
        input: [3, 30, 30],
        MaxPool2d(2, stride = 3),
    }
}

fn main() {}
